"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite has no time zones, so a naive value read back is UTC by construction; refusing
    naive input keeps local wall-clock times from slipping in unnoticed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                Phrase("naive datetime {value}: pass an aware datetime", value=repr(value))
            )
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[object], datetime | None] | None:
        """On SQLite one C-level parse per value instead of the dialect's parse plus our fix-up.

        SQLite hands back the ISO text we stored (always UTC); list pages read thousands of
        these, and the two-step path was most of the service's cost over raw sqlite3.
        """
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def parse(value: object) -> datetime | None:
            if value is None:
                return None
            text = str(value)
            try:
                # Several times faster than parsing naive and then .replace(tzinfo=UTC).
                return datetime.fromisoformat(text + "+00:00")
            except ValueError:  # text written with an offset by something other than us
                return datetime.fromisoformat(text).astimezone(UTC)

        return parse

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
