"""The board's voice: calls spoken in arrival order, one at a time, none dropped; and the sound
that really comes out of the audio output, recorded from a PulseAudio null sink."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from ui_support import Screens

from kiosk.ui import theme, voice_player
from kiosk.ui.display.screen import DisplayWindow
from kiosk.ui.events import EventStream
from kiosk.ui.voice_player import CallAnnouncer, Pcm
from kiosk.voice.audio import RATE, Audio, dbfs, measure
from kiosk.voice.calls import CallVoice

HERE = Path(__file__).resolve().parent
VOICE = CallVoice()


def render(number: str, counter: int, recall: int) -> bytes:
    return VOICE.render(number, counter, recall=recall).wav_bytes()


class TimedSpeaker:
    """Plays nothing, but takes the call's time (scaled down) and refuses to overlap."""

    def __init__(self, scale: float = 0.01) -> None:
        self.scale = scale
        self.heard: list[int] = []
        self.busy = False
        self.overlaps = 0

    def play(self, pcm: Pcm, done: Callable[[], None]) -> None:
        if self.busy:
            self.overlaps += 1
        self.busy = True
        self.heard.append(pcm.milliseconds)

        def end() -> None:
            self.busy = False
            done()

        QTimer.singleShot(max(1, round(pcm.milliseconds * self.scale)), end)

    def stop(self) -> None:
        self.busy = False


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_player, "BETWEEN_CALLS_MS", 5)


def test_a_burst_of_ten_calls_is_spoken_in_order_one_at_a_time(qtbot: QtBot) -> None:
    speaker = TimedSpeaker()
    announcer = CallAnnouncer(render, speaker)
    spoken: list[tuple[str, int, int]] = []
    announcer.speaking.connect(lambda n, c, r: spoken.append((n, c, r)))
    calls = [(f"A{n:03d}", n % 4 + 1, 0) for n in range(1, 10)] + [("A003", 4, 1)]
    with qtbot.waitSignal(announcer.quiet, timeout=20_000):
        for number, counter, recall in calls:
            announcer.announce(number, counter, recall)
    assert spoken == calls
    assert speaker.overlaps == 0
    expected = [Pcm.from_wav(render(*call)).milliseconds for call in calls]
    assert speaker.heard == expected
    assert speaker.heard[-1] > speaker.heard[2]  # the recall says "Mời lần thứ hai"
    announcer.stop()


def test_a_call_whose_audio_fails_is_skipped_and_the_next_ones_are_spoken(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def flaky(number: str, counter: int, recall: int) -> bytes:
        if number == "A002":
            time.sleep(0.05)
            return b"not a wav"
        return render(number, counter, recall)

    announcer = CallAnnouncer(flaky, TimedSpeaker())
    spoken: list[str] = []
    announcer.speaking.connect(lambda n, c, r: spoken.append(n))
    with caplog.at_level(logging.WARNING), qtbot.waitSignal(announcer.quiet, timeout=10_000):
        for number in ("A001", "A002", "A003"):
            announcer.announce(number, 1)
    assert spoken == ["A001", "A003"]
    assert "A002" in caplog.text and "không đọc được" in caplog.text
    announcer.stop()


def test_calls_arriving_while_one_plays_wait_for_it(qtbot: QtBot) -> None:
    speaker = TimedSpeaker(scale=0.05)
    announcer = CallAnnouncer(render, speaker)
    spoken: list[str] = []
    announcer.speaking.connect(lambda n, c, r: spoken.append(n))
    announcer.announce("B105", 2)
    qtbot.waitUntil(lambda: spoken == ["B105"], timeout=5_000)
    announcer.announce("C999", 3)  # arrives mid-call
    assert announcer.pending == 2
    with qtbot.waitSignal(announcer.quiet, timeout=10_000):
        pass
    assert spoken == ["B105", "C999"] and speaker.overlaps == 0
    announcer.stop()


def test_the_board_speaks_a_burst_of_ten_calls_from_the_hub_in_order_with_the_recall(
    qtbot: QtBot, screens: Screens
) -> None:
    theme.application()
    admin = screens.hub.client()
    counters = {1: screens.counter}
    for number in range(2, 6):
        admin.add_staff(f"nv{number}", f"Nhân viên {number}", f"24{number}8")
        client = screens.hub.client(
            admin.add_device(f"Máy quầy {number}", "counter", number)["token"]
        )
        client.login(f"nv{number}", f"24{number}8")
        counters[number] = client
    with screens.client("kiosk") as kiosk:
        for _ in range(10):
            kiosk.issue("A")
    speaker = TimedSpeaker()
    voice = CallAnnouncer(render, speaker)
    spoken: list[tuple[str, int, int]] = []
    voice.speaking.connect(lambda n, c, r: spoken.append((n, c, r)))
    display = screens.client("display")
    stream = EventStream(display.events_url)
    board = DisplayWindow(
        office_name="UBND xã Thử Nghiệm",
        notice="",
        stream=stream,
        now=screens.hub.clock,
        voice=voice,
    )
    with qtbot.waitSignal(stream.snapshot, timeout=10_000):
        stream.start()
    for number, client in counters.items():  # ten calls as fast as five counters can make them
        client.call_next(number)
    for number, client in counters.items():
        client.no_show(number)
        client.call_next(number)
    counters[1].recall(1)
    expected = [(f"A{n:03d}", n, 0) for n in range(1, 6)]
    expected += [(f"A{n:03d}", n - 5, 0) for n in range(6, 11)] + [("A006", 1, 1)]
    qtbot.waitUntil(lambda: len(spoken) == len(expected), timeout=30_000)
    assert spoken == expected
    assert speaker.overlaps == 0
    board.shutdown()
    board.close()
    for number, client in counters.items():
        if number != 1:
            client.close()
    display.close()
    admin.close()


# --- the real audio output ----------------------------------------------------------------------


def voiced_segments(samples: array[int], *, gap: float = 0.5) -> list[float]:
    """Durations of the stretches of sound separated by at least `gap` seconds of silence."""
    step = RATE // 100
    loud = []
    for start in range(0, len(samples), step):
        chunk = samples[start : start + step]
        level = (sum(s * s for s in chunk) / len(chunk)) ** 0.5
        loud.append(dbfs(level) > -45)
    segments: list[float] = []
    start = last = None
    for index, is_loud in enumerate(loud):
        if not is_loud:
            continue
        if start is None or last is None or (index - last) * step / RATE >= gap:
            if start is not None and last is not None:
                segments.append((last + 1 - start) * step / RATE)
            start = index
        last = index
    if start is not None and last is not None:
        segments.append((last + 1 - start) * step / RATE)
    return segments


def test_the_calls_come_out_of_the_audio_output_in_order(
    pulse: dict[str, str], tmp_path: Path
) -> None:
    calls = [("A001", 1, 0), ("B105", 12, 0), ("A001", 1, 1)]
    # Into a file, not a pipe: nobody reads a pipe while the calls play, and once its 64 KiB
    # (1.5 s of sound) are full a busy machine drops the rest of the recording.
    sound = tmp_path / "board.raw"
    with sound.open("wb") as into:
        recording = subprocess.Popen(
            ["parec", "-d", "board.monitor", "--format=s16le", "--channels=1", f"--rate={RATE}"],
            env=pulse,
            stdout=into,
        )
    time.sleep(0.3)
    env = {**pulse, "QT_LOGGING_RULES": "qt.multimedia.*=false"}
    player = subprocess.run(
        [sys.executable, str(HERE / "speak_calls.py"), *(f"{n}:{c}:{r}" for n, c, r in calls)],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    time.sleep(0.5)
    recording.terminate()
    recording.wait(timeout=10)
    raw = sound.read_bytes()
    assert player.returncode == 0, player.stderr
    assert player.stdout.split("\n")[:3] == [f"speaking {n} {c} {r}" for n, c, r in calls]
    heard = array("h")
    heard.frombytes(raw[: len(raw) // 2 * 2])
    expected = [VOICE.render(n, c, recall=r) for n, c, r in calls]
    segments = voiced_segments(heard)
    assert len(segments) == len(calls), segments
    for got, audio in zip(segments, expected, strict=True):
        assert got == pytest.approx(measure(audio).duration, abs=0.25)
    stats = measure(Audio(heard))
    assert stats.clipped_samples == 0
    assert stats.peak_dbfs == pytest.approx(max(measure(a).peak_dbfs for a in expected), abs=0.5)
