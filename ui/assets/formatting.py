"""How the asset panel writes hours, money and times: the same figures read the same everywhere."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from desktop.domain.failure_codes import code_lists

if TYPE_CHECKING:
    from datetime import date, datetime


def hours(value: float) -> str:
    """One decimal while it matters, whole hours with separators once it no longer does."""
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def money(value: float) -> str:
    return f"{value:,.2f}"


def local_time(value: datetime | None) -> str:
    """Stored times are UTC; people read them in the workstation's own time zone."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def local_date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value else ""


@cache
def failure_mode_name(code: str) -> str:
    """ "ELP External leak – process medium"; an unknown code stands for itself."""
    names = {c.code: c.label for c in code_lists()["failure_mode"]}
    return f"{code} {names[code]}" if code in names else code


def day(value: date | None) -> str:
    return value.isoformat() if value else ""
