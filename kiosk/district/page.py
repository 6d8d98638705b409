"""The district officer's page: the statistics as plain server-rendered HTML tables."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlencode

from kiosk.district.facts import local_moment
from kiosk.domain import formats
from kiosk.domain.lifecycle import DossierStatus

_TEMPLATE = Template((Path(__file__).parent / "templates" / "stats.html").read_text("utf-8"))

RATING_LABELS = {
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "unsatisfied": "Không hài lòng",
}
TIMELINESS_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn"}
DASH = '<span class="muted">—</span>'


def number(value: int | None) -> str:
    """1234567 → 1.234.567 (Vietnamese grouping)."""
    return DASH if value is None else formats.grouped(value)


def percent(rate: float | None) -> str:
    return DASH if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def duration(seconds: int | None) -> str:
    """A waiting time as a person reads it: "45 giây", "15 phút", "1 giờ 05 phút"."""
    if seconds is None:
        return DASH
    if seconds < 60:
        return f"{int(seconds)} giây"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes:02d} phút" if hours else f"{minutes} phút"


def moment(text: str | None) -> str:
    """A stored ISO time as dd/mm/yyyy hh:mm (Vietnam time)."""
    local = local_moment(text)
    return DASH if local is None else f"{local:%d/%m/%Y %H:%M}"


def _day(iso_day: str) -> str:
    year, month, day = iso_day.split("-")
    return f"{day}/{month}/{year}"


def _status_label(status: str) -> str:
    try:
        return DossierStatus(status).label
    except ValueError:
        return status


def _table(head: list[str], rows: list[list[str]], total: list[str] | None = None) -> str:
    parts = ["<table><thead><tr>"]
    parts += [f"<th>{escape(h)}</th>" for h in head]
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    if total is not None:
        parts.append('<tr class="total">' + "".join(f"<td>{c}</td>" for c in total) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _site_name(entry: dict[str, Any]) -> str:
    name = escape(entry["name"] or "")
    site_id = escape(entry["site_id"])
    return f"{name} <span class='muted'>({site_id})</span>" if name else site_id


def _site_table(
    head: list[str],
    sites: list[dict[str, Any]],
    totals: dict[str, Any],
    cells: Callable[[dict[str, Any]], list[str]],
) -> str:
    """A table with one row per site and a district total row: "Đơn vị", then `cells`."""
    return _table(
        ["Đơn vị", *head],
        [[_site_name(e), *cells(e)] for e in sites],
        ["Toàn huyện", *cells(totals)],
    )


def _overview_cells(entry: dict[str, Any]) -> list[str]:
    waiting = entry["waiting"]
    return [
        number(entry["acked"]),
        moment(entry["last_push_at"]),
        number(entry["dossiers_total"]),
        number(entry["done_total"]),
        percent(entry["on_time_rate"]),
        number(waiting["tickets"]),
        duration(waiting["average_seconds"]),
        duration(waiting["median_seconds"]),
        number(entry["ratings_total"]),
        percent(entry["satisfaction_rate"]),
    ]


def _cards(totals: dict[str, Any]) -> list[str]:
    """The headline numbers of the district, as cards above the tables."""
    cards = [
        (number(totals["acked"]), "sự kiện đã nhận từ các đơn vị"),
        (number(totals["dossiers_total"]), "hồ sơ tiếp nhận"),
        (percent(totals["on_time_rate"]), "hồ sơ có kết quả đúng hạn"),
        (duration(totals["waiting"]["average_seconds"]), "thời gian chờ trung bình"),
        (percent(totals["satisfaction_rate"]), "người dân hài lòng"),
    ]
    return [
        '<div class="cards">',
        *[f'<div class="card"><b>{value}</b><span>{label}</span></div>' for value, label in cards],
        "</div>",
    ]


def _overview(sites: list[dict[str, Any]], totals: dict[str, Any]) -> list[str]:
    head = [
        "Sự kiện đã nhận",
        "Đồng bộ lần cuối",
        "Hồ sơ tiếp nhận",
        "Đã có kết quả",
        "Đúng hạn",
        "Số phiếu",
        "Chờ trung bình",
        "Chờ trung vị",
        "Lượt đánh giá",
        "Hài lòng",
    ]
    return ["<h2>Theo đơn vị</h2>", _site_table(head, sites, totals, _overview_cells)]


def _by_status(sites: list[dict[str, Any]], totals: dict[str, Any]) -> list[str]:
    """Dossiers per status: the lifecycle's statuses that occur, then any unknown ones."""
    statuses = [s.value for s in DossierStatus]
    extra = sorted({k for e in sites for k in e["dossiers"]} - set(statuses))
    columns = [s for s in statuses if totals["dossiers"].get(s)] + extra
    if not columns:
        return [
            "<h2>Hồ sơ theo trạng thái</h2>",
            '<p class="muted">Chưa có hồ sơ nào trong khoảng thời gian này.</p>',
        ]

    def cells(e: dict[str, Any]) -> list[str]:
        return [*[number(e["dossiers"].get(s, 0)) for s in columns], number(e["dossiers_total"])]

    head = [*[_status_label(s) for s in columns], "Tổng"]
    return ["<h2>Hồ sơ theo trạng thái</h2>", _site_table(head, sites, totals, cells)]


def _timeliness(sites: list[dict[str, Any]], totals: dict[str, Any]) -> list[str]:
    def cells(e: dict[str, Any]) -> list[str]:
        return [
            *[number(e["on_time"].get(k, 0)) for k in TIMELINESS_LABELS],
            percent(e["on_time_rate"]),
        ]

    head = [*TIMELINESS_LABELS.values(), "Tỷ lệ đúng hạn"]
    return ["<h2>Tiến độ giải quyết</h2>", _site_table(head, sites, totals, cells)]


def _ratings(sites: list[dict[str, Any]], totals: dict[str, Any]) -> list[str]:
    def cells(e: dict[str, Any]) -> list[str]:
        return [
            *[number(e["ratings"].get(k, 0)) for k in RATING_LABELS],
            number(e["ratings_total"]),
            percent(e["satisfaction_rate"]),
        ]

    head = [*RATING_LABELS.values(), "Tổng", "Hài lòng"]
    return ["<h2>Đánh giá của người dân</h2>", _site_table(head, sites, totals, cells)]


def _days(days: list[dict[str, Any]]) -> list[str]:
    """One row per (day, site), the latest day first."""
    if not days:
        return ["<h2>Theo ngày</h2>", '<p class="muted">Chưa có dữ liệu theo ngày.</p>']
    head = [
        "Ngày",
        "Đơn vị",
        "Hồ sơ tiếp nhận",
        "Đã có kết quả",
        "Đúng hạn",
        "Số phiếu",
        "Chờ trung bình",
        *RATING_LABELS.values(),
    ]
    rows = [
        [
            escape(_day(d["day"])),
            escape(d["site_id"]),
            number(d["received"]),
            number(d["done"]),
            percent(d["on_time_rate"]),
            number(d["tickets"]),
            duration(d["average_wait_seconds"]),
            *[number(d["ratings"].get(k, 0)) for k in RATING_LABELS],
        ]
        for d in reversed(days)
    ]
    return ["<h2>Theo ngày</h2>", _table(head, rows)]


def _event_types(types: list[dict[str, Any]]) -> list[str]:
    rows = [[escape(t["type"]), number(t["n"])] for t in types]
    return ["<h2>Sự kiện đã nhận theo loại</h2>", _table(["Loại sự kiện", "Số lượng"], rows)]


def _conflicts(conflicts: list[dict[str, Any]]) -> list[str]:
    """The conflicts to reconcile, shown only when there are some."""
    if not conflicts:
        return []
    rows = [
        [
            escape(c["site_id"]),
            number(c["seq"]),
            number(c["times"]),
            moment(c["first_at"]),
            moment(c["last_at"]),
        ]
        for c in conflicts
    ]
    head = ["Đơn vị", "Seq", "Số lần", "Lần đầu", "Lần cuối"]
    return ['<h2 class="warn">Xung đột cần đối soát</h2>', _table(head, rows)]


def render_stats_page(stats: dict[str, Any], *, generated_at: str) -> str:
    """The whole page for `stats` (as computed by `compute_stats`)."""
    totals, sites = stats["totals"], stats["sites"]
    period = (
        f"từ {stats['from'] or 'đầu'} đến {stats['to'] or 'nay'}"
        if stats["from"] or stats["to"]
        else "toàn bộ thời gian"
    )
    body = [
        *_cards(totals),
        *_overview(sites, totals),
        *_by_status(sites, totals),
        *_timeliness(sites, totals),
        *_ratings(sites, totals),
        *_days(stats["days"]),
        *_event_types(stats["event_types"]),
        *_conflicts(stats["conflicts"]),
    ]
    query = {k: v for k, v in (("from", stats["from"]), ("to", stats["to"])) if v}
    return _TEMPLATE.substitute(
        subtitle=escape(f"Số liệu {period} — cập nhật lúc {moment(generated_at)}"),
        from_value=escape(stats["from"] or ""),
        to_value=escape(stats["to"] or ""),
        query=escape("?" + urlencode(query)) if query else "",
        body="\n".join(body),
    )
