"""Errors the services raise; each message says what to fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class WrenchbookError(Exception):
    """Base of every error meant for the person at the keyboard, not for a traceback."""


class NotFound(WrenchbookError):
    pass


class PermissionDenied(WrenchbookError):
    pass


class AuthenticationFailed(WrenchbookError):
    pass


class AccountLocked(AuthenticationFailed):
    """Too many failed log-ins in a row; the message says until when."""


class ValidationFailed(WrenchbookError):
    """Bad input; `problems` maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{field}: {text}" for field, text in self.problems.items()))


class TransitionRefused(WrenchbookError):
    """A lifecycle move that the table forbids or whose guards do not hold."""

    def __init__(self, number: str, verb: str, problems: list[str]) -> None:
        self.number = number
        self.verb = verb
        self.problems = list(problems)
        super().__init__(f"cannot {verb} {number}: " + "; ".join(self.problems))


class ConflictError(WrenchbookError):
    """A save based on an old version of a record: somebody else changed it first."""

    def __init__(
        self, what: str, changed_by: str, changed_at: datetime, current_version: int
    ) -> None:
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version
        when = changed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(
            f"{what} was changed by {changed_by} at {when} after you opened it; "
            "reload it and apply your changes again"
        )


class ReadOnlyRecord(WrenchbookError):
    pass


class ReportFailed(WrenchbookError):
    """A report could not be written: where it was going, and why, in words."""
