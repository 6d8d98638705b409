"""The voice of one office: its call style and its clip set, ready to render a call."""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Settings
from kiosk.domain.voice import VoiceStyle
from kiosk.voice.audio import LINE_GAP, Audio, ClipSet, join_clips, silence
from kiosk.voice.phrase import call_clips, call_text
from kiosk.voice.words import CHIME

log = logging.getLogger(__name__)

#: The pause before a call is said the second time (`[voice] repeat = 2`).
REPEAT_GAP = 2 * LINE_GAP


@dataclass(frozen=True)
class CallVoice:
    style: VoiceStyle = field(default_factory=VoiceStyle)
    repeat: int = 1
    clips: ClipSet = field(default_factory=ClipSet)

    @classmethod
    def for_office(cls, settings: Settings, voice_dir: Path | None = None) -> CallVoice:
        """The office's voice: its settings, its own recordings first, then the shipped set."""
        folders = [voice_dir] if voice_dir is not None else []
        return cls(settings.voice_style, settings.voice_repeat, ClipSet(folders))

    def text(self, number: str, counter: int, *, recall: int = 0) -> str:
        return call_text(number, counter, recall=recall, style=self.style)

    def render(self, number: str, counter: int, *, recall: int = 0) -> Audio:
        once = call_clips(number, counter, recall=recall, style=self.style)
        audio = join_clips(once, self.clips)
        if self.repeat < 2:
            return audio
        again = join_clips([k for k in once if k != CHIME], self.clips)
        samples = array("h", audio.samples)
        samples.extend(silence(REPEAT_GAP))
        samples.extend(again.samples)
        return Audio(samples, audio.rate)
