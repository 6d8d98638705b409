"""This device's printers, as set in the admin screen, followed live; and print tests run here.

A screen asks `DevicePrinters.uri(kind)` each time it prints, so a printer changed in the admin
screen is used from the next ticket or form on, without restarting anything. Which address
wins: a printer given on this PC's command line or environment (a local override, for set-up
and for PCs the admin screen should not touch), then the hub's, then the screen's default.

The hub announces on the event stream `device.printers_changed` (fetch again) and
`device.print_test` (print the test page on this device's own printer and report back); the
device's id comes from `GET /api/device`. Network and printer work run on this object's own
worker thread; its HubClient is its own too, so nothing is shared with the screen's worker.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubClient
from kiosk.ui.events import EventStream
from kiosk.ui.tasks import Tasks

log = logging.getLogger(__name__)

KIND_LABELS = {
    "ticket": "máy in số thứ tự",
    "receipt": "máy in phiếu nhiệt",
    "form": "máy in biểu mẫu",
}


@dataclass(frozen=True, slots=True)
class PrintTestOutcome:
    """What this device printed for a test and told the hub (`reported` False: the hub did not
    get the answer, e.g. the network dropped meanwhile)."""

    test_id: int
    kind: str
    printer: str
    ok: bool
    message: str
    status: str = ""
    reported: bool = True


def run_print_test(kind: str, uri: str) -> tuple[bool, str, dict[str, Any]]:
    """Print the test page of `kind` on `uri`: (ok, Vietnamese message, printer status JSON).

    Never raises for a printer problem or a bad address: the admin reads the message.
    """
    if not uri:
        label = KIND_LABELS.get(kind, kind)
        return False, f"Máy này chưa được đặt {label}.", {}
    try:
        if kind == "form":
            return _form_test(uri)
        from kiosk.printing.check import print_test

        report = print_test(uri, kind)
    except KioskError as error:
        return False, error.message, {}
    status = {
        "status": report.status,
        "warnings": list(report.warnings),
        "bytes_sent": report.bytes_sent,
    }
    message = report.message
    if report.ok and report.warnings:
        message += " Lưu ý: " + "; ".join(report.warnings)
    return report.ok, message, status


def _form_test(uri: str) -> tuple[bool, str, dict[str, Any]]:
    # Through deliver_pdf, as the counter prints its forms: pdf:FOLDER and os:Printer both work
    # (kiosk.printing.form_tests only saves to a folder, for the command line).
    from kiosk.printing.forms import render_form
    from kiosk.printing.forms.delivery import deliver_pdf
    from kiosk.printing.forms.samples import sample_form

    pdf = render_form(sample_form("form01"))
    delivery = deliver_pdf(uri, pdf, name="in-thu-mau-01")
    where = "; ".join(str(w) for w in delivery.warnings)
    message = f"Đã in thử mẫu 01 ({len(pdf) // 1024} KB) trên {uri}" + (
        f": {where}." if where else "."
    )
    return True, message, {"bytes_sent": delivery.bytes_sent}


class DevicePrinters(QObject):
    """The printers of the device whose token `client` holds; `changed` after every update.

    `overrides` (command line, environment) win over the hub; `defaults` apply to kinds set
    nowhere. Call `start()` once and `stop()` before the owner goes (it also stops on quit).
    """

    #: The printers in use may differ now: read `uri(kind)` again.
    changed = Signal()
    #: A print test asked by the admin was printed here (PrintTestOutcome); tests wait on it.
    tested = Signal(object)

    def __init__(
        self,
        client: HubClient,
        stream: EventStream | None = None,
        *,
        overrides: Mapping[str, str] | None = None,
        defaults: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # A client of its own: the screen's client belongs to the screen's worker thread.
        self.client = HubClient(client.base_url, client.token)
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}
        self.defaults = {k: v for k, v in (defaults or {}).items() if v}
        self.device_id: int | None = None
        self.profile: dict[str, Any] = {}
        # Replaced whole, never mutated: the screen's worker reads it while this one updates.
        self._from_hub: dict[str, str] = {}
        self._stopped = False
        self.tasks = Tasks("device-printers", self)
        self.stream = stream
        if stream is not None:
            stream.event.connect(self._event)
            # A fresh snapshot means the stream (re)connected without replay: changes made
            # while it was away are not in it, so ask again.
            stream.snapshot.connect(self._snapshot)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    # --- what the screens read -------------------------------------------------------------

    def uri(self, kind: str) -> str:
        """The printer address to use now for `kind` ('' when none is set anywhere)."""
        return self.overrides.get(kind) or self._from_hub.get(kind) or self.defaults.get(kind, "")

    def uris(self) -> dict[str, str]:
        kinds = {*self.overrides, *self._from_hub, *self.defaults}
        return {kind: self.uri(kind) for kind in sorted(kinds)}

    def source(self, kind: str) -> str:
        """Where `uri(kind)` comes from: 'local', 'hub', 'default' or ''."""
        if self.overrides.get(kind):
            return "local"
        if self._from_hub.get(kind):
            return "hub"
        return "default" if self.defaults.get(kind) else ""

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.tasks.stop()
        self.client.close()

    def refresh(self) -> None:
        if self._stopped:
            return
        self.tasks.run(self.client.device_profile, self._loaded, self._not_loaded)

    def _loaded(self, profile: dict[str, Any]) -> None:
        before = self.uris()
        self.profile = profile
        self.device_id = int(profile["id"])
        self._from_hub = {str(k): str(v) for k, v in dict(profile.get("printers") or {}).items()}
        for kind, uri in self.overrides.items():
            if self._from_hub.get(kind) and self._from_hub[kind] != uri:
                log.info(
                    "printer %s: local %s overrides the hub's %s", kind, uri, self._from_hub[kind]
                )
        if self.uris() != before:
            log.info("printers of this device: %s", self.uris())
        self.changed.emit()

    def _snapshot(self, _snapshot: object) -> None:
        self.refresh()

    def _not_loaded(self, error: KioskError) -> None:
        # The hub is unreachable: keep printing where we printed; the next snapshot retries.
        log.info("printers of this device not fetched: %s", error.message)

    # --- the hub's announcements -----------------------------------------------------------

    def _event(self, event: Any) -> None:
        kind = str(event.get("kind", "")) if isinstance(event, dict) else ""
        if not kind.startswith("device."):
            return
        details = event.get("details") or {}
        if self.device_id is None or details.get("device_id") != self.device_id:
            return
        if kind == "device.printers_changed":
            self.refresh()
        elif kind == "device.print_test":
            self.print_test(int(details["test_id"]), str(details["kind"]))

    def print_test(self, test_id: int, kind: str) -> None:
        """Print the test page of `kind` here and report it to the hub (off the UI thread)."""
        if self._stopped:
            return
        uri = self.uri(kind)

        def work() -> PrintTestOutcome | None:
            try:
                self.client.claim_print_test(test_id)
            except KioskError as error:
                # Too late (a replay after a long disconnect), already answered, or the hub is
                # gone again: print nothing rather than a test page nobody is waiting for.
                log.info("print test %s not printed: %s", test_id, error.message)
                return None
            ok, message, status = run_print_test(kind, uri)
            outcome = PrintTestOutcome(
                test_id, kind, uri, ok, message, str(status.get("status", ""))
            )
            try:
                self.client.report_print_test(
                    test_id, ok=ok, message=message, printer=uri, status=status
                )
            except KioskError as error:
                log.warning("print test %s not reported: %s", test_id, error.message)
                return PrintTestOutcome(test_id, kind, uri, ok, message, outcome.status, False)
            return outcome

        log.info("print test %s (%s) on %s", test_id, kind, uri or "-")
        self.tasks.run(work, self._tested)

    def _tested(self, outcome: PrintTestOutcome | None) -> None:
        if outcome is not None:
            self.tested.emit(outcome)
