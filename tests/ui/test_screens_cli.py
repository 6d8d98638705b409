"""`kiosk demo --seconds` and `kiosk screenshots`, run as a user would (separate processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image


def kiosk(data_dir: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_demo_opens_the_screens_and_quits_by_itself(tmp_path: Path) -> None:
    result = kiosk(tmp_path / "demo", "demo", "--seconds", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Chế độ trình diễn sẽ khởi động" in result.stdout
    assert "Traceback" not in result.stderr
    devices = json.loads((tmp_path / "demo" / "demo-devices.json").read_text("utf-8"))
    assert {"kiosk", "display", "rating-1", "admin", "counter-1"} <= set(devices)
    assert "quantri" in result.stdout and "quay1" in result.stdout


def _ink(image: Image.Image) -> tuple[float, int]:
    """The share of pixels that differ from the picture's commonest colour, and how many
    colours there are: a blank or one-colour render has (0.0, 1)."""
    small = image.convert("RGB").resize((image.width // 4, image.height // 4), Image.Resampling.BOX)
    colours = small.getcolors(maxcolors=small.width * small.height) or []
    commonest = max(count for count, _ in colours)
    return 1 - commonest / (small.width * small.height), len(colours)


def test_screenshots_renders_every_screen_at_its_size_with_something_drawn(
    tmp_path: Path,
) -> None:
    out = tmp_path / "shots"
    result = kiosk(tmp_path / "office", "screenshots", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    sizes, pixels = {}, {}
    for path in sorted(out.glob("*.png")):
        with Image.open(path) as image:
            sizes[path.stem] = image.size
            pixels[path.stem] = image.convert("RGB").tobytes()
            ink, colours = _ink(image)
        # A screen holds text, cards and lines on a calm background: a blank, one-colour or
        # barely drawn render (a page not laid out, a widget grabbed before it painted) fails.
        assert ink >= 0.02 and colours >= 16, f"{path.name}: ink {ink:.3f}, {colours} colours"
    assert sizes["kiosk-portrait-home-busy"] == (1080, 1920)
    assert sizes["kiosk-landscape-ticket-printer-error"] == (1920, 1080)
    assert sizes["display-offline"] == (1920, 1080)
    assert sizes["rating-ask"] == (1280, 800)
    assert sizes["admin-1366x768-login"] == (1366, 768)
    assert sizes["admin-1920x1080-restore-confirm"] == (1920, 1080)
    states = {"empty-office", "long-names", "printer-error", "offline"}
    assert all(any(s in name for name in sizes) for s in states), sorted(sizes)
    # Every state is its own picture: two states drawn the same means one was not drawn at all.
    same: dict[bytes, list[str]] = {}
    for name, data in pixels.items():
        same.setdefault(data, []).append(name)
    assert [names for names in same.values() if len(names) > 1] == []
