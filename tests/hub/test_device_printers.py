"""Printers per device and print tests through the real hub: the admin sets, the device follows."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from hubproc import HubProcess, Office, age_print_test, refused
from websockets.sync.client import ClientConnection, connect

from kiosk.hub.device_routes import PRINT_TEST_EXPIRY_S
from kiosk.paths import resolve_paths


def next_event(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """The next stream event of `kind` (others, such as the snapshot, are skipped)."""
    while True:
        message = json.loads(ws.recv(timeout=5.0))
        if message["type"] == "event" and message["event"]["kind"] == kind:
            event: dict[str, Any] = message["event"]
            return event


def audit_actions(hub: HubProcess) -> list[str]:
    database = resolve_paths(hub.data_dir).database
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT action FROM audit ORDER BY id")]
    finally:
        conn.close()


def test_admin_sets_the_printers_of_a_kiosk_and_a_counter_and_each_device_reads_its_own(
    office: Office,
) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    counter_id = office.counters[1].device_profile()["id"]
    assert office.admin.device_printers(kiosk_id)["printers"] == {}

    office.admin.set_device_printers(kiosk_id, {"ticket": "  tcp://192.168.1.50:9100?paper=58 "})
    answer = office.admin.set_device_printers(
        counter_id, {"form": "os:Canon LBP2900", "receipt": "png:/tmp/phieu"}
    )
    assert answer["kinds"] == ["form", "receipt"]
    assert answer["printers"] == {"form": "os:Canon LBP2900", "receipt": "png:/tmp/phieu"}

    kiosk = office.kiosk.device_profile()
    assert kiosk["role"] == "kiosk" and kiosk["kinds"] == ["ticket"]
    assert kiosk["printers"] == {"ticket": "tcp://192.168.1.50:9100?paper=58"}
    counter = office.counters[1].device_profile()
    assert counter["counter_number"] == 1
    assert counter["printers"]["form"] == "os:Canon LBP2900"

    # A kind left out is kept; an empty one is removed.
    office.admin.set_device_printers(counter_id, {"receipt": ""})
    assert office.counters[1].device_profile()["printers"] == {"form": "os:Canon LBP2900"}
    assert audit_actions(office.hub).count("device.printers.set") == 3


def test_a_bad_printer_address_is_refused_with_the_reason_in_vietnamese(office: Office) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    counter_id = office.counters[1].device_profile()["id"]
    error = refused(lambda: office.admin.set_device_printers(kiosk_id, {"ticket": "ftp://x"}), 422)
    assert "không hợp lệ" in error.message and "tcp://" in error.message
    error = refused(
        lambda: office.admin.set_device_printers(kiosk_id, {"ticket": "tcp://máy-in:cổng"}), 422
    )
    assert "tcp://máy:cổng" in error.message
    error = refused(
        lambda: office.admin.set_device_printers(counter_id, {"form": "tcp://10.0.0.9:9100"}), 422
    )
    assert "pdf:" in error.message and "os:" in error.message
    assert office.admin.device_printers(kiosk_id)["printers"] == {}


def test_a_printer_kind_the_role_does_not_use_is_refused(office: Office) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    counter_id = office.counters[1].device_profile()["id"]
    display_id = office.display.device_profile()["id"]
    error = refused(lambda: office.admin.set_device_printers(kiosk_id, {"form": "pdf:/tmp/x"}), 422)
    assert "máy in biểu mẫu" in error.message
    refused(lambda: office.admin.set_device_printers(counter_id, {"ticket": "png:/tmp/x"}), 422)
    error = refused(
        lambda: office.admin.set_device_printers(display_id, {"ticket": "png:/tmp/x"}), 422
    )
    assert "không có máy in nào" in error.message
    refused(lambda: office.admin.request_print_test(display_id, "ticket"), 422)
    refused(lambda: office.admin.set_device_printers(9999, {"ticket": "png:/tmp/x"}), 404)


def test_only_the_admin_sets_printers_or_asks_for_a_print_test(office: Office) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    refused(lambda: office.kiosk.set_device_printers(kiosk_id, {"ticket": "png:/tmp/x"}), 403)
    refused(lambda: office.kiosk.device_printers(kiosk_id), 403)
    refused(lambda: office.counters[1].request_print_test(kiosk_id, "ticket"), 403)
    refused(lambda: office.display.print_test_result(1), 403)


def test_a_printer_change_reaches_the_stream_without_the_address(office: Office) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    with connect(office.kiosk.events_url()) as ws:
        office.admin.set_device_printers(kiosk_id, {"ticket": "win:Máy in số"})
        event = next_event(ws, "device.printers_changed")
    assert event["details"] == {"device_id": kiosk_id}
    assert event["ticket"] is None


def test_a_print_test_reaches_the_device_and_only_it_may_report_the_result(
    office: Office,
) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    with connect(office.kiosk.events_url()) as ws:
        test = office.admin.request_print_test(kiosk_id, "ticket")
        event = next_event(ws, "device.print_test")
    assert test["state"] == "pending" and test["ok"] is None
    assert event["details"] == {"device_id": kiosk_id, "test_id": test["id"], "kind": "ticket"}
    assert office.admin.print_test_result(test["id"])["state"] == "pending"

    error = refused(
        lambda: office.counters[1].report_print_test(test["id"], ok=True, message="xong"), 403
    )
    assert "không dành cho thiết bị này" in error.message
    assert office.admin.print_test_result(test["id"])["state"] == "pending"

    office.kiosk.report_print_test(
        test["id"],
        ok=False,
        message="Máy in hết giấy. Thay cuộn giấy mới rồi in lại.",
        printer="tcp://192.168.1.50:9100",
        status={"paper": "out"},
    )
    done = office.admin.print_test_result(test["id"])
    assert done["state"] == "done" and done["ok"] is False
    assert done["message"] == "Máy in hết giấy. Thay cuộn giấy mới rồi in lại."
    assert done["printer"] == "tcp://192.168.1.50:9100"
    assert done["printer_status"] == {"paper": "out"}
    refused(lambda: office.kiosk.report_print_test(test["id"], ok=True, message=""), 409)
    refused(lambda: office.admin.print_test_result(test["id"] + 100), 404)
    actions = audit_actions(office.hub)
    assert "device.print_test" in actions and "device.print_test.result" in actions


def test_a_counter_device_may_be_asked_to_test_its_form_printer(office: Office) -> None:
    counter_id = office.counters[2].device_profile()["id"]
    test = office.admin.request_print_test(counter_id, "form")
    assert test["kind"] == "form" and test["device_id"] == counter_id
    office.counters[2].report_print_test(test["id"], ok=True, message="Đã lưu PDF.")
    assert office.admin.print_test_result(test["id"])["ok"] is True


def test_a_revoked_device_gets_no_printers_and_no_tests(office: Office) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    office.admin.revoke_device(kiosk_id)
    error = refused(
        lambda: office.admin.set_device_printers(kiosk_id, {"ticket": "png:/tmp/x"}), 422
    )
    assert "thu hồi" in error.message
    refused(lambda: office.admin.request_print_test(kiosk_id, "ticket"), 422)
    assert office.admin.device_printers(kiosk_id)["revoked"] is True


def test_a_device_claims_a_print_test_before_printing_and_a_late_one_is_not_printed(
    office: Office,
) -> None:
    kiosk_id = office.kiosk.device_profile()["id"]
    fresh = office.admin.request_print_test(kiosk_id, "ticket")
    # Another device may not claim it; the device it is for may, while it is fresh.
    refused(lambda: office.counters[1].claim_print_test(fresh["id"]), 403)
    assert office.kiosk.claim_print_test(fresh["id"])["state"] == "pending"
    office.kiosk.report_print_test(fresh["id"], ok=True, message="Đã in.")
    refused(lambda: office.kiosk.claim_print_test(fresh["id"]), 409)  # answered already

    late = office.admin.request_print_test(kiosk_id, "ticket")
    age_print_test(office.hub, late["id"], PRINT_TEST_EXPIRY_S + 30)
    error = refused(lambda: office.kiosk.claim_print_test(late["id"]), 409)
    assert error.error_code == "print_test_expired" and "quá hạn" in error.message
    # The admin reads why nothing was printed, and the device can no longer answer it.
    seen = office.admin.print_test_result(late["id"])
    assert seen["state"] == "done" and seen["ok"] is False
    assert "không in" in seen["message"] and "In thử lại" in seen["message"]
    refused(lambda: office.kiosk.report_print_test(late["id"], ok=True, message=""), 409)
    assert "device.print_test.claim" in audit_actions(office.hub)
