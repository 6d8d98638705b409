"""A refused request: its HTTP status, the protocol's error code and a Vietnamese message."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """Raised anywhere in a request; the app turns it into {"error", "message", "server_time"}."""

    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra
