"""Render the default Vietnamese clip set (`assets/sounds/vi/`) offline with espeak-ng.

    uv run python scripts/make_voice_clips.py [--out assets/sounds/vi] [--rate 140] [--pitch 48]

Needs `espeak-ng` (Debian: `apt install espeak-ng`; its `vi` voice ships with it). Each word of
`kiosk/voice/words.py` is spoken, trimmed of leading and trailing silence, given 5 ms fades and
brought to the same loudness (RMS -20 dBFS, peak at most -1 dBFS), as 16-bit mono 22,050 Hz WAV.
The chime is a two-note tone computed here. An office's own recordings replace any of these files
(docs/voice.md); this script never overwrites a folder other than the one given.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.voice.audio import RATE, Audio, measure, read_clip  # noqa: E402
from kiosk.voice.recording import faded, normalised, trimmed  # noqa: E402
from kiosk.voice.words import CHIME, CLIP_TEXTS  # noqa: E402


def espeak(text: str, language: str, rate: int, pitch: int, out: Path) -> None:
    voice = "vi" if language == "vi" else "en-gb"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out), text],
        check=True,
    )


def chime() -> array:
    """Two soft bell notes (E5 then C5), each with a few harmonics and an exponential decay."""
    out = array("h")
    for frequency, length in ((659.25, 0.42), (523.25, 0.62)):
        for i in range(round(length * RATE)):
            t = i / RATE
            envelope = math.exp(-4.5 * t) * min(1.0, t / 0.008)
            tone = sum(
                amp * math.sin(2 * math.pi * frequency * k * t)
                for k, amp in ((1, 1.0), (2, 0.35), (3, 0.12))
            )
            out.append(round(9000 * envelope * tone))
    return normalised(faded(out, RATE))


def write(path: Path, samples: array) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())


def resampled(path: Path) -> array:
    """espeak-ng writes 22,050 Hz mono 16-bit already; refuse anything else loudly."""
    return read_clip(path).samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "sounds" / "vi")
    parser.add_argument("--rate", type=int, default=140, help="words per minute (espeak-ng -s)")
    parser.add_argument("--pitch", type=int, default=48, help="0-99 (espeak-ng -p)")
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (apt install espeak-ng)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / f"{CHIME}.wav", chime())
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        for key, (language, text) in CLIP_TEXTS.items():
            espeak(text, language, args.rate, args.pitch, raw)
            samples = normalised(faded(trimmed(resampled(raw), RATE), RATE))
            write(args.out / f"{key}.wav", samples)
            stats = measure(Audio(samples))
            print(
                f"{key:18} {stats.duration:5.2f} s  peak {stats.peak_dbfs:6.1f}  "
                f"rms {stats.rms_dbfs:6.1f}  {text}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
