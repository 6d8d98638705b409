"""Benchmark of the voice: building a call's audio, and a call on the hub until the board hands
its first audio sample to the sound output.

    uv run python bench/voice.py [--calls 40] [--renders 300]

1. `render`: CallVoice.render + WAV bytes of a call (what the hub does per request), p50/p99.
2. `call → sample`: a counter calls over HTTP; the board (EventStream + CallAnnouncer, as the
   native display runs them) gets the event, fetches the call's WAV from the hub and starts the
   speaker; p50/p99 of the time from the counter's request to the first sample queued (the
   speaker's `play`). Goal ≤ 150 ms. The speaker here records the moment and ends at once, so the
   calls do not wait ~7 s for each other's sound; each call comes to a quiet board (after the
   board's pause between two calls).
3. `sink start`: Qt Multimedia's QAudioSink from `start()` to the Active state, on the default
   output (a PulseAudio null sink when one runs; skipped without an audio output).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

from PySide6.QtCore import QCoreApplication, QMetaObject, Qt, QTimer

from kiosk.config import Settings, save_settings
from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths
from kiosk.setup import init_office
from kiosk.ui import voice_player
from kiosk.ui.events import EventStream
from kiosk.ui.voice_player import CallAnnouncer, Pcm, QtSpeaker
from kiosk.voice.calls import CallVoice

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub import free_port, percentile


def ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:6.1f} ms  "
        f"p99 {percentile(values, 99) * 1000:6.1f} ms  (n={len(values)})"
    )


def bench_render(renders: int) -> None:
    voice = CallVoice()
    voice.render("A001", 1)
    took = []
    for n in range(renders):
        start = time.perf_counter()
        voice.render(f"A{n % 1000:03d}", n % 12 + 1, recall=n % 2).wav_bytes()
        took.append(time.perf_counter() - start)
    print(f"render        {ms(took)}")


class Stopwatch:
    """A speaker that notes when the first sample would be queued, and ends at once."""

    def __init__(self, on_play: Callable[[], None]) -> None:
        self.on_play = on_play

    def play(self, pcm: Pcm, done: Callable[[], None]) -> None:
        self.on_play()
        QTimer.singleShot(0, done)

    def stop(self) -> None:
        pass


def bench_calls(calls: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="kiosk-bench-voice-"))
    save_settings(Settings(office_name="Trung tâm thử giọng đọc"), root / "settings.toml")
    init_office(resolve_paths(root), demo=False, dossiers=0, seed=1)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port)],
        env={**os.environ, "KIOSK_DATA_DIR": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/api/health", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        run_calls(url, root, calls)
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(10)


def run_calls(url: str, root: Path, calls: int) -> None:
    admin = HubClient(url, (root / "admin-token.txt").read_text().strip())
    admin.create_first_admin("quantri", "Quản trị", "quantri-2468")
    kiosk = HubClient(url, admin.add_device("Kiosk", "kiosk")["token"])
    display_token = admin.add_device("TV", "display")["token"]
    counter = HubClient(url, admin.add_device("Quầy 1", "counter", 1)["token"])
    admin.add_staff("lan", "Trần Thị Lan", "2468")
    counter.login("lan", "2468")
    for _ in range(calls):
        kiosk.issue("A")

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    board = HubClient(url, display_token)
    http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {display_token}"})

    def render(number: str, counter_number: int, recall: int) -> bytes:
        answer = http.get(
            "/api/voice/call.wav",
            params={"number": number, "counter": counter_number, "recall": recall},
        )
        answer.raise_for_status()
        return answer.content

    heard = threading.Event()
    played_at: list[float] = []

    def on_play() -> None:
        played_at.append(time.perf_counter())
        heard.set()

    announcer = CallAnnouncer(render, Stopwatch(on_play))
    stream = EventStream(board.events_url)
    stream.event.connect(
        lambda e: (
            announcer.announce(e["ticket"]["display_number"], int(e["counter_number"]))
            if e.get("kind") == "ticket.called"
            else None
        )
    )
    ready = threading.Event()
    stream.online.connect(lambda up: ready.set() if up else None)
    took: list[float] = []

    def drive() -> None:
        ready.wait(10)
        time.sleep(0.5)
        for _ in range(calls):
            heard.clear()
            start = time.perf_counter()
            counter.call_next(1)
            if not heard.wait(5):
                print("a call was not spoken within 5 s", file=sys.stderr)
                break
            took.append(played_at[-1] - start)
            counter.no_show(1)
            # The board keeps a pause between two calls (BETWEEN_CALLS_MS); measure each call as
            # it comes to a quiet board, not the pause the previous one left.
            time.sleep(voice_player.BETWEEN_CALLS_MS / 1000 + 0.1)
        QMetaObject.invokeMethod(app, "quit", Qt.ConnectionType.QueuedConnection)

    stream.start()
    worker = threading.Thread(target=drive)
    worker.start()
    app.exec()
    worker.join()
    stream.stop()
    announcer.stop()
    print(f"call → sample {ms(took)}")


def bench_sink(starts: int) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    if QMediaDevices.defaultAudioOutput().isNull():
        print("sink start    (no audio output on this machine: not measured)")
        return
    pcm = Pcm.from_wav(CallVoice().render("A001", 1).wav_bytes())
    speaker = QtSpeaker()
    took: list[float] = []
    for _ in range(starts):
        start = time.perf_counter()
        speaker.play(pcm, lambda: None)
        sink = speaker._sink
        assert sink is not None
        while sink.state().name != "ActiveState" and time.perf_counter() - start < 2:
            app.processEvents()
        took.append(time.perf_counter() - start)
        speaker.stop()
    print(f"sink start    {ms(took)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--sink-starts", type=int, default=20)
    args = parser.parse_args()
    bench_render(args.renders)
    bench_calls(args.calls)
    bench_sink(args.sink_starts)


if __name__ == "__main__":
    main()
