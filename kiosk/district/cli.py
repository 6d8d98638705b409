"""`kiosk district …`: run the district server and manage what it holds."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.paths import Paths

if TYPE_CHECKING:
    from kiosk.district.snapshots import Snapshot

ENV_DATABASE = "KIOSK_DISTRICT_DATABASE"
DEFAULT_FILE = "district.db"


def _database(ctx: click.Context, database: str | None) -> str:
    """`--database`, else KIOSK_DISTRICT_DATABASE, else district.db in the data folder."""
    if database:
        return database
    from_env = os.environ.get(ENV_DATABASE)
    if from_env:
        return from_env
    paths: Paths = ctx.obj["paths"]
    return str(paths.data_dir / DEFAULT_FILE)


database_option = click.option(
    "--database",
    default=None,
    metavar="PATH|URL",
    help="Tệp SQLite hoặc địa chỉ postgresql://… (mặc định: KIOSK_DISTRICT_DATABASE hoặc "
    "district.db trong thư mục dữ liệu).",
)


@click.group()
def district() -> None:
    """Máy chủ cấp huyện: nhận đồng bộ, công bố danh mục và lịch, thống kê."""


@district.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--port", type=click.IntRange(1, 65535), default=8780, show_default=True)
@database_option
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, database: str | None) -> None:
    """Chạy máy chủ cấp huyện (đồng bộ, danh mục, lịch, trang thống kê /)."""
    from kiosk.district.app import serve

    target = _database(ctx, database)
    click.echo(f"Máy chủ cấp huyện: http://{host}:{port}  (trang thống kê: /)")
    serve(target, host=host, port=port)


@district.group("site")
def site() -> None:
    """Các đơn vị (văn phòng) được phép đồng bộ."""


@site.command("add")
@click.argument("site_id")
@click.option("--name", default="", help="Tên đơn vị, ví dụ 'UBND xã Tân Lập'.")
@click.option("--rotate", is_flag=True, help="Đơn vị đã có: cấp khóa bí mật mới thay khóa cũ.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@database_option
@click.pass_context
def site_add(
    ctx: click.Context, site_id: str, name: str, rotate: bool, as_json: bool, database: str | None
) -> None:
    """Đăng ký một đơn vị và in khóa bí mật của nó (chỉ hiện một lần)."""
    from kiosk.clock import system_clock
    from kiosk.district.sites import add_site
    from kiosk.district.storage import Database

    with Database.open(_database(ctx, database)) as db:
        secret = add_site(db, site_id, now=system_clock(), name=name, rotate=rotate)
    if as_json:
        click.echo(json.dumps({"site_id": site_id, "secret": secret}, ensure_ascii=False))
        return
    click.echo(f"Đã {'cấp khóa mới cho' if rotate else 'đăng ký'} đơn vị '{site_id}'.")
    click.echo(f"Khóa bí mật (chỉ hiện một lần, nhập vào cài đặt đồng bộ của đơn vị): {secret}")


@site.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@database_option
@click.pass_context
def site_list(ctx: click.Context, as_json: bool, database: str | None) -> None:
    """Liệt kê các đơn vị và số sự kiện đã nhận của mỗi đơn vị."""
    from kiosk.district.sites import list_sites
    from kiosk.district.storage import Database

    with Database.open(_database(ctx, database)) as db:
        sites = list_sites(db)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "site_id": s.site_id,
                        "name": s.name,
                        "acked": s.acked,
                        "last_push_at": s.last_push_at,
                        "revoked": s.revoked_at is not None,
                    }
                    for s in sites
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for s in sites:
        last = s.last_push_at or "chưa đồng bộ"
        click.echo(f"{s.site_id:<20} {s.acked:>10} sự kiện  {last:<26} {s.name}")


@district.group("catalogue")
def catalogue() -> None:
    """Danh mục thủ tục công bố cho các đơn vị."""


@catalogue.command("publish")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "csv", "json"]),
    default="auto",
    show_default=True,
)
@database_option
@click.pass_context
def catalogue_publish(ctx: click.Context, file: Path, fmt: str, database: str | None) -> None:
    """Công bố danh mục thủ tục từ tệp CSV/JSON (phiên bản mới nếu nội dung thay đổi)."""
    from kiosk.clock import system_clock
    from kiosk.district import snapshots
    from kiosk.district.storage import Database

    content = snapshots.catalogue_content(snapshots.read_catalogue_file(file, fmt))
    with Database.open(_database(ctx, database)) as db:
        snap = snapshots.publish(db, "catalogue", content, now=system_clock(), by="cli")
    _report(snap, f"{len(content['procedures'])} thủ tục")


@district.group("calendar")
def calendar() -> None:
    """Lịch ngày nghỉ, nghỉ bù và làm bù công bố cho các đơn vị."""


@calendar.command("publish")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@database_option
@click.pass_context
def calendar_publish(ctx: click.Context, file: Path, database: str | None) -> None:
    """Công bố lịch điều chỉnh từ tệp JSON [{day, kind, reason}, …]."""
    from kiosk.clock import system_clock
    from kiosk.district import snapshots
    from kiosk.district.storage import Database

    overrides = snapshots.read_calendar_file(file)
    with Database.open(_database(ctx, database)) as db:
        snap = snapshots.publish(db, "calendar", overrides, now=system_clock(), by="cli")
    _report(snap, f"{len(overrides)} ngày điều chỉnh")


def _report(snap: Snapshot, what: str) -> None:
    if snap.new:
        click.echo(f"Đã công bố phiên bản {snap.version} ({what}), ETag {snap.etag}.")
    else:
        click.echo(f"Nội dung không đổi: vẫn là phiên bản {snap.version} ({what}).")
