"""What the counter console does, without Qt: hub calls and printing, all run off the UI thread.

Printing: forms go to a form printer address (`pdf:FOLDER` or `os:Printer name`, see
`kiosk.printing.forms.delivery`), the short receipt to an optional thermal printer (`png:FOLDER`,
`tcp://…`). A print failure never undoes a saved dossier: the dossier is stored first, then the
print is attempted and its failure reported, and the clerk can reprint from the dossier page.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.domain.catalogue import Catalogue, CopyKind
from kiosk.domain.catalogue_io import parse_catalogue_json
from kiosk.domain.errors import KioskError
from kiosk.hub.client import HubClient

log = logging.getLogger(__name__)

Json = dict[str, Any]


def request_id() -> str:
    """A fresh client request id: the hub answers a retry with the same id with its first answer."""
    return "ui-" + uuid.uuid4().hex


def moment(value: Any) -> datetime | None:
    return None if not value else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class PrintSetup:
    """Where this counter prints."""

    office_name: str
    form_printer: str  # pdf:FOLDER | os:Printer name
    receipt_printer: str = ""  # thermal short receipt; empty: none
    unit_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    place: str = ""
    form_set: str = "2018"
    lookup_base_url: str = ""
    receipt_copies: int = 2


@dataclass
class PrintResult:
    """What a print did: files/printers reached, and the problem if any (the data is saved)."""

    written: list[str] = field(default_factory=list)
    problem: str = ""


class CounterServices:
    """One counter's work: its hub client (with the staff session) and its printers."""

    def __init__(self, client: HubClient, counter: int, printing: PrintSetup) -> None:
        self.client = client
        self.counter = counter
        self.printing = printing
        self._catalogue: Catalogue | None = None

    # --- session ---------------------------------------------------------------------------

    def login(self, username: str, secret: str) -> Json:
        return self.client.login(username.strip(), secret)

    def logout(self) -> None:
        self.client.logout()

    # --- queue -----------------------------------------------------------------------------

    def queue(self) -> Json:
        return self.client.queue()

    def call_next(self) -> Json | None:
        return self.client.call_next(self.counter)

    def recall(self) -> Json | None:
        return self.client.recall(self.counter)

    def no_show(self) -> Json | None:
        return self.client.no_show(self.counter)

    def hold(self, note: str) -> Json | None:
        return self.client.hold(self.counter, note)

    def transfer(self, to_prefix: str | None, to_counter: int | None, note: str) -> Json | None:
        return self.client.transfer(
            self.counter, to_prefix=to_prefix, to_counter=to_counter, note=note
        )

    def finish(self, outcome: str, dossier_code: str | None) -> Json | None:
        return self.client.finish(self.counter, outcome, dossier_code)  # type: ignore[arg-type]

    # --- catalogue ---------------------------------------------------------------------------

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            document = self.client.catalogue()
            self._catalogue = parse_catalogue_json(json.dumps(document, ensure_ascii=False))
        return self._catalogue

    def due_preview(self, procedure_code: str) -> Json:
        return self.client.due_preview(self.counter, procedure_code)

    # --- reception ---------------------------------------------------------------------------

    def receive(self, reception: Json) -> tuple[Json, PrintResult]:
        """Save the dossier (idempotent on reception["request_id"]), then print form 01 and the
        short receipt. A print problem is returned, not raised: the dossier exists."""
        dossier = self.client.receive_dossier(self.counter, reception)
        return dossier, self.print_receipt(dossier)

    def print_receipt(self, dossier: Json, copies: int | None = None) -> PrintResult:
        result = PrintResult()
        copies = copies or self.printing.receipt_copies
        try:
            pdf = self.render_receipt(dossier)
            result.written += self._deliver_form(pdf, f"mau-01-{dossier['code']}", copies)
            self.client.record_dossier_print(self.counter, dossier["code"], "01", copies)
            if self.printing.receipt_printer:
                result.written += self._print_slip(dossier)
        except KioskError as error:
            result.problem = error.message
        return result

    def supplement(self, request: Json) -> tuple[Json, PrintResult]:
        record = self.client.supplement_at_counter(self.counter, request)
        return record, self._print_supplement(record, request.get("applicant", {}))

    def refuse(self, request: Json) -> tuple[Json, PrintResult]:
        record = self.client.refuse_at_counter(self.counter, request)
        result = PrintResult()
        try:
            pdf = self.render_refusal(record, request.get("applicant", {}))
            result.written += self._deliver_form(pdf, f"mau-03-{record['number']}", 1)
        except KioskError as error:
            result.problem = error.message
        return record, result

    # --- after reception ---------------------------------------------------------------------

    def worklist(self, kind: str) -> list[Json]:
        return self.client.worklist(self.counter, kind)

    def search(self, text: str) -> list[Json]:
        return self.client.search_dossiers(self.counter, text)

    def dossier_file(self, code: str) -> Json:
        return self.client.dossier_file(self.counter, code)

    def step(self, code: str, action: str, body: Json) -> tuple[Json, PrintResult]:
        """One lifecycle step; a supplement request prints form 02, an extension form 04."""
        body = {"request_id": request_id(), **body}
        answer = self.client.dossier_step(self.counter, code, action, body)
        result = PrintResult()
        try:
            if action == "supplement-request" and "supplement" in answer:
                dossier = answer["dossier"]
                applicant = {
                    "name": dossier["applicant_name"],
                    "address": dossier["applicant_address"],
                    "phone": dossier["applicant_phone"],
                    "email": dossier["applicant_email"],
                }
                result = self._print_supplement(answer["supplement"], applicant)
            elif action == "extend":
                result.written += self._deliver_form(
                    self.render_apology(answer["dossier"], body), f"mau-04-{code}", 1
                )
                self.client.record_dossier_print(self.counter, code, "04", 1)
        except KioskError as error:
            result.problem = error.message
        return answer, result

    # --- forms -------------------------------------------------------------------------------

    def _options(self) -> Any:
        from kiosk.printing.forms import FormOptions

        return FormOptions(
            form_set=self.printing.form_set, lookup_base_url=self.printing.lookup_base_url
        )

    def _office(self) -> Any:
        from kiosk.printing.forms import OfficeHeader

        return OfficeHeader(
            agency=self.printing.office_name,
            unit=self.printing.unit_name,
            place=self.printing.place,
        )

    def render_receipt(self, dossier: Json) -> bytes:
        from kiosk.printing.forms import DocumentLine, ReceiptForm, render_form

        lines = []
        for doc in dossier.get("documents", []):
            kind = CopyKind(doc["copy_kind"])
            count = int(doc["count"])
            lines.append(
                DocumentLine(
                    name=doc["name"],
                    originals=count if kind is CopyKind.ORIGINAL else 0,
                    certified=count if kind is CopyKind.CERTIFIED else 0,
                    photocopies=count if kind is CopyKind.PHOTOCOPY else 0,
                )
            )
        received = moment(dossier["received_at"])
        assert received is not None
        form = ReceiptForm(
            office=self._office(),
            code=dossier["code"],
            applicant_name=dossier["applicant_name"],
            procedure_name=dossier["procedure_name"],
            received_at=received,
            due_at=moment(dossier.get("due_at")),
            time_limit=str(dossier.get("time_limit", "")),
            documents=tuple(lines),
            sets=int(dossier.get("sets", 1)),
            applicant_address=dossier.get("applicant_address", ""),
            applicant_phone=dossier.get("applicant_phone", ""),
            applicant_email=dossier.get("applicant_email", ""),
            applicant_id_number=dossier.get("applicant_id_number", ""),
            return_channel=dossier.get("return_channel", "counter"),
            fee=dossier.get("fee"),
            register_book=str(dossier.get("register_year", "")),
            register_number=dossier.get("register_number", ""),
            receiver_name=self.staff_name,
        )
        return render_form(form, self._options())

    staff_name: str = ""

    def render_supplement(self, record: Json, applicant: Json) -> bytes:
        from kiosk.printing.forms import MissingItem, SupplementForm, render_form

        issued = moment(record["requested_at"])
        assert issued is not None
        form = SupplementForm(
            office=self._office(),
            issued_at=issued,
            applicant_name=record["applicant_name"],
            procedure_name=record["procedure_name"],
            items=tuple(MissingItem(i["name"], i.get("detail", "")) for i in record["items"]),
            reason=record.get("reason", ""),
            number=record.get("number", ""),
            code=record.get("dossier_code") or "",
            applicant_address=applicant.get("address", ""),
            applicant_phone=applicant.get("phone", ""),
            applicant_email=applicant.get("email", ""),
            officer_name=self.staff_name,
        )
        return render_form(form, self._options())

    def render_refusal(self, record: Json, applicant: Json) -> bytes:
        from kiosk.printing.forms import RefusalForm, render_form

        issued = moment(record["at"])
        assert issued is not None
        form = RefusalForm(
            office=self._office(),
            issued_at=issued,
            applicant_name=record["applicant_name"],
            procedure_name=record["procedure_name"],
            reason=record["reason"],
            number=record.get("number", ""),
            applicant_address=applicant.get("address", ""),
            applicant_phone=applicant.get("phone", ""),
            applicant_email=applicant.get("email", ""),
            officer_name=self.staff_name,
        )
        return render_form(form, self._options())

    def render_apology(self, dossier: Json, body: Json) -> bytes:
        from kiosk.printing.forms import ApologyForm, render_form

        received = moment(dossier["received_at"])
        original = moment(dossier.get("original_due_at")) or moment(dossier.get("due_at"))
        new_due = moment(dossier.get("due_at"))
        updated = moment(dossier.get("updated_at")) or received
        assert received is not None and original is not None and new_due is not None
        assert updated is not None
        form = ApologyForm(
            office=self._office(),
            issued_at=updated,
            addressee=dossier["applicant_name"],
            code=dossier["code"],
            procedure_name=dossier["procedure_name"],
            received_at=received,
            original_due_at=original,
            new_due_at=new_due,
            reason=str(body.get("reason", "")),
        )
        return render_form(form, self._options())

    def _print_supplement(self, record: Json, applicant: Json) -> PrintResult:
        result = PrintResult()
        try:
            pdf = self.render_supplement(record, applicant)
            result.written += self._deliver_form(pdf, f"mau-02-{record['number']}", 1)
            if record.get("dossier_code"):
                self.client.record_dossier_print(self.counter, record["dossier_code"], "02", 1)
        except KioskError as error:
            result.problem = error.message
        return result

    def _deliver_form(self, pdf: bytes, stem: str, copies: int) -> list[str]:
        from kiosk.printing.forms.delivery import deliver_pdf

        written: list[str] = []
        for _copy in range(copies):
            # Two sheets on a printer, two files in a folder: the office keeps one copy.
            delivery = deliver_pdf(self.printing.form_printer, pdf, name=stem)
            written += [str(w) for w in delivery.warnings]
        return written

    def _print_slip(self, dossier: Json) -> list[str]:
        from kiosk.printing.forms import qr_payload
        from kiosk.printing.thermal.connections import deliver, parse_printer_uri
        from kiosk.printing.thermal.escpos import encode_slip
        from kiosk.printing.thermal.layouts import ReceiptSlipData, render_receipt_slip

        received = moment(dossier["received_at"])
        due = moment(dossier.get("due_at"))
        assert received is not None
        address = parse_printer_uri(self.printing.receipt_printer)
        model = address.model()
        slip = render_receipt_slip(
            ReceiptSlipData(
                office_name=self.printing.office_name,
                dossier_code=dossier["code"],
                procedure_name=dossier["procedure_name"],
                received_at=received,
                due_at=due or received,
                collect_at=f"Quầy {self.counter}",
                lookup_payload=qr_payload(dossier["code"], self.printing.lookup_base_url),
            ),
            width=model.width,
        )
        delivery = deliver(address.uri, encode_slip(slip, model))
        return [str(p) for p in delivery.pages]


def default_form_folder(data_dir: Path) -> str:
    return "pdf:" + str(data_dir / "prints")
