"""Reading dossiers, with the audit the law asks for: a dossier by code, its file, the staff's
work lists and search; and the note that a form was printed.

Every read by staff writes an audit row (who looked at whom: the personal data protection law);
`get` is the service's own read and is not audited.
"""

from __future__ import annotations

from kiosk.dossiers import checks, records
from kiosk.dossiers.context import Context
from kiosk.dossiers.errors import DossierNotFound
from kiosk.dossiers.models import Dossier, DossierFile, Worklist
from kiosk.dossiers.worklists import list_worklist
from kiosk.store.search import search_dossier_ids


def get(ctx: Context, code: str) -> Dossier:
    """A dossier by code, for the service's own use (not audited: not shown to anyone)."""
    wanted = checks.canonical_code(code)
    found = records.load_dossier(ctx.store.conn, code=wanted)
    if found is None:
        raise DossierNotFound(wanted)
    return found


def open_file(ctx: Context, code: str, *, actor: str) -> DossierFile:
    """A dossier with its hand-overs, forms 02 and timeline, for staff (audited)."""
    dossier = get(ctx, code)
    with ctx.store.write(actor, "dossier.view", target=dossier.code):
        pass
    conn = ctx.store.conn
    return DossierFile(
        dossier=dossier,
        transfers=tuple(records.transfers_of(conn, dossier.row.id)),
        supplements=tuple(records.supplements_of(conn, dossier.row.id)),
        timeline=tuple(records.timeline_of(conn, dossier.row.id)),
    )


def record_print(ctx: Context, code: str, *, actor: str, form: str, copies: int = 1) -> Dossier:
    """Note in the audit that staff printed a form of this dossier."""
    dossier = get(ctx, code)
    what = checks.text(form, field_name="form", label="mẫu in", max_len=40, required=True)
    with ctx.store.write(
        actor, "dossier.print", target=dossier.code, details={"form": what, "copies": copies}
    ):
        pass
    return dossier


def worklist(
    ctx: Context, kind: Worklist | str, *, actor: str, days: int = 3, limit: int = 200
) -> list[Dossier]:
    """One of the staff's work lists (see `kiosk.dossiers.worklists`); audited."""
    which = Worklist(kind)
    store = ctx.store
    found = list_worklist(store, ctx.calendar(), which, now=store.now(), days=days, limit=limit)
    with store.write(
        actor,
        "dossier.list",
        target=which.value,
        details={"count": len(found), "codes": [d.code for d in found[:50]]},
    ):
        pass
    return found


def search(ctx: Context, query: str, *, actor: str, limit: int = 20) -> list[Dossier]:
    """Diacritics-insensitive search (name, code, phone, ID, procedure); audited."""
    text = checks.text(query, field_name="q", label="nội dung tìm kiếm", max_len=200, required=True)
    found: list[Dossier] = []
    for dossier_id in search_dossier_ids(ctx.store, text, limit):
        dossier = records.load_dossier(ctx.store.conn, dossier_id=dossier_id)
        if dossier is not None:
            found.append(dossier)
    with ctx.store.write(
        actor,
        "dossier.search",
        details={"query": text, "count": len(found), "codes": [d.code for d in found]},
    ):
        pass
    return found
