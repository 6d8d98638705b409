"""`kiosk voice say` and `kiosk voice check`, as an IT officer runs them."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.config import Settings, load_settings, save_settings
from kiosk.domain.voice import NumberReading
from kiosk.voice.audio import RATE
from kiosk.voice.calls import CallVoice


def run(office: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(office), *args])
    return result.exit_code, result.output


def test_say_writes_the_call_in_the_office_style(tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    save_settings(Settings(voice_reading=NumberReading.NUMBER), office / "settings.toml")
    out = tmp_path / "call.wav"
    code, output = run(
        office, "voice", "say", "--number", "B105", "--counter", "3", "--out", str(out)
    )
    assert code == 0, output
    assert "Mời công dân có số thứ tự bê một trăm linh năm đến quầy số ba" in output
    with wave.open(str(out), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        samples = array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
    style = load_settings(office / "settings.toml")
    assert samples == CallVoice.for_office(style).render("B105", 3).samples


def test_say_refuses_a_name_and_check_reports_the_office_recordings(tmp_path: Path) -> None:
    office = tmp_path / "office"
    code, output = run(office, "voice", "say", "--number", "Nguyễn Văn A", "--counter", "3")
    assert code == 1 and "Số thứ tự không đọc được" in output
    code, output = run(office, "voice", "check")
    assert code == 0, output
    assert "0 của văn phòng" in output and "0 lỗi" in output
    voice_dir = office / "voice"
    voice_dir.mkdir(parents=True)
    with wave.open(str(voice_dir / "den-quay-so.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(array("h", [1000, -1000] * 2000).tobytes())
    (voice_dir / "so-3.wav").write_bytes(b"RIFF broken")
    code, output = run(office, "voice", "check")
    assert code == 0, output
    assert "1 của văn phòng" in output
    assert "CHÚ Ý so-3.wav" in output and "không đọc được" in output
