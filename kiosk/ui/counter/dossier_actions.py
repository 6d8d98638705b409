"""The counter window's dossier steps: receive, ask for a supplement, refuse (forms 01, 02,
03), with the draft kept on disk after every change and the due date previewed as soon as a
procedure is chosen.

A failed save keeps the form and its request id, so pressing save again never makes a second
dossier; a failed print is kept as a job and counted in the top bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.domain.errors import KioskError
from kiosk.ui.counter.reception import due_text
from kiosk.ui.counter.services import PrintResult

if TYPE_CHECKING:
    from kiosk.ui.counter.window import CounterWindow


class DossierActions:
    """The reception half of `CounterWindow` (a mixin: it uses the window's form, services,
    tasks and messages)."""

    def _save_draft(self: CounterWindow) -> None:
        if self.draft is None:
            return
        try:
            if self.form.is_empty():
                self.draft.clear()
            else:
                self.draft.save(self.form.state())
        except OSError as exc:
            self.show_message(f"Không lưu được bản nháp: {exc.strerror or exc}.", "warn")

    def _preview_due(self: CounterWindow, code: str) -> None:
        if self.staff is None:
            return

        def done(answer: dict[str, Any]) -> None:
            if self.form.procedure is not None and self.form.procedure.code == code:
                self.form.set_due(due_text(answer["due_at"], answer["time_limit"]), True)

        def failed(error: KioskError) -> None:
            if self.form.procedure is not None and self.form.procedure.code == code:
                self.form.set_due(f"Ngày hẹn trả: {error.message}", False)

        self.tasks.run(lambda: self.services.due_preview(code), self._ok(done), failed)

    def _ticket_id(self: CounterWindow) -> int | None:
        current = self.queue.current
        return None if current is None else int(current["id"])

    def form_action(self: CounterWindow, kind: str) -> None:
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        if kind == "clear":
            self.form.clear()
            self.show_message("Đã xóa mẫu tiếp nhận.", "ok")
            return
        if self.tabs.currentIndex() != 0:
            self.show_tab(0)
        services = self.services
        actions: dict[str, tuple[Callable[[int | None], dict[str, Any]], Callable[..., Any]]] = {
            "receive": (self.form.reception, services.receive),
            "supplement": (self.form.supplement, services.supplement),
            "refuse": (self.form.refusal, services.refuse),
        }
        make_body, send = actions[kind]
        try:
            body = make_body(self._ticket_id())
        except KioskError as error:
            self.show_message(error.message, "error")
            return
        self._set_form_busy(True)

        def done(answer: tuple[dict[str, Any], PrintResult]) -> None:
            record, printed = answer
            self._set_form_busy(False)
            self.last_print = printed
            if kind == "receive":
                self.last_dossier = record
                self.ticket_outcome = ("received", str(record["code"]))
                text = f"Đã tiếp nhận hồ sơ {record['code']}. "
                text += (
                    "Đã in phiếu tiếp nhận (mẫu 01, liên 1 và liên 2)."
                    if not printed.problem
                    else ""
                )
            elif kind == "supplement":
                self.ticket_outcome = ("supplement_requested", None)
                text = f"Đã lập phiếu yêu cầu bổ sung số {record['number']}. "
                text += "Đã in mẫu 02." if not printed.problem else ""
            else:
                self.ticket_outcome = ("refused", None)
                text = f"Đã lập phiếu từ chối số {record['number']}. "
                text += "Đã in mẫu 03." if not printed.problem else ""
            self.set_failed_prints(printed.failed)
            if printed.problem:
                text += (
                    f" CHƯA IN ĐƯỢC: {printed.problem} Bản in được giữ: «Bản in lỗi» ở trên "
                    "(Ctrl+P) để in lại."
                )
            self.form.clear()
            self._save_draft()
            self.show_message(
                text + ("" if self.queue.current is None else " Bấm F8 để kết thúc số."),
                "warn" if printed.problem else "ok",
            )

        def failed(error: KioskError) -> None:
            self._set_form_busy(False)
            self.failed(error)

        self.tasks.run(lambda: send(body), self._ok(done), failed)

    def _set_form_busy(self: CounterWindow, busy: bool) -> None:
        for button in (
            self.form.receive_button,
            self.form.supplement_button,
            self.form.refuse_button,
        ):
            button.setEnabled(not busy)
