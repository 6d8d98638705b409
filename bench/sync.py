"""Benchmark of the sync: a week offline in a busy centre (100,000 events queued) pushed to the
district server on PostgreSQL, then 20 such sites pushing at once.

Prints events/s and total time for one site and for all the sites together. Goal: the backlog of
one site in ≤ 30 s. The sites push with the real client (`kiosk.sync.worker.Syncer`, batches of
MAX_BATCH_EVENTS, one recorded mark per batch) to the real server process (`kiosk district
serve`) over loopback; each site of the 20 is its own process. A fresh PostgreSQL database is
created for the run and dropped after it.

    uv run python bench/sync.py [--events 100000] [--sites 20] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from kiosk.clock import VN_TZ, FixedClock
from kiosk.store import Store
from kiosk.sync.client import DistrictClient
from kiosk.sync.state import ACTOR, set_setting
from kiosk.sync.worker import Syncer

DEFAULT_POSTGRES = "postgresql://kiosk_test:kiosk_test@127.0.0.1:5432/kiosk_test"
GOAL_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the backlog ----------------------------------------------------------------------------


def week_of_events(n: int, rng: random.Random) -> list[tuple[datetime, str, dict[str, Any]]]:
    """`n` events shaped like a centre's week: tickets, calls, receptions, transitions, ratings."""
    start = datetime(2026, 3, 16, 7, 30, tzinfo=VN_TZ)
    events: list[tuple[datetime, str, dict[str, Any]]] = []
    ticket = dossier = 0
    while len(events) < n:
        day = len(events) * 5 // n
        at = start + timedelta(days=day, seconds=rng.randint(0, 9 * 3600))
        ticket += 1
        counter = rng.randint(1, 20)
        public = {
            "id": ticket,
            "number": f"A{ticket % 1000:03d}",
            "prefix": "A",
            "group_name": "Hộ tịch - Chứng thực",
            "state": "waiting",
            "issued_at": at.isoformat(),
            "priority_category": None,
        }
        for kind in ("ticket.issued", "ticket.called", "ticket.finished"):
            payload = {
                "ticket_event_id": len(events) + 1,
                "at": at.isoformat(),
                "counter_number": None if kind == "ticket.issued" else counter,
                "details": {} if kind != "ticket.finished" else {"outcome": "received"},
                "ticket": {**public, "state": kind.split(".")[1]},
            }
            events.append((at, kind, payload))
            at += timedelta(seconds=rng.randint(30, 900))
        if rng.random() < 0.6:
            dossier += 1
            code = f"000.00.21.H12-260316-{dossier:04d}"
            events.append(
                (
                    at,
                    "dossier.received",
                    {
                        "status": "received",
                        "code": code,
                        "unit_code": "000.00.21.H12",
                        "procedure_code": rng.choice(["1.001193", "1.001612", "2.000815"]),
                        "received_at": at.isoformat(),
                        "due_at": (at + timedelta(days=3)).isoformat(),
                        "channel": "counter",
                        "return_channel": "counter",
                        "sets": 1,
                        "fee": rng.choice([0, 8000, 50000]),
                        "register_year": 2026,
                        "register_no": dossier,
                        "created_by": f"staff:{counter}",
                    },
                )
            )
            if rng.random() < 0.5:
                events.append(
                    (
                        at,
                        "dossier.transitioned",
                        {
                            "code": code,
                            "status_from": "received",
                            "status_to": "processing",
                            "at": (at + timedelta(hours=2)).isoformat(),
                            "actor": f"staff:{counter}",
                        },
                    )
                )
            if rng.random() < 0.3:
                events.append(
                    (
                        at,
                        "rating.given",
                        {
                            "level": rng.choice(["very_satisfied", "satisfied", "unsatisfied"]),
                            "at": at.isoformat(),
                            "counter_number": counter,
                            "staff": f"staff{counter}",
                            "ticket_id": ticket,
                            "dossier_code": code,
                            "has_comment": False,
                            "unit_code": "000.00.21.H12",
                        },
                    )
                )
    return events[:n]


def build_template(path: Path, n: int) -> None:
    """An office database with `n` events in its outbox, none sent."""
    clock = FixedClock(datetime(2026, 3, 16, 7, 30, tzinfo=VN_TZ))
    events = week_of_events(n, random.Random(2026))
    with Store.open(path, clock=clock) as store:
        for first in range(0, n, 5000):
            clock.now = events[first][0]
            with store.write("bench", "bench.backlog") as tx:
                for _, kind, payload in events[first : first + 5000]:
                    tx.emit(kind, payload)


def make_site(template: Path, path: Path, site_id: str) -> None:
    shutil.copyfile(template, path)
    with Store.open(path) as store, store.write(ACTOR, "bench.site") as tx:
        set_setting(tx, "site_id", site_id)


# --- the district server -----------------------------------------------------------------------


def fresh_database(base_url: str, name: str) -> str:
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(base_url: str, name: str) -> None:
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_district(database: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (workdir / "district.log").open("ab")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "kiosk", "--data-dir", str(workdir)),
            *("district", "serve", "--port", str(port), "--database", database),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=0.5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the district server did not start")


def register(database: str, site_ids: list[str]) -> dict[str, str]:
    from kiosk.district.sites import add_site
    from kiosk.district.storage import Database

    with Database.open(database) as db:
        now = datetime.now(VN_TZ)
        return {site: add_site(db, site, now=now, name=f"Bench {site}") for site in site_ids}


# --- pushing ------------------------------------------------------------------------------------


def push_site(path: Path, url: str, secret: str) -> dict[str, float]:
    """Push a site's whole backlog; its figures."""
    started = time.perf_counter()
    with Store.open(path) as store, DistrictClient(url, store.site_id, secret) as client:
        report = Syncer(store, client).run(pull=False, handshake=True)
    seconds = time.perf_counter() - started
    return {"events": report.pushed, "batches": report.batches, "seconds": seconds}


def run_many(sites: list[tuple[Path, str]], url: str) -> tuple[float, list[dict[str, float]]]:
    """Every site in its own process at once; (wall seconds, each site's figures)."""
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--push-one", str(path), url, secret],
            stdout=subprocess.PIPE,
            text=True,
        )
        for path, secret in sites
    ]
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"a site failed with {process.returncode}")
        results.append(json.loads(out))
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument(
        "--postgres", default=os.environ.get("KIOSK_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--push-one", nargs=3, metavar=("DB", "URL", "SECRET"))
    args = parser.parse_args()
    if args.push_one:
        path, url, secret = args.push_one
        print(json.dumps(push_site(Path(path), url, secret)))
        return

    name = f"kiosk_bench_sync_{os.getpid()}"
    database = fresh_database(args.postgres, name)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as folder:
        root = Path(folder)
        process: subprocess.Popen[bytes] | None = None
        try:
            started = time.perf_counter()
            build_template(root / "template.db", args.events)
            print(
                f"backlog of {args.events:,} events built in {time.perf_counter() - started:.1f} s"
            )
            process, url = start_district(database, root)
            site_ids = ["one"] + [f"site{n:02d}" for n in range(args.sites)]
            secrets = register(database, site_ids)
            for site in site_ids:
                make_site(root / "template.db", root / f"{site}.db", site)

            single = push_site(root / "one.db", url, secrets["one"])
            rate = single["events"] / single["seconds"]
            verdict = "OK" if single["seconds"] <= GOAL_SECONDS else "MISSED"
            print(
                f"one site : {single['events']:,.0f} events in {single['seconds']:.1f} s "
                f"({rate:,.0f} events/s, {single['batches']:.0f} batches) "
                f"— goal ≤ {GOAL_SECONDS:.0f} s: {verdict}"
            )
            wall, results = run_many(
                [(root / f"{site}.db", secrets[site]) for site in site_ids[1:]], url
            )
            total = sum(r["events"] for r in results)
            slowest = max(r["seconds"] for r in results)
            print(
                f"{args.sites} sites: {total:,.0f} events in {wall:.1f} s "
                f"({total / wall:,.0f} events/s together; slowest site {slowest:.1f} s)"
            )
        finally:
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(20)
            drop_database(args.postgres, name)


if __name__ == "__main__":
    main()
