"""Speak calls through the real audio output (run by test_voice_player.py in its own process,
with PULSE_SERVER pointing at a private PulseAudio whose null sink the test records)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.ui.voice_player import CallAnnouncer, QtSpeaker
from kiosk.voice.calls import CallVoice


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    voice = CallVoice()
    announcer = CallAnnouncer(lambda n, c, r: voice.render(n, c, recall=r).wav_bytes(), QtSpeaker())
    announcer.speaking.connect(lambda n, c, r: print(f"speaking {n} {c} {r}", flush=True))
    announcer.quiet.connect(app.quit)
    for item in sys.argv[1:]:
        number, counter, recall = item.split(":")
        announcer.announce(number, int(counter), int(recall))
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    announcer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
