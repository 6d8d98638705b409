"""Errors a user can cause: each carries a clear Vietnamese message.

Bugs are not `KioskError`s; they are left to crash loudly. Everything a person can get wrong
(bad input, a rule of the law, a damaged file) is a subclass here, shown as its `message`.
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of all errors a user can cause; `message` is Vietnamese and shown as is."""

    code: str = "kiosk_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ValidationError(KioskError):
    """A value typed by a person is not acceptable (ID, phone, e-mail, name...)."""

    code = "validation_error"

    def __init__(self, message: str, *, field: str = "", value: str = "") -> None:
        super().__init__(message, field=field, value=value)
        self.field = field
        self.value = value


class InvalidCitizenId(ValidationError):
    code = "invalid_citizen_id"


class InvalidPhone(ValidationError):
    code = "invalid_phone"


class InvalidEmail(ValidationError):
    code = "invalid_email"


class CatalogueError(KioskError):
    """A catalogue file (CSV/JSON) has errors; `problems` lists every one with line and column."""

    code = "catalogue_error"

    def __init__(self, message: str, problems: list[ImportProblem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[ImportProblem] = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ImportProblem:
    """One error found in an imported file, located by line and column (both 1-based)."""

    __slots__ = ("column", "line", "message")

    def __init__(self, line: int, column: str, message: str) -> None:
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = f"dòng {self.line}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"ImportProblem({self.line!r}, {self.column!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImportProblem) and (self.line, self.column, self.message) == (
            other.line,
            other.column,
            other.message,
        )

    def __hash__(self) -> int:
        return hash((self.line, self.column, self.message))


class CalendarError(KioskError):
    code = "calendar_error"


class TransitionError(KioskError):
    """A dossier cannot move from its status to the one asked (illegal per the law)."""

    code = "illegal_transition"


class StoreError(KioskError):
    """The office database cannot be used (damaged, newer version, disk full...)."""

    code = "store_error"


class SettingsError(KioskError):
    """The settings file is invalid; the message names the file, the key and the reason."""

    code = "settings_error"
