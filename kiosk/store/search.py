"""Full-text search over dossiers (FTS5 table `dossiers_fts`, see migration 0001).

What a query finds:
- names and procedure names without regard to tones, hats, case or đ/Đ, in NFC or NFD:
  "nguyen van duc", "Nguyễn Văn Đức" and its decomposed form all find "Nguyễn Văn Đức";
- every word is a prefix ("ngu van" finds "Nguyễn Văn Đức"); all words must match;
- dossier codes whole or in parts: the tokenizer splits codes on '.' and '-', and a typed word
  such as "H12-210315" is searched as the phrase "h12 210315*", so "000.00.21.H12-210315-0001",
  "H12-210315", "210315-0001" and "0001" all work; a fragment inside a part ("10315") does not;
- phones and ID numbers by their beginning ("0912", "001099") and by their last digits (4 or
  more, "5678"), through the `digits_reversed` column; "+84 912..." and "0912.345.678" are
  folded to the stored form "0912...".

User input never reaches FTS5 syntax: each word is quoted, so `"`, `*`, `AND`, `(` are searched
as text (or ignored when they hold no letter or digit).
"""

from __future__ import annotations

import re
from typing import Final

from kiosk.domain.text import fold
from kiosk.store.db import Store
from kiosk.store.dossier_repo import DossierRow, fetch_dossiers

_MAIN_COLUMNS: Final = (
    "{code applicant_name_folded applicant_phone applicant_id_number procedure_name_folded}"
)
_NUMBER_LIKE = re.compile(r"^\+?[0-9.\-()/]+$")
MIN_TAIL_DIGITS: Final = 4


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"*'


def _word_expression(word: str) -> str | None:
    if not any(ch.isalnum() for ch in word):
        return None
    alternatives = [f"{_MAIN_COLUMNS} : {_phrase(word)}"]
    if _NUMBER_LIKE.match(word):
        digits = re.sub(r"\D", "", word)
        forms = {digits}
        # +84 912 345 678 / 84912345678 → the stored national form 0912345678.
        if word.startswith("+84") or (digits.startswith("84") and len(digits) == 11):
            forms.add("0" + digits[2:])
        for form in sorted(forms):
            if form and form != word:
                alternatives.append(f"{_MAIN_COLUMNS} : {_phrase(form)}")
        if len(digits) >= MIN_TAIL_DIGITS:
            alternatives.append(f"digits_reversed : {_phrase(digits[::-1])}")
    if len(alternatives) == 1:
        return alternatives[0]
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when it holds nothing to search."""
    # Control characters (a NUL ends the string inside FTS5) are never part of a search.
    printable = "".join(ch if ch.isprintable() else " " for ch in query)
    parts = [_word_expression(w) for w in fold(printable).split(" ")]
    found = [p for p in parts if p is not None]
    return " AND ".join(found) if found else None


def search_dossier_ids(store: Store, query: str, limit: int = 20) -> list[int]:
    """Ids of matching dossiers, most relevant first, then newest."""
    expression = match_expression(query)
    if expression is None:
        return []
    rows = store.conn.execute(
        "SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? "
        "ORDER BY rank, rowid DESC LIMIT ?",
        (expression, limit),
    ).fetchall()
    return [int(r[0]) for r in rows]


def search_dossiers(store: Store, query: str, limit: int = 20) -> list[DossierRow]:
    """Dossiers matching `query` (see the module docstring), most relevant first, then newest."""
    return fetch_dossiers(store, search_dossier_ids(store, query, limit))


def rebuild_search_index(store: Store) -> None:
    """Rebuild the index from the dossiers table (after a bulk load or to repair it)."""
    with store.write("system", "search.rebuild") as tx:
        tx.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('rebuild')")


def optimize_search_index(store: Store) -> None:
    """Merge the index into one segment: faster queries after a bulk load (slow on big data)."""
    with store.write("system", "search.optimize") as tx:
        tx.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('optimize')")
