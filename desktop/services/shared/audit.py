"""The hash-chained audit trail: appended in every writing unit of work, verified on demand."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, inspect, select

from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Phrase
from desktop.store.models import AuditEntry, AuditHead, RowAuditEntry, RowAuditHead
from desktop.store.types import UTCDateTime

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

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
    """Append one entry in the caller's transaction; the head row lock orders writers.

    On PostgreSQL a person's own login dates the entry by the server's clock
    (`wb_trusted_now`, checked again by a trigger): a workstation clock set wrong cannot
    backdate the trail. The owner, the migrator and SQLite keep the time given.
    """
    if session.get_bind().dialect.name == "postgresql":
        trusted = func.wb_trusted_now(at, type_=UTCDateTime(timezone=True))
        head, at = session.execute(
            select(AuditHead, trusted).where(AuditHead.id == HEAD_ID).with_for_update()
        ).one()
    else:
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


def _field(value: str | None) -> str:
    return "~" if value is None else f"{len(value)}:{value}"


def row_entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    db_user: str,
    operation: str,
    table_name: str,
    row_key: str | None,
    before_json: str | None,
    after_json: str | None,
) -> str:
    """SHA-256 of a row-log entry as PostgreSQL's `wb_row_audit` trigger computes it.

    Each field is written "<length>:<text>" (NULL as "~") after the previous hash and a
    newline: migration 0010 holds the SQL twin of this function, a test keeps them equal.
    """
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = (str(seq), stamp, db_user, operation, table_name, row_key, before_json, after_json)
    payload = "".join(_field(value) for value in fields)
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """A chain head printed earlier (`SEQ:HASH`, or `row:SEQ:HASH` for the row log).

    Kept outside the database (the audit pack, a checkpoint file), it turns a rewrite that
    recomputes every hash, or a cut of the newest entries, into a mismatch `verify` names.
    """

    seq: int
    hash: str
    chain: str = "audit"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        parts = text.strip().split(":")
        chain = parts.pop(0) if len(parts) == 3 else "audit"
        valid = (
            len(parts) == 2
            and chain in {"audit", "row"}
            and parts[0].isdigit()
            and len(parts[1]) == 64
            and all(c in "0123456789abcdef" for c in parts[1].lower())
        )
        if not valid:
            raise ValidationFailed(
                {
                    "--expect": Phrase(
                        "{text} is not an anchor: write SEQ:HASH as verify-audit printed it "
                        "(e.g. 120:3fa9…, 64 hex digits), or row:SEQ:HASH for the row log",
                        text=repr(text),
                    )
                }
            )
        return cls(int(parts[0]), parts[1].lower(), chain)

    def __str__(self) -> str:
        prefix = "row:" if self.chain == "row" else ""
        return f"{prefix}{self.seq}:{self.hash}"


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of recomputing the chains; `first_broken` is None when the audit log holds.

    The row log (written by PostgreSQL's triggers) is checked too; `ok` needs both chains and
    every anchor given to hold.
    """

    entries: int
    final_hash: str
    first_broken: int | None = None
    reason: str = ""
    row_entries: int = 0
    row_final_hash: str = GENESIS_HASH
    row_first_broken: int | None = None
    row_reason: str = ""
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return self.first_broken is None and self.row_first_broken is None

    @property
    def anchor(self) -> Anchor:
        """The audit log's head, to print now and pass to `--expect` later."""
        return Anchor(self.entries, self.final_hash)

    @property
    def row_anchor(self) -> Anchor:
        return Anchor(self.row_entries, self.row_final_hash, "row")

    def describe(self) -> str:
        if self.first_broken is None:
            lines = [f"audit chain intact: {self.entries} entries, final hash {self.final_hash}"]
        else:
            lines = [f"audit chain broken at entry {self.first_broken}: {self.reason}"]
        if self.row_first_broken is not None:
            lines.append(
                f"database row log broken at entry {self.row_first_broken}: {self.row_reason}"
            )
        elif self.row_entries:
            lines.append(
                f"database row log intact: {self.row_entries} row changes, "
                f"final hash {self.row_final_hash}"
            )
        if self.anchors and self.ok:
            lines.append(f"{self.anchors} anchor(s) matched")
        return "\n".join(lines)


def verify(db: Database, batch: int = 5000, anchors: Sequence[Anchor] = ()) -> AuditVerification:
    """Recompute every link of both chains and name the first that does not match.

    Each anchor must still be in its chain with the same hash: a chain recomputed from a
    forged entry onwards, or cut short, no longer contains the head printed earlier.
    """
    with db.unit_of_work(write=False) as session:
        result = _verify_audit_log(session, batch)
        row = _verify_row_log(session, batch)
        result = replace(
            result,
            row_entries=row.entries,
            row_final_hash=row.final_hash,
            row_first_broken=row.first_broken,
            row_reason=row.reason,
        )
        for anchor in anchors:
            if anchor.seq == 0:
                continue  # the empty chain: nothing was there to rewrite
            model = AuditEntry if anchor.chain == "audit" else RowAuditEntry
            held = session.execute(select(model.hash).where(model.seq == anchor.seq)).scalar()
            problem = None
            if held is None:
                problem = Phrase(
                    "the anchor {anchor} names an entry that is gone: entries from {seq} on "
                    "were removed",
                    anchor=anchor,
                    seq=anchor.seq,
                )
            elif held != anchor.hash:
                problem = Phrase(
                    "entry {seq} no longer has the anchor's hash: the chain up to it was "
                    "rewritten and recomputed",
                    seq=anchor.seq,
                )
            if problem is None:
                continue
            if anchor.chain == "audit" and result.first_broken is None:
                result = replace(result, first_broken=anchor.seq, reason=problem)
            elif anchor.chain == "row" and result.row_first_broken is None:
                result = replace(result, row_first_broken=anchor.seq, row_reason=problem)
    return replace(result, anchors=len(anchors))


def _verify_audit_log(session: Session, batch: int) -> AuditVerification:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
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


def _verify_row_log(session: Session, batch: int) -> AuditVerification:
    """The same walk over the database's row log; absent before migration 0010's tables."""
    expected_prev = GENESIS_HASH
    count = 0
    if not inspect(session.connection()).has_table(RowAuditEntry.__tablename__):
        return AuditVerification(count, expected_prev)
    rows = session.execute(
        select(RowAuditEntry).order_by(RowAuditEntry.seq).execution_options(yield_per=batch)
    ).scalars()
    for entry in rows:
        problem: str | None = None
        if entry.seq != count + 1:
            problem = Phrase("row change {number} is missing", number=count + 1)
        elif entry.prev_hash != expected_prev:
            problem = "its link to the previous row change was altered"
        elif entry.hash != row_entry_hash(
            entry.prev_hash,
            seq=entry.seq,
            at=entry.at,
            db_user=entry.db_user,
            operation=entry.operation,
            table_name=entry.table_name,
            row_key=entry.row_key,
            before_json=entry.before_json,
            after_json=entry.after_json,
        ):
            problem = Phrase(
                "its content was altered ({operation} {table_name} {row_key} by "
                "{db_user}, {at} UTC)",
                operation=entry.operation,
                table_name=entry.table_name,
                row_key=entry.row_key,
                db_user=entry.db_user,
                at=f"{entry.at:%Y-%m-%d %H:%M:%S}",
            )
        if problem is not None:
            return AuditVerification(count, expected_prev, count + 1, problem)
        expected_prev = entry.hash
        count += 1
    head = session.get(RowAuditHead, HEAD_ID)
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return AuditVerification(
            count, expected_prev, count + 1, "row changes after it were removed from the end"
        )
    return AuditVerification(count, expected_prev)


def read_checkpoints(path: Path) -> list[Anchor]:
    """The anchors of a checkpoint file (one `<time> <anchor>` per line); none if it is new."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Anchor.parse(line.split()[-1]) for line in lines if line.strip() and line[0] != "#"]


def append_checkpoint(path: Path, result: AuditVerification, at: datetime) -> None:
    """Add the heads of a verified chain to a checkpoint file kept outside the database.

    Run daily (Task Scheduler, cron) onto a folder the database's users cannot write, the file
    is the memory a rewrite of the trail cannot reach: `verify-audit --checkpoint` checks every
    line it holds before adding the new heads.
    """
    if not result.ok:
        raise ValueError("only an intact chain is a checkpoint")
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        if path.stat().st_size == 0:
            file.write("# Wrenchbook audit checkpoints: verify-audit --checkpoint checks them\n")
        file.write(f"{stamp} {result.anchor}\n")
        if result.row_entries:
            file.write(f"{stamp} {result.row_anchor}\n")


def latest_sequence(db: Database) -> int:
    """The newest audit sequence number: cheap to poll, it changes with every write."""
    with db.unit_of_work(write=False) as session:
        return session.execute(select(AuditHead.seq).where(AuditHead.id == HEAD_ID)).scalar_one()


def kinds_changed(db: Database, after: int, through: int) -> frozenset[str]:
    """The kinds of record (audit entity types: "work_order", "part", ...) written in the
    sequence range (after, through]: what a window needs to know to refresh only the panels
    that show them."""
    with db.unit_of_work(write=False) as session:
        rows = session.execute(
            select(AuditEntry.entity_type)
            .where(AuditEntry.seq > after, AuditEntry.seq <= through)
            .distinct()
        ).scalars()
        return frozenset(rows)


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
