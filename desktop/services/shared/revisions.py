"""Stale-save checks for records without a version column, read from the audit trail.

Every change to a record writes an audit entry in the same transaction, so the newest entry's
sequence number for a record is its revision: a form loads it with the record and hands it back
on save; a different number means somebody saved in between, and the entry says who and when.
Work orders, stock levels and PM schedules keep their own version columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.domain.errors import ConflictError
from desktop.store.models import AuditEntry

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session


def revision(session: Session, entity_type: str, entity_id: str | int) -> int:
    """The record's newest audit sequence number; 0 for a record never audited."""
    found = session.execute(
        select(func.max(AuditEntry.seq)).where(
            AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id)
        )
    ).scalar_one()
    return int(found or 0)


def revisions(
    session: Session, entity_type: str, entity_ids: Iterable[str | int]
) -> dict[str, int]:
    """Revisions of many records of one type in one query (a list's rows)."""
    ids = [str(entity_id) for entity_id in entity_ids]
    found: dict[str, int] = dict.fromkeys(ids, 0)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(AuditEntry.entity_id, func.max(AuditEntry.seq))
            .where(
                AuditEntry.entity_type == entity_type,
                AuditEntry.entity_id.in_(ids[start : start + 500]),
            )
            .group_by(AuditEntry.entity_id)
        ).all()
        found.update({entity_id: int(seq) for entity_id, seq in rows})
    return found


def check(
    session: Session, entity_type: str, entity_id: str | int, expected: int, what: str
) -> None:
    """Refuse a save based on revision `expected` when the record has changed since.

    The caller holds the record's row lock (or SQLite's write lock) before it checks, so no
    change can slip in between the check and the save.
    """
    current = revision(session, entity_type, entity_id)
    if current == expected:
        return
    if current == 0:
        raise ConflictError(what, "another user", datetime.now(UTC), current)
    entry = session.execute(select(AuditEntry).where(AuditEntry.seq == current)).scalar_one()
    raise ConflictError(what, entry.username, entry.at, current)
