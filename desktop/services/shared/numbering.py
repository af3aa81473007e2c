"""Work-order numbers like WO-2026-000123, unique across workstations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desktop.store.models import NumberCounter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def next_number(session: Session, prefix: str, year: int) -> str:
    """Take the next number of the series in the caller's transaction.

    The counter row is locked (FOR UPDATE on PostgreSQL; SQLite writers are serialised by
    BEGIN IMMEDIATE), so two workstations never hand out the same number.
    """
    series = f"{prefix}-{year}"
    query = select(NumberCounter).where(NumberCounter.series == series).with_for_update()
    counter = session.execute(query).scalar_one_or_none()
    if counter is None:
        # The first number of a year: another workstation may create the row at the same time.
        try:
            with session.begin_nested():
                session.add(NumberCounter(series=series, last=0))
        except IntegrityError:
            pass
        counter = session.execute(query).scalar_one()
    counter.last += 1
    return f"{series}-{counter.last:06d}"
