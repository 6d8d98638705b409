"""The installable bundle (installer/kiosk.spec): built with PyInstaller, it passes its own
self-check, so no module or data file the spec forgot reaches an office."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_one_folder_bundle_builds_and_passes_its_self_check(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build.py"),
            f"--dist={dist}",
            f"--work={work}",
        ],
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    exe = dist / "mot-cua-kiosk" / ("kiosk.exe" if os.name == "nt" else "kiosk")
    # The bundle runs without this checkout: a fresh data folder, an office created in it.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(tmp_path / "o")}
    env.pop("PYTHONPATH", None)
    report = subprocess.run(
        [str(exe), "selfcheck", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert json.loads(report.stdout)["ok"] is True
    init = subprocess.run(
        [str(exe), "init", "--demo", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    assert (tmp_path / "o" / "office.db").is_file()
