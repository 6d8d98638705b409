"""The citizens' lookup at the kiosk: a dossier's status by its code, and nothing personal.

What a citizen sees: the status in plain words, the procedure, the due date, where to collect the
result and the applicant's name masked ('N***** V** Đức'). No ID number, phone, address or
e-mail ever leaves this module.

Guessing codes is rate-limited per device: after `max_failures` wrong or unknown codes within
`window`, every lookup from that device is refused (429) until the oldest failure leaves the
window. The counts live in the hub's memory, not in the database: a lookup is a read, and writing
a row (plus its audit row) for every mistyped code would make guessing cost the office disk
writes. A hub restart forgets the counts, which only ever gives a guesser one more window.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import date, datetime, timedelta
from typing import Final

from kiosk.clock import Clock
from kiosk.domain.codes import format_dossier_code, parse_dossier_code
from kiosk.domain.errors import ValidationError
from kiosk.domain.lifecycle import DossierStatus
from kiosk.domain.text import mask_name
from kiosk.dossiers.errors import LookupNotFound, LookupRateLimited
from kiosk.dossiers.models import Dossier, LookupResult
from kiosk.dossiers.records import load_dossier
from kiosk.store import Store
from kiosk.store.dossier_repo import service_day, unit_has_dossiers

MAX_FAILURES: Final = 10
WINDOW: Final = timedelta(minutes=5)

S = DossierStatus

#: What each status means to a citizen, in plain words.
STATUS_TEXT: Final[dict[DossierStatus, str]] = {
    S.RECEIVED: "Hồ sơ đã được tiếp nhận và đang chờ chuyển đến bộ phận giải quyết.",
    S.PROCESSING: "Hồ sơ đang được giải quyết.",
    S.SUPPLEMENT_REQUESTED: (
        "Hồ sơ cần bổ sung giấy tờ. Vui lòng xem phiếu yêu cầu bổ sung đã nhận, "
        "hoặc hỏi cán bộ tại Bộ phận Một cửa."
    ),
    S.AWAITING_FEE: "Hồ sơ đang chờ nộp phí, lệ phí. Vui lòng nộp phí để hồ sơ được giải quyết.",
    S.DONE: "Đã có kết quả. Mời ông/bà đến nhận kết quả.",
    S.RETURNED: "Đã trả kết quả.",
    S.WITHDRAWN: "Hồ sơ đã được rút theo đề nghị của người nộp.",
    S.STOPPED: "Hồ sơ đã dừng giải quyết. Vui lòng xem thông báo đã gửi, hoặc hỏi cán bộ.",
    S.REFUSED: "Hồ sơ không được tiếp nhận.",
}

WHERE_TO_COLLECT: Final[dict[str, str]] = {
    "counter": "Nhận trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả ({office}).",
    "postal": "Kết quả được gửi qua dịch vụ bưu chính công ích đến địa chỉ đã đăng ký.",
    "online": "Kết quả được trả trực tuyến qua Cổng Dịch vụ công.",
}


class LookupLimiter:
    """Failed lookups per device within a sliding window (thread-safe, in memory)."""

    def __init__(
        self, clock: Clock, *, max_failures: int = MAX_FAILURES, window: timedelta = WINDOW
    ) -> None:
        self.clock = clock
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, device: str, now: datetime) -> deque[datetime]:
        failures = self._failures.setdefault(device, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, device: str) -> None:
        """Raise LookupRateLimited while `device` has used up its failures."""
        now = self.clock()
        with self._lock:
            failures = self._recent(device, now)
            if len(failures) >= self.max_failures:
                wait = failures[0] + self.window - now
                raise LookupRateLimited(max(1, int(wait.total_seconds()) + 1))
            if not failures:
                self._failures.pop(device, None)

    def fail(self, device: str) -> int:
        """Count one failure; returns how many tries are left in the window."""
        now = self.clock()
        with self._lock:
            failures = self._recent(device, now)
            failures.append(now)
            return max(0, self.max_failures - len(failures))


def lookup_dossier(
    store: Store, limiter: LookupLimiter, raw_code: str, *, device: str, office_name: str
) -> LookupResult:
    """The kiosk's view of the dossier whose code was typed or scanned (see the module doc)."""
    limiter.check(device)
    try:
        parts = parse_dossier_code(raw_code)
    except ValidationError as error:
        left = limiter.fail(device)
        raise ValidationError(
            f"{error.message} Mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
            f"cạnh mã QR.{_tries_left(left)}",
            field="code",
            value=raw_code[:60],
        ) from None
    code = format_dossier_code(parts.unit_code, parts.received_on, parts.seq)
    dossier = load_dossier(store.conn, code=code)
    if dossier is None:
        left = limiter.fail(device)
        raise LookupNotFound(_not_found_message(store, code, parts.received_on, left), code=code)
    return lookup_result(dossier, office_name=office_name)


def _tries_left(left: int) -> str:
    if left > 3:
        return ""
    if left == 0:
        return " Đã hết số lần thử; vui lòng hỏi cán bộ tại quầy."
    return f" Còn {left} lần thử."


def _not_found_message(store: Store, code: str, received_on: date, left: int) -> str:
    today = service_day(store.now())
    unit = code.rsplit("-", 2)[0]
    known_unit = unit_has_dossiers(store.conn, unit)
    if received_on > today:
        hint = "Ngày tiếp nhận trong mã hồ sơ là một ngày trong tương lai; hãy kiểm tra lại mã."
    elif not known_unit:
        hint = (
            f"Mã cơ quan '{unit}' không phải của nơi này: hồ sơ có thể được nộp ở cơ quan khác. "
            "Hãy kiểm tra lại mã in trên giấy tiếp nhận."
        )
    else:
        hint = "Hãy kiểm tra lại từng chữ số của mã in trên giấy tiếp nhận, cạnh mã QR."
    return f"Không tìm thấy hồ sơ có mã {code}. {hint}{_tries_left(left)}"


def lookup_result(dossier: Dossier, *, office_name: str) -> LookupResult:
    row = dossier.row
    status_text = STATUS_TEXT[row.status]
    if row.status is S.RETURNED and row.returned_at is not None:
        status_text = f"Đã trả kết quả ngày {row.returned_at:%d/%m/%Y}."
    elif row.status is S.DONE and dossier.early_return_notice:
        status_text = "Đã có kết quả sớm hơn ngày hẹn. Mời ông/bà đến nhận kết quả."
    where = WHERE_TO_COLLECT.get(row.return_channel, WHERE_TO_COLLECT["counter"])
    return LookupResult(
        code=row.code,
        status=row.status,
        status_text=status_text,
        procedure_name=row.procedure_name,
        received_at=row.received_at,
        due_at=row.due_at,
        where_to_collect=where.format(office=office_name),
        applicant_name_masked=mask_name(row.applicant_name),
        result_ready=row.status is S.DONE,
    )
