"""What the counter console does, without Qt: hub calls and printing, all run off the UI thread.

Printing: forms go to a form printer address (`pdf:FOLDER` or `os:Printer name`, see
`kiosk.printing.forms.delivery`), the short receipt to an optional thermal printer (`png:FOLDER`,
`tcp://…`). A print failure never undoes a saved dossier: the dossier is stored first, then the
print is attempted. Every print is a job row kept on this PC with its bytes (see `prints.py`), so
a failed one is listed until it is printed again or dropped, even after a restart.
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
from kiosk.hub import wire
from kiosk.hub.client import HubClient, Outcome
from kiosk.ui.counter.prints import CounterPrints, Printed, PrintItem, form_stem, slip_stem

log = logging.getLogger(__name__)

#: A request body this console sends (the hub's answers are `kiosk.hub.wire` shapes).
Body = dict[str, Any]


def request_id() -> str:
    """A fresh client request id: the hub answers a retry with the same id with its first answer."""
    return "ui-" + uuid.uuid4().hex


def moment(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


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
    receipt_copies: int = 1  # prints of form 01; its PDF already holds liên 1 and liên 2


@dataclass
class PrintResult:
    """What a print did: files/printers reached, and the problem if any (the data is saved;
    a failed print stays in the counter's failed prints, `failed` of them after this one)."""

    written: list[str] = field(default_factory=list)
    problem: str = ""
    failed: int = 0

    def add(self, printed: Printed) -> None:
        self.written += printed.written
        if not printed.ok:
            reason = printed.item.reason or "chưa gửi được tới máy in."
            self.problem = f"{self.problem} {reason}".strip()


class CounterServices:
    """One counter's work: its hub client (with the staff session) and its printers."""

    def __init__(
        self,
        client: HubClient,
        counter: int,
        printing: PrintSetup,
        *,
        prints: CounterPrints | None = None,
    ) -> None:
        self.client = client
        self.counter = counter
        self.printing = printing
        #: The counter's print jobs on this PC; None only for the screenshots' sample services.
        self.prints = prints
        self.staff_username = ""
        self._catalogue: Catalogue | None = None

    def close(self) -> None:
        if self.prints is not None:
            self.prints.close()

    # --- session ---------------------------------------------------------------------------

    def login(self, username: str, secret: str) -> wire.Login:
        answer = self.client.login(username.strip(), secret)
        self.staff_username = answer["staff"]["username"]
        return answer

    def logout(self) -> None:
        self.client.logout()

    # --- queue -----------------------------------------------------------------------------

    def queue(self) -> wire.QueueSnapshot:
        return self.client.queue()

    def call_next(self) -> wire.Ticket | None:
        return self.client.call_next(self.counter)

    def recall(self) -> wire.Ticket | None:
        return self.client.recall(self.counter)

    def no_show(self) -> wire.Ticket | None:
        return self.client.no_show(self.counter)

    def hold(self, note: str) -> wire.Ticket | None:
        return self.client.hold(self.counter, note)

    def held(self) -> list[wire.HeldTicket]:
        """This counter's tickets on hold today, with their notes and `held_at`."""
        return self.client.held(self.counter)

    def call_held(self, ticket_id: int) -> wire.Ticket | None:
        """Bring a held ticket back to this counter (called now, announced again)."""
        return self.client.call(self.counter, ticket_id)

    def return_from_hold(self, ticket_id: int) -> wire.Ticket | None:
        """A held ticket waits again in its group, at its original place."""
        return self.client.return_from_hold(self.counter, ticket_id)

    def cancel_ticket(self, ticket_id: int) -> wire.Ticket | None:
        return self.client.cancel(self.counter, ticket_id)

    def transfer(
        self,
        to_prefix: str | None,
        to_counter: int | None,
        note: str,
        come_back: bool = False,
    ) -> wire.Ticket | None:
        return self.client.transfer(
            self.counter,
            to_prefix=to_prefix,
            to_counter=to_counter,
            note=note,
            come_back=come_back,
        )

    def finish(self, outcome: Outcome, dossier_code: str | None) -> wire.Ticket | None:
        return self.client.finish(self.counter, outcome, dossier_code)

    # --- catalogue ---------------------------------------------------------------------------

    def catalogue(self, *, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            document = self.client.catalogue()
            self._catalogue = parse_catalogue_json(json.dumps(document, ensure_ascii=False))
        return self._catalogue

    def due_preview(self, procedure_code: str) -> wire.DuePreview:
        return self.client.due_preview(self.counter, procedure_code)

    # --- reception ---------------------------------------------------------------------------

    def receive(self, reception: Body) -> tuple[wire.Dossier, PrintResult]:
        """Save the dossier (idempotent on reception["request_id"]), then print form 01 and the
        short receipt. A print problem is returned, not raised: the dossier exists."""
        dossier = self.client.receive_dossier(self.counter, reception)
        return dossier, self.print_receipt(dossier)

    def print_receipt(self, dossier: wire.Dossier, copies: int | None = None) -> PrintResult:
        """Form 01 (one PDF: liên 1 and liên 2) and, when set, the thermal short receipt."""
        result = PrintResult()
        copies = copies or self.printing.receipt_copies
        try:
            pdf = self.render_receipt(dossier)
            for _copy in range(copies):
                result.add(self._print_form(pdf, "01", dossier["code"], dossier["code"]))
            if self.printing.receipt_printer:
                result.add(self._print_slip(dossier))
        except KioskError as error:
            result.problem = error.message
        result.failed = self.failed_count()
        return result

    def supplement(self, request: Body) -> tuple[wire.Supplement, PrintResult]:
        record = self.client.supplement_at_counter(self.counter, request)
        return record, self._print_supplement(record, request.get("applicant", {}))

    def refuse(self, request: Body) -> tuple[wire.Refusal, PrintResult]:
        record = self.client.refuse_at_counter(self.counter, request)
        result = PrintResult()
        try:
            pdf = self.render_refusal(record, request.get("applicant", {}))
            result.add(self._print_form(pdf, "03", record["number"]))
        except KioskError as error:
            result.problem = error.message
        result.failed = self.failed_count()
        return record, result

    # --- after reception ---------------------------------------------------------------------

    def worklist(self, kind: str) -> list[wire.Dossier]:
        return self.client.worklist(self.counter, kind)

    def search(self, text: str) -> list[wire.Dossier]:
        return self.client.search_dossiers(self.counter, text)

    def dossier_file(self, code: str) -> wire.DossierFile:
        return self.client.dossier_file(self.counter, code)

    def step(self, code: str, action: str, body: Body) -> tuple[wire.DossierAnswer, PrintResult]:
        """One lifecycle step; a supplement request prints form 02, an extension form 04."""
        body = {"request_id": request_id(), **body}
        answer = self.client.dossier_step(self.counter, code, action, body)
        result = PrintResult()
        try:
            if action == "supplement-request" and "supplement" in answer:
                applicant = applicant_of(answer["dossier"])
                result = self._print_supplement(answer["supplement"], applicant)
            elif action == "extend":
                pdf = self.render_apology(answer["dossier"], body)
                result.add(self._print_form(pdf, "04", code, code))
        except KioskError as error:
            result.problem = error.message
        result.failed = self.failed_count()
        return answer, result

    # --- reprints ------------------------------------------------------------------------------

    @staticmethod
    def reprint_choices(file: wire.DossierFile) -> list[tuple[str, str, int]]:
        """The forms of a dossier that can be printed again: (label, form, index), where index
        picks the supplement request (form 02) or the extension (form 04) in the file."""
        dossier = file["dossier"]
        choices = [("Phiếu tiếp nhận và hẹn trả kết quả (mẫu 01)", "01", 0)]
        for index, record in enumerate(file["supplements"]):
            if record["dossier_code"]:
                label = f"Phiếu yêu cầu bổ sung số {record['number']} (mẫu 02)"
                choices.append((label, "02", index))
        for index, entry in enumerate(extensions_of(file)):
            number = entry["details"].get("number", "")
            choices.append((f"Phiếu xin lỗi và hẹn lại số {number} (mẫu 04)", "04", index))
        if dossier["code"]:
            choices.append(("Phiếu kiểm soát quá trình giải quyết (mẫu 05)", "05", 0))
        return choices

    def reprint(self, file: wire.DossierFile, form: str, index: int = 0) -> PrintResult:
        """Print one of `reprint_choices` again (a job row like every print, logged on the hub)."""
        dossier = file["dossier"]
        code = dossier["code"]
        if form == "01":
            return self.print_receipt(dossier, 1)
        result = PrintResult()
        try:
            if form == "02":
                record = file["supplements"][index]
                pdf = self.render_supplement(record, applicant_of(dossier))
                result.add(self._print_form(pdf, "02", record["number"], code))
            elif form == "04":
                entry = extensions_of(file)[index]
                pdf = self.render_apology_entry(dossier, entry)
                number = str(entry["details"].get("number", "")) or code
                result.add(self._print_form(pdf, "04", number, code))
            elif form == "05":
                pdf = self.render_control_slip(file)
                result.add(self._print_form(pdf, "05", code, code))
            else:
                raise KioskError(f"Không có mẫu {form} để in lại cho hồ sơ này.")
        except KioskError as error:
            result.problem = error.message
        result.failed = self.failed_count()
        return result

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

    def render_receipt(self, dossier: wire.Dossier) -> bytes:
        from kiosk.printing.forms import DocumentLine, ReceiptForm, render_form

        lines = []
        for doc in dossier["documents"]:
            kind = CopyKind(doc["copy_kind"])
            count = doc["count"]
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
            due_at=moment(dossier["due_at"]),
            time_limit=dossier["time_limit"],
            documents=tuple(lines),
            sets=dossier["sets"],
            applicant_address=dossier["applicant_address"],
            applicant_phone=dossier["applicant_phone"],
            applicant_email=dossier["applicant_email"],
            applicant_id_number=dossier["applicant_id_number"],
            return_channel=dossier["return_channel"],
            fee=dossier["fee"],
            register_book=str(dossier["register_year"]),
            register_number=dossier["register_number"],
            receiver_name=self.staff_name,
        )
        return render_form(form, self._options())

    staff_name: str = ""

    def render_supplement(self, record: wire.Supplement, applicant: Body) -> bytes:
        from kiosk.printing.forms import MissingItem, SupplementForm, render_form

        issued = moment(record["requested_at"])
        assert issued is not None
        form = SupplementForm(
            office=self._office(),
            issued_at=issued,
            applicant_name=record["applicant_name"],
            procedure_name=record["procedure_name"],
            items=tuple(MissingItem(i["name"], i["detail"]) for i in record["items"]),
            reason=record["reason"],
            number=record["number"],
            code=record["dossier_code"] or "",
            applicant_address=applicant.get("address", ""),
            applicant_phone=applicant.get("phone", ""),
            applicant_email=applicant.get("email", ""),
            officer_name=self.staff_name,
        )
        return render_form(form, self._options())

    def render_refusal(self, record: wire.Refusal, applicant: Body) -> bytes:
        from kiosk.printing.forms import RefusalForm, render_form

        issued = moment(record["at"])
        assert issued is not None
        form = RefusalForm(
            office=self._office(),
            issued_at=issued,
            applicant_name=record["applicant_name"],
            procedure_name=record["procedure_name"],
            reason=record["reason"],
            number=record["number"],
            applicant_address=applicant.get("address", ""),
            applicant_phone=applicant.get("phone", ""),
            applicant_email=applicant.get("email", ""),
            officer_name=self.staff_name,
        )
        return render_form(form, self._options())

    def render_apology(self, dossier: wire.Dossier, body: Body) -> bytes:
        """Form 04 right after the extension step: the dossier as the hub answered it."""
        details = {
            "due_at_before": dossier["original_due_at"] or dossier["due_at"],
            "new_due_at": dossier["due_at"],
        }
        issued_at = dossier["updated_at"] or dossier["received_at"]
        return self._render_apology(dossier, issued_at, str(body.get("reason", "")), details)

    def render_apology_entry(self, dossier: wire.Dossier, entry: wire.TimelineEntry) -> bytes:
        """Form 04 from an extension as recorded in the timeline (number, dates, reason)."""
        return self._render_apology(dossier, entry["at"], entry["note"], entry["details"])

    def _render_apology(
        self, dossier: wire.Dossier, issued_at: str | None, reason: str, details: dict[str, Any]
    ) -> bytes:
        """Form 04: `details` as an extension's timeline entry records them (number, dates)."""
        from kiosk.printing.forms import ApologyForm, render_form

        received = moment(dossier["received_at"])
        issued = moment(issued_at)
        original = moment(details.get("due_at_before")) or moment(dossier["original_due_at"])
        new_due = moment(details.get("new_due_at")) or moment(dossier["due_at"])
        if None in (received, issued, original, new_due):
            raise KioskError("Hồ sơ thiếu ngày gia hạn: không in lại được mẫu 04.")
        assert received and issued and original and new_due
        form = ApologyForm(
            office=self._office(),
            issued_at=issued,
            addressee=dossier["applicant_name"],
            code=dossier["code"],
            procedure_name=dossier["procedure_name"],
            received_at=received,
            original_due_at=original,
            new_due_at=new_due,
            reason=reason,
            number=str(details.get("number", "")),
        )
        return render_form(form, self._options())

    def render_control_slip(self, file: wire.DossierFile) -> bytes:
        """Form 05: the hand-overs of the dossier so far (one row each)."""
        from kiosk.printing.forms import ControlSlipForm, HandoverRow, render_form

        dossier = file["dossier"]
        received = moment(dossier["received_at"])
        assert received is not None

        def person(value: str) -> str:
            # A hand-over made without names records who clicked ("staff:lan@counter:1"): not a
            # name for a legal form, where the line is then left to sign by hand.
            return "" if value.startswith(("staff:", "device:", "system:")) else value

        rows = tuple(
            HandoverRow(
                from_unit=t["from_unit"] or "Bộ phận tiếp nhận và trả kết quả",
                to_unit=t["to_unit"],
                at=moment(t["at"]),
                giver=person(t["giver"]),
                receiver=person(t["receiver"]),
                outcome=t["timeliness"] or "",
                note=t["note"],
            )
            for t in file["transfers"]
        )
        form = ControlSlipForm(
            office=self._office(),
            code=dossier["code"],
            applicant_name=dossier["applicant_name"],
            procedure_name=dossier["procedure_name"],
            received_at=received,
            due_at=moment(dossier["due_at"]),
            handovers=rows,
            receipt_number=dossier["register_number"],
            lead_unit=rows[0].to_unit if rows else "",
        )
        return render_form(form, self._options())

    def _print_supplement(self, record: wire.Supplement, applicant: Body) -> PrintResult:
        result = PrintResult()
        try:
            pdf = self.render_supplement(record, applicant)
            code = record["dossier_code"] or None
            result.add(self._print_form(pdf, "02", record["number"], code))
        except KioskError as error:
            result.problem = error.message
        result.failed = self.failed_count()
        return result

    # --- print jobs ----------------------------------------------------------------------------

    @property
    def actor(self) -> str:
        return f"staff:{self.staff_username or '?'}@counter:{self.counter}"

    def _jobs(self) -> CounterPrints:
        if self.prints is None:
            raise RuntimeError("this console was built without its print-job file")
        return self.prints

    def _print_form(
        self, pdf: bytes, form: str, ident: str, dossier_code: str | None = None
    ) -> Printed:
        printed = self._jobs().print(
            form_stem(form, ident), self.printing.form_printer, pdf, actor=self.actor
        )
        if printed.ok and dossier_code:
            self._record_print(dossier_code, form)
        return printed

    def _record_print(self, dossier_code: str, form: str) -> None:
        """Tell the hub who printed which form of a dossier (the law asks to log it). The paper
        is out already: a hub that does not answer now only costs that log line."""
        try:
            self.client.record_dossier_print(self.counter, dossier_code, form, 1)
        except KioskError as error:
            log.warning(
                "print of form %s for %s not logged on the hub: %s",
                form,
                dossier_code,
                error.message,
            )

    def failed_prints(self) -> list[PrintItem]:
        """Prints that did not reach their printer, oldest first."""
        return [] if self.prints is None else self.prints.failed()

    def failed_count(self) -> int:
        return len(self.failed_prints())

    def retry_print(self, job_id: int) -> tuple[Printed, int]:
        """Print a kept job again on the printer configured now; (the job, failed left)."""
        jobs = self._jobs()
        item = jobs.get(job_id)
        printer = self.printing.form_printer if item.is_form else self.printing.receipt_printer
        printed = jobs.retry(job_id, printer=printer or None, actor=self.actor)
        if printed.ok and item.form in ("01", "04"):
            self._record_print(item.subject, item.form)
        return printed, self.failed_count()

    def discard_print(self, job_id: int) -> int:
        """Drop a failed print; returns how many failed ones are left."""
        self._jobs().discard(job_id, actor=self.actor)
        return self.failed_count()

    def _print_slip(self, dossier: wire.Dossier) -> Printed:
        from kiosk.printing.forms import qr_payload
        from kiosk.printing.thermal.connections import parse_printer_uri
        from kiosk.printing.thermal.escpos import encode_slip
        from kiosk.printing.thermal.layouts import ReceiptSlipData, render_receipt_slip

        received = moment(dossier["received_at"])
        due = moment(dossier["due_at"])
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
        return self._jobs().print(
            slip_stem(dossier["code"]), address.uri, encode_slip(slip, model), actor=self.actor
        )


def applicant_of(dossier: wire.Dossier) -> Body:
    """The applicant lines of a stored dossier, as a reception request carries them."""
    return {
        "name": dossier["applicant_name"],
        "address": dossier["applicant_address"],
        "phone": dossier["applicant_phone"],
        "email": dossier["applicant_email"],
    }


def extensions_of(file: wire.DossierFile) -> list[wire.TimelineEntry]:
    """The dossier's extensions (form 04), oldest first, as its timeline records them."""
    return [e for e in file["timeline"] if e["kind"] == "extension"]


def default_form_folder(data_dir: Path) -> str:
    return "pdf:" + str(data_dir / "prints")
