"""A catalogue imported while the screens run reaches them without a restart (real hub process,
real event stream): the kiosk's procedure pages and the counter console's procedure search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_support import Screens, make_console

from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.events import EventStream
from kiosk.ui.kiosk.screen import KioskWindow
from kiosk.ui.kiosk.services import HubServices

WAIT = 15_000
NEW_CODE = "9.999001"
NEW_NAME = "Thủ tục thử nghiệm xác nhận trại nuôi ong mật"
#: Typed without accents (QTest types ASCII only); nothing in the default catalogue matches.
SEARCH = "trai nuoi ong"


@pytest.fixture
def admin(screens: Screens) -> Iterator[HubClient]:
    client = screens.hub.client()
    yield client
    client.close()


def import_catalogue(admin: HubClient, *, with_new: bool) -> int:
    """Import the office's catalogue with the test procedure added (or removed); its size."""
    document: dict[str, Any] = admin.catalogue()
    procedures = [p for p in document["procedures"] if p["code"] != NEW_CODE]
    if with_new:
        procedures.append({**procedures[0], "code": NEW_CODE, "name": NEW_NAME})
    text = json.dumps({**document, "procedures": procedures}, ensure_ascii=False)
    answer = admin.import_catalogue(text, "json")
    return int(answer["procedures"])


def test_a_running_kiosk_shows_a_procedure_imported_after_it_started(
    qtbot: QtBot, screens: Screens, admin: HubClient
) -> None:
    theme.application()
    client = screens.client("kiosk")
    stream = EventStream(client.events_url)
    services = HubServices(client, f"png:{Path(screens.hub.data_dir) / 'tickets'}")
    window = KioskWindow(services, stream=stream, now=screens.hub.clock)
    qtbot.addWidget(window)
    try:
        window.resize(1080, 1920)
        window.show()
        with qtbot.waitSignal(stream.snapshot, timeout=WAIT):
            stream.start()
        window.open_procedures()
        page = window.procedures
        qtbot.waitUntil(lambda: page.catalogue is not None, timeout=WAIT)
        assert page.catalogue is not None
        before = len(page.catalogue.procedures)
        page.field.setText(SEARCH)  # a citizen searching for it before it exists
        assert page.rows == []

        total = import_catalogue(admin, with_new=True)

        # The search the citizen typed stays, and now finds the new procedure.
        qtbot.waitUntil(lambda: len(page.rows) == 1, timeout=WAIT)
        assert page.field.text() == SEARCH
        assert page.rows[0].procedure.code == NEW_CODE
        page.field.clear()
        assert total == before + 1
        assert page.count.text() == f"Tất cả {total} thủ tục"

        page.field.setText(SEARCH)
        qtbot.mouseClick(page.rows[0], Qt.MouseButton.LeftButton)
        assert window.stack.currentIndex() == window.PROCEDURE
        shown = window.procedure.procedure
        assert shown is not None and shown.name == NEW_NAME

        # The procedure being read leaves the catalogue: the kiosk goes home, no error shown.
        import_catalogue(admin, with_new=False)
        qtbot.waitUntil(lambda: window.stack.currentIndex() == window.HOME, timeout=WAIT)
        window.open_procedures()
        page.field.setText(SEARCH)
        assert page.rows == []
    finally:
        window.shutdown()
        client.close()


def test_a_running_console_finds_the_new_procedure_and_keeps_the_form_in_progress(
    qtbot: QtBot, screens: Screens, admin: HubClient, tmp_path: Path
) -> None:
    window = make_console(screens, tmp_path)
    try:
        assert window.stream is not None
        with qtbot.waitSignal(window.stream.snapshot, timeout=WAIT):
            window.stream.start()
        qtbot.keyClicks(window.login_page.username, "lan")
        qtbot.keyClicks(window.login_page.secret, "2468")
        with qtbot.waitSignal(window.logged_in, timeout=WAIT):
            qtbot.keyClick(window.login_page.secret, Qt.Key.Key_Return)
        form = window.form
        qtbot.waitUntil(lambda: form.catalogue is not None, timeout=WAIT)
        # A clerk half-way through a reception.
        qtbot.keyClicks(form.search, "khai sinh")
        qtbot.keyClick(form.search, Qt.Key.Key_Return)
        assert form.procedure is not None
        chosen = form.procedure.code
        form.name.edit.insert("nguyễn văn an")
        qtbot.keyClicks(form.phone.edit, "0912 345 678")
        form.rows[0].check.setChecked(True)
        typed = form.state()

        total = import_catalogue(admin, with_new=True)

        message = f"Danh mục thủ tục vừa được cập nhật ({total} thủ tục)."
        qtbot.waitUntil(lambda: window.message.text() == message, timeout=WAIT)
        assert form.state() == typed, "something typed was lost"
        assert form.procedure is not None and form.procedure.code == chosen
        assert form.catalogue is not None and len(form.catalogue.procedures) == total
        form.search.clear()
        qtbot.keyClicks(form.search, SEARCH)
        codes = [
            form.results.item(n).data(Qt.ItemDataRole.UserRole) for n in range(form.results.count())
        ]
        assert codes == [NEW_CODE]
        assert form.procedure.code == chosen  # searching does not change the choice
    finally:
        window.shutdown()
        window.close()
        window.services.client.close()
