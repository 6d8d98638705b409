"""The audio of a call, measured: duration, gaps, clipping, loudness, and the fallback clips."""

from __future__ import annotations

import logging
import math
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.voice import words
from kiosk.voice.audio import (
    RATE,
    WORD_GAP,
    Audio,
    ClipError,
    ClipSet,
    default_clips_dir,
    join_clips,
    measure,
)
from kiosk.voice.phrase import call_clips


def clip_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


def write_tone(path: Path, seconds: float, *, rate: int = RATE, channels: int = 1) -> None:
    samples = array(
        "h",
        (
            round(8000 * math.sin(2 * math.pi * 440 * i / rate))
            for i in range(round(seconds * rate))
        ),
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def test_the_shipped_set_is_complete_and_every_clip_is_usable() -> None:
    assert ClipSet().check() == []
    for key in words.ALL_CLIPS:
        stats = measure(ClipSet().clip(key))
        assert 0.1 < stats.duration < 3.5, key
        assert stats.clipped_samples == 0, key
        assert stats.peak_dbfs <= -0.9, key


@pytest.mark.parametrize(
    ("ticket", "recall"), [("A001", 0), ("A023", 0), ("B105", 0), ("C999", 0), ("A023", 1)]
)
def test_a_rendered_call_is_as_long_as_its_clips_with_short_gaps_and_even_loudness(
    ticket: str, recall: int
) -> None:
    keys = call_clips(ticket, 3, recall=recall)
    audio = join_clips(keys, ClipSet())
    files = [default_clips_dir() / f"{key}.wav" for key in keys]
    expected = sum(clip_seconds(f) for f in files)
    # the words plus one gap between each pair: at least the word gap, at most the chime gap
    assert expected + (len(keys) - 1) * WORD_GAP - 0.01 <= audio.duration
    assert audio.duration <= expected + 0.3 + (len(keys) - 2) * WORD_GAP + 0.01
    stats = measure(audio)
    assert 4.0 < stats.duration < 10.0
    assert stats.longest_gap <= 0.45  # no word is lost in a long silence
    assert stats.clipped_samples == 0
    assert -26.0 <= stats.rms_dbfs <= -16.0
    assert stats.peak_dbfs <= -0.9


def test_the_wav_of_a_call_reads_back_as_mono_16_bit(tmp_path: Path) -> None:
    audio = join_clips(call_clips("A023", 3), ClipSet())
    out = tmp_path / "call.wav"
    out.write_bytes(audio.wav_bytes())
    with wave.open(str(out), "rb") as back:
        assert (back.getnchannels(), back.getsampwidth(), back.getframerate()) == (1, 2, RATE)
        assert back.getnframes() == len(audio.samples)


def test_the_office_set_comes_first_and_a_missing_or_bad_clip_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    office = tmp_path / "clips"
    office.mkdir()
    write_tone(office / f"{words.TO_COUNTER}.wav", 0.5)  # the office's own recording
    write_tone(office / "so-3.wav", 0.5, rate=44_100)  # a recording in the wrong format
    clips = ClipSet([office])
    assert clips.path_of(words.TO_COUNTER) == office / f"{words.TO_COUNTER}.wav"
    assert clips.clip(words.TO_COUNTER).duration == pytest.approx(0.5, abs=0.001)
    default_three = clip_seconds(default_clips_dir() / "so-3.wav")
    with caplog.at_level(logging.WARNING, logger="kiosk.voice.audio"):
        assert clips.clip("so-3").duration == pytest.approx(default_three, abs=0.001)
    assert "so-3.wav" in caplog.text and "22050 Hz" in caplog.text
    assert clips.check() == []  # every key resolves, through the fallback where needed


def test_a_set_with_nothing_usable_names_each_problem_in_vietnamese(tmp_path: Path) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    clips = ClipSet([empty])
    clips.folders = (empty,)  # no default set behind it
    problems = clips.check(["chime", "so-1"])
    assert problems == ["Thiếu tệp âm thanh chime.wav.", "Thiếu tệp âm thanh so-1.wav."]
    stereo = empty / "so-1.wav"
    write_tone(stereo, 0.2, channels=2)
    with pytest.raises(ClipError, match="phải là WAV mono 16-bit"):
        clips.clip("so-1")
    (empty / "chime.wav").write_bytes(b"not a wav")
    with pytest.raises(ClipError, match="không đọc được"):
        clips.clip("chime")


def test_measure_finds_a_long_silence_and_clipping() -> None:
    tone = array("h", (round(20000 * math.sin(i / 5)) for i in range(RATE // 2)))
    gap = array("h", bytes(2 * RATE))  # one second of silence in the middle
    loud = array("h", [32767, -32768] * 100)
    stats = measure(Audio(tone + gap + tone + loud))
    assert stats.longest_gap == pytest.approx(1.0, abs=0.02)
    assert stats.clipped_samples == 200
    assert stats.peak_dbfs == pytest.approx(0.0, abs=0.01)


def test_docs_name_every_clip_file_an_office_may_record() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "voice.md").read_text(encoding="utf-8")
    missing = [key for key in words.ALL_CLIPS if f"`{key}.wav`" not in docs]
    assert not missing, missing
