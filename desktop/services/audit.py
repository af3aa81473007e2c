"""The hash-chained audit trail: appended in every writing unit of work, verified on demand."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.store.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: one text per value, so its hash is reproducible."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before_json: str,
    after_json: str,
) -> str:
    """SHA-256 over the previous link's hash and the canonical JSON of this entry."""
    payload = canonical_json(
        {
            "seq": seq,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "user_id": user_id,
            "username": username,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before_json,
            "after": after_json,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: Any,
    after: Any,
    at: datetime,
) -> AuditEntry:
    """Append one entry in the caller's transaction; the head row lock orders writers."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one()
    at = at.astimezone(UTC)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=at,
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else "system",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before_json=canonical_json(before),
        after_json=canonical_json(after),
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(
        head.hash,
        seq=entry.seq,
        at=at,
        user_id=entry.user_id,
        username=entry.username,
        action=action,
        entity_type=entity_type,
        entity_id=entry.entity_id,
        before_json=entry.before_json,
        after_json=entry.after_json,
    )
    session.add(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    return entry


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of recomputing the chain; `first_broken` is None when it holds."""

    entries: int
    final_hash: str
    first_broken: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.entries} entries, final hash {self.final_hash}"
        return f"audit chain broken at entry {self.first_broken}: {self.reason}"


def verify(db: Database, batch: int = 5000) -> AuditVerification:
    """Recompute every link in sequence order and name the first that does not match."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
        ).scalars()
        for entry in rows:
            if entry.seq != expected_seq:
                return AuditVerification(
                    count, expected_prev, expected_seq, f"entry {expected_seq} is missing"
                )
            if entry.prev_hash != expected_prev:
                return AuditVerification(
                    count, expected_prev, entry.seq, "its link to the previous entry was altered"
                )
            recomputed = entry_hash(
                entry.prev_hash,
                seq=entry.seq,
                at=entry.at,
                user_id=entry.user_id,
                username=entry.username,
                action=entry.action,
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                before_json=entry.before_json,
                after_json=entry.after_json,
            )
            if recomputed != entry.hash:
                return AuditVerification(
                    count,
                    expected_prev,
                    entry.seq,
                    f"its content was altered ({entry.action} {entry.entity_type} "
                    f"{entry.entity_id}, recorded {entry.at:%Y-%m-%d %H:%M:%S} UTC)",
                )
            expected_prev = entry.hash
            expected_seq += 1
            count += 1
        head = session.get(AuditHead, HEAD_ID)
        if head is None or head.seq != count or head.hash != expected_prev:
            return AuditVerification(
                count, expected_prev, count + 1, "entries after it were removed from the end"
            )
    return AuditVerification(count, expected_prev)


def latest_sequence(db: Database) -> int:
    """The newest audit sequence number: cheap to poll, it changes with every write."""
    with db.unit_of_work(write=False) as session:
        return session.execute(select(AuditHead.seq).where(AuditHead.id == HEAD_ID)).scalar_one()


@dataclass(frozen=True)
class AuditEntryView:
    """One audit entry of a record as the history tab shows it; `changes` maps a field to
    its value before and after (None where the entry has no before or after)."""

    seq: int
    at: datetime
    username: str
    action: str
    changes: dict[str, tuple[Any, Any]]


def changed_fields(before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two JSON snapshots (all of `after` for a creation)."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    return {
        key: (old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    }


def entries_for(db: Database, entity_type: str, entity_id: str) -> list[AuditEntryView]:
    """Every audit entry of one record, oldest first (uses the entity index)."""
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(
                AuditEntry.seq,
                AuditEntry.at,
                AuditEntry.username,
                AuditEntry.action,
                AuditEntry.before_json,
                AuditEntry.after_json,
            )
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.seq)
        ).all()
    return [
        AuditEntryView(
            seq, at, username, action, changed_fields(json.loads(before), json.loads(after))
        )
        for seq, at, username, action, before, after in rows
    ]
