"""The real hub as its own process on loopback, and an office of devices around it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from serverproc import free_port, kill, stop, wait_until_healthy

from kiosk.config import Counter, Group, Settings, save_settings
from kiosk.hub.client import HubClient
from kiosk.paths import resolve_paths
from kiosk.setup import init_office

SETTINGS = Settings(
    office_name="UBND xã Thử Nghiệm",
    unit_code="000.00.00.T01",
    groups=(Group("A", "Hộ tịch", ("ho-tich",)), Group("B", "Chứng thực", ("chung-thuc",))),
    counters=tuple(Counter(n, f"Quầy {n}", (), ("A", "B")) for n in range(1, 11)),
)


@dataclass
class HubProcess:
    """A hub process over one office folder; can be killed and started again on the same data."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, "KIOSK_DATA_DIR": str(self.data_dir)}
        log = (self.data_dir / "hub-stdout.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_until_healthy(self.process, self.url, self.data_dir / "hub-stdout.log", "hub", timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the power goes."""
        kill(self.process)

    def stop(self) -> None:
        stop(self.process)

    @property
    def admin_token(self) -> str:
        return (self.data_dir / "admin-token.txt").read_text(encoding="utf-8").strip()

    def client(self, token: str | None = None) -> HubClient:
        return HubClient(self.url, token if token is not None else self.admin_token)


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
