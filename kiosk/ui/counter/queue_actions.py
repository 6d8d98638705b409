"""The counter window's queue steps: call, recall, no-show, hold, transfer, finish, and what
to do with a held ticket.

A step that needs an answer first (where to transfer, which outcome, cancel a held number?)
asks it in the queue panel (`QueuePanel.ask`) with the step to run as the answer's callback.
Every step runs on the window's `Tasks` thread and ends with a message and a fresh queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.domain.errors import KioskError
from kiosk.ui.counter.queue_panel import OUTCOMES, held_since, held_text

if TYPE_CHECKING:
    from kiosk.ui.counter.window import CounterWindow


class QueueActions:
    """The queue half of `CounterWindow` (a mixin: it uses the window's panel, services, tasks
    and messages)."""

    def refresh_queue(self: CounterWindow) -> None:
        if self.staff is None or self._stopped:
            return
        self.tasks.run(self.services.queue, self._ok(self.queue.apply_snapshot), self.failed)
        self.tasks.run(self.services.held, self._ok(self.queue.apply_held), self.failed)

    def request(self: CounterWindow, action: str) -> None:
        """A queue action from a button or its key."""
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        panel = self.queue
        if panel.asking():
            return
        current = panel.current
        if action == "held":
            self.pick_held()
            return
        if action == "call_next":
            if current is not None:
                self.show_message(
                    f"Số {current['display_number']} vẫn đang ở quầy: kết thúc (F8) trước khi "
                    "gọi số mới.",
                    "warn",
                )
                return
            self.ticket_outcome = None
            self._queue_call(self.services.call_next, "call")
            return
        if current is None:
            self.show_message("Chưa có số nào ở quầy. Bấm F2 để gọi số tiếp theo.", "warn")
            return
        if action == "recall":
            self._queue_call(self.services.recall, "recall")
        elif action == "no_show":
            self._queue_call(self.services.no_show, "no_show")
        elif action == "hold":
            panel.ask(
                f"Tạm giữ số {current['display_number']} (công dân đi bổ sung, chờ kết quả…)",
                [(None, "Tạm giữ, gọi lại sau")],
                lambda _value, note, _flag: self.hold(note),
                note_hint="Ghi chú (không bắt buộc)",
            )
        elif action == "transfer":
            panel.ask(
                f"Chuyển số {current['display_number']} sang",
                self._transfer_targets(),
                self._transfer_chosen,
                detail="Nhóm: quầy nào của nhóm cũng gọi. Quầy: chỉ quầy đó gọi, trước hàng "
                "chờ. Chọn bằng phím số hoặc ↑/↓.",
                note_hint="Ghi chú cho nơi nhận (bắt buộc)",
                note_required=True,
                flag=f"Xong việc ở đó thì quay lại quầy {self.counter}",
                confirm="Chuyển",
            )
        elif action == "finish":
            chosen = self.ticket_outcome[0] if self.ticket_outcome else "guided"
            panel.ask(
                f"Kết thúc số {current['display_number']}: kết quả",
                list(OUTCOMES),
                lambda outcome, _note, _flag: self.finish(str(outcome)),
                chosen=chosen,
            )

    def _transfer_chosen(
        self: CounterWindow, target: tuple[str, Any], note: str, come_back: bool
    ) -> None:
        kind, where = target
        if kind == "group":
            self.transfer(to_prefix=str(where), note=note, come_back=come_back)
        else:
            self.transfer(to_counter=int(where), note=note, come_back=come_back)

    def _transfer_targets(self: CounterWindow) -> list[tuple[Any, str]]:
        """Every group, then every other counter (the hub's snapshot has both)."""
        targets: list[tuple[Any, str]] = []
        for status in self.queue.groups:
            group = status["group"]
            targets.append(
                (("group", group["prefix"]), f"Nhóm {group['prefix']} — {group['name']}")
            )
        for counter in sorted(self.queue.counters, key=lambda c: int(c["number"])):
            number = int(counter["number"])
            if number == self.counter:
                continue
            text = f"Quầy {number}"
            name = str(counter.get("name") or "")
            if name and name != text:
                text += f" — {name}"
            if not counter.get("open", True):
                text += " (đang đóng)"
            targets.append((("counter", number), text))
        return targets

    # --- held tickets ----------------------------------------------------------------------

    def pick_held(self: CounterWindow) -> None:
        """F7: choose one of this counter's held tickets, then what to do with it."""
        held = self.queue.held
        if not held:
            self.show_message("Không có số nào đang tạm giữ ở quầy này.", "ok")
            return
        self.queue.ask(
            f"Số đang tạm giữ ({len(held)}): chọn số",
            [(ticket, held_text(ticket)) for ticket in held],
            lambda ticket, _note, _flag: self.held_actions(ticket),
            confirm="Chọn",
        )

    def held_actions(self: CounterWindow, ticket: dict[str, Any]) -> None:
        """What to do with a held ticket: back to this counter, back to the queue, or cancel."""
        if self.staff is None or self.pages.currentIndex() != 1:
            return
        if self.queue.asking():
            return  # another question is open (the held list is hidden while one is)
        number = ticket["display_number"]
        free = self.queue.current is None
        self.queue.ask(
            f"Số {number} đang tạm giữ",
            [
                ("call", "Gọi vào quầy ngay"),
                ("return", "Về hàng chờ, giữ chỗ cũ"),
                ("cancel", "Hủy số"),
            ],
            lambda what, _note, _flag: self._held_chosen(ticket, str(what)),
            chosen="call" if free else "return",
            detail=" · ".join(
                p for p in (held_since(ticket).capitalize(), str(ticket.get("note") or "")) if p
            )
            + "\nGọi vào quầy khi công dân đã quay lại; hủy khi công dân không quay lại.",
        )

    def _held_chosen(self: CounterWindow, ticket: dict[str, Any], what: str) -> None:
        number = str(ticket["display_number"])
        ticket_id = int(ticket["id"])
        if what == "call":
            current = self.queue.current
            if current is not None:
                self.show_message(
                    f"Số {current['display_number']} vẫn đang ở quầy: kết thúc (F8) hoặc tạm "
                    f"giữ (F5) trước khi gọi lại số {number}.",
                    "warn",
                )
                return
            self.ticket_outcome = None
            self._queue_call(lambda: self.services.call_held(ticket_id), "call")
        elif what == "return":
            self._queue_call(
                lambda: self.services.return_from_hold(ticket_id), "return", number=number
            )
        elif what == "cancel":
            # Cancelling cannot be undone: ask once more, with the number in red.
            self.queue.ask(
                f"Hủy số {number}?",
                [("cancel", f"Có, hủy số {number}")],
                lambda _value, _note, _flag: self._queue_call(
                    lambda: self.services.cancel_ticket(ticket_id), "cancel", number=number
                ),
                detail="Số đã hủy không gọi lại được; công dân cần lấy số mới.",
                confirm=f"Hủy số {number}",
                danger=True,
            )

    def hold(self: CounterWindow, note: str = "") -> None:
        self._queue_call(lambda: self.services.hold(note), "hold")

    def transfer(
        self,
        *,
        to_prefix: str | None = None,
        to_counter: int | None = None,
        note: str = "",
        come_back: bool = False,
    ) -> None:
        where = f"quầy {to_counter}" if to_counter is not None else f"nhóm {to_prefix}"
        if come_back:
            where += f", xong sẽ quay lại quầy {self.counter}"
        self._queue_call(
            lambda: self.services.transfer(to_prefix, to_counter, note, come_back),
            "transfer",
            where=where,
        )

    def finish(self: CounterWindow, outcome: str) -> None:
        code = None
        if self.ticket_outcome is not None and self.ticket_outcome[0] == outcome:
            code = self.ticket_outcome[1]
        if outcome == "received" and code is None:
            self.show_message(
                "Chưa tiếp nhận hồ sơ nào cho số này: lưu mẫu tiếp nhận (Ctrl+S) trước, "
                "hoặc chọn kết quả khác.",
                "warn",
            )
            return
        self._queue_call(lambda: self.services.finish(outcome, code), "finish")

    def _queue_call(
        self, call: Callable[[], Any], action: str, *, number: str = "", where: str = ""
    ) -> None:
        """Run one queue step; `number` names a ticket that is not the one at the counter
        (a held one), `where` the target of a transfer."""
        self.queue.set_enabled(False)
        before = self.queue.current

        def done(ticket: Any) -> None:
            self.queue.set_enabled(True)
            if action in ("return", "cancel"):
                text = {
                    "return": f"Số {number} đã về hàng chờ, giữ chỗ cũ.",
                    "cancel": f"Đã hủy số {number}.",
                }[action]
                self.show_message(text, "ok")
                self.refresh_queue()
                return
            shown = before["display_number"] if before else ""
            if action == "call":
                if ticket is None:
                    self.show_message("Không còn ai chờ ở các nhóm của quầy này.", "ok")
                else:
                    self.show_message(f"Đã gọi số {ticket['display_number']}.", "ok")
                self.queue.show_ticket(ticket)
            else:
                texts = {
                    "recall": f"Đã gọi lại số {shown}.",
                    "no_show": f"Số {shown}: vắng mặt.",
                    "hold": f"Đã tạm giữ số {shown}. Gọi lại khi công dân quay lại: F7.",
                    "transfer": f"Đã chuyển số {shown} sang {where}.",
                    "finish": f"Đã kết thúc số {shown}.",
                }
                self.show_message(texts[action], "ok")
                if action == "recall":
                    self.queue.show_ticket(ticket)
                else:
                    self.queue.show_ticket(None)
                    self.ticket_outcome = None
            self.refresh_queue()

        def failed(error: KioskError) -> None:
            self.queue.set_enabled(True)
            self.failed(error)

        self.tasks.run(call, self._ok(done), failed)
