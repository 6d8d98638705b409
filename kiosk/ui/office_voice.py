"""The office's voice on a display board: the engine its `[voice]` settings choose, and a board
that keeps speaking when the hub does not answer.

- Engine 1, `clips` (the default): the call's WAV from the hub (`GET /api/voice/call.wav`, the
  office's own recordings first, in its style). When the hub is unreachable or fails, the call
  is rendered here from this PC's clips (its data folder's `voice/`, then the shipped set).
- Engine 2, `system`: the system's Vietnamese voice through Qt TextToSpeech ("Microsoft An"
  through the winrt engine on Windows). Where this PC has none, the board says so in its log
  once and speaks with the clips; the admin screen shows the same check (`system_voice`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

from kiosk.config import Settings
from kiosk.domain.voice import NumberReading, Region, VoiceEngine, VoiceStyle
from kiosk.hub.client import HubClient, HubError, HubUnavailable
from kiosk.ui.voice_player import (
    WATCHDOG_SLACK_MS,
    CallAnnouncer,
    QtSpeaker,
    RenderCall,
    Sound,
    Speaker,
    Utterance,
)
from kiosk.voice.calls import CallVoice

log = logging.getLogger(__name__)

#: Qt TextToSpeech engines that can carry a Vietnamese voice, by platform, best first.
SYSTEM_ENGINES: dict[str, tuple[str, ...]] = {
    "win32": ("winrt", "sapi"),
    "darwin": ("darwin",),
    "linux": ("speechd", "flite"),
}


@dataclass(frozen=True)
class SystemVoice:
    """What this PC's system voice can do for a language: the engine and voice found, or why
    there is none (in Vietnamese, for the admin screen)."""

    engine: str = ""
    voice: str = ""
    message: str = ""

    @property
    def available(self) -> bool:
        return bool(self.engine)


def system_voice(
    language: QLocale.Language = QLocale.Language.Vietnamese,
    engines: Sequence[str] | None = None,
) -> SystemVoice:
    """The first installed Qt TextToSpeech engine with a voice in `language`."""
    wanted = engines if engines is not None else SYSTEM_ENGINES.get(sys.platform, ())
    installed = set(QTextToSpeech.availableEngines())
    for engine in wanted:
        if engine not in installed:
            continue
        speech = QTextToSpeech(engine)
        try:
            if speech.state() == QTextToSpeech.State.Error:
                continue
            voices = [v for v in speech.availableVoices() if v.locale().language() == language]
            if voices:
                return SystemVoice(engine, voices[0].name())
        finally:
            speech.deleteLater()
    name = QLocale.languageToString(language)
    return SystemVoice(
        message=(
            f"Máy này không có giọng đọc hệ thống cho tiếng {name} "
            f"(đã tìm: {', '.join(wanted) or 'không có bộ đọc nào'}); "
            "bảng hiển thị dùng bộ âm thanh ghi sẵn."
        )
        if language != QLocale.Language.Vietnamese
        else (
            "Máy này không có giọng đọc tiếng Việt của hệ thống "
            f"(đã tìm: {', '.join(wanted) or 'không có bộ đọc nào'}); "
            "bảng hiển thị dùng bộ âm thanh ghi sẵn. Trên Windows, cài giọng "
            "“Microsoft An” trong Cài đặt › Thời gian và ngôn ngữ › Giọng nói."
        )
    )


class TextSpeaker(QObject):
    """Reads calls aloud with a system voice (Qt TextToSpeech)."""

    def __init__(self, found: SystemVoice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speech = QTextToSpeech(found.engine, self)
        for voice in self._speech.availableVoices():
            if voice.name() == found.voice:
                self._use(voice)
                break
        self._done: Callable[[], None] | None = None
        self._started = False
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._end)
        self._speech.stateChanged.connect(self._state_changed)

    def _use(self, voice: QVoice) -> None:
        self._speech.setLocale(voice.locale())
        self._speech.setVoice(voice)

    def play(self, pcm: Sound, done: Callable[[], None]) -> None:
        self._done = done
        self._watchdog.start(pcm.milliseconds + WATCHDOG_SLACK_MS)
        if not isinstance(pcm, Utterance):
            log.warning("the system voice reads text, not recorded sound: call not spoken")
            self._watchdog.start(0)
            return
        self._started = False
        self._speech.say(pcm.text)

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            self._started = True
        elif state == QTextToSpeech.State.Error:
            log.warning("system voice failed: %s", self._speech.errorString())
            self._end()
        elif state == QTextToSpeech.State.Ready and self._started:
            self._end()

    def _end(self) -> None:
        self._watchdog.stop()
        done, self._done = self._done, None
        if done is not None:
            done()

    def stop(self) -> None:
        self._done = None
        self._watchdog.stop()
        self._speech.stop()


def style_of(voice: dict[str, Any]) -> VoiceStyle:
    """The call's style from the office's [voice] facts (unknown values: the defaults)."""
    plain = VoiceStyle()
    try:
        reading = NumberReading(voice.get("reading", plain.reading))
    except ValueError:
        reading = plain.reading
    try:
        region = Region(voice.get("region", plain.region))
    except ValueError:
        region = plain.region
    return VoiceStyle(
        reading=reading,
        region=region,
        chime=bool(voice.get("chime", plain.chime)),
        second_language=bool(voice.get("english", plain.second_language)),
    )


def hub_clips(client: HubClient, local: CallVoice) -> RenderCall:
    """The call's WAV from the hub; rendered here from `local` when the hub cannot give it."""
    warned = False

    def render(number: str, counter: int, recall: int) -> bytes:
        nonlocal warned
        try:
            wav = client.call_audio(number, counter, recall=recall)
        except (HubUnavailable, HubError) as error:
            if isinstance(error, HubError) and error.status < 500:
                raise  # the hub refused this call (a bad number): nothing to say
            if not warned:
                log.warning("call audio rendered on this PC: %s", error.message)
                warned = True
            return local.render(number, counter, recall=recall).wav_bytes()
        warned = False
        return wav

    return render


class OfficeVoice(CallAnnouncer):
    """A board's voice that follows the office's [voice] facts: on/off, engine and style."""

    def __init__(
        self,
        client: HubClient,
        settings: Settings,
        voice_dir: Path | None,
        facts: dict[str, Any],
        parent: QObject | None = None,
        *,
        find_system_voice: Callable[[], SystemVoice] = system_voice,
    ) -> None:
        self._client = client
        self._settings = settings
        self._voice_dir = voice_dir
        self._find_system_voice = find_system_voice
        self._facts: dict[str, Any] = {}
        render, speaker = self._voice_for(facts)
        super().__init__(render, speaker, parent)
        self._facts = dict(facts)
        self.set_enabled(bool(facts.get("enabled", True)))

    def follow(self, voice: dict[str, Any]) -> None:
        changed = {k: v for k, v in voice.items() if k != "enabled"} != {
            k: v for k, v in self._facts.items() if k != "enabled"
        }
        if changed:
            self.use(*self._voice_for(voice))
            self._facts = dict(voice)
        super().follow(voice)

    def _voice_for(self, facts: dict[str, Any]) -> tuple[RenderCall, Speaker]:
        style = style_of(facts)
        repeat = int(facts.get("repeat", 1) or 1)
        if facts.get("engine") == VoiceEngine.SYSTEM.value:
            found = self._find_system_voice()
            if found.available:
                log.info("calls spoken by the system voice %s (%s)", found.voice, found.engine)
                text = CallVoice(style, repeat)

                def say(number: str, counter: int, recall: int) -> str:
                    once = text.text(number, counter, recall=recall)
                    return " ".join([once] * max(1, repeat))

                return say, TextSpeaker(found)
            log.warning("%s", found.message)
        local = CallVoice.for_office(self._settings, self._voice_dir)
        local = CallVoice(style, repeat, local.clips)
        return hub_clips(self._client, local), QtSpeaker()


def system_voice_note() -> str:
    """What the admin screen says of this PC's system voice (the "system" engine)."""
    found = system_voice()
    if not found.available:
        return found.message
    return (
        f"Máy này có giọng đọc tiếng Việt của hệ thống: {found.voice} ({found.engine}). "
        "Mỗi bảng hiển thị tự kiểm tra máy của nó; máy nào không có thì dùng bộ âm thanh ghi sẵn."
    )
