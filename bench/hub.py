"""Benchmark of the office hub over loopback: 30 counters calling and finishing, a kiosk issuing,
5 displays on the event stream.

Prints p50/p99 of `call_next`, the delay from a call to its arrival at every display, and the
sustained operations per second. Goals on the 2-core machine: p99 call ≤ 50 ms, p99 propagation
≤ 100 ms, ≥ 200 operations/s.

    uv run python bench/hub.py [--seconds 20] [--counters 30] [--displays 5]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from kiosk.config import Counter, Group, Settings, save_settings
from kiosk.hub.client import HubClient, HubError
from kiosk.paths import resolve_paths
from kiosk.setup import init_office


def display_process(
    url: str,
    token: str,
    displays: int,
    arrived: multiprocessing.Queue[tuple[int, float]],
    ready: Any,
    halt: Any,
) -> None:
    """`displays` WebSocket clients; each reports (ticket id, arrival time) of every call."""

    def listen(started: threading.Barrier) -> None:
        with connect(f"ws://{url[7:]}/api/events?token={token}") as ws:
            ws.recv(timeout=10)  # the snapshot
            started.wait()
            while not halt.is_set():
                try:
                    message = json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                now = time.perf_counter()
                event = message.get("event") or {}
                if event.get("kind") == "ticket.called":
                    arrived.put((int(event["ticket"]["id"]), now))

    barrier = threading.Barrier(displays + 1)
    threads = [threading.Thread(target=listen, args=(barrier,)) for _ in range(displays)]
    for thread in threads:
        thread.start()
    barrier.wait()
    ready.set()
    for thread in threads:
        thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--counters", type=int, default=30)
    parser.add_argument("--displays", type=int, default=5)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="kiosk-bench-hub-"))
    groups = (Group("A", "Hộ tịch"), Group("B", "Chứng thực"), Group("C", "Đất đai"))
    counters = tuple(
        Counter(n, f"Quầy {n}", (), ("ABC"[n % 3], "ABC"[(n + 1) % 3]))
        for n in range(1, args.counters + 1)
    )
    save_settings(
        Settings(office_name="Trung tâm thử tải", groups=groups, counters=counters),
        root / "settings.toml",
    )
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
        run(url, root, args)
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(10)


def run(url: str, root: Path, args: argparse.Namespace) -> None:
    admin = HubClient(url, (root / "admin-token.txt").read_text().strip())
    admin.create_first_admin("quantri", "Quản trị", "quantri-2468")  # admin routes need one
    kiosk = HubClient(url, admin.add_device("Kiosk", "kiosk")["token"])
    display_token = admin.add_device("TV", "display")["token"]
    clients: list[HubClient] = []
    for n in range(1, args.counters + 1):
        admin.add_staff(f"nv{n}", f"Cán bộ {n}", f"{1000 + n}")
        client = HubClient(url, admin.add_device(f"Quầy {n}", "counter", n)["token"])
        client.login(f"nv{n}", f"{1000 + n}")
        clients.append(client)

    stop = threading.Event()
    lock = threading.Lock()
    call_ms: list[float] = []
    other_ms: list[float] = []
    committed_at: dict[int, float] = {}  # ticket id -> when its call_next request was sent
    arrivals: list[float] = []
    operations = 0

    def count(ms: float, calls: bool = False) -> None:
        nonlocal operations
        with lock:
            operations += 1
            (call_ms if calls else other_ms).append(ms)

    def kiosk_loop() -> None:
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            kiosk.issue("ABC"[n % 3])
            count((time.perf_counter() - started) * 1000)
            n += 1
            time.sleep(0.01)

    def counter_loop(client: HubClient, number: int) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ticket = client.call_next(number)
            except HubError:
                continue
            returned = time.perf_counter()
            count((returned - started) * 1000, calls=True)
            if ticket is None:
                time.sleep(0.05)
                continue
            with lock:
                committed_at[ticket["id"]] = started
            started = time.perf_counter()
            client.finish(number, "guided")
            count((time.perf_counter() - started) * 1000)

    # Some tickets waiting before the clock starts, so counters have work from the first second.
    for n in range(args.counters * 2):
        kiosk.issue("ABC"[n % 3])
    # Displays listen in their own process, so their timing is not skewed by this one's threads
    # (time.perf_counter is the system-wide monotonic clock, comparable across processes).
    ctx = multiprocessing.get_context("spawn")
    arrived: multiprocessing.Queue[tuple[int, float]] = ctx.Queue()
    ready = ctx.Event()
    halt = ctx.Event()
    listeners = ctx.Process(
        target=display_process, args=(url, display_token, args.displays, arrived, ready, halt)
    )
    listeners.start()
    ready.wait(30)
    threads = [threading.Thread(target=kiosk_loop)]
    threads += [
        threading.Thread(target=counter_loop, args=(c, n)) for n, c in enumerate(clients, 1)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join(30)
    elapsed = time.perf_counter() - began
    time.sleep(1.0)  # let the last calls reach the displays
    halt.set()
    while True:
        try:
            ticket_id, at = arrived.get(timeout=2)
        except queue.Empty:
            break
        if ticket_id in committed_at:
            arrivals.append((at - committed_at[ticket_id]) * 1000)
    listeners.join(10)

    print(
        f"hub over loopback: {args.counters} counters, 1 kiosk, {args.displays} displays, "
        f"{elapsed:.1f} s, {os.cpu_count()} cores"
    )
    print(f"{'measure':<34}{'n':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, values in (
        ("call_next (request → response)", call_ms),
        ("issue / finish", other_ms),
        ("call → arrival at a display", arrivals),
    ):
        print(
            f"{name:<34}{len(values):>8}{percentile(values, 50):>10.1f}"
            f"{percentile(values, 99):>10.1f}{max(values, default=float('nan')):>10.1f}"
        )
    print(
        f"sustained operations/s: {operations / elapsed:.0f} "
        f"(API calls that changed or read the queue; goal ≥ 200)"
    )
    print(f"median call_next: {statistics.median(call_ms):.1f} ms")


if __name__ == "__main__":
    main()
