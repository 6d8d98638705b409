"""The display board as `kiosk run display` builds it speaks the office's calls: audio from the
hub (or this PC's clips when the hub is down), the admin's voice switch followed live, and the
system voice where one exists."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTimer
from pytestqt.qtbot import QtBot
from serverproc import free_port
from ui_support import Screens

from kiosk.config import Settings
from kiosk.hub.client import HubClient, HubError
from kiosk.ui import office_voice, theme, voice_player
from kiosk.ui.display.screen import DisplayWindow
from kiosk.ui.office_voice import OfficeVoice, SystemVoice, TextSpeaker, hub_clips, system_voice
from kiosk.ui.run import RunOptions, build_window
from kiosk.ui.voice_player import Pcm, Sound, Utterance
from kiosk.voice.calls import CallVoice

WAIT = 15_000


class Ear:
    """A speaker that keeps what it was given and ends each sound at once."""

    def __init__(self) -> None:
        self.heard: list[Sound] = []

    def play(self, pcm: Sound, done: Callable[[], None]) -> None:
        self.heard.append(pcm)
        QTimer.singleShot(1, done)

    def stop(self) -> None:
        pass


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_player, "BETWEEN_CALLS_MS", 5)


@pytest.fixture
def ears(monkeypatch: pytest.MonkeyPatch) -> list[Ear]:
    made: list[Ear] = []

    def make() -> Ear:
        made.append(Ear())
        return made[-1]

    monkeypatch.setattr(office_voice, "QtSpeaker", make)
    return made


def test_the_board_of_kiosk_run_display_speaks_the_hubs_audio_and_follows_the_voice_switch(
    qtbot: QtBot, screens: Screens, ears: list[Ear], tmp_path: Path
) -> None:
    theme.application()
    options = RunOptions(
        role="display",
        hub_url=screens.hub.url,
        token=screens.tokens["display"],
        clock=screens.hub.clock,
        voice_dir=tmp_path / "voice",
    )
    window, client = build_window(options, Settings(office_name="Tệp cũ của máy này"))
    assert isinstance(window, DisplayWindow) and isinstance(window.voice, OfficeVoice)
    voice = window.voice
    spoken: list[tuple[str, int, int]] = []
    voice.speaking.connect(lambda n, c, r: spoken.append((n, c, r)))
    shown: list[str] = []
    window.announced.connect(lambda n, c, r: shown.append(n))
    admin = screens.hub.client()
    try:
        qtbot.waitUntil(lambda: window.online, timeout=WAIT)
        with screens.client("kiosk") as kiosk:
            for _ in range(3):
                kiosk.issue("A")
        screens.counter.call_next(1)
        qtbot.waitUntil(lambda: spoken == [("A001", 1, 0)], timeout=WAIT)
        # The hub's own rendering of the call, in the office's style and clips.
        hub_wav = client.call_audio("A001", 1)
        assert ears[-1].heard == [Pcm.from_wav(hub_wav)]

        admin.update_office({"voice": {"enabled": False}})
        qtbot.waitUntil(lambda: not voice.enabled, timeout=WAIT)
        screens.counter.no_show(1)
        screens.counter.call_next(1)
        qtbot.waitUntil(lambda: "A002" in shown, timeout=WAIT)
        qtbot.wait(300)
        assert spoken == [("A001", 1, 0)]  # shown on the board, not spoken

        admin.update_office({"voice": {"enabled": True, "repeat": 2}})
        qtbot.waitUntil(lambda: voice.enabled, timeout=WAIT)
        screens.counter.no_show(1)
        screens.counter.call_next(1)
        qtbot.waitUntil(lambda: len(spoken) == 2, timeout=WAIT)
        assert spoken[1] == ("A003", 1, 0)
        twice = Pcm.from_wav(client.call_audio("A003", 1))
        assert ears[-1].heard[-1] == twice
        once = Pcm.from_wav(CallVoice().render("A003", 1).wav_bytes())
        assert twice.milliseconds > 1.8 * once.milliseconds  # said twice: [voice] repeat = 2
    finally:
        window.shutdown()
        window.close()
        client.close()
        admin.close()


def test_a_board_whose_hub_is_down_speaks_from_this_pcs_clips(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = HubClient(f"http://127.0.0.1:{free_port()}", "token")
    local = CallVoice()
    render = hub_clips(down, local)
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.office_voice"):
        first = render("B105", 12, 0)
        second = render("A023", 3, 1)
    assert first == local.render("B105", 12).wav_bytes()
    assert second == local.render("A023", 3, recall=1).wav_bytes()
    warnings = [r for r in caplog.records if "rendered on this PC" in r.getMessage()]
    assert len(warnings) == 1  # said once, not on every call
    down.close()


def test_a_call_the_hub_refuses_is_not_rendered_locally(screens: Screens) -> None:
    client = screens.client("display")
    render = hub_clips(client, CallVoice())
    with pytest.raises(HubError) as refused:
        render("Nguyễn", 3, 0)
    assert refused.value.status == 422 and "số" in refused.value.message.lower()
    client.close()


# Debian's speechd plug-in is listed but cannot load without libspeechd: Qt says so, critically.
@pytest.mark.qt_log_ignore("text-to-speech plug-in")
def test_the_system_voice_says_when_this_pc_has_no_vietnamese_voice() -> None:
    theme.application()
    found = system_voice(engines=("mock", "speechd", "no-such-engine"))
    assert not found.available
    assert "tiếng Việt" in found.message and "Microsoft An" in found.message
    assert "mock" in found.message
    english = system_voice(QLocale.Language.English, engines=("no-such-engine", "mock"))
    assert english.available and english.engine == "mock" and english.voice


def test_the_system_voice_engine_reads_each_call_as_text_in_order(
    qtbot: QtBot, ears: list[Ear]
) -> None:
    theme.application()
    # Qt's "mock" engine speaks English only: it stands in for "Microsoft An" on Windows.
    english = system_voice(QLocale.Language.English, engines=("mock",))
    board = OfficeVoice(
        HubClient(f"http://127.0.0.1:{free_port()}", "token"),
        Settings(),
        None,
        {"enabled": True, "engine": "system", "reading": "number", "chime": True},
        find_system_voice=lambda: english,
    )
    assert isinstance(board._speaker, TextSpeaker) and ears == []
    spoken: list[str] = []
    board.speaking.connect(lambda n, c, r: spoken.append(n))
    with qtbot.waitSignal(board.quiet, timeout=WAIT):
        board.announce("A105", 3)
        board.announce("B007", 12, 1)
    assert spoken == ["A105", "B007"]
    board.stop()


def test_the_system_engine_without_a_vietnamese_voice_speaks_with_the_clips(
    ears: list[Ear], caplog: pytest.LogCaptureFixture
) -> None:
    theme.application()
    missing = SystemVoice(message="Máy này không có giọng đọc tiếng Việt của hệ thống")
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.office_voice"):
        board = OfficeVoice(
            HubClient(f"http://127.0.0.1:{free_port()}", "token"),
            Settings(),
            None,
            {"enabled": True, "engine": "system"},
            find_system_voice=lambda: missing,
        )
    assert board._speaker is ears[-1]
    assert "không có giọng đọc tiếng Việt" in caplog.text
    board.stop()


def test_a_text_speaker_ends_each_utterance_once(qtbot: QtBot) -> None:
    theme.application()
    speaker = TextSpeaker(system_voice(QLocale.Language.English, engines=("mock",)))
    ended: list[int] = []
    with qtbot.waitSignal(speaker._speech.stateChanged, timeout=WAIT):
        speaker.play(Utterance("Counter three"), lambda: ended.append(1))
    qtbot.waitUntil(lambda: ended == [1], timeout=WAIT)
    qtbot.wait(200)
    assert ended == [1]
    speaker.stop()
