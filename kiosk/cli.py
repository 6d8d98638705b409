"""The `kiosk` command: every entry point of the product.

Errors a user can cause (`KioskError`) end as one clear Vietnamese line on stderr, a log line,
and exit status 1; never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kiosk import __version__
from kiosk.clock import CLOCK_START_ENV, VN_TZ, Clock, office_clock, parse_moment, system_clock
from kiosk.domain import formats
from kiosk.domain.errors import KioskError
from kiosk.paths import Paths, resolve_paths

if TYPE_CHECKING:
    from kiosk.office import Office

log = logging.getLogger("kiosk.cli")


class KioskGroup(click.Group):
    """A click group that turns user errors into one Vietnamese line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KioskError as exc:
            log.warning("command failed: %s", exc.message, extra={"error": exc.code})
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(1)


def _paths(ctx: click.Context) -> Paths:
    paths: Paths = ctx.obj["paths"]
    return paths


def _clock(ctx: click.Context) -> Clock:
    clock: Clock = ctx.obj["clock"]
    return clock


def _office(ctx: click.Context, *, create: bool = False) -> Office:
    """The office of `--data-dir`, on this run's clock."""
    from kiosk.office import Office

    return Office.open(_paths(ctx), clock=_clock(ctx), create=create)


def _clock_start(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value:
        try:
            parse_moment(value)
        except ValueError:
            raise click.BadParameter(
                f"'{value}' không phải thời điểm ISO 8601 (vd 2026-03-16T09:00 hoặc "
                "2026-03-16T09:00+07:00)."
            ) from None
    return value or None


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục dữ liệu của văn phòng (cài đặt + CSDL). Mặc định: KIOSK_DATA_DIR hoặc "
    "thư mục của hệ điều hành.",
)
@click.option(
    "--clock-start",
    envvar=CLOCK_START_ENV,
    default=None,
    callback=_clock_start,
    metavar="THỜI_ĐIỂM",
    help="Cho đồng hồ của văn phòng bắt đầu từ thời điểm này rồi chạy tiếp (kiểm thử, tập huấn, "
    f"trình diễn), vd 2026-03-16T08:00. Hoặc biến {CLOCK_START_ENV}. Văn phòng thật không đặt.",
)
@click.version_option(__version__, prog_name="kiosk")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, clock_start: str | None) -> None:
    """Một Cửa Kiosk: phần mềm Bộ phận Một cửa (xếp hàng, tiếp nhận hồ sơ, đồng bộ)."""
    from kiosk.logs import setup_logging

    paths = resolve_paths(data_dir)
    ctx.ensure_object(dict)
    ctx.obj["paths"] = paths
    ctx.obj["clock"] = office_clock(clock_start) if clock_start else system_clock
    try:
        setup_logging(paths.logs_dir)
    except OSError as exc:  # a read-only data folder must not stop `--help` or `--version`
        click.echo(f"Cảnh báo: không ghi được nhật ký vào {paths.logs_dir}: {exc}", err=True)


# --- init and demo -------------------------------------------------------------------------


@cli.command()
@click.option("--demo", is_flag=True, help="Thêm văn phòng mẫu và hồ sơ mẫu.")
@click.option(
    "--dossiers",
    type=click.IntRange(min=0),
    default=None,
    help="Số hồ sơ mẫu cần tạo (mặc định 300 khi có --demo).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Hạt giống dữ liệu mẫu.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def init(ctx: click.Context, demo: bool, dossiers: int | None, seed: int, as_json: bool) -> None:
    """Tạo cơ sở dữ liệu văn phòng (và cài đặt mặc định nếu chưa có)."""
    from kiosk.setup import init_office

    report = init_office(_paths(ctx), demo=demo, dossiers=dossiers, seed=seed, clock=_clock(ctx))
    if as_json:
        _echo_json(report.as_dict())
    else:
        click.echo(report.describe())


@cli.command()
@click.option(
    "--seconds",
    type=click.FloatRange(min=0),
    default=None,
    help="Tự đóng sau N giây (kiểm thử, chạy không màn hình).",
)
@click.pass_context
def demo(ctx: click.Context, seconds: float | None) -> None:
    """Cả văn phòng trên một máy: dữ liệu mẫu, máy in ảo."""
    import os

    from kiosk.setup import init_office

    paths = _paths(ctx)
    report = init_office(paths, demo=True, dossiers=None, seed=2026, clock=_clock(ctx))
    click.echo(report.describe())
    click.echo("")
    click.echo("Chế độ trình diễn sẽ khởi động:")
    click.echo("  - máy chủ văn phòng (hub) trong cùng tiến trình, địa chỉ 127.0.0.1")
    click.echo("  - màn hình lấy số (kiosk), bảng hiển thị, đánh giá và các quầy trên một cửa sổ")
    click.echo("  - bàn làm việc của quầy 1 (đăng nhập quay1, mã PIN 2468) trong cửa sổ riêng")
    click.echo("  - màn hình quản trị (đăng nhập quantri, mã PIN 2468) trong cửa sổ riêng")
    click.echo(f"  - máy in ảo: phiếu và biên nhận lưu thành PNG/PDF trong {paths.prints_dir}")
    click.echo("")
    headless = os.environ.get("QT_QPA_PLATFORM") == "offscreen" or (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and seconds is None:
        # Without a screen the windows would run unseen forever: set up the office and stop.
        click.echo("Không có màn hình: văn phòng mẫu đã sẵn sàng, các màn hình không được mở.")
        click.echo("  uv run kiosk dossiers search 'nguyen van'")
        click.echo("  uv run kiosk screenshots anh-man-hinh")
        return
    from kiosk.ui.demo import run_demo

    run_demo(paths, seconds=seconds, clock=_clock(ctx))


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

    with _office(ctx) as office:
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

    with _office(ctx) as office:
        catalogue = load_catalogue(office.store)
    fields = catalogue.field_by_code()
    procedures = [p for p in catalogue.procedures if field_code in (None, p.field_code)]
    if as_json:
        _echo_json(
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
    with _office(ctx, create=True) as office:
        result = due_for(
            office, received_at, working_days=working_days, procedure_code=procedure_code
        )
    if as_json:
        _echo_json(
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

    with _office(ctx, create=True) as office:
        days = office.calendar().days_of_year(year)
    if as_json:
        _echo_json(
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
        _echo_json([row.as_json() for row in rows])
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

    with _office(ctx) as office:
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

    with _office(ctx) as office:
        rows = search_dossiers(office.store, query, limit=limit)
    _print_dossiers(rows, as_json)


# --- backup and restore --------------------------------------------------------------------


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """Sao lưu cơ sở dữ liệu khi đang chạy, rồi kiểm tra bản sao."""
    from kiosk.store.backup import backup_to

    with _office(ctx) as office:
        backup_to(office.store, file)
    click.echo(f"Đã sao lưu và kiểm tra: {file}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Khôi phục cơ sở dữ liệu từ bản sao lưu (kiểm tra trước, thay thế nguyên vẹn)."""
    from kiosk.store.backup import restore_from

    target = _paths(ctx).database
    restore_from(file, target)
    click.echo(f"Đã khôi phục {target} từ {file}")


# --- printing ----------------------------------------------------------------------------

PRINT_TEST_KINDS = ["ticket", "receipt", "form01", "form02", "form03", "form04", "form05", "form06"]


@cli.command("print-test")
@click.option(
    "--printer",
    "uri",
    required=True,
    help="Địa chỉ máy in: tcp://máy:9100, usb:VID:PID, serial:COM3?baudrate=9600, "
    "file:/dev/usb/lp0, win:Tên máy in, png:THƯ_MỤC (máy in ảo), pdf:THƯ_MỤC (biểu mẫu).",
)
@click.option("--what", type=click.Choice(PRINT_TEST_KINDS), default="ticket", show_default=True)
@click.option(
    "--preview",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lưu thêm bản xem trước (PNG hoặc PDF) vào thư mục này.",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def print_test_command(uri: str, what: str, preview: Path | None, as_json: bool) -> None:
    """In thử một mẫu và báo trạng thái máy in, để kiểm tra máy in trong một bước."""
    from kiosk.printing.check import print_test

    report = print_test(uri, what, out=preview)
    if as_json:
        _echo_json(
            {
                "what": report.what,
                "printer": report.printer,
                "ok": report.ok,
                "message": report.message,
                "status": report.status,
                "warnings": list(report.warnings),
                "bytes_sent": report.bytes_sent,
                "preview": str(report.preview) if report.preview else None,
            }
        )
    else:
        click.echo(("Thành công: " if report.ok else "Không in được: ") + report.message)
        if report.status:
            click.echo(f"Trạng thái máy in: {report.status}")
        for warning in report.warnings:
            click.echo(f"Lưu ý: {warning}")
        if report.preview:
            click.echo(f"Xem trước: {report.preview}")
    if not report.ok:
        log.warning("print test failed: %s", report.message, extra={"printer": report.printer})
        raise SystemExit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def selfcheck(as_json: bool) -> None:
    """Tự kiểm tra bản cài đặt: cơ sở dữ liệu, phông chữ, in phiếu và biểu mẫu (máy in ảo),
    lịch nghỉ lễ, máy chủ văn phòng, giao diện Qt. Không cần mạng, không đụng dữ liệu thật."""
    from kiosk.selfcheck import run_checks, summary

    results = run_checks()
    if as_json:
        _echo_json({"ok": all(c.ok for c in results), "checks": [c.as_json() for c in results]})
    else:
        click.echo(summary(results))
    failed = [c for c in results if not c.ok]
    for check in failed:
        log.error("selfcheck failed: %s: %s", check.name, check.detail)
    if failed:
        raise SystemExit(1)


# --- the hub, devices and staff -----------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Chạy máy chủ văn phòng (hub): API, luồng sự kiện, bảng hiển thị web /display."""
    from kiosk.hub.server import ADMIN_TOKEN_FILE
    from kiosk.hub.server import serve as run_hub

    paths = _paths(ctx)
    click.echo(f"Máy chủ văn phòng: http://{host}:{port}  (bảng hiển thị: /display?token=…)")
    click.echo(f"Mã quản trị lần đầu (nếu vừa tạo): {paths.data_dir / ADMIN_TOKEN_FILE}")
    if _clock(ctx) is not system_clock:
        click.echo(f"Đồng hồ văn phòng đặt riêng: bắt đầu từ {_clock(ctx)().isoformat()}")
    run_hub(paths, host=host, port=port, clock=_clock(ctx))


@cli.group(cls=KioskGroup)
def devices() -> None:
    """Thiết bị được phép kết nối máy chủ văn phòng (máy lấy số, quầy, bảng hiển thị…)."""


@devices.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["kiosk", "counter", "display", "rating", "admin"]),
    required=True,
    help="Vai trò của thiết bị.",
)
@click.option(
    "--counter",
    "counter_number",
    type=click.IntRange(min=1),
    default=None,
    help="Số quầy (bắt buộc với counter và rating).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def devices_add(
    ctx: click.Context, name: str, role: str, counter_number: int | None, as_json: bool
) -> None:
    """Đăng ký thiết bị và in mã truy cập của nó (chỉ hiện một lần)."""
    from kiosk.hub.auth import register_device

    with _office(ctx) as office:
        device, token = register_device(
            office.store, name=name, role=role, counter_number=counter_number, actor="cli"
        )
    if as_json:
        _echo_json(
            {
                "id": device.id,
                "name": device.name,
                "role": device.role.value,
                "counter_number": device.counter_number,
                "token": token,
            }
        )
        return
    click.echo(f"Đã đăng ký thiết bị #{device.id} '{device.name}' ({device.role.value}).")
    click.echo(f"Mã truy cập (chỉ hiện một lần): {token}")


@devices.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def devices_list(ctx: click.Context, as_json: bool) -> None:
    """Liệt kê các thiết bị đã đăng ký."""
    from kiosk.hub.auth import list_devices

    with _office(ctx) as office:
        rows = list_devices(office.store)
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        state = "đã thu hồi" if row["revoked_at"] else "hoạt động"
        counter = f" quầy {row['counter_number']}" if row["counter_number"] else ""
        click.echo(f"#{row['id']:<4} {row['role']:<8}{counter:<9} {state:<11} {row['name']}")


@devices.command("revoke")
@click.argument("device_id", type=int)
@click.pass_context
def devices_revoke(ctx: click.Context, device_id: int) -> None:
    """Thu hồi mã truy cập của một thiết bị."""
    from kiosk.hub.auth import revoke_device

    with _office(ctx) as office:
        revoke_device(office.store, device_id, actor="cli")
    click.echo(f"Đã thu hồi thiết bị #{device_id}.")


@cli.group(cls=KioskGroup)
def staff() -> None:
    """Tài khoản cán bộ."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên cán bộ.")
@click.option(
    "--role",
    type=click.Choice(["clerk", "supervisor", "admin"]),
    default="clerk",
    show_default=True,
)
@click.option(
    "--secret",
    prompt="Mật khẩu hoặc mã PIN",
    hide_input=True,
    confirmation_prompt=True,
    help="Mật khẩu (≥ 8 ký tự) hoặc PIN (≥ 4 chữ số).",
)
@click.pass_context
def staff_add(ctx: click.Context, username: str, full_name: str, role: str, secret: str) -> None:
    """Thêm tài khoản cán bộ (mật khẩu/PIN được băm argon2)."""
    from kiosk.hub.auth import create_staff

    with _office(ctx) as office:
        account = create_staff(
            office.store,
            username=username,
            full_name=full_name,
            secret=secret,
            role=role,
            actor="cli",
        )
    click.echo(f"Đã thêm cán bộ '{account.username}' ({account.full_name}).")


STAFF_ROLE_LABELS = {"clerk": "cán bộ", "supervisor": "lãnh đạo", "admin": "quản trị"}


@staff.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def staff_list(ctx: click.Context, as_json: bool) -> None:
    """Liệt kê tài khoản cán bộ (không bao giờ in mật khẩu/PIN)."""
    from kiosk.hub.auth import list_staff

    with _office(ctx) as office:
        rows = list_staff(office.store)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("Chưa có tài khoản cán bộ nào. Thêm bằng: kiosk staff add TÊN --name '…'")
    for row in rows:
        if not row["active"]:
            state = "đã nghỉ"
        elif row["locked"]:
            state = f"bị khóa đến {str(row['locked_until'])[11:16]}"
        else:
            state = "đang làm việc"
        role = STAFF_ROLE_LABELS.get(row["role"], row["role"])
        click.echo(f"{row['username']:<16} {role:<9} {state:<22} {row['full_name']}")


@staff.command("set")
@click.argument("username")
@click.option("--name", "full_name", default=None, help="Họ và tên mới.")
@click.option("--role", type=click.Choice(["clerk", "supervisor", "admin"]), default=None)
@click.option(
    "--active/--left",
    "active",
    default=None,
    help="Đang làm việc trở lại / đã nghỉ (mọi phiên đăng nhập của người đó kết thúc).",
)
@click.option(
    "--reset-secret",
    is_flag=True,
    help="Đặt mật khẩu/PIN mới (hỏi hai lần); mọi phiên đăng nhập của người đó kết thúc.",
)
@click.option("--unlock", is_flag=True, help="Mở khóa tài khoản bị khóa vì nhập sai nhiều lần.")
@click.pass_context
def staff_set(
    ctx: click.Context,
    username: str,
    full_name: str | None,
    role: str | None,
    active: bool | None,
    reset_secret: bool,
    unlock: bool,
) -> None:
    """Sửa tài khoản cán bộ trên máy chủ văn phòng: tên, vai trò, nghỉ/làm lại, đặt lại
    mật khẩu/PIN, mở khóa. Dùng cả khi quản trị viên duy nhất quên PIN. Các quy tắc như màn
    hình quản trị: không cho nghỉ hay bỏ quyền tài khoản quản trị cuối cùng."""
    from kiosk.domain.errors import ValidationError
    from kiosk.hub.auth import list_staff, update_staff

    if full_name is None and role is None and active is None and not reset_secret and not unlock:
        raise ValidationError(
            "Chưa có thay đổi nào. Dùng --name, --role, --active/--left, --reset-secret "
            "hoặc --unlock (xem: kiosk staff set --help)."
        )
    login = username.strip().lower()
    with _office(ctx) as office:
        found = [row for row in list_staff(office.store) if row["username"] == login]
        if not found:
            raise ValidationError(
                f"Không có tài khoản cán bộ '{username}'. Xem danh sách: kiosk staff list"
            )
        secret = None
        if reset_secret:  # asked once the account is known to exist
            secret = click.prompt(
                f"Mật khẩu hoặc mã PIN mới cho '{login}'", hide_input=True, confirmation_prompt=True
            )
        answer = update_staff(
            office.store,
            int(found[0]["id"]),
            full_name=full_name,
            role=role,
            active=active,
            secret=secret,
            unlock=unlock,
            actor="cli",
        )
    click.echo(f"Đã cập nhật tài khoản '{login}'.")
    ended = int(answer.get("sessions_ended", 0) or 0)
    if ended:
        click.echo(f"Đã kết thúc {ended} phiên đăng nhập: người đó cần đăng nhập lại.")


# --- settings ------------------------------------------------------------------------------


@cli.group(cls=KioskGroup)
def settings() -> None:
    """Cài đặt của văn phòng."""


@settings.command("check")
@click.pass_context
def settings_check(ctx: click.Context) -> None:
    """Kiểm tra tệp cài đặt và in đường dẫn."""
    from kiosk.config import load_settings

    path = _paths(ctx).settings_file
    loaded = load_settings(path)
    where = path if path.exists() else f"{path} (chưa có tệp: dùng mặc định)"
    click.echo(f"Cài đặt hợp lệ: {where}")
    click.echo(f"Văn phòng: {loaded.office_name} — mã định danh {loaded.unit_code}")


# --- screens -------------------------------------------------------------------------------


def admin_token(paths: Paths, given: str) -> str:
    """The admin screen's token: the one given, else on the hub's own PC the token the hub
    wrote at its first start (the admin staff login still guards every admin action)."""
    if given:
        return given
    from kiosk.hub.server import ADMIN_TOKEN_FILE

    written = paths.data_dir / ADMIN_TOKEN_FILE
    try:
        return written.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@cli.command("run")
@click.argument("role", type=click.Choice(["kiosk", "counter", "display", "rating", "admin"]))
@click.option(
    "--hub", "hub_url", default=None, help="Địa chỉ máy chủ văn phòng (mặc định: cài đặt)."
)
@click.option(
    "--token",
    envvar="KIOSK_DEVICE_TOKEN",
    default="",
    help="Mã truy cập của thiết bị (hoặc biến KIOSK_DEVICE_TOKEN).",
)
@click.option(
    "--printer",
    default="",
    help="Máy in đặt riêng trên máy này, ưu tiên hơn máy in đặt ở màn hình quản trị (tab Máy in): "
    "máy in số thứ tự của máy lấy số (vd tcp://192.168.1.50:9100) hoặc máy in biểu mẫu của máy "
    "quầy (pdf:THƯ_MỤC, os:Tên máy in). Bỏ trống để dùng máy in đặt ở máy chủ.",
)
@click.option(
    "--counter", type=click.IntRange(min=1), default=None, help="Số quầy (màn hình đánh giá)."
)
@click.option("--idle", "idle_seconds", type=click.IntRange(5, 600), default=30, show_default=True)
@click.option(
    "--exit-pin",
    envvar="KIOSK_EXIT_PIN",
    default="",
    help="PIN để cán bộ đóng màn hình (chạm 5 lần vào tên cơ quan).",
)
@click.option("--windowed", is_flag=True, help="Chạy trong cửa sổ thay vì toàn màn hình.")
@click.pass_context
def run_screen(
    ctx: click.Context,
    role: str,
    hub_url: str | None,
    token: str,
    printer: str,
    counter: int | None,
    idle_seconds: int,
    exit_pin: str,
    windowed: bool,
) -> None:
    """Mở một màn hình: máy lấy số, máy quầy, bảng hiển thị, đánh giá hoặc quản trị.

    Màn hình quản trị trên máy chủ văn phòng tự đọc mã quản trị từ admin-token.txt trong thư
    mục dữ liệu khi không có --token."""
    from kiosk.config import load_settings
    from kiosk.ui.run import RunOptions, run_role

    paths = _paths(ctx)
    settings = load_settings(paths.settings_file)
    if role == "admin":
        token = admin_token(paths, token)
    options = RunOptions(
        role=role,
        hub_url=hub_url or settings.hub_url,
        token=token,
        printer=printer,
        counter=counter,
        idle_seconds=idle_seconds,
        exit_pin=exit_pin,
        windowed=windowed,
        clock=_clock(ctx),
    )
    ctx.exit(run_role(options, settings))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def screenshots(folder: Path) -> None:
    """Chụp mọi màn hình ở mọi trạng thái ra tệp PNG (không cần máy chủ)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.ui.screenshots import render_all

    written = render_all(folder)
    click.echo(f"Đã lưu {len(written)} ảnh màn hình vào {folder}")


# --- sync with the district server ------------------------------------------------------------


@cli.group(cls=KioskGroup)
def sync() -> None:
    """Đồng bộ với máy chủ huyện: trạng thái, đồng bộ ngay, khóa đồng bộ."""


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def sync_status_command(ctx: click.Context, as_json: bool) -> None:
    """Đã đồng bộ hay còn bao nhiêu sự kiện chưa gửi, lần thành công và lỗi gần nhất."""
    from kiosk.sync.status import sync_status

    with _office(ctx) as office:
        status = sync_status(office.store)
        url = office.settings.district_url
        site_id = office.store.site_id
    if as_json:
        _echo_json({"site_id": site_id, "district_url": url, **status.as_json()})
        return
    click.echo(f"Mã văn phòng (site id): {site_id}")
    click.echo(f"Máy chủ huyện: {url or '(chưa cài đặt)'}")
    click.echo(f"Trạng thái: {status.label}")
    click.echo(f"Đã xác nhận đến sự kiện số {status.acked} (sự kiện mới nhất: {status.last_seq})")
    if status.last_success_at:
        click.echo(f"Lần đồng bộ thành công gần nhất: {status.last_success_at}")
    if status.last_error:
        click.echo(f"Lỗi gần nhất ({status.last_error_at}): {status.last_error}")
    if status.alert:
        click.echo(f"Cảnh báo: {status.alert}", err=True)


@sync.command("now")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def sync_now_command(ctx: click.Context, as_json: bool) -> None:
    """Đồng bộ ngay: gửi mọi sự kiện chưa gửi, tải danh mục và lịch làm việc mới."""
    from kiosk.sync.status import sync_status
    from kiosk.sync.worker import sync_now

    with _office(ctx) as office:
        report = sync_now(office.store, office.paths, office.settings)
        status = sync_status(office.store)
    if as_json:
        _echo_json(
            {
                "pushed": report.pushed,
                "batches": report.batches,
                "acked": report.mark,
                "pulled": list(report.pulled),
                "status": status.as_json(),
            }
        )
        return
    click.echo(f"Đã gửi {report.pushed} sự kiện ({report.batches} lô); xác nhận đến {report.mark}.")
    if report.pulled:
        names = {"catalogue": "danh mục thủ tục", "calendar": "lịch làm việc"}
        click.echo("Đã cập nhật: " + ", ".join(names.get(p, p) for p in report.pulled))
    click.echo(f"Trạng thái: {status.label}")


@sync.command("secret")
@click.argument("secret")
@click.pass_context
def sync_secret_command(ctx: click.Context, secret: str) -> None:
    """Lưu khóa đồng bộ do máy chủ huyện cấp (tệp sync-secret.txt, chỉ người dùng này đọc được)."""
    from kiosk.sync.client import write_secret

    secret = secret.strip()
    if len(secret) < 16:
        raise click.BadParameter("khóa đồng bộ phải có ít nhất 16 ký tự", param_hint="SECRET")
    target = write_secret(_paths(ctx).data_dir, secret)
    click.echo(f"Đã lưu khóa đồng bộ vào {target}")


from kiosk.district.cli import district  # noqa: E402

cli.add_command(district)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="kiosk")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
