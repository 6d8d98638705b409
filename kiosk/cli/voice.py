"""`kiosk voice say` and `kiosk voice check`: hear (or save) a call, and check the clip set."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.root import cli, paths_of
from kiosk.config import load_settings
from kiosk.domain.errors import KioskError


@cli.group()
def voice() -> None:
    """Giọng đọc lời mời: nghe thử, ghi ra tệp, kiểm tra bộ âm thanh."""


@voice.command("say")
@click.option("--number", required=True, help="Số thứ tự, ví dụ A023.")
@click.option("--counter", type=click.IntRange(1, 999), required=True, help="Số quầy.")
@click.option(
    "--recall", type=click.IntRange(0, 99), default=0, show_default=True, help="Lần gọi lại."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ghi lời mời ra tệp WAV thay vì phát ra loa.",
)
@click.pass_context
def say_command(
    ctx: click.Context, number: str, counter: int, recall: int, out: Path | None
) -> None:
    """Đọc một lời mời theo cài đặt [voice] của văn phòng (số và quầy, không có tên người)."""
    from kiosk.voice.calls import CallVoice

    paths = paths_of(ctx)
    voice_of_office = CallVoice.for_office(load_settings(paths.settings_file), paths.voice_dir)
    click.echo(voice_of_office.text(number, counter, recall=recall))
    audio = voice_of_office.render(number, counter, recall=recall)
    if out is not None:
        try:
            out.write_bytes(audio.wav_bytes())
        except OSError as exc:
            raise KioskError(f"Không ghi được tệp {out}: {exc.strerror}.") from None
        click.echo(f"Đã ghi {out} ({audio.duration:.1f} giây).")
        return
    from kiosk.ui.voice_player import speak_now

    if not speak_now(audio.wav_bytes()):
        raise KioskError(
            "Máy này không có thiết bị phát âm thanh: dùng --out TỆP.wav để ghi lời mời ra tệp."
        )


@voice.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Kiểm tra bộ âm thanh: tệp nào của văn phòng, tệp nào có sẵn, tệp nào thiếu hoặc hỏng."""
    from kiosk.voice.audio import ClipError, default_clips_dir, read_clip
    from kiosk.voice.words import ALL_CLIPS

    own, shipped = paths_of(ctx).voice_dir, default_clips_dir()
    used = {"office": 0, "shipped": 0}
    problems = 0
    for key in ALL_CLIPS:
        name = f"{key}.wav"
        if (own / name).is_file():
            try:
                read_clip(own / name)
                used["office"] += 1
                continue
            except ClipError as exc:
                click.echo(f"CHÚ Ý {name}: {exc.message} Dùng tệp có sẵn thay thế.")
        try:
            read_clip(shipped / name)
            used["shipped"] += 1
        except ClipError as exc:
            problems += 1
            click.echo(f"LỖI  {name}: {exc.message}")
    click.echo(
        f"{len(ALL_CLIPS)} tệp: {used['office']} của văn phòng ({own}), "
        f"{used['shipped']} có sẵn ({shipped}), {problems} lỗi."
    )
    if problems:
        raise SystemExit(1)
