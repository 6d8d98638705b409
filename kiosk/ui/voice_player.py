"""The board speaks: calls queued and played one after another, never overlapping.

`CallAnnouncer` takes calls as they arrive (a burst of ten is spoken in order, none dropped),
gets each call's audio in the background while the previous one plays, and hands it to a
`Speaker`. `QtSpeaker` plays through Qt Multimedia's default output; a PC without a sound
device logs it once and keeps the queue moving at the pace of the calls, so the screen never
waits for sound.
"""

from __future__ import annotations

import io
import logging
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

from kiosk.domain.errors import KioskError
from kiosk.ui.tasks import Tasks

log = logging.getLogger(__name__)

#: Silence between two calls of a burst (ms), so a listener hears where one call ends.
BETWEEN_CALLS_MS = 600
#: A sink that never reports the end of its sound is stopped this long after the sound's length.
WATCHDOG_SLACK_MS = 2000


@dataclass(frozen=True)
class Pcm:
    """16-bit mono samples and their rate, from a WAV file's bytes."""

    data: bytes
    rate: int

    @property
    def milliseconds(self) -> int:
        return round(1000 * len(self.data) / 2 / self.rate)

    @classmethod
    def from_wav(cls, wav: bytes) -> Pcm:
        try:
            with wave.open(io.BytesIO(wav), "rb") as clip:
                if (clip.getnchannels(), clip.getsampwidth()) != (1, 2):
                    raise KioskError("Âm thanh lời mời không đúng định dạng (cần WAV mono 16-bit).")
                return cls(clip.readframes(clip.getnframes()), clip.getframerate())
        except (EOFError, wave.Error) as exc:
            raise KioskError(f"Âm thanh lời mời không đọc được: {exc}") from exc


@dataclass(frozen=True)
class Utterance:
    """A call as text, for a speaker that reads text aloud (the system voice)."""

    text: str

    @property
    def milliseconds(self) -> int:
        """A generous estimate of its length (the watchdog's and a silent PC's pace)."""
        return 1000 + 90 * len(self.text)


#: What a speaker is given: samples to play, or text to read.
Sound = Pcm | Utterance


def sound_of(rendered: bytes | str) -> Sound:
    """A render's result as a sound: WAV bytes become samples, text stays text."""
    return Utterance(rendered) if isinstance(rendered, str) else Pcm.from_wav(rendered)


class Speaker(Protocol):
    def play(self, pcm: Sound, done: Callable[[], None]) -> None:
        """Start playing; call `done` once, on the main thread, when the sound has ended."""

    def stop(self) -> None: ...


class QtSpeaker(QObject):
    """Plays PCM on the default audio output through a `QAudioSink`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None
        self._done: Callable[[], None] | None = None
        self._warned = False
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._end)

    def play(self, pcm: Sound, done: Callable[[], None]) -> None:
        self._done = done
        device = QMediaDevices.defaultAudioOutput()
        self._watchdog.start(pcm.milliseconds + WATCHDOG_SLACK_MS)
        if isinstance(pcm, Utterance):
            log.warning("this speaker plays recorded sound, not text: %r not spoken", pcm.text)
            self._watchdog.start(0)
            return
        if device.isNull():
            if not self._warned:
                log.warning("no audio output on this PC: calls are shown but not spoken")
                self._warned = True
            self._watchdog.start(pcm.milliseconds)  # keep the pace of real speech
            return
        audio_format = QAudioFormat()
        audio_format.setSampleRate(pcm.rate)
        audio_format.setChannelCount(1)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._sink = QAudioSink(device, audio_format, self)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pcm.data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink.stateChanged.connect(self._state_changed)
        self._sink.start(self._buffer)

    def _state_changed(self, state: QAudio.State) -> None:
        sink = self._sink
        if sink is None:
            return
        if state == QAudio.State.IdleState:
            self._end()
        elif state == QAudio.State.StoppedState and sink.error() != QAudio.Error.NoError:
            log.warning("audio output failed: %s", sink.error().name)
            self._end()

    def _end(self) -> None:
        self._watchdog.stop()
        sink, buffer, done = self._sink, self._buffer, self._done
        self._sink = self._buffer = self._done = None
        if sink is not None:
            sink.stateChanged.disconnect(self._state_changed)
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()
        if done is not None:
            done()

    def stop(self) -> None:
        self._done = None
        self._end()


@dataclass
class _Call:
    number: str
    counter: int
    recall: int
    pcm: Sound | None = None
    failed: bool = False


#: Gets a call's sound (number, counter, recall): WAV bytes, or text for a speaker that reads
#: text. Runs off the UI thread.
RenderCall = Callable[[str, int, int], bytes | str]


class CallAnnouncer(QObject):
    """Calls in, speech out: in arrival order, one at a time."""

    #: A call starts to be heard (number, counter, recall).
    speaking = Signal(str, int, int)
    #: Every queued call has been spoken (tests and the demo wait on it).
    quiet = Signal()

    def __init__(self, render: RenderCall, speaker: Speaker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._render = render
        self._speaker = speaker
        self._enabled = True
        self._queue: deque[_Call] = deque()
        self._playing = False
        self._tasks = Tasks("voice", self)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self._next)

    @property
    def pending(self) -> int:
        return len(self._queue) + (1 if self._playing else 0)

    @property
    def enabled(self) -> bool:
        """Off ([voice] enabled = false): calls are shown, not spoken."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        if enabled == self._enabled:
            return
        self._enabled = enabled
        log.info("voice calls %s", "on" if enabled else "off")
        if not enabled:
            self.silence()

    def follow(self, voice: dict[str, Any]) -> None:
        """The office's [voice] facts changed (GET /api/office, `office.changed`)."""
        self.set_enabled(bool(voice.get("enabled", True)))

    def use(self, render: RenderCall, speaker: Speaker) -> None:
        """Speak with another voice from the next call on (what is queued is dropped)."""
        self.silence()
        self._render, self._speaker = render, speaker

    def silence(self) -> None:
        """Drop the queued calls and stop the one playing."""
        self._queue.clear()
        self._pause.stop()
        self._speaker.stop()
        if self._playing:
            self._playing = False
            self.quiet.emit()

    def announce(self, number: str, counter: int, recall: int = 0) -> None:
        if not self._enabled:
            return
        call = _Call(number, counter, recall)
        self._queue.append(call)
        render = self._render
        # The audio is fetched now, in arrival order, while earlier calls are still playing.
        self._tasks.run(
            lambda: sound_of(render(number, counter, recall)),
            lambda pcm: self._ready(call, pcm),
            lambda error: self._failed(call, error),
        )

    def _ready(self, call: _Call, pcm: Sound) -> None:
        call.pcm = pcm
        self._next()

    def _failed(self, call: _Call, error: KioskError) -> None:
        log.warning("call %s to counter %s not spoken: %s", call.number, call.counter, error)
        call.failed = True
        self._next()

    def _next(self) -> None:
        if self._playing or self._pause.isActive():
            return
        while self._queue and self._queue[0].failed:
            self._queue.popleft()
        if not self._queue:
            self.quiet.emit()
            return
        head = self._queue[0]
        if head.pcm is None:
            return  # still being fetched: `_ready` comes back here
        self._queue.popleft()
        self._playing = True
        self.speaking.emit(head.number, head.counter, head.recall)
        log.info("speaking call %s to counter %s", head.number, head.counter)
        self._speaker.play(head.pcm, self._spoken)

    def _spoken(self) -> None:
        self._playing = False
        self._pause.start(BETWEEN_CALLS_MS)

    def stop(self) -> None:
        self._queue.clear()
        self._pause.stop()
        self._speaker.stop()
        self._tasks.stop()


def speak_now(wav: bytes, *, timeout_ms: int = 60_000) -> bool:
    """Play one sound to its end (`kiosk voice say`); False when this PC has no audio output."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    _app = QCoreApplication.instance() or QCoreApplication([])
    if QMediaDevices.defaultAudioOutput().isNull():
        return False
    loop = QEventLoop()
    speaker = QtSpeaker()
    speaker.play(Pcm.from_wav(wav), loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    speaker.stop()
    return True
