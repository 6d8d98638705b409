"""Sites killed with SIGKILL at random points of their sync, through a misbehaving network.

Each kill is followed by the invariant: the district server's events for the site are exactly a
prefix of the site's outbox (same seqs, event ids and hashes; no duplicate, no hole). When the
network heals and the site drains, the prefix is the whole outbox.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from districtproc import DistrictProcess, make_site, site_events
from faultproxy import HEALTHY, STORMY, FaultProxy

HERE = Path(__file__).resolve().parent
KILLS_PER_SITE = 120
SITES = 2


class Zygote:
    """tests/sync/site_zygote.py as a process: forks site processes on command."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "site_zygote.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **command: object) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the site zygote died"
        answer: dict[str, int] = json.loads(line)
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(10)
        self.process.stdout.close()


def assert_server_holds_a_prefix(district: DistrictProcess, office: Path, site_id: str) -> int:
    server = district.events(site_id)
    site = site_events(office / "office.db")
    assert [seq for seq, _, _ in server] == list(range(1, len(server) + 1)), "hole or duplicate"
    assert server == site[: len(server)], "the server holds something the site did not send"
    return len(server)


def storm(district: DistrictProcess, proxy: FaultProxy, office: Path, seed: int) -> list[int]:
    from kiosk.store import Store

    with Store.open(office / "office.db") as store:
        site_id = store.site_id
    rng = random.Random(seed)
    zygote = Zygote()
    held: list[int] = []
    try:
        for kill in range(KILLS_PER_SITE):
            pid = zygote.ask(op="run", office=str(office), url=proxy.url, seed=seed * 1000 + kill)[
                "pid"
            ]
            # A random point of the child's life: opening, emitting, mid-request, recording.
            time.sleep(rng.uniform(0.0, 0.4))
            os.kill(pid, signal.SIGKILL)
            status = zygote.ask(op="reap", pid=pid)["status"]
            assert os.WIFSIGNALED(status), f"site process ended by itself: {status}"
            held.append(assert_server_holds_a_prefix(district, office, site_id))
        return held
    finally:
        zygote.close()


@pytest.mark.slow
def test_sites_killed_hundreds_of_times_through_a_faulty_network_lose_and_duplicate_nothing(
    district: DistrictProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    offices = [make_site(tmp_path / f"site{n}", district) for n in range(SITES)]
    proxy.set_weights(STORMY)
    results: dict[int, list[int] | BaseException] = {}

    def one(n: int) -> None:
        try:
            results[n] = storm(district, proxy, offices[n], seed=n + 1)
        except BaseException as error:
            results[n] = error

    threads = [threading.Thread(target=one, args=(n,)) for n in range(SITES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in results.values():
        if isinstance(outcome, BaseException):
            raise outcome
    # The storm really happened: every fault was met, and the sites made progress through it.
    assert all(proxy.counts[fault] > 20 for fault in STORMY), proxy.counts
    for outcome in results.values():
        assert isinstance(outcome, list) and outcome[-1] > 50

    proxy.set_weights(HEALTHY)
    zygote = Zygote()
    try:
        for office in offices:
            assert zygote.ask(op="drain", office=str(office), url=proxy.url)["status"] == 0
    finally:
        zygote.close()
    from kiosk.store import Store

    for office in offices:
        with Store.open(office / "office.db") as store:
            site_id = store.site_id
        assert district.events(site_id) == site_events(office / "office.db")
