"""Queue engine benchmark, in-process: issue, call_next and finish against the real store.

    uv run python bench/queue_engine.py                    # 30 counters, 3,000 tickets
    uv run python bench/queue_engine.py --counters 10 --tickets 1000 --db /tmp/q.db

One thread plays the kiosk and every counter in turn (no network: `bench/hub.py` measures the
hub). Each step is one `BEGIN IMMEDIATE` transaction with `synchronous=FULL`, so the figures are
bounded by the disk's fsync time. Prints p50/p99 of each step and operations per second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.queue import Counter, Group, Outcome, PriorityCategory, QueueEngine
from kiosk.store import Store

SEED = 20260316


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run(db: Path, counters: int, tickets: int) -> dict[str, list[float]]:
    rng = random.Random(SEED)
    groups = [Group(p, f"Nhóm {p}") for p in "ABCD"]
    specs = [
        Counter(n, f"Quầy {n}", groups=tuple(rng.sample("ABCD", k=rng.randint(1, 4))))
        for n in range(1, counters + 1)
    ]
    timings: dict[str, list[float]] = {"issue": [], "call_next": [], "finish": []}
    with Store.open(db) as store:
        engine = QueueEngine(store)
        engine.configure(groups, specs, actor="bench")
        busy: set[int] = set()
        issued = 0
        while issued < tickets or busy or any(engine.waiting_tickets()):
            if issued < tickets:
                priority = PriorityCategory.ELDERLY if rng.random() < 0.1 else None
                start = time.perf_counter()
                engine.issue(rng.choice("ABCD"), priority=priority, actor="kiosk")
                timings["issue"].append(time.perf_counter() - start)
                issued += 1
            counter = rng.randint(1, counters)
            if counter in busy:
                start = time.perf_counter()
                engine.finish(counter, Outcome.GUIDED, actor="bench")
                timings["finish"].append(time.perf_counter() - start)
                busy.discard(counter)
            else:
                start = time.perf_counter()
                called = engine.call_next(counter, actor="bench")
                timings["call_next"].append(time.perf_counter() - start)
                if called is not None:
                    busy.add(counter)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=30)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "queue-bench.db"
        start = time.perf_counter()
        timings = run(db, args.counters, args.tickets)
        elapsed = time.perf_counter() - start
    operations = sum(len(v) for v in timings.values())
    print(f"{args.counters} counters, {args.tickets} tickets, {operations} operations")
    for step, values in timings.items():
        ms = [v * 1000 for v in values]
        print(
            f"{step:>10}: n={len(ms):6d}  p50={statistics.median(ms):6.2f} ms  "
            f"p99={percentile(ms, 0.99):6.2f} ms  max={max(ms):6.2f} ms"
        )
    print(f"sustained: {operations / elapsed:.0f} operations/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
