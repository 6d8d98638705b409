"""The admin's "Giọng đọc" tab on the real hub: the voice settings saved, a word recorded,
trimmed, normalised, saved to the office's set and said by the next call; the real microphone
recorded through a private PulseAudio."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.domain.errors import KioskError
from kiosk.paths import resolve_paths
from kiosk.ui import theme
from kiosk.ui.admin.window import AdminWindow
from kiosk.ui.voice_player import Pcm, Sound
from kiosk.voice.audio import RATE, ClipSet, measure, read_clip
from kiosk.voice.calls import CallVoice
from kiosk.voice.words import ALL_CLIPS

HERE = Path(__file__).resolve().parent
WAIT = 15_000


def word(rate: int = 48_000, channels: int = 2, seconds: float = 0.5) -> array[int]:
    """Half a second of room hiss, a 'word', a second of hiss: what a microphone gives."""
    out = array("h")
    for i in range(round((seconds + 1.5) * rate)):
        t = i / rate
        value = 15 * math.sin(2 * math.pi * 2900 * t)
        if 0.5 <= t < 0.5 + seconds:
            value += (
                2500 * math.sin(2 * math.pi * 180 * t) * math.sin(math.pi * (t - 0.5) / seconds)
            )
        out.extend([round(value)] * channels)
    return out


class ScriptedMicrophone:
    """Hands back a given take (the real QtMicrophone is tested below, through PulseAudio)."""

    def __init__(self, take: array[int], rate: int = 48_000, channels: int = 2) -> None:
        self.take, self.rate, self.channels = take, rate, channels
        self.listening = False

    def start(self) -> None:
        if not self.take and self.rate == 0:
            raise KioskError("Máy này không có micro (hoặc micro chưa được bật trong Windows).")
        self.listening = True

    def stop(self) -> tuple[array[int], int, int]:
        self.listening = False
        return self.take, self.rate, self.channels


class Ear:
    def __init__(self) -> None:
        self.heard: list[Sound] = []

    def play(self, pcm: Sound, done: Callable[[], None]) -> None:
        self.heard.append(pcm)

    def stop(self) -> None:
        pass


@pytest.fixture
def admin(qtbot: QtBot, screens: Screens) -> Iterator[AdminWindow]:
    theme.application()
    client = screens.hub.client()
    window = AdminWindow(
        client, office_name="UBND xã Thử Nghiệm", year=2026, voice_check=lambda: "kiểm tra"
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.is_logged_in, timeout=WAIT)
    window.voice.speaker = Ear()
    window.show_tab(window.page_list.index(window.voice))
    qtbot.waitUntil(lambda: len(window.voice.clips) == len(ALL_CLIPS), timeout=WAIT)
    yield window
    window.shutdown()
    client.close()


def settle(qtbot: QtBot, window: AdminWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT)


def test_a_word_recorded_on_the_page_is_said_by_the_next_call_and_can_be_undone(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    page = admin.voice
    assert page.system_note.text() == "kiểm tra"
    assert not page.record_button.isEnabled()  # nothing chosen yet
    page.select("so-5")
    assert page.say_text.text() == "năm" and page.record_button.isEnabled()
    page.microphone = ScriptedMicrophone(word())
    page.toggle_recording()
    assert page.recording and page.record_button.text() == "■ Dừng ghi"
    assert not page.keep_button.isEnabled()
    page.toggle_recording()
    assert page.take is not None
    take = measure(page.take)
    assert 0.4 < take.duration < 0.56  # trimmed to the word (its quiet edges go too)
    assert take.rms_dbfs == pytest.approx(-20, abs=1.0) and take.peak_dbfs <= -1.0 + 1e-6
    page.play_take()
    assert page.speaker.heard[-1].milliseconds == round(page.take.duration * 1000)
    saved = page.take
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.keep_button.click()
    assert shown.args == ["Đã lưu bản ghi so-5.wav của văn phòng.", "ok"]
    settle(qtbot, admin)
    own = resolve_paths(screens.hub.data_dir).voice_dir / "so-5.wav"
    assert read_clip(own).samples == saved.samples
    row = [c["key"] for c in page.clips].index("so-5")
    assert page.table.item(row, 2).text() == "Bản ghi của văn phòng"
    with screens.client("display") as board:
        call = board.call_audio("A005", 1)
    assert saved.samples.tobytes() in call  # the board says the office's "năm"

    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.default_button.click()
    assert shown.args[1] == "ok" and "mặc định" in shown.args[0]
    settle(qtbot, admin)
    assert not own.exists()
    assert page.table.item(row, 2).text() == "Bản mặc định"
    with screens.client("display") as board:
        assert board.call_audio("A005", 1) == CallVoice().render("A005", 1).wav_bytes()


def test_a_silent_take_or_no_microphone_is_said_and_nothing_is_saved(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    page = admin.voice
    page.select("den-quay-so")
    page.microphone = ScriptedMicrophone(array("h", bytes(2 * RATE)), RATE, 1)
    page.toggle_recording()
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.toggle_recording()
    assert shown.args[1] == "warn" and "Micro không thu được tiếng" in shown.args[0]
    assert page.take is None and not page.keep_button.isEnabled()
    page.microphone = ScriptedMicrophone(array("h"), 0, 1)
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.toggle_recording()
    assert shown.args[1] == "error" and "không có micro" in shown.args[0]
    assert not page.recording and page.record_button.text() == "● Ghi âm"
    assert not resolve_paths(screens.hub.data_dir).voice_dir.exists()


def test_the_voice_settings_are_saved_for_every_board(
    qtbot: QtBot, admin: AdminWindow, screens: Screens
) -> None:
    page = admin.voice
    assert page.enabled.isChecked() and page.engine.currentData() == "clips"
    page.enabled.setChecked(False)
    page.reading.setCurrentIndex(page.reading.findData("number"))
    page.repeat.setCurrentIndex(page.repeat.findData("2"))
    with qtbot.waitSignal(admin.message_shown, timeout=WAIT) as shown:
        page.save_button.click()
    assert shown.args == ["Đã lưu cách gọi số: các bảng hiển thị dùng ngay.", "ok"]
    with screens.client("display") as board:
        voice = board.office()["voice"]
    assert (voice["enabled"], voice["reading"], voice["repeat"]) == (False, "number", 2)
    page.try_button.click()  # the sample call as the hub renders it now: said twice
    settle(qtbot, admin)
    with screens.client("display") as board:
        expected = Pcm.from_wav(board.call_audio("A023", 3))
    assert page.speaker.heard[-1] == expected
    once = Pcm.from_wav(CallVoice().render("A023", 3).wav_bytes())
    assert expected.milliseconds > 1.8 * once.milliseconds


def test_the_real_microphone_records_a_word_played_into_the_sound_server(
    pulse: dict[str, str], tmp_path: Path
) -> None:
    # Qt lists no monitor source as a microphone: a remapped source of the sink's monitor is one.
    subprocess.run(
        ["pactl", "load-module", "module-remap-source", "master=board.monitor", "source_name=mic"],
        env=pulse,
        check=True,
        capture_output=True,
    )
    subprocess.run(["pactl", "set-default-source", "mic"], env=pulse, check=True)
    phrase = ClipSet().clip("moi-cong-dan")
    spoken = tmp_path / "word.wav"
    spoken.write_bytes(phrase.wav_bytes())
    out = tmp_path / "take.wav"
    env = {**pulse, "QT_LOGGING_RULES": "qt.multimedia.*=false"}
    with subprocess.Popen(
        [sys.executable, str(HERE / "record_clip.py"), "4", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as recorder:
        assert recorder.stdout is not None
        started = json.loads(recorder.stdout.readline())
        assert started == {"recording": True}
        time.sleep(0.5)
        subprocess.run(["paplay", "-d", "board", str(spoken)], env=pulse, check=True, timeout=30)
        rest, errors = recorder.communicate(timeout=30)
    assert recorder.returncode == 0, errors
    report = json.loads(rest.splitlines()[0])
    assert "error" not in report, report
    stats = measure(read_clip(out))
    played = measure(phrase)
    # The whole phrase was heard (trimmed to its sound), at the set's loudness, unclipped.
    assert stats.duration == pytest.approx(played.duration, abs=0.15)
    assert stats.rms_dbfs == pytest.approx(-20, abs=1.5)
    assert stats.clipped_samples == 0
