"""The real district server as its own process on loopback, and what it stored for a site."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from serverproc import free_port, launch, stop, wait_until_healthy

from kiosk.config import Counter, Group, Settings, save_settings
from kiosk.paths import resolve_paths
from kiosk.setup import init_office
from kiosk.store import Store
from kiosk.sync.client import write_secret

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DistrictProcess:
    """`kiosk district serve` over one database (a SQLite file here, or a PostgreSQL URL)."""

    database: str
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _kiosk(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "--data-dir", str(self.workdir), *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def add_site(self, site_id: str) -> str:
        """Register a site with the district's own command; its secret."""
        out = self._kiosk("district", "site", "add", site_id, "--json", "--database", self.database)
        return str(json.loads(out)["secret"])

    def publish(self, what: str, file: Path) -> None:
        """`kiosk district catalogue|calendar publish FILE`."""
        self._kiosk("district", what, "publish", str(file), "--database", self.database)

    def start(self, timeout: float = 30.0) -> DistrictProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = launch(
            [
                sys.executable,
                "-m",
                "kiosk",
                "--data-dir",
                str(self.workdir),
                "district",
                "serve",
                "--port",
                str(self.port),
                "--database",
                self.database,
            ],
            log_file=self.workdir / "district-stdout.log",
            cwd=ROOT,
        )
        wait_until_healthy(
            self.process, self.url, self.workdir / "district-stdout.log", "district server", timeout
        )
        return self

    def stop(self) -> None:
        stop(self.process)

    def events(self, site_id: str) -> list[tuple[int, str, str]]:
        """(seq, event_id, hash) of every event stored for the site, by seq (SQLite only)."""
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT seq, event_id, hash FROM events WHERE site_id = ? ORDER BY seq",
                (site_id,),
            ).fetchall()
        finally:
            conn.close()
        return [(int(s), str(e), str(h)) for s, e, h in rows]


def site_events(store_path: Path) -> list[tuple[int, str, str]]:
    """(seq, event_id, hash) of a site's whole outbox, by seq."""
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT seq, event_id, hash FROM outbox ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [(int(s), str(e), str(h)) for s, e, h in rows]


def make_site(root: Path, district: DistrictProcess, *, url: str | None = None) -> Path:
    """An office folder registered with the district: settings with its URL, secret file."""
    settings = Settings(
        office_name="UBND xã Thử Đồng Bộ",
        unit_code="000.00.00.T09",
        district_url=url or district.url,
        groups=(Group("A", "Hộ tịch", ("ho-tich",)),),
        counters=(Counter(1, "Quầy 1", (), ("A",)),),
    )
    save_settings(settings, root / "settings.toml")
    init_office(resolve_paths(root), demo=False, dossiers=0, seed=1)
    with Store.open(root / "office.db") as store:
        site_id = store.site_id
    write_secret(root, district.add_site(site_id))
    return root


def env_without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}
