"""Record from the real default microphone with the admin page's QtMicrophone (run by
test_admin_voice.py in its own process, PULSE_SERVER pointing at a private PulseAudio whose
default source is the monitor of the null sink the test plays a word into).

    python record_clip.py SECONDS OUT.wav   → prints the take's rate and channels, writes the
                                              prepared clip (kiosk.voice.recording.prepared)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.domain.errors import KioskError
from kiosk.ui.admin.voice_page import QtMicrophone
from kiosk.voice.recording import prepared


def main() -> int:
    seconds, out = float(sys.argv[1]), Path(sys.argv[2])
    app = QCoreApplication(sys.argv[:1])
    microphone = QtMicrophone()
    try:
        microphone.start()
    except KioskError as error:
        print(json.dumps({"error": error.message}, ensure_ascii=False), flush=True)
        return 3
    print(json.dumps({"recording": True}), flush=True)
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    samples, rate, channels = microphone.stop()
    report: dict[str, object] = {"rate": rate, "channels": channels, "samples": len(samples)}
    try:
        clip = prepared(samples, rate, channels=channels)
    except KioskError as error:
        report["error"] = error.message
    else:
        out.write_bytes(clip.wav_bytes())
        report["seconds"] = clip.duration
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
