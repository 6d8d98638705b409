"""Errors a person can cause while producing a form (bad lookup URL, unwritable folder)."""

from __future__ import annotations

from kiosk.domain.errors import KioskError


class FormError(KioskError):
    """A form could not be produced or saved; the message says what to fix."""

    code = "form_error"
