"""Full-text search over dossiers (FTS5 table `dossiers_fts`, see migration 0001).

What a query finds:
- names and procedure names without regard to tones, hats, case or đ/Đ, in NFC or NFD:
  "nguyen van duc", "Nguyễn Văn Đức" and its decomposed form all find "Nguyễn Văn Đức";
- every word is a prefix ("ngu van" finds "Nguyễn Văn Đức"); all words must match;
- dossier codes whole or in parts: the tokenizer splits codes on '.' and '-', and a typed word
  such as "H12-210315" is searched as the phrase "h12 210315*", so "000.00.21.H12-210315-0001",
  "H12-210315", "210315-0001" and "0001" all work; a fragment inside a part ("10315") does not;
- phones and ID numbers by their beginning ("0912", "001099") and by their last digits (4 or
  more, "5678"), through the `digits_reversed` column; "+84912345678" and "0912.345.678" are
  folded to the stored form "0912345678" (a number typed with spaces is several words).

Order: relevance in three tiers, newest (most recently recorded) first within each tier:
1. the applicant's whole name is the query ("nguyen van an" → An before Anh), found through
   the B-tree index `dossiers_by_name`;
2. every word matches a whole word somewhere (name, code part, phone, ID, procedure);
3. every word matches as a prefix (phones and IDs also by their last digits).
FTS5's bm25 is not used: its IDF needs a pass over the whole posting list of every common word
("nguyen" is in ~40% of dossiers), which costs tens of milliseconds at a million dossiers, and on
short names it ranks by noise. Tiers read only the newest matches of each expression (the
index is walked by descending rowid and stops at the limit), so a query stays in milliseconds;
prefix indexes for 1–6 characters (migration 0001) spare FTS5 from merging every word that
starts with a prefix.

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


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _word_expression(word: str, *, prefix: bool) -> str:
    star = "*" if prefix else ""
    alternatives = [f"{_MAIN_COLUMNS} : {_quoted(word)}{star}"]
    if _NUMBER_LIKE.match(word):
        digits = re.sub(r"\D", "", word)
        forms = {digits}
        # +84912345678 / 84912345678 → the stored national form 0912345678.
        if digits.startswith("84") and len(digits) == 11:
            forms.add("0" + digits[2:])
        for form in sorted(forms):
            if form and form != word:
                alternatives.append(f"{_MAIN_COLUMNS} : {_quoted(form)}{star}")
        if prefix and len(digits) >= MIN_TAIL_DIGITS:
            alternatives.append(f"digits_reversed : {_quoted(digits[::-1])}*")
    if len(alternatives) == 1:
        return alternatives[0]
    return "(" + " OR ".join(alternatives) + ")"


def _words(query: str) -> list[str]:
    # Control characters (a NUL ends the string inside FTS5) are never part of a search.
    printable = "".join(ch if ch.isprintable() else " " for ch in query)
    words = fold(printable).split(" ")
    # A country code typed apart ("+84 912345678") says nothing; the rest is found by its tail.
    return [w for w in words if any(ch.isalnum() for ch in w) and w.strip("()") != "+84"]


def match_expressions(query: str) -> list[str]:
    """The FTS5 MATCH expressions of tiers 2 and 3 of a query (see the module docstring)."""
    words = _words(query)
    if not words:
        return []
    return [
        " AND ".join(_word_expression(w, prefix=False) for w in words),
        " AND ".join(_word_expression(w, prefix=True) for w in words),
    ]


def match_expression(query: str) -> str | None:
    """The broadest MATCH expression of a query (all words as prefixes), or None if empty."""
    tiers = match_expressions(query)
    return tiers[-1] if tiers else None


def search_dossier_ids(store: Store, query: str, limit: int = 20) -> list[int]:
    """Ids of matching dossiers, most relevant tier first, newest first within a tier."""
    words = _words(query)
    if not words or limit < 1:
        return []
    found: list[int] = []
    seen: set[int] = set()

    def take(rows: list[tuple[int]]) -> None:
        for (rowid,) in rows:
            if rowid not in seen:
                seen.add(rowid)
                found.append(int(rowid))

    # Tier 1 through the B-tree index on the folded name: a phrase query on FTS5 would have to
    # check the positions of every dossier holding all the words.
    take(
        store.conn.execute(
            "SELECT id FROM dossiers WHERE applicant_name_folded = ? ORDER BY id DESC LIMIT ?",
            (" ".join(words), limit),
        ).fetchall()
    )
    for expression in match_expressions(query):
        if len(found) >= limit:
            break
        # Tiers are nested, so asking for what was already found plus `limit` is enough.
        take(
            store.conn.execute(
                "SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? ORDER BY rowid DESC "
                "LIMIT ?",
                (expression, len(found) + limit),
            ).fetchall()
        )
    return found[:limit]


def search_dossiers(store: Store, query: str, limit: int = 20) -> list[DossierRow]:
    """Dossiers matching `query` (see the module docstring): best tier first, newest first."""
    return fetch_dossiers(store, search_dossier_ids(store, query, limit))


def rebuild_search_index(store: Store) -> None:
    """Rebuild the index from the dossiers table (after a bulk load or to repair it)."""
    with store.write("system", "search.rebuild") as tx:
        tx.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('rebuild')")


def optimize_search_index(store: Store) -> None:
    """Merge the index into one segment: faster queries after a bulk load (slow on big data)."""
    with store.write("system", "search.optimize") as tx:
        tx.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('optimize')")
