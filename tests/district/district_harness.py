"""The real district server as its own process on loopback, over SQLite or PostgreSQL, and a
signing site client to talk to it."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from serverproc import free_port, kill, launch, stop, wait_until_healthy

from kiosk.district.storage import Database
from kiosk.store.tx import event_hash
from kiosk.sync import protocol

POSTGRES_ENV = "KIOSK_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL; its absence is a failure, not a skip (CI always sets it)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        import pytest

        pytest.fail(
            f"{POSTGRES_ENV} is not set: the district tests need a PostgreSQL server "
            "(.ci/run starts one; locally e.g. "
            "export KIOSK_TEST_POSTGRES_URL=postgresql://kiosk_test:kiosk_test@127.0.0.1:5432/"
            "kiosk_test)"
        )
    return url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema for one test; yields a URL whose connections use it, drops it after."""
    url = postgres_url()
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@dataclass
class DistrictProcess:
    """`python -m kiosk district serve` on a free loopback port; can be killed and restarted."""

    data_dir: Path
    database: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "district-stdout.log"

    def start(self, timeout: float = 30.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = launch(
            [
                sys.executable,
                "-m",
                "kiosk",
                "--data-dir",
                str(self.data_dir),
                "district",
                "serve",
                "--port",
                str(self.port),
                "--database",
                self.database,
            ],
            log_file=self.log_file,
        )
        wait_until_healthy(self.process, self.url, self.log_file, "district server", timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the power goes."""
        kill(self.process)

    def stop(self) -> None:
        stop(self.process)


def make_event(seq: int, event_type: str = "test.event", **payload: Any) -> protocol.Event:
    """An outbox event as a site would send it (hash = kiosk.store.tx.event_hash)."""
    event_id = uuid.uuid4().hex
    body = payload or {"n": seq}
    return protocol.Event(
        seq=seq,
        event_id=event_id,
        type=event_type,
        payload=body,
        hash=event_hash(event_id, event_type, body),
        created_at="2026-03-02T09:00:00+07:00",
    )


def make_events(first: int, last: int) -> list[protocol.Event]:
    return [make_event(seq) for seq in range(first, last + 1)]


@dataclass
class SiteClient:
    """One site talking to the server: every request signed with its secret."""

    base_url: str
    site_id: str
    secret: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        now: float | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signed = protocol.signed_headers(
            self.site_id,
            self.secret if secret is None else secret,
            method,
            path,
            body,
            now=time.time() if now is None else now,
        )
        return self.http.request(
            method,
            self.base_url + path,
            content=body,
            headers={"Content-Type": "application/json", **signed, **(headers or {})},
        )

    def push_body(self, events: list[protocol.Event]) -> bytes:
        document = {"site_id": self.site_id, "events": [e.as_json() for e in events]}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    def push(self, events: list[protocol.Event], **options: Any) -> httpx.Response:
        return self.request("POST", protocol.PUSH_PATH, self.push_body(events), **options)

    def mark(self) -> int:
        response = self.request("GET", protocol.MARK_PATH)
        assert response.status_code == 200, response.text
        return int(response.json()["acked"])

    def close(self) -> None:
        self.http.close()


def stored(db: Database, site_id: str) -> list[tuple[int, str]]:
    """The (seq, hash) of every event the server holds for a site, by seq."""
    with db.read() as conn:
        return [
            (int(seq), str(h))
            for seq, h in conn.all(
                "SELECT seq, hash FROM events WHERE site_id = ? ORDER BY seq", (site_id,)
            )
        ]
