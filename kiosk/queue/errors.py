"""Every step the queue refuses, as a typed error with a Vietnamese message.

Three families, so the hub can answer with the right status without knowing each case:
`QueueNotFound` (a group, counter or ticket that does not exist), `QueueConflict` (the step is
not allowed in the present state) and `QueueConfigError` (a configuration that cannot work).
"""

from __future__ import annotations

from kiosk.domain import tickets
from kiosk.domain.errors import KioskError


class QueueError(KioskError):
    code = "queue_error"


class QueueNotFound(QueueError):
    code = "queue_not_found"


class QueueConflict(QueueError):
    code = "queue_conflict"


class QueueConfigError(QueueError):
    code = "queue_config_error"


class UnknownGroup(QueueNotFound):
    code = "unknown_group"

    def __init__(self, prefix: str) -> None:
        super().__init__(
            f"Không có nhóm dịch vụ với ký hiệu '{prefix}'. Hãy chọn một nhóm đang phục vụ.",
            prefix=prefix,
        )


class UnknownCounter(QueueNotFound):
    code = "unknown_counter"

    def __init__(self, number: int) -> None:
        super().__init__(f"Không có quầy số {number} trong cấu hình.", counter=number)


class UnknownTicket(QueueNotFound):
    code = "unknown_ticket"

    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"Không tìm thấy phiếu số thứ tự (mã {ticket_id}).", ticket_id=ticket_id)


class CounterClosed(QueueConflict):
    code = "counter_closed"

    def __init__(self, number: int) -> None:
        super().__init__(f"Quầy {number} đang đóng: hãy mở quầy trước khi gọi số.", counter=number)


class CounterBusy(QueueConflict):
    """The counter still has a called or served ticket; it must end that one first."""

    code = "counter_busy"

    def __init__(self, number: int, display_number: str) -> None:
        super().__init__(
            f"Quầy {number} đang phục vụ số {display_number}: hãy kết thúc, tạm giữ hoặc báo "
            "vắng trước khi gọi số mới.",
            counter=number,
            display_number=display_number,
        )


class NoCurrentTicket(QueueConflict):
    code = "no_current_ticket"

    def __init__(self, number: int) -> None:
        super().__init__(
            f"Quầy {number} chưa gọi số nào: hãy gọi số tiếp theo trước.", counter=number
        )


#: The ticket's status does not allow the step: the domain's table says (kiosk.domain.tickets).
IllegalTicketStep = tickets.IllegalTicketStep


class TicketNotServedHere(QueueConflict):
    code = "ticket_not_served_here"

    def __init__(self, number: int, display_number: str) -> None:
        super().__init__(
            f"Số {display_number} không thuộc các nhóm dịch vụ của quầy {number}.",
            counter=number,
            display_number=display_number,
        )


class TicketExpired(QueueConflict):
    code = "ticket_expired"

    def __init__(self, display_number: str) -> None:
        super().__init__(
            f"Số {display_number} là phiếu của ngày trước, không còn hiệu lực.",
            display_number=display_number,
        )


class DailyLimitReached(QueueConflict):
    code = "daily_limit_reached"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Mỗi công dân chỉ được lấy tối đa {limit} số thứ tự trong ngày. "
            "Xin vui lòng liên hệ cán bộ hướng dẫn nếu cần hỗ trợ thêm.",
            limit=limit,
        )


class InvalidTransfer(QueueConflict):
    code = "invalid_transfer"
