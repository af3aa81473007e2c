"""Two writers on PostgreSQL queue on the audit chain instead of deadlocking on it.

A rule raising a predictive order on one workstation (an audited change first, then the
number counter) met a person raising an order on another (the counter first, then the
audited insert): each held what the other waited for, and PostgreSQL killed one of them.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from desktop.services.shared.numbering import next_number
from desktop.store.database import Database
from desktop.store.models import Asset

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

YEAR = datetime.now(UTC).year


def test_an_audited_change_then_a_number_meets_a_number_then_an_audited_change(db, db_url):
    other = Database(db_url)
    audited_first = threading.Event()
    numbers: list[str] = []
    failures: list[DBAPIError] = []

    def number_first() -> None:
        audited_first.wait(10)
        try:
            with other.unit_of_work() as session:
                numbers.append(next_number(session, "WO", YEAR))
                session.execute(update(Asset).where(Asset.id == 2).values(name="pump two"))
        except DBAPIError as exc:  # the deadlock's victim, if it happens
            failures.append(exc)

    second = threading.Thread(target=number_first)
    second.start()
    try:
        with db.unit_of_work() as session:
            session.execute(update(Asset).where(Asset.id == 1).values(name="pump one"))
            audited_first.set()
            time.sleep(0.5)  # the other writer takes the counter now, unless it has to queue
            numbers.append(next_number(session, "WO", YEAR))
    finally:
        second.join(30)
        other.dispose()
    assert failures == []
    assert sorted(numbers) == [f"WO-{YEAR}-000001", f"WO-{YEAR}-000002"]
