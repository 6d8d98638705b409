"""The kiosk's pages: home, priority, ticket, lookup, procedures, one procedure, staff PIN.

Pages only lay out and show; the window (`screen.py`) decides what happens and runs the work
in the background. Every page works in portrait (1080×1920) and landscape (1920×1080):
`set_portrait` rearranges it. One module per page family:

- `home_page.py`: the home page (group cards, entry cards) and the priority page;
- `ticket_page.py`: the ticket just issued;
- `lookup_page.py`: the dossier lookup;
- `procedure_pages.py`: the procedure list and one procedure;
- `pin_page.py`: the staff PIN;
- `page_layout.py`: the margin and layout helper they share.
"""

from __future__ import annotations

from kiosk.ui.kiosk.home_page import EntryCard, GroupCard, HomePage, PriorityPage
from kiosk.ui.kiosk.lookup_page import LookupPage
from kiosk.ui.kiosk.page_layout import MARGIN
from kiosk.ui.kiosk.pin_page import PinPage
from kiosk.ui.kiosk.procedure_pages import (
    ProcedurePage,
    ProcedureRow,
    ProceduresPage,
    fee_text,
    limit_text,
    search_procedures,
)
from kiosk.ui.kiosk.ticket_page import TicketPage

__all__ = [
    "MARGIN",
    "EntryCard",
    "GroupCard",
    "HomePage",
    "LookupPage",
    "PinPage",
    "PriorityPage",
    "ProcedurePage",
    "ProcedureRow",
    "ProceduresPage",
    "TicketPage",
    "fee_text",
    "limit_text",
    "search_procedures",
]
