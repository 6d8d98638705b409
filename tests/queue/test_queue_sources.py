"""Rules the queue's source keeps: no ticket status written as a literal in its SQL, and the
store's ticket rows read by column name, never by position."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.domain.tickets import TicketStatus

ROOT = Path(__file__).resolve().parents[2]
REPO = ROOT / "kiosk" / "store" / "ticket_repo.py"
SOURCES = [*sorted((ROOT / "kiosk" / "queue").glob("*.py")), REPO]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_status_literal_in_the_sql(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [s.value for s in TicketStatus if re.search(rf"'{s.value}'", text)]
    assert found == [], f"{path.name} writes statuses {found} into SQL: use TicketStatus"


def test_ticket_rows_are_read_by_column_name() -> None:
    text = REPO.read_text(encoding="utf-8")
    by_position = re.findall(r"(?:row|fetchone\(\))\[\d+\]", text)
    assert by_position == []
