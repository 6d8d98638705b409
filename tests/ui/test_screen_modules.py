"""The screens stay a house a newcomer can change: small files, short functions, and each piece
of a screen in the module named after it."""

from __future__ import annotations

import ast
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.ui.counter.applicant import FIELD_LABELS, parse_id_card_qr
from kiosk.ui.counter.documents import documents_table
from kiosk.ui.counter.dossier_actions import DossierActions
from kiosk.ui.counter.queue_actions import QueueActions
from kiosk.ui.counter.top_bar import TopBar
from kiosk.ui.counter.window import CounterWindow

UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_no_screen_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(UI)): lines
        for path in sorted(UI.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    }
    assert long == {}


def test_no_screen_function_is_over_80_lines() -> None:
    long = {}
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(UI)}:{node.name}"] = lines
    assert long == {}


def test_the_counter_window_is_made_of_its_queue_and_dossier_steps() -> None:
    assert issubclass(CounterWindow, QueueActions)
    assert issubclass(CounterWindow, DossierActions)
    for name in ("request", "transfer", "held_actions", "finish", "refresh_queue"):
        assert getattr(CounterWindow, name) is getattr(QueueActions, name)
    for name in ("form_action", "_save_draft", "_preview_due"):
        assert getattr(CounterWindow, name) is getattr(DossierActions, name)


def test_the_top_bar_names_the_counter_once_and_follows_new_names(qtbot: QtBot) -> None:
    bar = TopBar(2, "", "Quầy 2", show_prints=lambda: None, logout=lambda: None)
    qtbot.addWidget(bar)
    assert bar.objectName() == "bar"  # the console's style draws `QFrame#bar`
    assert bar.office_label.text() == "Bộ phận Một cửa"
    assert bar.counter_label.text() == "QUẦY 2"  # "Quầy 2" is not said twice
    bar.set_names("UBND phường Tân An", "Hộ tịch")
    assert bar.office_label.text() == "UBND phường Tân An"
    assert bar.counter_label.text() == "QUẦY 2 · Hộ tịch"
    bar.set_names("", "")
    assert (bar.office_label.text(), bar.counter_label.text()) == ("Bộ phận Một cửa", "QUẦY 2")


def test_the_reception_pieces_work_on_their_own(qtbot: QtBot) -> None:
    table = documents_table()
    qtbot.addWidget(table)
    headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert headers == ["Nhận", "Giấy tờ", "Loại bản", "SL"]
    assert list(FIELD_LABELS) == ["name", "citizen_id", "phone", "email", "address"]
    card = "001099012345|123456789|Nguyễn Văn An|01021999|Nam|Số 12 Lê Lợi, Tân An|01012021"
    assert parse_id_card_qr(card) == {
        "citizen_id": "001099012345",
        "name": "Nguyễn Văn An",
        "birth": "01/02/1999",
        "address": "Số 12 Lê Lợi, Tân An",
    }
    assert parse_id_card_qr("not a card") is None


def test_the_kiosk_pages_index_names_one_module_per_page_family() -> None:
    from kiosk.ui.kiosk import pages

    modules = {getattr(pages, name).__module__ for name in pages.__all__ if name != "MARGIN"}
    assert modules == {
        "kiosk.ui.kiosk.home_page",
        "kiosk.ui.kiosk.ticket_page",
        "kiosk.ui.kiosk.lookup_page",
        "kiosk.ui.kiosk.procedure_pages",
        "kiosk.ui.kiosk.pin_page",
    }
