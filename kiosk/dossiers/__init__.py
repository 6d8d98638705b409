"""The counter workflow of dossiers: receive, supplement, refuse, transfer, extend, done, return,
ratings, the citizens' lookup and the staff's work lists.

Public face: `DossierService` (every action, one transaction each), the input and output values
of `kiosk.dossiers.models`, the errors of `kiosk.dossiers.errors`, and `LookupLimiter`.
"""

from __future__ import annotations

from kiosk.dossiers.checks import canonical_code
from kiosk.dossiers.context import RECEPTION_UNIT
from kiosk.dossiers.errors import (
    CounterNotFound,
    DossierError,
    DossierNotFound,
    LookupNotFound,
    LookupRateLimited,
    ProcedureNotFound,
    RatingAlreadyGiven,
    RequestIdConflict,
    TicketNotFound,
)
from kiosk.dossiers.lookup import LookupLimiter
from kiosk.dossiers.models import (
    Applicant,
    CounterRefusal,
    CounterSupplement,
    Dossier,
    DossierFile,
    HandedDocument,
    LookupResult,
    MissingDocument,
    RatingLevel,
    RatingRecord,
    Reception,
    RefusalRecord,
    SupplementRecord,
    TimelineEntry,
    Transfer,
    Worklist,
)
from kiosk.dossiers.service import DossierService

__all__ = [
    "RECEPTION_UNIT",
    "Applicant",
    "CounterNotFound",
    "CounterRefusal",
    "CounterSupplement",
    "Dossier",
    "DossierError",
    "DossierFile",
    "DossierNotFound",
    "DossierService",
    "HandedDocument",
    "LookupLimiter",
    "LookupNotFound",
    "LookupRateLimited",
    "LookupResult",
    "MissingDocument",
    "ProcedureNotFound",
    "RatingAlreadyGiven",
    "RatingLevel",
    "RatingRecord",
    "Reception",
    "RefusalRecord",
    "RequestIdConflict",
    "SupplementRecord",
    "TicketNotFound",
    "TimelineEntry",
    "Transfer",
    "Worklist",
    "canonical_code",
]
