"""`kiosk selfcheck`: every part of an installation exercised once, failures named in words."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk import selfcheck
from kiosk.cli import cli


def test_a_complete_installation_passes_every_check_in_a_fresh_process() -> None:
    # A separate interpreter, as an installed copy runs it: nothing imported by other tests.
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "selfcheck", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    names = [c["name"] for c in report["checks"]]
    assert names == [name for name, _ in selfcheck.CHECKS]
    thermal = next(c for c in report["checks"] if c["name"] == "In phiếu số")
    assert "byte ESC/POS" in thermal["detail"]


def test_missing_assets_are_reported_by_name_and_the_other_checks_still_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "assets"
    empty.mkdir()
    # What a bundle built without its data files looks like: the assets folder is empty.
    monkeypatch.setattr("kiosk.setup.assets_dir", lambda: empty)
    result = CliRunner().invoke(cli, ["selfcheck"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    catalogue = next(line for line in lines if "Danh mục thủ tục" in line)
    assert catalogue.lstrip().startswith("✗") and "default.json" in catalogue
    assert any(line.lstrip().startswith("✓ In phiếu số") for line in lines)
    assert "1 mục lỗi" in result.output
    assert "Traceback" not in result.output
