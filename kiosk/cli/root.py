"""The root of the `kiosk` command: the `cli` group, its global options (`--data-dir`,
`--clock-start`) and the helpers every command family shares.

Errors a user can cause (`KioskError`) end as one clear Vietnamese line on stderr, a log line,
and exit status 1; never a traceback.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kiosk import __version__
from kiosk.clock import CLOCK_START_ENV, Clock, office_clock, parse_moment, system_clock
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


def paths_of(ctx: click.Context) -> Paths:
    """The office folders of this run (`--data-dir`)."""
    paths: Paths = ctx.obj["paths"]
    return paths


def clock_of(ctx: click.Context) -> Clock:
    """This run's clock: the system's, or one started at `--clock-start`."""
    clock: Clock = ctx.obj["clock"]
    return clock


def open_office(ctx: click.Context, *, create: bool = False) -> Office:
    """The office of `--data-dir`, on this run's clock."""
    from kiosk.office import Office

    return Office.open(paths_of(ctx), clock=clock_of(ctx), create=create)


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


def echo_json(data: object) -> None:
    """Print `data` as indented JSON, Vietnamese letters kept as they are."""
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
