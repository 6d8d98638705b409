"""Idempotent writes: one helper, `write_once`, that every write of the workflow goes through.

The counter PC retries a write whose answer it did not get, under the same client `request_id`.
The id is stored with what the request produced (`dossier_requests`), in the same transaction as
the effect: the same id with the same request returns that result (`replayed`) and writes
nothing but an audit row saying so (`replay_of`); the same id with another request, or for
another kind of write, raises `RequestIdConflict`. A write that fails leaves its id free.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, time
from typing import Any

from kiosk.dossiers import checks
from kiosk.dossiers.errors import RequestIdConflict
from kiosk.store import Store, WriteTx, to_iso
from kiosk.store.dossier_forms_repo import find_request, remember_request


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return to_iso(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def fingerprint(kind: str, request: Any) -> str:
    """The sha256 of a request's content: what makes a reused request id a different request."""
    text = json.dumps(
        {"kind": kind, "request": _jsonable(request)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a request produced, as remembered under its request id (`dossier_requests`)."""

    dossier_id: int | None
    record_id: int | None


Write = Callable[[WriteTx], Outcome]


def _prior(tx: WriteTx, request_id: str, kind: str, print_: str) -> Outcome | None:
    """What an earlier request with this id did, or None for a new request."""
    found = find_request(tx.conn, request_id)
    if found is None:
        return None
    if (found["kind"], found["fingerprint"]) != (kind, print_):
        raise RequestIdConflict(request_id)
    tx.details["replay_of"] = request_id
    return Outcome(found["dossier_id"], found["record_id"])


def write_once(
    store: Store,
    write: Write,
    *,
    kind: str,
    request: Any,
    request_id: str | None,
    actor: str,
    action: str,
    target: str = "",
    details: Mapping[str, Any] | None = None,
    on_replay: Callable[[WriteTx, Outcome], None] | None = None,
) -> tuple[Outcome, bool]:
    """Run `write` in one `store.write(actor, action, ...)` transaction, once per request id.

    Returns what the write produced and whether this call is a replay of an earlier one. On a
    replay `write` is not called; `on_replay` may still name the audit row's target. Without a
    request id the write simply runs.
    """
    wanted = checks.request_id(request_id)
    print_ = fingerprint(kind, request)
    with store.write(actor, action, target=target, details=details) as tx:
        prior = None if wanted is None else _prior(tx, wanted, kind, print_)
        if prior is not None:
            if on_replay is not None:
                on_replay(tx, prior)
            return prior, True
        outcome = write(tx)
        if wanted is not None:
            remember_request(
                tx,
                {
                    "request_id": wanted,
                    "kind": kind,
                    "fingerprint": print_,
                    "actor": tx.actor,
                    "dossier_id": outcome.dossier_id,
                    "record_id": outcome.record_id,
                    "created_at": tx.now_iso,
                },
            )
    return outcome, False
