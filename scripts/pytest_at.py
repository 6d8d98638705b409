"""Run the test suite (or a part of it) as if it were another moment, Vietnam time.

    uv run python scripts/pytest_at.py "2026-12-03 23:30" [PYTEST ARGS...]
    uv run python scripts/pytest_at.py "2026-12-31 23:59:30" tests/ui tests/hub -x

Uses libfaketime (`FAKETIME="@moment"` preloaded): the wall clock of pytest and of every process
it starts begins at the moment given and runs on from there, one clock for all of them
(`FAKETIME_DONT_RESET=1`); the monotonic clock stays real (`FAKETIME_DONT_FAKE_MONOTONIC=1`), so
timeouts and waits behave. The moment is read in Vietnam's time zone, which is also the local
time zone of the run (TZ=Asia/Ho_Chi_Minh). The suite must pass at any moment: its offices run
on their own injected clock (tests/serverproc.py CLOCK_START), so what this finds is a test or a
part of the product that still reads the wall clock.

Debian 12's libfaketime 0.9.10 cannot keep the monotonic clock real for Python 3.11 and newer:
every `time.sleep` fails with EINVAL (libfaketime issue #426, fixed upstream after 0.9.10). The
script checks the library before the run and says so; then build the fixed one and pass it:

    git clone https://github.com/wolfcw/libfaketime /tmp/libfaketime
    make -C /tmp/libfaketime/src
    export KIOSK_LIBFAKETIME=/tmp/libfaketime/src/libfaketime.so.1
    uv run python scripts/pytest_at.py "2027-02-06 08:00"

One more limit of libfaketime: with FAKETIME_DONT_RESET its processes share one lock file
(/dev/shm/faketime_lock_*) through inherited descriptors. A process killed by SIGKILL while it
holds that lock leaves it held, and every process of the run then blocks in its next time call.
`tests/sync/test_sigkill_storm.py` kills hundreds of forked site processes and once hung so (at
2026-12-31 23:59:30); run it apart with a clock per process (the same environment without
FAKETIME_DONT_RESET), and the rest with `--deselect tests/sync/test_sigkill_storm.py`.

Prints the moment, the command and pytest's result; exits with pytest's status (5, no tests, is
turned into 1 as in .ci/run).
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONE = "Asia/Ho_Chi_Minh"
SYSTEM_LIBS = ("/usr/lib/*/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1")
PROBE = "import threading, time; time.sleep(0.01); threading.Event().wait(0.01); print(time.time())"


def moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a moment: {text!r} (write it as 2026-12-03 23:30 or 2026-12-03T23:30:00)"
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lib",
        default=os.environ.get("KIOSK_LIBFAKETIME", ""),
        help="libfaketime.so.1 to preload (default: KIOSK_LIBFAKETIME, else the system's)",
    )
    parser.add_argument("moment", type=moment, help="Vietnam time, e.g. '2027-02-06 08:00'")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    args = parser.parse_args(argv)
    start: datetime = args.moment
    if start.tzinfo is not None:
        parser.error("give the moment without an offset: it is read as Vietnam time")
    lib = args.lib or next((p for pattern in SYSTEM_LIBS for p in sorted(glob.glob(pattern))), "")
    if not lib or not Path(lib).exists():
        parser.error("libfaketime not found: apt-get install faketime, or pass --lib")
    env = {
        **os.environ,
        "LD_PRELOAD": lib,
        "FAKETIME": f"@{start:%Y-%m-%d %H:%M:%S}",
        "TZ": ZONE,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_DONT_RESET": "1",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "KIOSK_HYPOTHESIS_PROFILE": os.environ.get("KIOSK_HYPOTHESIS_PROFILE", "ci"),
    }
    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        parser.error(
            f"{lib} breaks time.sleep when the monotonic clock is kept real (libfaketime "
            "issue #426, Debian 12's 0.9.10): build libfaketime from its repository and pass "
            f"--lib (see this script's docstring).\n{probe.stderr.strip().splitlines()[-1]}"
        )
    command = ["uv", "run", "pytest", *args.pytest_args]
    print(f"pytest_at: {start:%Y-%m-%d %H:%M:%S} ({ZONE}), {lib}: {' '.join(command)}", flush=True)
    status = subprocess.call(command, env=env, cwd=ROOT)
    if status == 5:
        print("pytest_at: pytest collected no tests: that is a failure here", file=sys.stderr)
        status = 1
    print(f"pytest_at: {start:%Y-%m-%d %H:%M:%S}: exit status {status}", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
