"""Clips and the audio of a call: mono 16-bit PCM, joined with short gaps.

A clip set is a folder of `<key>.wav` files (see `words.py` for the keys). The office's own set
is searched first, the shipped default set (`assets/sounds/vi/`) second, so a missing clip of a
partial recording falls back to the default voice.
"""

from __future__ import annotations

import io
import logging
import math
import wave
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.domain.errors import KioskError
from kiosk.paths import assets_dir
from kiosk.voice.words import ALL_CLIPS, CHIME

log = logging.getLogger(__name__)

RATE = 22_050
#: Silence between words, and after the chime and between the two halves of a call (seconds).
WORD_GAP = 0.06
CHIME_GAP = 0.30
#: Two Vietnamese lines, or a recall, are separated by a longer pause.
LINE_GAP = 0.45


def default_clips_dir() -> Path:
    return assets_dir() / "sounds" / "vi"


class ClipError(KioskError):
    """A clip file that is not usable (its message is Vietnamese)."""

    code = "voice_clip_error"


@dataclass(frozen=True)
class Audio:
    samples: array[int]  # signed 16-bit, mono
    rate: int = RATE

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate

    def wav_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate)
            out.writeframes(self.samples.tobytes())
        return buffer.getvalue()


def read_clip(path: Path) -> Audio:
    """A clip as 16-bit mono samples at `RATE`; anything else is refused with the reason."""
    try:
        with wave.open(str(path), "rb") as clip:
            channels, width, rate = clip.getnchannels(), clip.getsampwidth(), clip.getframerate()
            frames = clip.readframes(clip.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise ClipError(f"Tệp âm thanh {path.name} không đọc được: {exc}") from exc
    if (channels, width, rate) != (1, 2, RATE):
        raise ClipError(
            f"Tệp âm thanh {path.name} phải là WAV mono 16-bit {RATE} Hz "
            f"(tệp này: {channels} kênh, {8 * width}-bit, {rate} Hz)."
        )
    samples = array("h")
    samples.frombytes(frames)
    if not samples:
        raise ClipError(f"Tệp âm thanh {path.name} không có tiếng.")
    return Audio(samples, rate)


@lru_cache(maxsize=512)
def _cached_clip(path: Path, mtime_ns: int) -> Audio:
    return read_clip(path)


class ClipSet:
    """The clip folders to search, the office's own first."""

    def __init__(self, folders: Sequence[Path] = ()) -> None:
        self.folders = (*folders, default_clips_dir())

    def path_of(self, key: str) -> Path | None:
        for folder in self.folders:
            candidate = folder / f"{key}.wav"
            if candidate.is_file():
                return candidate
        return None

    def clip(self, key: str) -> Audio:
        """The clip for `key` from the first folder where it exists and is usable."""
        problems = []
        for folder in self.folders:
            candidate = folder / f"{key}.wav"
            if not candidate.is_file():
                continue
            try:
                return _cached_clip(candidate, candidate.stat().st_mtime_ns)
            except ClipError as exc:
                log.warning("voice clip %s skipped: %s", candidate, exc)
                problems.append(str(exc))
        raise ClipError(" ".join(problems) or f"Thiếu tệp âm thanh {key}.wav.")

    def check(self, keys: Iterable[str] = ALL_CLIPS) -> list[str]:
        """Every missing or unusable clip, in Vietnamese (empty when the set is complete)."""
        problems = []
        for key in keys:
            try:
                self.clip(key)
            except ClipError as exc:
                problems.append(str(exc))
        return problems


def silence(seconds: float, rate: int = RATE) -> array[int]:
    return array("h", bytes(2 * round(seconds * rate)))


def join_clips(keys: Sequence[str], clips: ClipSet) -> Audio:
    """The audio of a call: each clip in order, a short gap between words, a longer one after
    the chime and before a second-language line."""
    out = array("h")
    for index, key in enumerate(keys):
        if index:
            previous = keys[index - 1]
            if previous == CHIME:
                gap = CHIME_GAP
            elif key.startswith("en-") and not previous.startswith("en-"):
                gap = LINE_GAP
            else:
                gap = WORD_GAP
            out.extend(silence(gap))
        out.extend(clips.clip(key).samples)
    return Audio(out)


@dataclass(frozen=True)
class AudioStats:
    duration: float
    peak_dbfs: float
    rms_dbfs: float
    #: The longest run of near-silence inside the audio (leading and trailing silence excluded).
    longest_gap: float
    clipped_samples: int


def dbfs(value: float) -> float:
    return 20 * math.log10(value / 32768) if value > 0 else -math.inf


def measure(audio: Audio, *, silence_below: float = -45.0, window: float = 0.01) -> AudioStats:
    """Duration, peak, RMS, the longest inner silence (10 ms windows under `silence_below` dBFS)
    and how many samples sit at full scale."""
    samples = audio.samples
    if not samples:
        return AudioStats(0.0, -math.inf, -math.inf, 0.0, 0)
    peak = max(abs(s) for s in samples)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    step = max(1, round(window * audio.rate))
    quiet = []
    for start in range(0, len(samples), step):
        chunk = samples[start : start + step]
        level = math.sqrt(sum(s * s for s in chunk) / len(chunk))
        quiet.append(dbfs(level) < silence_below)
    while quiet and quiet[0]:
        quiet.pop(0)
    while quiet and quiet[-1]:
        quiet.pop()
    longest = run = 0
    for is_quiet in quiet:
        run = run + 1 if is_quiet else 0
        longest = max(longest, run)
    clipped = sum(1 for s in samples if s >= 32767 or s <= -32768)
    return AudioStats(
        duration=audio.duration,
        peak_dbfs=dbfs(peak),
        rms_dbfs=dbfs(rms),
        longest_gap=longest * step / audio.rate,
        clipped_samples=clipped,
    )
