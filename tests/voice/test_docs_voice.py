"""docs/voice/: the sample calls are what the product says today, and their table is true."""

from __future__ import annotations

import io
import re
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.voice.audio import Audio, measure
from kiosk.voice.calls import CallVoice

DOCS = Path(__file__).resolve().parents[2] / "docs" / "voice"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<says>[^|]+) \| (?P<duration>[\d.]+) \| (?P<peak>-?[\d.]+) \| "
    r"(?P<rms>-?[\d.]+) \| (?P<gap>[\d.]+) \| (?P<clipped>\d+) \|$"
)
NAME = re.compile(r"^(?P<number>[A-Z]\d+)-quay-(?P<counter>\d+)(?:-goi-lai-(?P<recall>\d+))?\.wav$")


def rows() -> list[dict[str, str]]:
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    found = [m.groupdict() for line in text.splitlines() if (m := ROW.match(line))]
    assert found, "no table rows in docs/voice/README.md"
    return found


def samples_of(path: Path) -> array[int]:
    with wave.open(io.BytesIO(path.read_bytes()), "rb") as clip:
        out = array("h")
        out.frombytes(clip.readframes(clip.getnframes()))
        return out


def test_every_sample_call_has_its_row_and_the_five_asked_for_are_there() -> None:
    assert sorted(r["file"] for r in rows()) == sorted(p.name for p in DOCS.glob("*.wav"))
    numbers = {NAME.match(r["file"])["number"] for r in rows()}  # type: ignore[index]
    assert {"A001", "A023", "B105", "C999"} <= numbers
    assert any("goi-lai" in r["file"] for r in rows())


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["file"])
def test_a_sample_call_is_what_the_board_says_and_measures_as_written(row: dict[str, str]) -> None:
    name = NAME.match(row["file"])
    assert name is not None, row["file"]
    number, counter = name["number"], int(name["counter"])
    recall = int(name["recall"] or 0)
    voice = CallVoice()
    heard = samples_of(DOCS / row["file"])
    assert heard == voice.render(number, counter, recall=recall).samples
    assert row["says"].strip() == voice.text(number, counter, recall=recall)
    stats = measure(Audio(heard))
    assert f"{stats.duration:.3f}" == row["duration"]
    assert f"{stats.peak_dbfs:.2f}" == row["peak"]
    assert f"{stats.rms_dbfs:.2f}" == row["rms"]
    assert f"{stats.longest_gap:.2f}" == row["gap"]
    assert str(stats.clipped_samples) == row["clipped"]
