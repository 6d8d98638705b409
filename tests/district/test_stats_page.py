"""The district page built from a statistics dict, without a server: which sections show, in
which order, and that the page and the statistics stay in functions a newcomer can read."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import kiosk.district.page
import kiosk.district.stats
from kiosk.district.page import render_stats_page


def _site(site_id: str, name: str, dossiers: dict[str, int]) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "name": name,
        "acked": 12,
        "last_push_at": "2026-03-16T02:05:00+00:00",
        "dossiers": dossiers,
        "dossiers_total": sum(dossiers.values()),
        "on_time": {"early": 1, "late": 2},
        "on_time_rate": 0.3333,
        "done_total": 3,
        "ratings": {"satisfied": 2},
        "ratings_total": 2,
        "satisfaction_rate": 1.0,
        "waiting": {"tickets": 5, "average_seconds": 725, "median_seconds": 45},
    }


def _stats(**changes: Any) -> dict[str, Any]:
    site = _site("s1", "Xã <Tân Phong>", {"processing": 2, "received": 3, "odd": 1})
    stats = {
        "from": "2026-03-01",
        "to": None,
        "totals": _site("", "Toàn huyện", {"processing": 2, "received": 3, "odd": 1}),
        "sites": [site],
        "days": [
            {
                "day": day,
                "site_id": "s1",
                "received": 1,
                "done": 0,
                "tickets": 2,
                "ratings": {},
                "average_wait_seconds": None,
                "on_time_rate": None,
            }
            for day in ("2026-03-16", "2026-03-17")
        ],
        "event_types": [{"type": "ticket.issued", "n": 1234}],
        "conflicts": [],
    }
    return {**stats, **changes}


def test_sections_come_in_order_and_conflicts_only_when_there_are_some() -> None:
    page = render_stats_page(_stats(), generated_at="2026-03-16T03:00:00+00:00")
    headings = [
        "Theo đơn vị",
        "Hồ sơ theo trạng thái",
        "Tiến độ giải quyết",
        "Đánh giá của người dân",
        "Theo ngày",
        "Sự kiện đã nhận theo loại",
    ]
    positions = [page.index(f"<h2>{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    assert "Xung đột cần đối soát" not in page
    assert "Xã &lt;Tân Phong&gt;" in page and "1.234" in page  # escaped, grouped
    by_day = page[page.index("<h2>Theo ngày</h2>") :]
    assert by_day.index("17/03/2026") < by_day.index("16/03/2026")  # the latest day first
    # The lifecycle's statuses first, in its order; an unknown one after them, as sent.
    assert page.index("Đã tiếp nhận") < page.index("<th>odd</th>")

    conflict = {"site_id": "s1", "seq": 5, "times": 2, "first_at": None, "last_at": None}
    with_conflict = render_stats_page(
        _stats(conflicts=[conflict]), generated_at="2026-03-16T03:00:00+00:00"
    )
    assert with_conflict.index("Sự kiện đã nhận theo loại") < with_conflict.index("Xung đột")


def test_an_empty_period_says_so_instead_of_empty_tables() -> None:
    empty = _stats(
        sites=[], days=[], totals=_site("", "Toàn huyện", {}), **{"from": None, "to": None}
    )
    page = render_stats_page(empty, generated_at="2026-03-16T03:00:00+00:00")
    assert "Chưa có hồ sơ nào trong khoảng thời gian này." in page
    assert "Chưa có dữ liệu theo ngày." in page
    assert "toàn bộ thời gian" in page


def test_the_statistics_and_the_page_are_made_of_short_functions() -> None:
    for module in (kiosk.district.stats, kiosk.district.page):
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        long = [
            f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > 80
        ]
        assert not long, (module.__name__, long)
