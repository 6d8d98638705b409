"""The site's sync worker against the real district server on loopback (SQLite backend)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from districtproc import DistrictProcess, make_site, site_events
from faultproxy import Fault, FaultProxy

from kiosk.cli import cli
from kiosk.paths import assets_dir
from kiosk.store import Store
from kiosk.store.backup import backup_to, restore_from
from kiosk.store.calendar_repo import list_overrides
from kiosk.store.catalogue_repo import procedure_codes
from kiosk.sync.client import DistrictClient, read_secret, write_secret
from kiosk.sync.status import sync_status
from kiosk.sync.worker import LiveStatus, SyncWorker

WAIT = 60.0


def emit(office: Path, n: int) -> None:
    with Store.open(office / "office.db") as store, store.write("test", "emit") as tx:
        for i in range(n):
            tx.emit("test.event", {"i": i, "tên": "Phạm Thị Hằng"})


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's backup API (the WAL's content included)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def site_id_of(office: Path) -> str:
    with Store.open(office / "office.db") as store:
        return store.site_id


@contextmanager
def running_worker(office: Path, url: str, **options: object) -> Iterator[SyncWorker]:
    worker = SyncWorker(
        office / "office.db",
        url,
        lambda: read_secret(office),
        poll_seconds=30.0,
        **options,
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        assert not worker.running


def synced(office: Path) -> bool:
    with Store.open(office / "office.db") as store:
        return sync_status(store).synced


def wait_synced(worker: SyncWorker, office: Path) -> None:
    assert worker.wait_until(lambda live: live.state == "ok" and synced(office), WAIT), worker.live


def test_the_worker_pushes_the_outbox_in_batches_and_records_the_mark(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    emit(office, 1234)
    with running_worker(office, district.url, batch_events=100) as worker:
        wait_synced(worker, office)
        emit(office, 7)
        worker.wake()
        wait_synced(worker, office)
    assert district.events(site_id_of(office)) == site_events(office / "office.db")
    with Store.open(office / "office.db") as store:
        status = sync_status(store)
    assert status.acked == status.last_seq == 1241 and status.label == "đã đồng bộ"
    assert status.last_success_at is not None and status.last_error is None


def test_backoff_waits_at_least_retry_after_then_resumes_by_itself(
    district: DistrictProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    emit(office, 20)
    proxy.script([Fault.THROTTLE] * 3 + [Fault.DROP, Fault.CUT])
    waits: list[float] = []

    def waiter(seconds: float, reason: str) -> None:
        if reason == "backoff":
            waits.append(seconds)  # recorded, not slept: the test need not take 7 s × 3
        else:
            worker.wait(seconds)

    with running_worker(office, proxy.url, waiter=waiter, backoff_base=0.5) as worker:
        wait_synced(worker, office)
    assert len(waits) == 5
    assert all(w >= proxy.retry_after for w in waits[:3]), waits
    assert all(w <= 0.5 * 2**n for n, w in enumerate(waits) if n >= 3), waits
    assert district.events(site_id_of(office)) == site_events(office / "office.db")


def test_an_authentication_failure_stops_the_worker_with_an_alert_until_the_secret_is_fixed(
    district: DistrictProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    good = read_secret(office)
    assert good is not None
    write_secret(office, "not-the-secret-the-district-gave-us")
    emit(office, 5)

    def stopped(live: LiveStatus) -> bool:
        return live.state == "auth_failed" and bool(live.waits) and live.waits[-1][0] == "stopped"

    with running_worker(office, proxy.url) as worker:
        assert worker.wait_until(stopped, WAIT), worker.live
        with Store.open(office / "office.db") as store:
            status = sync_status(store)
        assert status.state == "auth_failed" and status.pending == 5
        assert status.alert is not None and "từ chối xác thực" in status.alert
        assert "kiosk sync secret" in status.alert
        requests = sum(proxy.counts.values())
        # Woken again, it stays stopped and sends nothing: retrying cannot fix a secret.
        pauses = worker.live.pauses
        worker.wake()
        assert worker.wait_until(lambda live: live.pauses > pauses and stopped(live), WAIT)
        assert sum(proxy.counts.values()) == requests
        # The admin enters the right secret: the worker notices and resumes by itself.
        write_secret(office, good)
        worker.wake()
        wait_synced(worker, office)
    assert district.events(site_id_of(office)) == site_events(office / "office.db")


def test_a_wrong_clock_is_corrected_with_the_servers_time(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    emit(office, 3)
    secret = read_secret(office)
    assert secret is not None
    with (
        Store.open(office / "office.db") as store,
        DistrictClient(
            district.url, store.site_id, secret, wall_clock=lambda: time.time() - 3 * 3600
        ) as client,
    ):
        assert client.mark() == 0
        assert abs(client.clock_offset - 3 * 3600) < 5


def test_a_site_restored_from_an_old_backup_never_reuses_a_seq_the_server_holds(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    database = office / "office.db"
    emit(office, 10)
    with running_worker(office, district.url) as worker:
        wait_synced(worker, office)
        backup = tmp_path / "backup.db"
        copy_database(database, backup)
        emit(office, 5)
        worker.wake()
        wait_synced(worker, office)
    lost_timeline = site_events(database)
    assert len(district.events(site_id_of(office))) == 15

    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup, database)  # the office PC is restored from the backup
    with running_worker(office, district.url) as worker:
        wait_synced(worker, office)  # the handshake on start
        emit(office, 3)
        worker.wake()
        wait_synced(worker, office)
    server = district.events(site_id_of(office))
    site = site_events(database)
    assert [s for s, _, _ in site] == [*range(1, 11), 16, 17, 18]
    assert [s for s, _, _ in server] == list(range(1, 19))
    assert server[:10] == site[:10] == lost_timeline[:10]
    assert server[10:15] == lost_timeline[10:15]  # the district keeps what the site lost
    assert server[15:] == site[10:]


def test_a_site_restored_offline_that_works_before_its_first_sync_loses_nothing(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    database = office / "office.db"
    emit(office, 10)
    with running_worker(office, district.url) as worker:
        wait_synced(worker, office)
        backup = tmp_path / "backup.db"
        with Store.open(database) as store:
            backup_to(store, backup)
        emit(office, 5)
        worker.wake()
        wait_synced(worker, office)
    lost_timeline = site_events(database)
    assert len(district.events(site_id_of(office))) == 15

    restore_from(backup, database)  # `kiosk restore`, while the network is down
    emit(office, 4)  # the office keeps working: these reuse seqs 11..14 locally
    with running_worker(office, district.url) as worker:
        wait_synced(worker, office)
        emit(office, 1)
        worker.wake()
        wait_synced(worker, office)
    server = district.events(site_id_of(office))
    site = site_events(database)
    assert [s for s, _, _ in site] == [*range(1, 11), 16, 17, 18, 19, 20]
    assert [s for s, _, _ in server] == list(range(1, 21)), "a duplicate or a hole"
    assert server[10:15] == lost_timeline[10:15]  # the district keeps what the site lost
    assert server[15:] == site[10:]  # and has every event made after the restore
    assert len({event_id for _, event_id, _ in server}) == 20


def test_a_server_restored_from_an_old_backup_gets_the_lost_events_again(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    emit(office, 10)
    with running_worker(office, district.url) as worker:
        wait_synced(worker, office)
        district.stop()
        old = tmp_path / "district-backup.db"
        copy_database(Path(district.database), old)
        district.start()
        emit(office, 25)
        worker.wake()
        wait_synced(worker, office)
        assert len(district.events(site_id_of(office))) == 35
        district.stop()
        for suffix in ("-wal", "-shm"):
            Path(f"{district.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(old, district.database)  # the district is restored: events 11..35 gone
        district.start()
        assert len(district.events(site_id_of(office))) == 10
        emit(office, 2)
        worker.wake()
        wait_synced(worker, office)
    assert district.events(site_id_of(office)) == site_events(office / "office.db")
    assert len(site_events(office / "office.db")) == 37


def test_catalogue_and_calendar_snapshots_are_pulled_and_applied_once(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    catalogue = json.loads((assets_dir() / "catalogue" / "default.json").read_text("utf-8"))
    catalogue["procedures"] = catalogue["procedures"][:5]
    (tmp_path / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False), "utf-8")
    calendar = [{"day": "2026-08-22", "kind": "workday", "reason": "Làm bù ngày 31/8"}]
    (tmp_path / "calendar.json").write_text(json.dumps(calendar, ensure_ascii=False), "utf-8")
    district.publish("catalogue", tmp_path / "catalogue.json")
    district.publish("calendar", tmp_path / "calendar.json")

    runner = CliRunner()
    first = runner.invoke(cli, ["--data-dir", str(office), "sync", "now", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["pulled"] == ["catalogue", "calendar"]
    again = runner.invoke(cli, ["--data-dir", str(office), "sync", "now", "--json"])
    assert json.loads(again.output)["pulled"] == []  # If-None-Match: 304, nothing rewritten
    with Store.open(office / "office.db") as store:
        assert procedure_codes(store) == [p["code"] for p in catalogue["procedures"]]
        assert [o.reason for o in list_overrides(store)] == ["Làm bù ngày 31/8"]


def test_sync_commands_report_the_status_in_vietnamese(
    district: DistrictProcess, tmp_path: Path
) -> None:
    office = make_site(tmp_path / "site", district)
    emit(office, 4)
    runner = CliRunner()
    before = runner.invoke(cli, ["--data-dir", str(office), "sync", "status"])
    assert before.exit_code == 0 and "chưa đồng bộ (4 sự kiện, từ " in before.output
    now = runner.invoke(cli, ["--data-dir", str(office), "sync", "now"])
    assert now.exit_code == 0 and "Đã gửi 4 sự kiện" in now.output
    after = json.loads(
        runner.invoke(cli, ["--data-dir", str(office), "sync", "status", "--json"]).output
    )
    assert after["synced"] and after["label"] == "đã đồng bộ" and after["acked"] == 4

    district.stop()
    emit(office, 1)
    offline = runner.invoke(cli, ["--data-dir", str(office), "sync", "now"])
    assert offline.exit_code == 1 and offline.output.startswith("Lỗi: Không kết nối được")
    status = runner.invoke(cli, ["--data-dir", str(office), "sync", "status"])
    assert "chưa đồng bộ (1 sự kiện" in status.output and "Lỗi gần nhất" in status.output
