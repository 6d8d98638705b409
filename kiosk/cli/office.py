"""`kiosk init`, `kiosk demo`, `kiosk settings`, `kiosk backup` and `kiosk restore`: the office's
folder, its demo, its settings file and its database copies."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk.cli.root import KioskGroup, cli, clock_of, echo_json, open_office, paths_of

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

    report = init_office(
        paths_of(ctx), demo=demo, dossiers=dossiers, seed=seed, clock=clock_of(ctx)
    )
    if as_json:
        echo_json(report.as_dict())
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

    paths = paths_of(ctx)
    report = init_office(paths, demo=True, dossiers=None, seed=2026, clock=clock_of(ctx))
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

    run_demo(paths, seconds=seconds, clock=clock_of(ctx))


# --- backup and restore --------------------------------------------------------------------


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """Sao lưu cơ sở dữ liệu khi đang chạy, rồi kiểm tra bản sao."""
    from kiosk.store.backup import backup_to

    with open_office(ctx) as office:
        backup_to(office.store, file)
    click.echo(f"Đã sao lưu và kiểm tra: {file}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Khôi phục cơ sở dữ liệu từ bản sao lưu (kiểm tra trước, thay thế nguyên vẹn)."""
    from kiosk.store.backup import restore_from

    target = paths_of(ctx).database
    restore_from(file, target)
    click.echo(f"Đã khôi phục {target} từ {file}")


# --- settings ------------------------------------------------------------------------------


@cli.group(cls=KioskGroup)
def settings() -> None:
    """Cài đặt của văn phòng."""


@settings.command("check")
@click.pass_context
def settings_check(ctx: click.Context) -> None:
    """Kiểm tra tệp cài đặt và in đường dẫn."""
    from kiosk.config import load_settings

    path = paths_of(ctx).settings_file
    loaded = load_settings(path)
    where = path if path.exists() else f"{path} (chưa có tệp: dùng mặc định)"
    click.echo(f"Cài đặt hợp lệ: {where}")
    click.echo(f"Văn phòng: {loaded.office_name} — mã định danh {loaded.unit_code}")
