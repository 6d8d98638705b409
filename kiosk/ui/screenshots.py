"""`kiosk screenshots DIR`: every screen in every state, at its real size, as PNG.

No hub and no network: the screens are fed sample data (`kiosk.ui.samples`), so the pictures are
the same on every machine (bundled fonts, fixed clock). Look at them after every UI change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.ui.counter.samples import SampleCounterServices
    from kiosk.ui.counter.window import CounterWindow

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)
BOARD = (1920, 1080)
RATING = (1280, 800)
LONG_NOTICE = (
    "Kính mời công dân lấy số thứ tự và chờ đến lượt. Giờ làm việc: sáng 7:00–11:30, chiều "
    "13:30–17:00, từ thứ Hai đến thứ Sáu. Quý khách có thể tra cứu hồ sơ bằng mã QR trên giấy "
    "biên nhận. Xin cảm ơn!"
)


def render_all(folder: Path) -> list[Path]:
    """Render every screen and state into `folder`; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop

    from kiosk.ui import theme

    app = theme.application()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle(busy: Callable[[], bool] = lambda: False) -> None:
        for _ in range(30):
            app.processEvents()
        while busy():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        for _ in range(30):
            app.processEvents()

    def save(widget: object, name: str) -> None:
        path = folder / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        written.append(path)

    written += _kiosk(save, settle)
    written += _display(save, settle)
    written += _rating(save, settle)
    written += _counter(save, settle)
    written += _admin(save, settle)
    written += _admin_login(save, settle)
    written += _admin_printers(save, settle)
    return sorted(set(written))


def _kiosk(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    from kiosk.ui.kiosk.screen import KioskWindow
    from kiosk.ui.samples import LONG_GROUPS, LONG_OFFICE, SAMPLE_NOW, SampleServices

    for orientation, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE)):

        def window(services: SampleServices, size: tuple[int, int] = size) -> KioskWindow:
            screen = KioskWindow(services, now=lambda: SAMPLE_NOW)
            screen.resize(*size)
            screen.show()
            settle(lambda: screen.tasks.busy)
            return screen

        def shot(screen: KioskWindow, state: str, orientation: str = orientation) -> None:
            settle(lambda: screen.tasks.busy)
            save(screen, f"kiosk-{orientation}-{state}")

        busy = window(SampleServices())
        shot(busy, "home-busy")
        busy.take_ticket("A")
        shot(busy, "ticket-printed")
        busy.go_home()
        busy.show_page(busy.PRIORITY)
        shot(busy, "priority")
        busy.priority.chosen.emit("elderly")
        shot(busy, "home-priority-chosen")
        busy.go_home()
        busy.open_lookup()
        busy.lookup.field.setText("000.00.21.H99-260914-0007")
        busy.look_up(busy.lookup.field.text())
        shot(busy, "lookup-found")
        busy.open_lookup()
        busy.lookup.show_error("Mã hồ sơ không đúng dạng. Ví dụ: 000.00.21.H12-210315-0001")
        shot(busy, "lookup-error")
        busy.open_procedures()
        shot(busy, "procedures-all")
        busy.procedures.field.setText("dang ky ket hon")
        shot(busy, "procedures-search")
        catalogue = busy._catalogue
        assert catalogue is not None
        longest = max(catalogue.procedures, key=lambda p: len(p.name))
        most_documents = max(catalogue.procedures, key=lambda p: len(p.documents))
        busy.open_procedure(longest)
        shot(busy, "procedure-long-name")
        busy.open_procedure(most_documents)
        shot(busy, "procedure-many-documents")
        busy._exit_pin = "0000"
        busy._ask_pin()
        shot(busy, "staff-pin")
        busy.shutdown()
        busy.close()

        empty = window(SampleServices(groups_list=[]))
        shot(empty, "home-empty-office")
        empty.shutdown()
        empty.close()

        long = window(SampleServices(groups_list=list(LONG_GROUPS), office_name=LONG_OFFICE))
        shot(long, "home-long-names")
        long.shutdown()
        long.close()

        fault = window(SampleServices(printer_fault=True))
        fault.take_ticket("B")
        shot(fault, "ticket-printer-error")
        fault.shutdown()
        fault.close()

        offline = window(SampleServices(offline=True))
        shot(offline, "home-offline")
        offline.take_ticket("A")
        shot(offline, "ticket-offline")
        offline.shutdown()
        offline.close()
    return []


def _display(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    from kiosk.ui.display.screen import DisplayWindow
    from kiosk.ui.samples import LONG_OFFICE, OFFICE, SAMPLE_NOW, call_event, sample_snapshot

    cases = (
        ("empty-office", OFFICE, sample_snapshot(busy=False), True, None),
        ("busy-office", OFFICE, sample_snapshot(), True, None),
        ("new-call-blinking", OFFICE, sample_snapshot(), True, call_event("A042", 1)),
        ("ten-counters", LONG_OFFICE, sample_snapshot(counters=10), True, None),
        ("offline", OFFICE, sample_snapshot(), False, None),
    )
    for name, office, snapshot, online, event in cases:
        board = DisplayWindow(office_name=office, notice=LONG_NOTICE, now=lambda: SAMPLE_NOW)
        board.resize(*BOARD)
        board.show()
        board.apply_snapshot(snapshot)
        board.set_online(online)
        if event is not None:
            board.apply_event(event)
        board.notice.freeze()
        settle()
        save(board, f"display-{name}")
        board.shutdown()
        board.close()
    return []


def _rating(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    from kiosk.ui.rating.screen import RatingWindow

    screen = RatingWindow(3, lambda rating: None)
    screen.resize(*RATING)
    screen.show()
    settle()
    save(screen, "rating-idle")
    screen.ask(41, "A041")
    settle()
    save(screen, "rating-ask")
    screen.choose("unsatisfied")
    screen.chips[0].setChecked(True)
    settle()
    save(screen, "rating-reasons")
    screen.send()
    settle(lambda: screen.tasks.busy)
    save(screen, "rating-thanks")
    screen.shutdown()
    screen.close()
    return []


COUNTER_SIZES = (("1366x768", (1366, 768)), ("1920x1080", (1920, 1080)))


def _counter(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    for size_name, size in COUNTER_SIZES:
        shots = _CounterShots(save, settle, size_name, size)
        _counter_working_day(shots)
        _counter_failed_prints(shots)
        _counter_offline(shots)
    return []


class _CounterShots:
    """Opens a counter console on sample services at one size and saves its pictures."""

    def __init__(
        self,
        save: Callable[[object, str], None],
        settle: Callable[..., None],
        size_name: str,
        size: tuple[int, int],
    ) -> None:
        self._save = save
        self._settle = settle
        self.size_name = size_name
        self.size = size

    def window(self, services: SampleCounterServices) -> CounterWindow:
        from kiosk.ui.counter.window import CounterWindow
        from kiosk.ui.samples import OFFICE, SAMPLE_NOW

        screen = CounterWindow(services, office_name=OFFICE, now=lambda: SAMPLE_NOW)
        screen.resize(*self.size)
        screen.show()
        self._settle(lambda: screen.tasks.busy)
        return screen

    def shot(self, screen: CounterWindow, state: str) -> None:
        self._settle(lambda: screen.tasks.busy)
        self._save(screen, f"counter-{self.size_name}-{state}")


def _counter_working_day(shots: _CounterShots) -> None:
    """Login, a call, a reception typed then ready, the question sheets, the work list."""
    from kiosk.ui.counter.samples import SampleCounterServices

    shot = shots.shot
    screen = shots.window(SampleCounterServices())
    screen.login_page.username.setText("lan")
    shot(screen, "login")
    screen.login("lan", "2468")
    shot(screen, "idle")
    screen.request("call_next")
    shot(screen, "serving")
    form = screen.form
    form.search.setText("ket hon nuoc ngoai")
    shot(screen, "procedure-search")
    form._choose_first()
    form.name.edit.setText("nguyễn  văn an")
    form.citizen_id.edit.setText("0010990")
    form.phone.edit.setText("0912 345 67")
    form.address.edit.setText("Số 12 đường Lê Lợi, phường Tân An")
    if form.rows:
        form.rows[0].check.setChecked(True)
    shot(screen, "reception-typing")
    form.citizen_id.edit.setText("001099012345")
    form.phone.edit.setText("0912 345 678")
    for row in form.rows:
        row.check.setChecked(True)
    shot(screen, "reception-ready")
    screen.request("finish")
    shot(screen, "finish-sheet")
    screen.queue.close_sheet()
    screen.request("transfer")
    screen.queue.sheet.note.setText("Hỏi thêm về chứng thực")
    shot(screen, "transfer-sheet")
    screen.queue.sheet.choose(4)  # counter 3
    screen.queue.sheet.flag.setChecked(True)
    shot(screen, "transfer-to-counter")
    screen.queue.close_sheet()
    screen.request("held")
    shot(screen, "held-list")
    screen.queue.sheet._confirm()
    shot(screen, "held-actions")
    screen.queue.sheet.choose(2)
    screen.queue.sheet._confirm()
    shot(screen, "held-cancel-confirm")
    screen.queue.close_sheet()
    screen.show_tab(1)
    shot(screen, "worklist")
    screen.work.open_code("x")
    shot(screen, "dossier-page")
    screen.shutdown()
    screen.close()


def _counter_failed_prints(shots: _CounterShots) -> None:
    """The top bar's failed-print button, the list it opens and its discard question."""
    from kiosk.ui.counter.samples import SampleCounterServices

    troubled = shots.window(SampleCounterServices(failed_prints=True))
    troubled.login("lan", "2468")
    shots.shot(troubled, "failed-prints-indicator")
    troubled.show_prints()
    shots.shot(troubled, "failed-prints")
    troubled.prints_page.discard()
    shots.shot(troubled, "failed-prints-discard-confirm")
    troubled.shutdown()
    troubled.close()


def _counter_offline(shots: _CounterShots) -> None:
    """The offline band after a call the hub did not answer."""
    from kiosk.ui.counter.samples import SampleCounterServices

    away = SampleCounterServices()
    offline = shots.window(away)
    offline.login("lan", "2468")  # as in "idle"; the picture is of what follows
    away.offline = True
    offline.request("call_next")
    shots.shot(offline, "offline")
    offline.shutdown()
    offline.close()


def _admin(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    from kiosk.printing.check import PrintTestReport
    from kiosk.ui.admin.samples import SampleAdminClient, SampleMicrophone
    from kiosk.ui.admin.window import AdminWindow

    def printed(uri: str, kind: str) -> PrintTestReport:
        return PrintTestReport(kind, uri, True, "Đã in thử phiếu số thứ tự.", status="Sẵn sàng")

    for size_name, size in COUNTER_SIZES:
        screen = AdminWindow(
            SampleAdminClient(),
            office_name="UBND phường Tân An",
            year=2026,
            print_test=printed,
            print_kinds=["ticket", "receipt", "form01"],
            voice_check=lambda: (
                "Máy này không có giọng đọc tiếng Việt của hệ thống; bảng hiển thị dùng bộ âm "
                "thanh ghi sẵn. Trên Windows, cài giọng “Microsoft An” trong Cài đặt › Thời "
                "gian và ngôn ngữ › Giọng nói."
            ),
        )
        screen.resize(*size)
        screen.show()

        def shot(state: str, screen: AdminWindow = screen, size_name: str = size_name) -> None:
            settle(lambda: screen.tasks.busy)
            save(screen, f"admin-{size_name}-{state}")

        shot("devices")
        screen.devices.name.setText("Máy quầy 4")
        screen.devices.register()
        shot("device-token")
        screen.show_tab(1)
        shot("staff")
        screen.staff.select("minh")  # locked after wrong PINs: the unlock button shows
        screen.staff.edit_secret.setText("2468")
        screen.staff.edit_again.setText("2486")
        screen.staff.save()  # the two entries differ: said on screen, nothing sent
        shot("staff-edit")
        screen.staff.select("lan")
        screen.staff.edit_secret.setText("97531")
        screen.staff.edit_again.setText("97531")
        screen.staff.edit_active.setChecked(False)
        screen.staff.save()
        shot("staff-saved")
        screen.show_tab(2)
        shot("calendar")
        screen.show_tab(3)
        with tempfile.TemporaryDirectory() as temp:
            sample = Path(temp) / "danh-muc-thu-tuc.csv"
            sample.write_text("code,name\n", encoding="utf-8")
            screen.catalogue.import_file(sample)  # the sample hub refuses it, with errors
            screen.catalogue.file_label.setText(sample.name)  # no machine path in the picture
        shot("catalogue-errors")
        screen.show_tab(4)
        screen.maintenance.backup()
        screen.maintenance.printer.setText("tcp://192.168.1.50")
        screen.maintenance.test_print()
        shot("backup-print-test")
        screen.show_tab(5)
        shot("office")
        # The admin's mistakes, refused by the (sample) hub with every problem at once.
        screen.office.unit_code.setText("H12 21/2026")
        screen.office.groups.item(2, 0).setText("A")
        screen.office.counters.item(1, 2).setText("B, D")
        screen.office.save()
        shot("office-errors")
        screen.show_tab(screen.page_list.index(screen.voice))
        shot("voice")
        screen.voice.microphone = SampleMicrophone("so-5")
        screen.voice.select("so-5")
        screen.voice.toggle_recording()
        shot("voice-recording")
        screen.voice.toggle_recording()
        shot("voice-take")
        screen.shutdown()
        screen.close()
    return []


class _SamplePrinterHub:
    """The admin client of the screenshots plus printers and print tests: a kiosk answering ok,
    a counter whose receipt printer is out of paper, and a counter PC that is switched off."""

    def __init__(self) -> None:
        from kiosk.ui.admin.samples import SampleAdminClient

        self.base = SampleAdminClient()
        self.printers: dict[int, dict[str, str]] = {
            1: {"ticket": "tcp://192.168.1.50:9100"},
            3: {"form": "os:Canon LBP2900", "receipt": "win:XP-80C"},
            5: {"form": "os:HP LaserJet M211"},
        }
        self.answers: dict[tuple[int, str], tuple[bool, str]] = {
            (1, "ticket"): (
                True,
                "Đã gửi mẫu in thử (41.872 byte) tới máy in tcp://192.168.1.50:9100.",
            ),
            (3, "form"): (True, "Đã in thử mẫu 01 (38 KB) trên os:Canon LBP2900."),
            (3, "receipt"): (False, "Máy in win:XP-80C hết giấy. Thay cuộn giấy mới rồi in lại."),
        }
        self.tests: dict[int, tuple[int, str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    def device_printers(self, device_id: int) -> dict[str, Any]:
        device = next(d for d in self.base.devices() if d["id"] == device_id)
        kinds = {"kiosk": ["ticket"], "counter": ["form", "receipt"]}.get(device["role"], [])
        return {
            "device_id": device_id,
            "name": device["name"],
            "role": device["role"],
            "counter_number": device["counter_number"],
            "revoked": False,
            "kinds": kinds,
            "printers": dict(self.printers.get(device_id, {})),
        }

    def request_print_test(self, device_id: int, kind: str) -> dict[str, Any]:
        test_id = len(self.tests) + 1
        self.tests[test_id] = (device_id, kind)
        return {"id": test_id, "state": "pending"}

    def print_test_result(self, test_id: int) -> dict[str, Any]:
        answer = self.answers.get(self.tests[test_id])
        if answer is None:  # the device never answers
            return {"id": test_id, "state": "pending", "ok": None, "message": ""}
        return {"id": test_id, "state": "done", "ok": answer[0], "message": answer[1]}


def _admin_login(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    """The admin screen's login (and the first admin account), restore and an ended session."""
    from kiosk.hub.client import HubError
    from kiosk.ui.admin.samples import SampleAdminClient
    from kiosk.ui.admin.window import AdminWindow

    class FirstTime(SampleAdminClient):
        def first_admin_needed(self) -> bool:
            return True

    class Expiring(SampleAdminClient):
        ended = False

        def devices(self) -> list[dict[str, Any]]:
            if self.ended:
                raise HubError(
                    "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.", status=401, error_code="auth"
                )
            return super().devices()

    for size_name, size in COUNTER_SIZES:
        client = Expiring()
        client.staff_session = ""
        first = FirstTime()
        first.staff_session = ""
        for sample in (client, first):
            screen = AdminWindow(
                sample, office_name="UBND phường Tân An", year=2026, print_kinds=[]
            )
            screen.resize(*size)
            screen.show()

            def shot(state: str, screen: AdminWindow = screen, size_name: str = size_name) -> None:
                settle(lambda: screen.tasks.busy)
                save(screen, f"admin-{size_name}-{state}")

            if sample is first:
                screen.login_page.username.setText("quantri")
                screen.login_page.full_name.setText("Nguyễn Văn Quản")
                shot("first-admin")
                screen.shutdown()
                screen.close()
                continue
            shot("login")
            screen.login_page.username.setText("quantri")
            screen.login_page.secret.setText("1111")
            screen.login_page._submit()
            shot("login-wrong-pin")
            screen.login_page.secret.setText("2468")
            screen.login_page._submit()
            settle(lambda screen=screen: screen.tasks.busy)
            screen.show_tab(4)
            settle(lambda screen=screen: screen.tasks.busy)
            screen.maintenance.backups.list.selectRow(1)
            screen.maintenance.backups.restore()
            shot("restore-confirm")
            screen.maintenance.backups.restore()
            shot("restored")
            client.ended = True
            screen.devices.name.setText("Máy quầy 5")  # typed, then the session ends
            screen.show_tab(0)
            shot("session-ended")
            screen.shutdown()
            screen.close()
    return []


def _admin_printers(save: Callable[[object, str], None], settle: Callable[..., None]) -> list[Path]:
    """The admin screen's "Máy in" tab: a kiosk's printer, a counter's, test answers."""
    from kiosk.ui.admin.window import AdminWindow

    for size_name, size in COUNTER_SIZES:
        screen = AdminWindow(_SamplePrinterHub(), office_name="UBND phường Tân An", year=2026)
        screen.resize(*size)
        screen.show()
        page = screen.printers
        page.answer_seconds = 0.0  # the "no answer" state without waiting 20 s
        rows = page.printer_rows

        def busy(screen: AdminWindow = screen) -> bool:
            waiting = any(r.test_id is not None for r in screen.printers.printer_rows.values())
            return bool(screen.tasks.busy) or waiting

        def shot(state: str, screen: AdminWindow = screen, size_name: str = size_name) -> None:
            settle(busy)
            save(screen, f"admin-{size_name}-{state}")

        screen.show_tab(screen.page_list.index(page))
        shot("printers-kiosk")
        page.test(rows["ticket"])
        shot("printers-kiosk-test-ok")
        page.list.selectRow(1)  # Máy quầy 1
        settle(busy)
        page.test(rows["form"])
        page.test(rows["receipt"])
        shot("printers-counter-tests")
        page.list.selectRow(2)  # Máy quầy 3: switched off
        settle(busy)
        page.test(rows["form"])
        settle(lambda screen=screen: screen.tasks.busy)
        save(screen, f"admin-{size_name}-printers-waiting")
        shot("printers-no-answer")
        screen.shutdown()
        screen.close()
    return []
