"""The real hub as its own process on loopback, and an office of devices around it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = (self.data_dir / "hub-stdout.log").read_text(errors="replace")
                raise RuntimeError(f"hub exited with {self.process.returncode}:\n{output}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=0.5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("hub did not answer in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the power goes."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

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
