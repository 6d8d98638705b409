"""`kiosk catalog`, `kiosk calendar` and `kiosk dossiers`: the office's procedures, working days
and received dossiers, read from the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli.root import KioskGroup, cli, echo_json, open_office
from kiosk.clock import VN_TZ
from kiosk.domain import formats

# --- catalogue -----------------------------------------------------------------------------


@cli.group(cls=KioskGroup)
def catalog() -> None:
    """Danh mục thủ tục hành chính."""


@catalog.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "csv", "json"]),
    default="auto",
    show_default=True,
    help="Định dạng tệp (mặc định theo phần mở rộng).",
)
@click.pass_context
def catalog_import(ctx: click.Context, file: Path, fmt: str) -> None:
    """Nhập danh mục từ tệp CSV hoặc JSON; lỗi nào cũng báo theo dòng và cột, không nhập dở."""
    from kiosk.office import import_catalogue_file

    with open_office(ctx) as office:
        catalogue = import_catalogue_file(office, file, fmt=fmt, actor="cli")
    click.echo(
        f"Đã nhập {len(catalogue.procedures)} thủ tục trong {len(catalogue.fields)} lĩnh vực "
        f"từ {file}."
    )


@catalog.command("list")
@click.option("--field", "field_code", default=None, help="Chỉ liệt kê một lĩnh vực (mã).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def catalog_list(ctx: click.Context, field_code: str | None, as_json: bool) -> None:
    """Liệt kê các thủ tục trong danh mục của văn phòng."""
    from kiosk.domain.catalogue_io import procedure_to_json
    from kiosk.store.catalogue_repo import load_catalogue

    with open_office(ctx) as office:
        catalogue = load_catalogue(office.store)
    fields = catalogue.field_by_code()
    procedures = [p for p in catalogue.procedures if field_code in (None, p.field_code)]
    if as_json:
        echo_json(
            [{**procedure_to_json(p), "field_name": fields[p.field_code].name} for p in procedures]
        )
        return
    for field in catalogue.fields:
        chosen = [p for p in procedures if p.field_code == field.code]
        if not chosen:
            continue
        click.echo(f"{field.name} [{field.code}]")
        for p in chosen:
            limit = p.duration.label if p.duration else "không quy định"
            click.echo(f"  {p.code:<24} {p.name[:70]}  ({limit})")
    click.echo(f"Tổng: {len(procedures)} thủ tục.")


# --- calendar ------------------------------------------------------------------------------


def _parse_received(value: str) -> datetime:
    try:
        received = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' không phải ngày giờ ISO, ví dụ 2026-02-13T10:30 hoặc 2026-02-13T10:30+07:00"
        ) from None
    # Due dates are counted on the office's wall clock, whatever offset was typed.
    return received.astimezone(VN_TZ) if received.tzinfo else received.replace(tzinfo=VN_TZ)


@cli.group(cls=KioskGroup)
def calendar() -> None:
    """Lịch làm việc: ngày nghỉ lễ, ngày làm bù, ngày hẹn trả."""


@calendar.command("due")
@click.option("--received", required=True, help="Thời điểm tiếp nhận, ISO 8601 (giờ Việt Nam).")
@click.option("--working-days", type=click.IntRange(min=0), default=None, help="Số ngày làm việc.")
@click.option("--procedure", "procedure_code", default=None, help="Mã thủ tục trong danh mục.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def calendar_due(
    ctx: click.Context,
    received: str,
    working_days: int | None,
    procedure_code: str | None,
    as_json: bool,
) -> None:
    """Tính ngày hẹn trả kết quả."""
    from kiosk.office import due_for

    if (working_days is None) == (procedure_code is None):
        raise click.UsageError("Cần đúng một trong hai: --working-days N hoặc --procedure MÃ.")
    received_at = _parse_received(received)
    with open_office(ctx, create=True) as office:
        result = due_for(
            office, received_at, working_days=working_days, procedure_code=procedure_code
        )
    if as_json:
        echo_json(
            {"due_date": result.due_at.date().isoformat(), "due_at": result.due_at.isoformat()}
        )
        return
    click.echo(f"Tiếp nhận: {received_at:%H:%M, %d/%m/%Y}")
    click.echo(f"Thời hạn:  {result.limit_label}")
    click.echo(f"Hẹn trả:   {result.due_at:%H:%M, %d/%m/%Y}")


@calendar.command("days")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Năm cần xem.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def calendar_days(ctx: click.Context, year: int, as_json: bool) -> None:
    """Liệt kê ngày nghỉ (lễ, nghỉ bù) và ngày làm bù trong năm, kèm lý do."""

    with open_office(ctx, create=True) as office:
        days = office.calendar().days_of_year(year)
    if as_json:
        echo_json(
            [{"date": d.day.isoformat(), "working": d.working, "reason": d.reason} for d in days]
        )
        return
    for d in days:
        kind = "làm việc" if d.working else "nghỉ"
        weekday = f"({formats.weekday(d.day)})"
        click.echo(f"{d.day:%d/%m/%Y} {weekday:<11} {kind:<9} {d.reason}")


# --- dossiers ------------------------------------------------------------------------------


@cli.group(cls=KioskGroup)
def dossiers() -> None:
    """Hồ sơ đã tiếp nhận."""


def _print_dossiers(rows: Sequence[Any], as_json: bool) -> None:
    if as_json:
        echo_json([row.as_json() for row in rows])
        return
    if not rows:
        click.echo("Không có hồ sơ nào.")
        return
    for row in rows:
        click.echo(
            f"{row.code:<28} {row.status.label:<16} {row.applicant_name:<26} "
            f"hẹn {row.due_at:%d/%m/%Y}  {row.procedure_name[:40]}"
            if row.due_at
            else f"{row.code:<28} {row.status.label:<16} {row.applicant_name:<26}"
        )


@dossiers.command("list")
@click.option("--status", default=None, help="Lọc theo trạng thái (received, processing, …).")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def dossiers_list(ctx: click.Context, status: str | None, limit: int, as_json: bool) -> None:
    """Liệt kê hồ sơ, mới nhất trước."""
    from kiosk.store.dossier_repo import list_dossiers

    with open_office(ctx) as office:
        rows = list_dossiers(office.store, status=status, limit=limit)
    _print_dossiers(rows, as_json)


@dossiers.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def dossiers_search(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Tìm hồ sơ theo mã, tên (gõ có dấu hay không dấu đều được), điện thoại, số định danh."""
    from kiosk.store.search import search_dossiers

    with open_office(ctx) as office:
        rows = search_dossiers(office.store, query, limit=limit)
    _print_dossiers(rows, as_json)
