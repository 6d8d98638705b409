"""`Office.change_settings`: the audit row, the queue's configuration, the screens' notice and the
settings file change together, or not at all."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import VN_TZ, FixedClock
from kiosk.config import Group, load_settings
from kiosk.domain.errors import StoreError
from kiosk.hub.parts import queue_engine, queue_specs
from kiosk.office import Office
from kiosk.paths import resolve_paths
from kiosk.queue import QueueEngine
from kiosk.queue.errors import QueueConfigError
from kiosk.setup import init_office
from kiosk.store import WriteTx

CLOCK = FixedClock(datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Office, QueueEngine]]:
    paths = resolve_paths(tmp_path / "office")
    init_office(paths, demo=False, dossiers=0, seed=1, clock=CLOCK)
    with Office.open(paths, clock=CLOCK) as opened:
        yield opened, queue_engine(opened)


def counts(office: Office) -> tuple[int, int, list[str]]:
    conn = office.store.conn
    audits = conn.execute("SELECT count(*) FROM audit WHERE action = 'office.update'").fetchone()
    configured = conn.execute(
        "SELECT count(*) FROM ticket_events WHERE kind = 'queue.configured'"
    ).fetchone()
    groups = [r[0] for r in conn.execute("SELECT prefix FROM service_groups WHERE active = 1")]
    return audits[0], configured[0], groups


def with_group_b(office: Office) -> Any:
    settings = office.settings
    return dataclasses.replace(settings, groups=(*settings.groups, Group("B", "Chứng thực")))


def configure(engine: QueueEngine, after: Any) -> Any:
    def during(tx: WriteTx) -> None:
        engine.configure_in(tx, *queue_specs(after))

    return during


def test_a_change_writes_the_audit_the_queue_and_the_file_in_one_write(
    office: tuple[Office, QueueEngine],
) -> None:
    opened, engine = office
    audits, configured, groups = counts(opened)
    after = with_group_b(opened)
    changes = opened.change_settings(
        after, actor="admin:lan", during=configure(engine, after), write=engine.write
    )
    assert "groups" in changes
    assert counts(opened) == (audits + 1, configured + 1, [*groups, "B"])
    assert load_settings(opened.paths.settings_file).groups == after.groups
    assert opened.settings == after
    row = opened.store.conn.execute(
        "SELECT actor, details FROM audit WHERE action = 'office.update' ORDER BY id DESC"
    ).fetchone()
    assert row[0] == "admin:lan" and "groups" in json.loads(row[1])["changed"]
    # The same settings again: nothing to write.
    assert opened.change_settings(after, actor="admin:lan", write=engine.write) == {}
    assert counts(opened)[0] == audits + 1


def test_a_refused_queue_change_leaves_file_audit_and_queue_as_they_were(
    office: tuple[Office, QueueEngine],
) -> None:
    opened, engine = office
    file_before = opened.paths.settings_file.read_bytes()
    before, settings_before = counts(opened), opened.settings
    after = with_group_b(opened)

    def refuse(tx: WriteTx) -> None:
        engine.configure_in(tx, *queue_specs(after))
        raise QueueConfigError("Quầy 9 phục vụ nhóm 'Z' không có trong cấu hình.")

    with pytest.raises(QueueConfigError):
        opened.change_settings(after, actor="admin", during=refuse, write=engine.write)
    assert counts(opened) == before
    assert opened.paths.settings_file.read_bytes() == file_before
    assert opened.settings == settings_before


def test_a_file_that_cannot_be_saved_rolls_the_write_back_with_a_vietnamese_reason(
    office: tuple[Office, QueueEngine],
) -> None:
    opened, engine = office
    before = counts(opened)
    file_before = opened.paths.settings_file.read_bytes()
    opened.paths.settings_file.with_suffix(".toml.tmp").mkdir()  # the atomic save cannot write
    after = with_group_b(opened)
    with pytest.raises(StoreError, match="Không lưu được tệp cài đặt"):
        opened.change_settings(
            after, actor="admin", during=configure(engine, after), write=engine.write
        )
    assert counts(opened) == before
    assert opened.paths.settings_file.read_bytes() == file_before


def test_a_commit_that_fails_after_the_file_was_saved_puts_the_file_back(
    office: tuple[Office, QueueEngine],
) -> None:
    opened, engine = office
    before = counts(opened)
    file_before = opened.paths.settings_file.read_bytes()

    @contextmanager
    def failing_commit(
        actor: str, action: str, *, target: str = "", details: dict[str, Any] | None = None
    ) -> Iterator[WriteTx]:
        with engine.write(actor, action, target=target, details=details) as tx:
            yield tx
            raise StoreError("Ổ đĩa đầy: không ghi được dữ liệu.")  # as a full disk at COMMIT

    after = with_group_b(opened)
    with pytest.raises(StoreError, match="Ổ đĩa đầy"):
        opened.change_settings(
            after, actor="admin", during=configure(engine, after), write=failing_commit
        )
    assert counts(opened) == before
    assert opened.paths.settings_file.read_bytes() == file_before
    assert load_settings(opened.paths.settings_file).groups == opened.settings.groups
