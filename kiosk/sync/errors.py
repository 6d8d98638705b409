"""What can go wrong when a site talks to the district server, as typed errors.

The worker decides what to do from the type alone: `SyncUnreachable` is retried with backoff
(the network, a busy or restarting server); the others stop the worker and alert staff, because
retrying cannot fix them (a wrong secret, a content conflict, a request the server refuses).
"""

from __future__ import annotations

from kiosk.domain.errors import KioskError


class SyncError(KioskError):
    """The sync with the district server did not complete."""

    code = "sync_error"


class SyncNotConfigured(SyncError):
    """No district server address or no site secret in this office's settings."""

    code = "sync_not_configured"


class SyncUnreachable(SyncError):
    """The network or the server failed for now; retry later (after `retry_after` if given)."""

    code = "sync_unreachable"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class SyncAuthFailed(SyncError):
    """The server refused this site's credentials: stop until the secret is corrected."""

    code = "sync_auth_failed"


class SyncConflict(SyncError):
    """The server holds another event under one of this site's seqs: stop and alert."""

    code = "sync_conflict"

    def __init__(self, message: str, *, seq: int | None, acked: int) -> None:
        super().__init__(message, seq=seq, acked=acked)
        self.seq = seq
        self.acked = acked


class SyncRefused(SyncError):
    """The server refused a request as malformed or not allowed (a bug or a wrong address)."""

    code = "sync_refused"
