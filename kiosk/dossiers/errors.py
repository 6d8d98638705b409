"""What the dossier service refuses, beyond the domain's own errors.

They know nothing of HTTP: the hub's one table (`kiosk.hub.errors.STATUSES`) answers an unknown
dossier with 404, a reused request id with 409, too many wrong lookups with 429. Illegal
transitions are the domain's `TransitionError` and bad input its `ValidationError`.
"""

from __future__ import annotations

from kiosk.domain.errors import KioskError


class DossierError(KioskError):
    code = "dossier_error"


class DossierNotFound(DossierError):
    """No dossier has this code (staff side; the kiosk lookup has its own wording)."""

    code = "dossier_not_found"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Không tìm thấy hồ sơ có mã '{code}'. Hãy kiểm tra lại mã hồ sơ.", dossier_code=code
        )


class LookupNotFound(DossierError):
    """The kiosk lookup found nothing: the message helps the citizen check the code."""

    code = "lookup_not_found"


class ProcedureNotFound(DossierError):
    code = "procedure_not_found"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(
            f"Không có thủ tục mã '{procedure_code}' trong danh mục của văn phòng. "
            "Hãy chọn thủ tục trong danh mục.",
            procedure_code=procedure_code,
        )


class TicketNotFound(DossierError):
    code = "ticket_not_found"

    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            f"Không tìm thấy phiếu số thứ tự (mã {ticket_id}) để gắn với hồ sơ.",
            ticket_id=ticket_id,
        )


class CounterNotFound(DossierError):
    code = "counter_not_found"

    def __init__(self, number: int) -> None:
        super().__init__(f"Không có quầy số {number} trong cấu hình.", counter=number)


class RequestIdConflict(DossierError):
    """A client request id already used for a different request: a client bug, never merged."""

    code = "request_id_conflict"

    def __init__(self, request_id: str) -> None:
        super().__init__(
            f"Mã yêu cầu '{request_id}' đã được dùng cho một yêu cầu khác. "
            "Hãy tạo yêu cầu mới (máy quầy sẽ tự cấp mã mới).",
            request_id=request_id,
        )


class LookupRateLimited(DossierError):
    """Too many wrong codes from one device in a short time (guessing)."""

    code = "lookup_rate_limited"

    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, (retry_after_seconds + 59) // 60)
        super().__init__(
            "Đã nhập sai mã hồ sơ quá nhiều lần. "
            f"Vui lòng thử lại sau khoảng {minutes} phút, hoặc hỏi cán bộ tại quầy.",
            retry_after_seconds=retry_after_seconds,
        )
        self.retry_after_seconds = retry_after_seconds


class RatingAlreadyGiven(DossierError):
    """One rating per ticket: a second press on the rating screen is not a second citizen."""

    code = "rating_already_given"

    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            "Lượt phục vụ này đã được đánh giá. Xin cảm ơn ông/bà!", ticket_id=ticket_id
        )
