"""The admin screen's "Giọng đọc" tab: how the boards call a number, and the office's own
recordings of each word.

On the left, the `[voice]` settings (on/off, engine, how numbers are read, chime, English line,
once or twice) with "Nghe thử" (the call as the hub renders it now). On the right, every clip
of the set: a staff member picks one, presses "Ghi âm", says the word shown in large letters,
presses "Dừng", listens, and saves. The take is trimmed of silence, faded and brought to the
set's loudness here (`kiosk.voice.recording`); the hub stores it and the boards say it from the
next call. "Dùng lại bản mặc định" goes back to the shipped clip.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QBuffer, QIODevice, QObject, Qt
from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QListWidget, QVBoxLayout

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.common import Page, combo, field, fill, table
from kiosk.ui.counter.reception import action_button, panel, small_label
from kiosk.ui.tasks import Tasks
from kiosk.ui.voice_player import Pcm, QtSpeaker, Speaker
from kiosk.voice.audio import RATE, Audio
from kiosk.voice.recording import prepared

log = logging.getLogger(__name__)

ENGINES = (
    ("clips", "Bộ âm thanh ghi sẵn (khuyên dùng)"),
    ("system", "Giọng đọc của hệ thống (Windows: Microsoft An)"),
)
READINGS = (
    ("digits", "Từng chữ số: A không hai ba"),
    ("number", "Thành số: A hai mươi ba"),
)
REGIONS = (("north", "Miền Bắc: linh, nghìn"), ("south", "Miền Nam: lẻ, ngàn"))
REPEATS = (("1", "Đọc một lần"), ("2", "Đọc hai lần"))
SOURCES = {"office": "Bản ghi của văn phòng", "shipped": "Bản mặc định", "missing": "THIẾU"}
LANGUAGES = {"vi": "tiếng Việt", "en": "tiếng Anh"}
SAMPLE_CALL = ("A023", 3)


class Microphone(Protocol):
    def start(self) -> None:
        """Start listening; a KioskError (Vietnamese) when there is no microphone."""

    def stop(self) -> tuple[array[int], int, int]:
        """Stop; the take as 16-bit samples, their rate and their channel count."""


class QtMicrophone(QObject):
    """The PC's default microphone through Qt Multimedia's `QAudioSource`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: QAudioSource | None = None
        self._buffer: QBuffer | None = None
        self._format = QAudioFormat()

    def start(self) -> None:
        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            raise KioskError(
                "Máy này không có micro (hoặc micro chưa được bật trong Windows). Hãy cắm micro "
                "rồi thử lại."
            )
        wanted = QAudioFormat()
        wanted.setSampleRate(RATE)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(wanted):
            wanted = device.preferredFormat()
            wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._format = wanted
        self._buffer = QBuffer(self)
        self._buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self._source = QAudioSource(device, wanted, self)
        self._source.start(self._buffer)
        log.info(
            "recording from %s at %d Hz, %d channel(s)",
            device.description(),
            wanted.sampleRate(),
            wanted.channelCount(),
        )

    def stop(self) -> tuple[array[int], int, int]:
        source, buffer = self._source, self._buffer
        self._source = self._buffer = None
        samples = array("h")
        if source is None or buffer is None:
            return samples, RATE, 1
        source.stop()
        data = bytes(buffer.data().data())
        buffer.close()
        source.deleteLater()
        buffer.deleteLater()
        samples.frombytes(data[: len(data) // 2 * 2])
        return samples, self._format.sampleRate(), max(1, self._format.channelCount())


class VoicePage(Page):
    def __init__(
        self,
        client: Any,
        tasks: Tasks,
        *,
        microphone: Callable[[], Microphone] = QtMicrophone,
        speaker: Callable[[], Speaker] = QtSpeaker,
        system_check: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(
            client,
            tasks,
            "Giọng đọc gọi số",
            "Bảng hiển thị đọc lời mời bằng bộ âm thanh của văn phòng, không cần mạng Internet. "
            "Ghi giọng của văn phòng cho từng từ ở bên phải; từ chưa ghi dùng bản mặc định.",
        )
        self.microphone = microphone()
        self.speaker = speaker()
        self._system_check = system_check
        self.recording = False
        self.take: Audio | None = None
        self.clips: list[dict[str, Any]] = []
        self.settings: dict[str, Any] = {}
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self._build_settings(), 2)
        columns.addWidget(self._build_recorder(), 3)
        self.box.addLayout(columns, 1)

    # --- building --------------------------------------------------------------------------

    def _build_settings(self) -> Any:
        card = panel()
        box = QVBoxLayout(card)
        box.setContentsMargins(14, 12, 14, 12)
        box.addWidget(small_label("Cách gọi số", "section"))
        self.enabled = QCheckBox("Đọc lời mời khi quầy gọi số")
        box.addWidget(self.enabled)
        self.engine = combo(ENGINES)
        box.addLayout(field("Giọng đọc", self.engine))
        self.system_note = small_label("", "hint")
        box.addWidget(self.system_note)
        self.reading = combo(READINGS)
        box.addLayout(field("Đọc số thứ tự", self.reading))
        self.region = combo(REGIONS)
        box.addLayout(field("Cách đọc theo vùng", self.region))
        self.repeat = combo(REPEATS)
        box.addLayout(field("Số lần đọc mỗi lời mời", self.repeat))
        self.chime = QCheckBox("Chuông trước lời mời")
        box.addWidget(self.chime)
        self.english = QCheckBox("Thêm câu tiếng Anh sau lời mời")
        box.addWidget(self.english)
        buttons = QHBoxLayout()
        self.save_button = action_button("Lưu cách gọi số", self.save_settings)
        buttons.addWidget(self.save_button)
        self.try_button = action_button("Nghe thử lời mời", self.try_call, "secondary")
        buttons.addWidget(self.try_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addStretch(1)
        return card

    def _build_recorder(self) -> Any:
        card = panel()
        box = QVBoxLayout(card)
        box.setContentsMargins(14, 12, 14, 12)
        box.addWidget(small_label("Bản ghi của văn phòng", "section"))
        self.table = table(("Tệp", "Nội dung", "Đang dùng", "Độ dài"))
        self.table.itemSelectionChanged.connect(self._selected)
        box.addWidget(self.table, 1)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(70)
        self.problems.setVisible(False)
        box.addWidget(self.problems)
        self.say_title = small_label("Chọn một từ trong bảng để ghi âm.", "hint")
        box.addWidget(self.say_title)
        self.say_text = small_label("", "title")
        self.say_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.say_text.setStyleSheet("font-size: 30px; font-weight: 700;")
        box.addWidget(self.say_text)
        grid = QGridLayout()
        self.record_button = action_button("● Ghi âm", self.toggle_recording)
        self.replay_button = action_button("▶ Nghe lại bản ghi", self.play_take, "secondary")
        self.keep_button = action_button("Lưu bản ghi", self.save_take)
        self.current_button = action_button("▶ Nghe bản đang dùng", self.play_current, "secondary")
        self.default_button = action_button("Dùng lại bản mặc định", self.drop_clip, "secondary")
        for index, button in enumerate(
            (
                self.record_button,
                self.replay_button,
                self.keep_button,
                self.current_button,
                self.default_button,
            )
        ):
            grid.addWidget(button, index // 3, index % 3)
        box.addLayout(grid)
        self.take_note = small_label("", "body")
        box.addWidget(self.take_note)
        self._enable_clip_buttons()
        return card

    # --- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.call(self.client.office_summary, self.show_settings)
        self.call(self.client.voice_clips, self.show_clips)
        if self._system_check is not None:
            self.system_note.setText(self._system_check())

    def show_settings(self, office: dict[str, Any]) -> None:
        voice = dict(office.get("voice") or {})
        self.settings = voice
        self.enabled.setChecked(bool(voice.get("enabled", True)))
        _choose(self.engine, voice.get("engine", "clips"))
        _choose(self.reading, voice.get("reading", "digits"))
        _choose(self.region, voice.get("region", "north"))
        _choose(self.repeat, str(voice.get("repeat", 1)))
        self.chime.setChecked(bool(voice.get("chime", True)))
        self.english.setChecked(bool(voice.get("english", False)))

    def show_clips(self, answer: dict[str, Any]) -> None:
        selected = self.selected_key
        self.clips = list(answer.get("clips", []))
        fill(
            self.table,
            [
                [
                    f"{c['key']}.wav",
                    c["text"] or "(chuông, không lời)",
                    SOURCES.get(c["source"], c["source"]),
                    f"{c['seconds']:.2f} giây".replace(".", ",") if c["seconds"] else "",
                ]
                for c in self.clips
            ],
        )
        problems = list(answer.get("problems", []))
        self.problems.clear()
        self.problems.addItems(problems)
        self.problems.setVisible(bool(problems))
        if selected:
            self.select(selected)
        self._enable_clip_buttons()

    @property
    def selected_key(self) -> str:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.clips):
            return ""
        return str(self.clips[rows[0].row()]["key"])

    def select(self, key: str) -> None:
        for row, clip in enumerate(self.clips):
            if clip["key"] == key:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
                return

    def _selected(self) -> None:
        clip = self._clip()
        self.take = None
        self.take_note.clear()
        if clip is None:
            self.say_title.setText("Chọn một từ trong bảng để ghi âm.")
            self.say_text.clear()
        else:
            language = LANGUAGES.get(clip["language"], "")
            self.say_title.setText(
                f"Bấm “Ghi âm”, đọc rõ bằng {language}, rồi bấm “Dừng ghi”:"
                if language
                else "Tệp chuông không ghi bằng micro: thay bằng tệp WAV của văn phòng."
            )
            self.say_text.setText(clip["text"] or "♪")
        self._enable_clip_buttons()

    def _clip(self) -> dict[str, Any] | None:
        key = self.selected_key
        return next((c for c in self.clips if c["key"] == key), None)

    def _enable_clip_buttons(self) -> None:
        clip = self._clip()
        speakable = clip is not None and bool(clip["text"])
        self.record_button.setEnabled(speakable or self.recording)
        self.replay_button.setEnabled(self.take is not None and not self.recording)
        self.keep_button.setEnabled(self.take is not None and not self.recording)
        self.current_button.setEnabled(clip is not None and clip["source"] != "missing")
        self.default_button.setEnabled(clip is not None and clip["source"] == "office")

    # --- the settings ----------------------------------------------------------------------

    def chosen_settings(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled.isChecked(),
            "engine": self.engine.currentData(),
            "reading": self.reading.currentData(),
            "region": self.region.currentData(),
            "chime": self.chime.isChecked(),
            "english": self.english.isChecked(),
            "repeat": int(self.repeat.currentData()),
        }

    def save_settings(self) -> None:
        chosen = self.chosen_settings()

        def saved(answer: dict[str, Any]) -> None:
            self.show_settings(answer["office"])
            changed = [k for k in answer.get("changed", []) if k.startswith("voice.")]
            if changed:
                self.message.emit("Đã lưu cách gọi số: các bảng hiển thị dùng ngay.", "ok")
            else:
                self.message.emit("Cách gọi số không thay đổi.", "ok")

        self.call(lambda: self.client.update_office({"voice": chosen}), saved)

    def try_call(self) -> None:
        number, counter = SAMPLE_CALL
        self.call(lambda: self.client.call_audio(number, counter), self._play_wav)

    # --- recording -------------------------------------------------------------------------

    def toggle_recording(self) -> None:
        if self.recording:
            self.stop_recording()
            return
        self.speaker.stop()
        try:
            self.microphone.start()
        except KioskError as error:
            log.warning("no recording: %s", error.message)
            self.message.emit(error.message, "error")
            return
        self.recording = True
        self.take = None
        self.record_button.setText("■ Dừng ghi")
        _kind(self.record_button, "danger")
        self.take_note.setText("Đang ghi… Đọc rõ từ trên, rồi bấm “Dừng ghi”.")
        self._enable_clip_buttons()

    def stop_recording(self) -> None:
        samples, rate, channels = self.microphone.stop()
        self.recording = False
        self.record_button.setText("● Ghi âm")
        _kind(self.record_button, "")
        try:
            self.take = prepared(samples, rate, channels=channels)
        except KioskError as error:
            self.take = None
            self.take_note.setText(error.message)
            self.message.emit(error.message, "warn")
        else:
            seconds = f"{self.take.duration:.2f}".replace(".", ",")
            self.take_note.setText(
                f"Bản ghi {seconds} giây, đã cắt khoảng lặng và chỉnh âm lượng. "
                "Bấm “Nghe lại” để kiểm tra, rồi “Lưu bản ghi”."
            )
        self._enable_clip_buttons()

    def play_take(self) -> None:
        if self.take is not None:
            self._play_wav(self.take.wav_bytes())

    def save_take(self) -> None:
        key, take = self.selected_key, self.take
        if not key or take is None:
            return

        def saved(clip: dict[str, Any]) -> None:
            self.take = None
            self.take_note.setText(
                "Đã lưu. Các bảng hiển thị đọc bản ghi này từ lời mời tiếp theo."
            )
            self.message.emit(f"Đã lưu bản ghi {key}.wav của văn phòng.", "ok")
            self.call(self.client.voice_clips, self.show_clips)

        self.call(lambda: self.client.save_voice_clip(key, take.wav_bytes()), saved)

    def play_current(self) -> None:
        key = self.selected_key
        if key:
            self.call(lambda: self.client.voice_clip(key), self._play_wav)

    def drop_clip(self) -> None:
        key = self.selected_key
        if not key:
            return

        def dropped(clip: dict[str, Any]) -> None:
            self.message.emit(f"Đã dùng lại bản mặc định cho {key}.wav.", "ok")
            self.call(self.client.voice_clips, self.show_clips)

        self.call(lambda: self.client.drop_voice_clip(key), dropped)

    def _play_wav(self, wav: bytes) -> None:
        try:
            pcm = Pcm.from_wav(wav)
        except KioskError as error:
            self.message.emit(error.message, "error")
            return
        self.speaker.stop()
        self.speaker.play(pcm, lambda: None)

    def shutdown(self) -> None:
        if self.recording:
            self.microphone.stop()
            self.recording = False
        self.speaker.stop()


def _choose(widget: Any, value: object) -> None:
    index = widget.findData(str(value))
    if index >= 0:
        widget.setCurrentIndex(index)


def _kind(button: Any, kind: str) -> None:
    """Restyle a button (the record button turns red while it records)."""
    button.setProperty("kind", kind)
    button.style().unpolish(button)
    button.style().polish(button)
