"""A microphone take made into a clip of the set: trimmed, faded, at the set's loudness, at
22,050 Hz mono; a take with nothing in it, too loud or too long is refused in Vietnamese."""

from __future__ import annotations

import math
from array import array
from itertools import pairwise

import pytest

from kiosk.voice.audio import RATE, Audio, ClipError, measure
from kiosk.voice.recording import LONGEST_CLIP, prepared, resampled


def take(
    *,
    rate: int = RATE,
    channels: int = 1,
    before: float = 0.8,
    word: float = 0.6,
    after: float = 1.2,
    amplitude: float = 1500,
    hiss: int = 20,
) -> array[int]:
    """Room noise, a 'word' (two tones), room noise: as a person records one clip."""
    out = array("h")
    total = round((before + word + after) * rate)
    for i in range(total):
        t = i / rate
        value = hiss * math.sin(2 * math.pi * 3011 * t)
        if before <= t < before + word:
            value += amplitude * (
                math.sin(2 * math.pi * 220 * t) + 0.5 * math.sin(2 * math.pi * 440 * t)
            )
        for _ in range(channels):
            out.append(max(-32768, min(32767, round(value))))
    return out


def test_a_quiet_take_with_room_noise_becomes_a_clip_of_the_set() -> None:
    clip = prepared(take(), RATE)
    stats = measure(clip)
    assert clip.rate == RATE
    assert stats.duration == pytest.approx(0.6 + 2 * 0.015, abs=0.02)  # the word and margins
    assert stats.rms_dbfs == pytest.approx(-20, abs=1.0)
    assert stats.peak_dbfs <= -1.0 + 1e-6
    assert stats.clipped_samples == 0
    assert abs(clip.samples[0]) < 50 and abs(clip.samples[-1]) < 50  # faded: no click


def test_a_48_khz_stereo_microphone_gives_the_same_clip_length() -> None:
    clip = prepared(take(rate=48_000, channels=2), 48_000, channels=2)
    assert clip.rate == RATE
    assert clip.duration == pytest.approx(0.63, abs=0.02)
    assert measure(clip).rms_dbfs == pytest.approx(-20, abs=1.0)


def test_resampling_keeps_a_tone_and_its_length() -> None:
    rate = 44_100
    tone = array("h", (round(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(rate)))
    down = resampled(tone, rate)
    assert len(down) == RATE
    crossings = sum(1 for a, b in pairwise(down) if a < 0 <= b)
    assert crossings == pytest.approx(440, abs=2)


@pytest.mark.parametrize(
    ("recorded", "says"),
    [
        (take(amplitude=0), "Micro không thu được tiếng"),
        (array("h"), "không có tiếng"),
        (take(amplitude=40000), "quá to"),
        (take(word=LONGEST_CLIP + 1), "dưới 5 giây"),
    ],
    ids=["silence", "empty", "saturated", "too-long"],
)
def test_a_take_that_is_not_a_clip_is_refused_with_what_to_do(
    recorded: array[int], says: str
) -> None:
    with pytest.raises(ClipError) as refused:
        prepared(recorded, RATE)
    assert says in refused.value.message


def test_the_prepared_clip_is_a_wav_the_hub_accepts() -> None:
    clip = prepared(take(), RATE)
    assert isinstance(clip, Audio) and clip.wav_bytes()[:4] == b"RIFF"
