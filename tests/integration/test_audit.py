"""The audit chain catches rows altered, removed or truncated behind the application's back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop.domain.enums import Status
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from tests.integration.workflow import drive_to, raise_order
from tests.tamper import tamper

pytestmark = pytest.mark.both_engines  # the audit chain's hashes over each engine's stored values


@pytest.fixture
def history(db, actors, clock):
    """A database with a few dozen audit entries from real work."""
    service = WorkOrderService(db, clock)
    for _ in range(3):
        wo = raise_order(service, actors["admin"])
        drive_to(service, actors["admin"], wo.number, Status.CLOSED, clock)
    result = audit.verify(db)
    assert result.ok
    return result


def test_intact_chain_reports_its_final_hash(db, history):
    result = audit.verify(db)
    with db.engine.connect() as conn:
        head = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
    assert result.final_hash == head.hash
    assert result.entries == head.seq
    first_line = result.describe().splitlines()[0]
    assert first_line == f"audit chain intact: {head.seq} entries, final hash {head.hash}"


def test_altered_content_names_the_first_broken_entry(db, history):
    tamper(db, "UPDATE audit_log SET after_json = :j WHERE seq = :s", j='{"title":"forged"}', s=20)
    result = audit.verify(db)
    assert not result.ok
    assert result.first_broken == 20
    assert "content was altered" in result.describe()


def test_altered_user_is_detected(db, history):
    tamper(db, "UPDATE audit_log SET username = 'someone' WHERE seq = :s", s=7)
    assert audit.verify(db).first_broken == 7


def test_removed_entry_in_the_middle_is_detected(db, history):
    tamper(db, "DELETE FROM audit_log WHERE seq = :s", s=12)
    result = audit.verify(db)
    assert result.first_broken == 12
    assert "entry 12 is missing" in result.describe()


def test_rehashed_entry_breaks_the_next_link(db, history):
    # A forger who recomputes one entry's hash still breaks the link to the next entry.
    tamper(db, "UPDATE audit_log SET hash = :h WHERE seq = :s", h="f" * 64, s=9)
    result = audit.verify(db)
    assert result.first_broken == 9


def test_truncated_tail_is_detected(db, history):
    tamper(db, "DELETE FROM audit_log WHERE seq > :s", s=history.entries - 2)
    result = audit.verify(db)
    assert not result.ok
    assert result.first_broken == history.entries - 1
    assert "removed from the end" in result.describe()
