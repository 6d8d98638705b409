"""What the UI tests share besides fixtures (a module of its own: every conftest.py is named
"conftest", so importing from one by name depends on collection order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubproc import HubProcess

from kiosk.hub.client import HubClient
from kiosk.ui import theme
from kiosk.ui.counter.draft import DraftFile
from kiosk.ui.counter.prints import CounterPrints
from kiosk.ui.counter.services import CounterServices, PrintSetup
from kiosk.ui.counter.window import CounterWindow
from kiosk.ui.events import EventStream


@dataclass
class Screens:
    hub: HubProcess
    tokens: dict[str, str]
    counter: HubClient  # counter 1, staff logged in

    def client(self, name: str) -> HubClient:
        return self.hub.client(self.tokens[name])


def form_files(folder: Path, form: str) -> list[Path]:
    """The PDFs of one legal form ("01", "02"…) a counter printed into `folder`, oldest first.

    By the file's kind (`mau-NN-…`, kiosk/printing/forms), never by a substring of its name:
    the dossier code in the name holds the date ("…-260316-…" contains "03")."""
    return sorted(folder.glob(f"mau-{form}-*.pdf"), key=lambda p: (p.stat().st_mtime_ns, p.name))


def make_console(
    screens: Screens,
    tmp_path: Path,
    *,
    form_printer: str = "",
    receipt_printer: str = "",
) -> CounterWindow:
    theme.application()
    client = screens.client("counter")
    services = CounterServices(
        client,
        1,
        PrintSetup(
            office_name="UBND xã Thử Nghiệm",
            form_printer=form_printer or f"pdf:{tmp_path / 'forms'}",
            receipt_printer=receipt_printer or f"png:{tmp_path / 'slips'}",
        ),
        prints=CounterPrints(tmp_path / "counter-1-prints.db"),
    )
    window = CounterWindow(
        services,
        office_name="UBND xã Thử Nghiệm",
        stream=EventStream(client.events_url),
        draft=DraftFile(tmp_path / "draft.json"),
        now=screens.hub.clock,
    )
    window.resize(1366, 768)
    window.show()
    return window
