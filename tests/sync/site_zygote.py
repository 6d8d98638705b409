"""A site that syncs, as processes the test can SIGKILL hundreds of times cheaply.

Run as `python site_zygote.py`: it imports everything once, then reads JSON commands on stdin,
one per line, and answers one JSON line each:
- {"op": "run", "office": DIR, "url": URL, "seed": S}: fork a site process that emits events and
  pushes them in small batches through URL, forever (until killed); answers {"pid": PID}.
- {"op": "reap", "pid": PID}: wait for that (killed) process; answers {"status": N}.
- {"op": "drain", "office": DIR, "url": URL}: fork a site process that pushes everything still
  pending and exits; waits for it; answers {"status": N}.
The zygote itself has no thread and no open database when it forks, so each child starts clean
and opens its own connection, like a site process that was started again.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
from pathlib import Path

import httpx

from kiosk.store import Store
from kiosk.sync.client import DistrictClient, read_secret
from kiosk.sync.errors import SyncUnreachable
from kiosk.sync.state import pending_events, recorded_mark
from kiosk.sync.worker import Syncer


def _client(office: Path, url: str, store: Store) -> DistrictClient:
    secret = read_secret(office)
    assert secret is not None
    return DistrictClient(url, store.site_id, secret, timeout=httpx.Timeout(5.0))


def run_site(office: Path, url: str, seed: int) -> None:
    rng = random.Random(seed)
    with Store.open(office / "office.db") as store, _client(office, url, store) as client:
        syncer = Syncer(store, client, batch_events=rng.choice([1, 2, 3, 5, 8, 13]))
        while True:
            count = rng.randint(0, 4)
            if count:
                with store.write("test:site", "test.emit") as tx:
                    for _ in range(count):
                        tx.emit("test.event", {"n": rng.randint(0, 10**9), "tên": "Đặng Thị Ánh"})
            with contextlib.suppress(SyncUnreachable):
                syncer.run(pull=False, handshake=rng.random() < 0.2 or not syncer.handshaken)


def drain(office: Path, url: str) -> int:
    with Store.open(office / "office.db") as store, _client(office, url, store) as client:
        syncer = Syncer(store, client, batch_events=50)
        for _ in range(200):
            try:
                syncer.run(pull=False, handshake=True)
            except SyncUnreachable:
                continue
            if not pending_events(store, recorded_mark(store), 1):
                return 0
    return 3


def main() -> None:
    DistrictClient("http://127.0.0.1:9", "warm-up", "secret").close()  # TLS context, once
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "reap":
            _, status = os.waitpid(int(command["pid"]), 0)
            answer = {"status": status}
        else:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    if op == "run":
                        run_site(Path(command["office"]), command["url"], int(command["seed"]))
                    else:
                        code = drain(Path(command["office"]), command["url"])
                finally:
                    os._exit(code)
            if op == "run":
                answer = {"pid": pid}
            else:
                _, status = os.waitpid(pid, 0)
                answer = {"status": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
