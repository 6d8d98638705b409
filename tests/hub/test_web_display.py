"""The web display board in a real headless Chromium against the real hub."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hubproc import Office

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1920,1080",
]


def render_dom(url: str, profile: Path) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Chromium is needed for the web display test (.ci/run installs it)")
    result = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    return result.stdout


def render_until(url: str, profile: Path, marker: str, attempts: int = 3) -> str:
    """Chromium's virtual time does not wait for a WebSocket: on a loaded machine the first
    render can come before the snapshot. Render again (a new page load) a few times."""
    dom = ""
    for attempt in range(attempts):
        dom = render_dom(url, profile.with_name(f"{profile.name}-{attempt}"))
        if marker in dom:
            break
    return dom


def test_the_board_shows_each_counter_and_the_latest_call(office: Office, tmp_path: Path) -> None:
    office.kiosk.issue("A")
    office.kiosk.issue("B")
    office.counters[1].call_next(1)
    office.counters[2].call_next(2)
    dom = render_until(
        f"{office.hub.url}/display?token={office.display_token}", tmp_path / "p", "B001"
    )
    assert 'id="latest-number">A001<' in dom or 'id="latest-number">B001<' in dom
    assert "Quầy 1" in dom and "A001" in dom and "B001" in dom
    assert "UBND xã Thử Nghiệm" in dom
    assert '<div class="offline" id="offline" hidden="">' in dom


def test_a_board_with_a_wrong_token_says_so(office: Office, tmp_path: Path) -> None:
    dom = render_until(f"{office.hub.url}/display?token=wrong", tmp_path / "p", "cấp quyền")
    assert "chưa được cấp quyền" in dom
    assert '<div class="offline" id="offline">' in dom
