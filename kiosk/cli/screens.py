"""`kiosk run` and `kiosk screenshots`: one screen opened, or every screen rendered to PNG."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.root import cli, clock_of, paths_of
from kiosk.paths import Paths

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

    paths = paths_of(ctx)
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
        clock=clock_of(ctx),
        voice_dir=paths.voice_dir,
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
