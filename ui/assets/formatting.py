"""How the asset panel writes hours, money and times: the same figures read the same everywhere.

Through ui.i18n, so they follow the language's conventions (1.234,5 and 05.12.2026 in German)
and the site's time zone; English keeps the app's ISO dates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import code_name, show_date, show_number, show_time

if TYPE_CHECKING:
    from datetime import date, datetime


def hours(value: float) -> str:
    """One decimal while it matters, whole hours with separators once it no longer does."""
    return show_number(value, 1 if abs(value) < 1000 else 0)


def count(value: int) -> str:
    return show_number(value, 0)


def money(value: float) -> str:
    return show_number(value, 2)


def local_time(value: datetime | None) -> str:
    """Stored times are UTC; people read them in the site's time zone."""
    return show_time(value) if value else ""


def local_date(value: datetime | None) -> str:
    return show_date(value) if value else ""


def failure_mode_name(code: str) -> str:
    """ "ELP External leak – process medium" (German "ELP Äußere Leckage – Prozessmedium");
    an unknown code stands for itself."""
    name = code_name("failure_mode", code)
    return f"{code} {name}" if name != code else code


def day(value: date | None) -> str:
    return show_date(value) if value else ""
