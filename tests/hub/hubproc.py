"""The real hub as its own process on loopback, and an office of devices around it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from serverproc import CLOCK_START, clock_env, free_port, kill, launch, stop, wait_until_healthy

from kiosk.clock import RunningClock, parse_moment
from kiosk.config import Counter, Group, Settings, save_settings
from kiosk.hub.client import HubClient, HubError
from kiosk.paths import resolve_paths
from kiosk.setup import init_office

SETTINGS = Settings(
    office_name="UBND xã Thử Nghiệm",
    unit_code="000.00.00.T01",
    groups=(Group("A", "Hộ tịch", ("ho-tich",)), Group("B", "Chứng thực", ("chung-thuc",))),
    counters=tuple(Counter(n, f"Quầy {n}", (), ("A", "B")) for n in range(1, 11)),
)


#: The admin account every test office gets on first use of `HubProcess.client()`.
TEST_ADMIN = ("quantri", "Quản trị thử nghiệm", "quantri-2468")


@dataclass
class HubProcess:
    """A hub process over one office folder; can be killed and started again on the same data."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    #: Where the hub's clock starts (tests/serverproc.py CLOCK_START); it then runs in real time.
    clock_start: str = CLOCK_START
    _admin_session: str = field(default="", repr=False)
    _clock: RunningClock | None = field(default=None, repr=False)

    @property
    def clock(self) -> RunningClock:
        """The hub's clock as the test sees it: started with the first `start`, and carried on
        by every later start on the same data (a restart does not turn time back)."""
        if self._clock is None:
            self._clock = RunningClock(parse_moment(self.clock_start))
        return self._clock

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**clock_env(self.clock().isoformat()), "KIOSK_DATA_DIR": str(self.data_dir)}
        log_file = self.data_dir / "hub-stdout.log"
        self.process = launch(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port)],
            env=env,
            log_file=log_file,
        )
        wait_until_healthy(self.process, self.url, log_file, "hub", timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the power goes."""
        kill(self.process)

    def stop(self) -> None:
        stop(self.process)

    @property
    def admin_token(self) -> str:
        return (self.data_dir / "admin-token.txt").read_text(encoding="utf-8").strip()

    def client(self, token: str | None = None) -> HubClient:
        """A device's client; with no token, the ADMIN client: the hub's admin device with the
        test admin account logged in (see `admin_session`)."""
        if token is not None:
            return HubClient(self.url, token)
        return HubClient(self.url, self.admin_token, staff_session=self.admin_session())

    def admin_session(self, *, fresh: bool = False) -> str:
        """The test admin's session on the hub's admin device, created on first use (through
        the first-admin route while the office has no admin account). Every admin client of
        this hub shares it: a device holds one staff session, so a second login would end the
        first client's. `fresh` logs in again (after a restore, a logout)."""
        if self._admin_session and not fresh:
            return self._admin_session
        username, full_name, secret = TEST_ADMIN
        with HubClient(self.url, self.admin_token) as device:
            if device.first_admin_needed():
                answer = device.create_first_admin(username, full_name, secret)
            else:
                answer = device.login(username, secret)
        self._admin_session = str(answer["token"])
        return self._admin_session


def refused(call: Callable[[], object], status: int) -> HubError:
    """The hub's refusal of `call`, which must come with HTTP `status`."""
    with pytest.raises(HubError) as caught:
        call()
    assert caught.value.status == status, caught.value.message
    return caught.value


def age_print_test(hub: HubProcess, test_id: int, seconds: int) -> None:
    """Move a print test's request time back, as if its device had been offline that long."""
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(database)
    try:
        (asked,) = conn.execute(
            "SELECT requested_at FROM print_tests WHERE id = ?", (test_id,)
        ).fetchone()
        earlier = datetime.fromisoformat(asked) - timedelta(seconds=seconds)
        with conn:
            conn.execute(
                "UPDATE print_tests SET requested_at = ? WHERE id = ?",
                (earlier.isoformat(), test_id),
            )
    finally:
        conn.close()


def make_office(root: Path) -> Path:
    save_settings(SETTINGS, root / "settings.toml")
    init_office(resolve_paths(root), demo=False, dossiers=0, seed=1)
    return root


@dataclass
class Office:
    """A hub with its devices registered and a clerk logged in on counters 1 and 2."""

    hub: HubProcess
    admin: HubClient
    kiosk: HubClient
    display: HubClient
    counters: dict[int, HubClient]
    display_token: str
