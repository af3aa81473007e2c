"""User text made safe for ReportLab paragraphs, which otherwise read it as markup."""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.reports.fonts import CJK
from desktop.reports.wording import ENGLISH, Wording, current, worded

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date, tzinfo

# The zone every printed time is shown in while a report is built. The database keeps UTC;
# crews read the site's clock (issue 16). A context variable rather than an argument: one
# report has one zone, and it would otherwise ride along through every section builder.
# Each report builds in one thread, and a new thread starts with the default (UTC).
_ZONE: ContextVar[tuple[tzinfo, str]] = ContextVar("printed_zone", default=(UTC, "UTC"))


# CJK punctuation, kana, CJK ideographs and full-width forms: the glyphs DejaVu lacks.
_CJK_RUN = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def text(value: object) -> str:
    """Paragraph markup that prints `value` exactly as typed: `<b>` and `&` stay literal, and
    CJK characters print in the CJK font instead of as boxes."""
    if value is None:
        return ""
    escaped = escape(str(value)).replace("\n", "<br/>")
    return _CJK_RUN.sub(lambda m: f'<font name="{CJK}">{m.group(0)}</font>', escaped)


def italic(value: object) -> str:
    """`value` as typed, in italics (a note such as "No labour booked.")."""
    return f"<i>{text(value)}</i>"


def bold(value: object) -> str:
    return f"<b>{text(value)}</b>"


@contextmanager
def printed_in(timezone: str, wording: Wording = ENGLISH) -> Iterator[str]:
    """Print every `when` inside the block in `timezone` (an IANA name, the site's setting),
    and every text and figure in `wording`'s language; an unknown zone name prints UTC, and
    the label says so, rather than stop the report."""
    try:
        zone: tuple[tzinfo, str] = (ZoneInfo(timezone), timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = (UTC, "UTC")
    token = _ZONE.set(zone)
    try:
        with worded(wording):
            yield zone[1]
    finally:
        _ZONE.reset(token)


def zone_label() -> str:
    """The name of the zone printed times are in, for column headings: `When (Europe/Berlin)`."""
    return _ZONE.get()[1]


def zoned(heading: str) -> str:
    """A table heading over printed times, with their zone on a second line (table cells
    break plain strings at newlines; `When (Europe/Berlin)` on one line overflows its column)."""
    return f"{heading}\n({zone_label()})"


def when(value: datetime | None) -> str:
    """A stored instant on the site's clock; a naive value is UTC, as the database keeps it."""
    if value is None:
        return ""
    instant = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    local = instant.astimezone(_ZONE.get()[0])
    return f"{current().day(local)} {local:%H:%M}"


def day(value: date | datetime | None) -> str:
    """A calendar day as the language writes it (2026-12-05, 05.12.2026); a stored instant
    counts by its day on the site's clock."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        instant = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        value = instant.astimezone(_ZONE.get()[0])
    return current().day(value)


def number(value: float | None) -> str:
    """A quantity as short as it goes: 2.5, 12 (German 2,5)."""
    return "" if value is None else current().short(value)


def fixed(value: float | None, decimals: int = 1, grouped: bool = True) -> str:
    """A figure with fixed decimals and group separators: 1,234.5 (German 1.234,5); see
    `Wording.fixed` for `grouped`."""
    return "" if value is None else current().fixed(value, decimals, grouped)


def limits(low: float | None, high: float | None, unit: str | None) -> str:
    """A measurement's allowed range as a technician reads it: `10 – 80 °C`, `≤ 4.5 mm/s`."""
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{number(low)} – {number(high)}{suffix}"
    if high is not None:
        return f"≤ {number(high)}{suffix}"
    if low is not None:
        return f"≥ {number(low)}{suffix}"
    return ""
