"""Build the one-folder bundle and prove it works: PyInstaller, then `kiosk selfcheck` inside.

    uv run python installer/build.py [--dist DIR] [--work DIR]

Exit status 0 only when the bundle's own self-check passed. On Windows the bundle is what the
Inno Setup script (installer/windows/mot-cua-kiosk.iss) packs into the installer.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={args.dist}",
            f"--workpath={args.work}",
            str(ROOT / "installer" / "kiosk.spec"),
        ],
        check=True,
    )
    built = time.perf_counter() - started
    exe = args.dist / "mot-cua-kiosk" / ("kiosk.exe" if os.name == "nt" else "kiosk")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    check = subprocess.run([str(exe), "selfcheck"], env=env, check=False)
    size = sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file())
    print(f"bundle: {exe.parent} ({size / 1e6:.0f} MB), built in {built:.0f} s")
    return check.returncode


if __name__ == "__main__":
    raise SystemExit(main())
