"""Benchmark of the kiosk screen: time from process start to its first painted frame (with the
office's groups on it), and its memory (RSS) after issuing and printing 1,000 tickets.

Goals on this machine: first frame ≤ 2 s, RSS ≤ 250 MB. The hub runs as its own process on
loopback; the kiosk is a fresh Python process (offscreen), as on a real kiosk PC at boot.
Tickets go through the kiosk's own flow (tap → issue → render → ESC/POS → printer), the printer
being `file:/dev/null`, so only our side is measured.

    uv run python bench/startup.py [--tickets 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hub"))

from hubproc import HubProcess, make_office  # noqa: E402

KIOSK_CHILD = r"""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QEventLoop
from kiosk.ui import theme
from kiosk.hub.client import HubClient
from kiosk.ui.kiosk.screen import KioskWindow
from kiosk.ui.kiosk.services import HubServices

url, token, tickets = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = theme.application()
window = KioskWindow(HubServices(HubClient(url, token), "file:/dev/null"))
first_paint = []

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and window.home.cards and not first_paint:
            first_paint.append(time.time())
        return False

watch = Watch()
window.installEventFilter(watch)
window.resize(1080, 1920)
window.show()
while not first_paint:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    window.update()

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

rss_start = rss_mb()
prefixes = [g.prefix for g in window.home._groups]
started = time.perf_counter()
for n in range(tickets):
    window.take_ticket(prefixes[n % len(prefixes)])
    while window._busy:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    window.go_home()
elapsed = time.perf_counter() - started
print(json.dumps({"first_paint": first_paint[0], "rss_start_mb": rss_start,
                  "rss_after_mb": rss_mb(), "tickets": window.issued_count,
                  "seconds_per_ticket": elapsed / max(tickets, 1)}))
sys.stdout.flush()
window.shutdown()
window.close()
window.deleteLater()
app.processEvents()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        hub = HubProcess(make_office(Path(folder) / "office"))
        hub.start()
        try:
            with hub.client() as admin:
                token = admin.add_device("Máy lấy số (đo)", "kiosk")["token"]
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            started = time.time()
            child = subprocess.run(
                [
                    sys.executable,
                    "-X",
                    "faulthandler",
                    "-c",
                    KIOSK_CHILD,
                    hub.url,
                    token,
                    str(args.tickets),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            hub.stop()
    lines = child.stdout.strip().splitlines()
    if not lines:
        sys.exit(f"kiosk process failed ({child.returncode}):\n{child.stderr[-3000:]}")
    if child.returncode != 0:
        print(f"warning: the kiosk process ended with status {child.returncode} after measuring")
    result = json.loads(lines[-1])
    first = result["first_paint"] - started
    print(
        f"first painted frame:     {first:.2f} s   (goal ≤ 2 s)  {'OK' if first <= 2 else 'OVER'}"
    )
    print(f"RSS at first frame:      {result['rss_start_mb']:.0f} MB")
    after = result["rss_after_mb"]
    print(
        f"RSS after {result['tickets']} tickets: {after:.0f} MB  (goal ≤ 250 MB)  "
        f"{'OK' if after <= 250 else 'OVER'}"
    )
    print(f"per ticket (issue+print): {result['seconds_per_ticket'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
