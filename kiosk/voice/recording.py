"""A clip made ready for the office's set: a microphone take (or a synthesiser's output) brought
to the clip format of docs/voice.md — 16-bit mono at `RATE`, silence trimmed at both ends (15 ms
kept), 5 ms fades, RMS -20 dBFS with peaks at most -1 dBFS. Pure Python, no Qt: the admin
screen's recording page and the script that renders the shipped set use the same steps."""

from __future__ import annotations

import math
from array import array

from kiosk.voice.audio import RATE, Audio, ClipError, dbfs

TARGET_RMS_DBFS = -20.0
PEAK_LIMIT_DBFS = -1.0
TRIM_BELOW_DBFS = -42.0
MARGIN = 0.015
FADE = 0.005
#: A take whose loudest 5 ms stays under this is silence: the microphone heard nothing.
HEARD_DBFS = -40.0
#: A clip longer than this (after trimming) is not one word or phrase.
LONGEST_CLIP = 5.0


def _level(chunk: array[int]) -> float:
    return math.sqrt(sum(s * s for s in chunk) / max(1, len(chunk)))


def trimmed(samples: array[int], rate: int) -> array[int]:
    """Without the silence before the first and after the last sound (a margin kept)."""
    step = max(1, round(0.005 * rate))
    loud = [
        i
        for i in range(0, len(samples), step)
        if dbfs(_level(samples[i : i + step])) > TRIM_BELOW_DBFS
    ]
    if not loud:
        return samples
    margin = round(MARGIN * rate)
    start = max(0, loud[0] - margin)
    end = min(len(samples), loud[-1] + step + margin)
    return samples[start:end]


def faded(samples: array[int], rate: int) -> array[int]:
    """5 ms fades in and out, so a clip never starts or ends with a click."""
    n = min(len(samples) // 2, round(FADE * rate))
    out = array("h", samples)
    for i in range(n):
        gain = i / n
        out[i] = round(out[i] * gain)
        out[-1 - i] = round(out[-1 - i] * gain)
    return out


def normalised(samples: array[int]) -> array[int]:
    """At the set's loudness: RMS -20 dBFS, unless that would push a peak over -1 dBFS."""
    if not samples:
        return samples
    rms = _level(samples)
    peak = max(abs(s) for s in samples)
    if peak == 0:
        return array("h", samples)
    gain = min(
        10 ** ((TARGET_RMS_DBFS - dbfs(rms)) / 20), 10 ** ((PEAK_LIMIT_DBFS - dbfs(peak)) / 20)
    )
    return array("h", (max(-32767, min(32767, round(s * gain))) for s in samples))


def resampled(samples: array[int], rate: int, to: int = RATE) -> array[int]:
    """At another rate, by linear interpolation (for a microphone that will not give 22,050 Hz)."""
    if rate == to or not samples:
        return array("h", samples)
    count = max(1, round(len(samples) * to / rate))
    out = array("h", bytes(2 * count))
    last = len(samples) - 1
    for i in range(count):
        position = i * rate / to
        left = min(int(position), last)
        right = min(left + 1, last)
        fraction = position - left
        out[i] = round(samples[left] * (1 - fraction) + samples[right] * fraction)
    return out


def mono(samples: array[int], channels: int) -> array[int]:
    """Interleaved channels mixed down to one."""
    if channels <= 1:
        return array("h", samples)
    frames = len(samples) // channels
    return array(
        "h",
        (
            round(sum(samples[f * channels + c] for c in range(channels)) / channels)
            for f in range(frames)
        ),
    )


def prepared(samples: array[int], rate: int, *, channels: int = 1) -> Audio:
    """A take as a clip of the set, or a ClipError in Vietnamese saying what to do again."""
    one = resampled(mono(samples, channels), rate)
    if not one:
        raise ClipError("Bản ghi không có tiếng: hãy bấm Ghi âm rồi đọc.")
    step = round(0.005 * RATE)
    loudest = max(_level(one[i : i + step]) for i in range(0, len(one), step))
    if dbfs(loudest) < HEARD_DBFS:
        raise ClipError(
            "Micro không thu được tiếng (quá nhỏ). Kiểm tra micro đã cắm và bật, "
            "nói gần micro hơn rồi ghi lại."
        )
    saturated = sum(1 for s in one if s >= 32767 or s <= -32768)
    if saturated > len(one) // 1000:
        raise ClipError("Bản ghi bị rè (quá to): hãy nói xa micro hơn hoặc giảm âm lượng micro.")
    clip = Audio(normalised(faded(trimmed(one, RATE), RATE)))
    if clip.duration > LONGEST_CLIP:
        raise ClipError(
            f"Bản ghi dài {clip.duration:.1f} giây sau khi cắt khoảng lặng: mỗi tệp chỉ một từ "
            f"hoặc một cụm từ (dưới {LONGEST_CLIP:.0f} giây). Hãy ghi lại."
        )
    return clip
