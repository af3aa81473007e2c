"""Notifications: events from the audit trail and the clock, an outbox, mail and desktop delivery.

Every process (workstations, the monitoring service, `notify run`) may collect and send; the
database decides who does what. Collecting advances one shared cursor inside a write
transaction, and each event's key is a primary key, so an event is recorded once however many
processes see it. Sending takes a message under a short lease with a conditional update; a
process that dies while holding one loses the lease and another sends it. A message is marked
sent only after the mail server accepted it, so a mail server that is down loses nothing: the
message stays in the outbox and is retried with backoff.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from desktop.domain.errors import NotFound, ValidationFailed, WrenchbookError
from desktop.domain.lifecycle import OPEN_STATUSES
from desktop.domain.notifications import (
    DIGEST_EVERY,
    DUE_SOON_WINDOW,
    ESCALATION_LADDER,
    LEASE,
    Event,
    EventKind,
    OpenOrder,
    events_from_change,
    retry_delay,
    time_events,
)
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Assignment, AuditEntry, User, WorkOrder
from desktop.store.notification_models import (
    MailRelay,
    NotificationCursor,
    NotificationEvent,
    NotificationPreference,
    OutboxMessage,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

CURSOR_ID = 1
RELAY_ID = 1
BATCH = 500
STALE_AFTER = timedelta(days=1)
"""Audit entries older than this when first seen (a demo load, an import) notify nobody."""

_SECURITIES = ("starttls", "tls", "none")


class MailSender(Protocol):
    def send(self, to: str, subject: str, body: str, message_id: str) -> None:
        """Hand one mail to the relay; raises MailError when it was not accepted."""


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int
    security: str
    username: str
    sender: str


@dataclass(frozen=True)
class OutboxRow:
    id: int
    event_key: str
    kind: str
    subject: str
    username: str
    channel: str
    address: str
    digest: bool
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Notice:
    """A desktop notification for the logged-in user."""

    kind: EventKind
    subject: str
    body: str
    entity_type: str
    entity_id: str


@dataclass(frozen=True)
class Preference:
    kind: EventKind
    email: bool
    desktop: bool


@dataclass(frozen=True)
class DispatchReport:
    sent: int
    failed: int
    errors: tuple[str, ...]


def default_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _insert(session: Session, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on either engine."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


class NotificationService:
    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        *,
        worker: str | None = None,
        retry_base: timedelta = timedelta(minutes=1),
    ) -> None:
        self._db = db
        self._clock = clock
        self._worker = worker or default_worker()
        self._retry_base = retry_base

    # --- collecting -----------------------------------------------------------------------

    def collect(self) -> int:
        """Turn new audit entries and the clock's events into outbox messages; returns events."""
        created = 0
        while True:
            now = self._clock()
            with self._db.unit_of_work() as session:
                cursor = session.execute(
                    select(NotificationCursor)
                    .where(NotificationCursor.id == CURSOR_ID)
                    .with_for_update()
                ).scalar_one_or_none()
                if cursor is None:
                    cursor = NotificationCursor(id=CURSOR_ID, audit_seq=0)
                    session.add(cursor)
                entries = session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.seq > cursor.audit_seq)
                    .order_by(AuditEntry.seq)
                    .limit(BATCH)
                ).all()
                for entry in entries:
                    if now - entry.at > STALE_AFTER:
                        continue
                    for event in events_from_change(
                        entry.seq,
                        entry.action,
                        entry.entity_type,
                        entry.entity_id,
                        _json(entry.before_json),
                        _json(entry.after_json),
                    ):
                        created += self._record(session, event, now, exclude=entry.user_id)
                if entries:
                    cursor.audit_seq = entries[-1].seq
                if len(entries) < BATCH:
                    for order in self._open_orders(session, now):
                        for event in time_events(order, now):
                            created += self._record(session, event, now, exclude=None)
                    return created

    def _open_orders(self, session: Session, now: datetime) -> list[OpenOrder]:
        """Open orders due within the window, or urgent ones not started (the ladder's)."""
        soon = now + DUE_SOON_WINDOW
        rows = session.execute(
            select(
                WorkOrder.id,
                WorkOrder.number,
                WorkOrder.title,
                WorkOrder.priority,
                WorkOrder.status,
                WorkOrder.requested_at,
                WorkOrder.due_at,
                WorkOrder.started_at,
            ).where(
                WorkOrder.status.in_(OPEN_STATUSES),
                or_(
                    WorkOrder.due_at <= soon,
                    and_(
                        WorkOrder.priority.in_(list(ESCALATION_LADDER)),
                        WorkOrder.started_at.is_(None),
                    ),
                ),
            )
        ).all()
        crews: dict[int, list[str]] = {}
        ids = [row.id for row in rows]
        for start in range(0, len(ids), 900):
            for wo_id, username in session.execute(
                select(Assignment.work_order_id, User.username)
                .join(User, User.id == Assignment.user_id)
                .where(Assignment.work_order_id.in_(ids[start : start + 900]))
            ):
                crews.setdefault(wo_id, []).append(username)
        return [
            OpenOrder(
                row.number,
                row.title,
                row.priority,
                str(row.status),
                row.requested_at,
                row.due_at,
                row.started_at,
                tuple(sorted(crews.get(row.id, ()))),
            )
            for row in rows
        ]

    def _record(self, session: Session, event: Event, now: datetime, exclude: int | None) -> int:
        """Store the event once and queue its messages; 0 when another process already had it."""
        inserted = session.execute(
            _insert(session, NotificationEvent)
            .values(
                key=event.key,
                kind=str(event.kind),
                entity_type=event.entity_type,
                entity_id=event.entity_id,
                subject=event.subject[:300],
                body=event.body,
                created_at=now,
            )
            .on_conflict_do_nothing()
            .returning(NotificationEvent.key)
        ).scalar_one_or_none()
        if inserted is None:
            return 0
        wanted = or_(User.role.in_(list(event.roles)), User.username.in_(event.usernames))
        users = session.scalars(select(User).where(User.active.is_(True), wanted)).all()
        prefs = {
            p.user_id: p
            for p in session.scalars(
                select(NotificationPreference).where(
                    NotificationPreference.kind == str(event.kind),
                    NotificationPreference.user_id.in_([u.id for u in users]),
                )
            )
        }
        for user in users:
            if user.id == exclude and user.username not in event.usernames:
                continue  # nobody needs telling of what they did themselves
            pref = prefs.get(user.id)
            channels = []
            if pref is None or pref.desktop:
                channels.append(("desktop", "", False))
            if user.email and (pref is None or pref.email):
                channels.append(("email", user.email, bool(user.digest)))
            for channel, address, digest in channels:
                session.add(
                    OutboxMessage(
                        event_key=event.key,
                        user_id=user.id,
                        channel=channel,
                        address=address,
                        digest=digest,
                        created_at=now,
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
        return 1

    # --- sending mail ---------------------------------------------------------------------

    def dispatch_mail(self, sender: MailSender) -> DispatchReport:
        """Send due mails (and due digests) this process could claim; failures are retried."""
        sent = failed = 0
        errors: list[str] = []
        for batch in self._claim_single() + self._claim_digests():
            user_address, subject, body, message_id, ids = batch
            try:
                sender.send(user_address, subject, body, message_id)
            except MailError as exc:
                failed += len(ids)
                errors.append(str(exc))
                self._failed(ids, str(exc))
            else:
                sent += len(ids)
                self._sent(ids)
        return DispatchReport(sent, failed, tuple(dict.fromkeys(errors)))

    def _claimable(self, now: datetime) -> Any:
        return and_(
            OutboxMessage.channel == "email",
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )

    def _claim(self, session: Session, ids: list[int], now: datetime) -> list[int]:
        """Take the messages no other process holds; the conditional update decides."""
        taken = []
        for message_id in ids:
            result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, self._claimable(now))
                .values(claimed_by=self._worker, claimed_until=now + LEASE)
            )
            if result.rowcount:
                taken.append(message_id)
        return taken

    def _claim_single(self) -> list[tuple[str, str, str, str, list[int]]]:
        now = self._clock()
        with self._db.unit_of_work() as session:
            ids = session.scalars(
                select(OutboxMessage.id)
                .where(self._claimable(now), OutboxMessage.digest.is_(False))
                .order_by(OutboxMessage.id)
                .limit(50)
            ).all()
            taken = self._claim(session, list(ids), now)
            rows = session.execute(
                select(OutboxMessage.id, OutboxMessage.address, NotificationEvent)
                .join(NotificationEvent, NotificationEvent.key == OutboxMessage.event_key)
                .where(OutboxMessage.id.in_(taken))
                .order_by(OutboxMessage.id)
            ).all()
        return [
            (address, event.subject, event.body, _message_id(event.key, address), [row_id])
            for row_id, address, event in rows
        ]

    def _claim_digests(self) -> list[tuple[str, str, str, str, list[int]]]:
        """One mail per digest user whose oldest waiting message is a digest period old."""
        now = self._clock()
        batches = []
        with self._db.unit_of_work() as session:
            due_users = session.scalars(
                select(OutboxMessage.user_id)
                .where(self._claimable(now), OutboxMessage.digest.is_(True))
                .group_by(OutboxMessage.user_id)
                .having(_min_created() <= now - DIGEST_EVERY)
            ).all()
            for user_id in due_users:
                ids = session.scalars(
                    select(OutboxMessage.id).where(
                        self._claimable(now),
                        OutboxMessage.digest.is_(True),
                        OutboxMessage.user_id == user_id,
                    )
                ).all()
                taken = self._claim(session, list(ids), now)
                if not taken:
                    continue
                rows = session.execute(
                    select(OutboxMessage.address, NotificationEvent)
                    .join(NotificationEvent, NotificationEvent.key == OutboxMessage.event_key)
                    .where(OutboxMessage.id.in_(taken))
                    .order_by(NotificationEvent.created_at)
                ).all()
                address = rows[0][0]
                subject = f"Wrenchbook digest: {len(rows)} notifications"
                body = "\n\n".join(f"{event.subject}\n{event.body}" for _, event in rows)
                batches.append(
                    (address, subject, body, _message_id(f"digest:{taken[0]}", address), taken)
                )
        return batches

    def _sent(self, ids: list[int]) -> None:
        now = self._clock()
        with self._db.unit_of_work() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == self._worker)
                .values(sent_at=now, claimed_until=None, last_error=None)
            )

    def _failed(self, ids: list[int], error: str) -> None:
        now = self._clock()
        with self._db.unit_of_work() as session:
            for message in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == self._worker
                )
            ):
                message.attempts += 1
                message.next_attempt_at = now + retry_delay(message.attempts, self._retry_base)
                message.claimed_until = None
                message.last_error = error[:2000]

    # --- desktop notices ------------------------------------------------------------------

    def take_desktop(self, user_id: int) -> list[Notice]:
        """The user's new desktop notices, each handed to one workstation only."""
        now = self._clock()
        with self._db.unit_of_work() as session:
            rows = session.execute(
                select(OutboxMessage.id, NotificationEvent)
                .join(NotificationEvent, NotificationEvent.key == OutboxMessage.event_key)
                .where(
                    OutboxMessage.user_id == user_id,
                    OutboxMessage.channel == "desktop",
                    OutboxMessage.sent_at.is_(None),
                )
                .order_by(OutboxMessage.id)
            ).all()
            notices = []
            for message_id, event in rows:
                result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                    .values(sent_at=now, claimed_by=self._worker)
                )
                if result.rowcount:
                    notices.append(
                        Notice(
                            EventKind(event.kind),
                            event.subject,
                            event.body,
                            event.entity_type,
                            event.entity_id,
                        )
                    )
        return notices

    # --- reading and settings -------------------------------------------------------------

    def outbox(self, *, pending_only: bool = False, limit: int = 500) -> list[OutboxRow]:
        """Newest messages first; pending ones are those not yet sent (mail) or shown."""
        with self._db.unit_of_work(write=False) as session:
            query = (
                select(
                    OutboxMessage, NotificationEvent.kind, NotificationEvent.subject, User.username
                )
                .join(NotificationEvent, NotificationEvent.key == OutboxMessage.event_key)
                .join(User, User.id == OutboxMessage.user_id)
                .order_by(OutboxMessage.id.desc())
                .limit(max(1, min(limit, 100_000)))
            )
            if pending_only:
                query = query.where(OutboxMessage.sent_at.is_(None))
            return [
                OutboxRow(
                    m.id,
                    m.event_key,
                    kind,
                    subject,
                    username,
                    m.channel,
                    m.address,
                    m.digest,
                    m.created_at,
                    m.attempts,
                    m.next_attempt_at,
                    m.sent_at,
                    m.last_error,
                )
                for m, kind, subject, username in session.execute(query)
            ]

    def preferences(self, username: str) -> tuple[str | None, bool, list[Preference]]:
        """The user's address, digest mode and a choice per event kind (defaults filled in)."""
        with self._db.unit_of_work(write=False) as session:
            user = _user(session, username)
            saved = {
                p.kind: p
                for p in session.scalars(
                    select(NotificationPreference).where(NotificationPreference.user_id == user.id)
                )
            }
            prefs = [
                Preference(kind, saved[kind].email, saved[kind].desktop)
                if kind in saved
                else Preference(kind, True, True)
                for kind in EventKind
            ]
            return user.email, bool(user.digest), prefs

    def set_preferences(
        self,
        actor: Actor,
        username: str,
        *,
        email: str | None = None,
        digest: bool | None = None,
        choices: dict[EventKind, tuple[bool, bool]] | None = None,
    ) -> None:
        """Change a user's address, digest mode or per-kind (email, desktop) choices.

        Anyone may change their own; an administrator anyone's.
        """
        if actor.username != username:
            require(actor, Action.MANAGE_USERS)
        if email is not None and email and not _looks_like_address(email):
            raise ValidationFailed(
                {"email": Phrase("{email} is not a mail address (name@domain)", email=repr(email))}
            )
        now = self._clock()
        with self._db.unit_of_work() as session:
            user = _user(session, username)
            before = {"email": user.email, "digest": user.digest}
            if email is not None:
                user.email = email or None
            if digest is not None:
                user.digest = digest
            for kind, (by_mail, on_desktop) in (choices or {}).items():
                pref = session.get(NotificationPreference, (user.id, str(kind)))
                if pref is None:
                    session.add(
                        NotificationPreference(
                            user_id=user.id, kind=str(kind), email=by_mail, desktop=on_desktop
                        )
                    )
                else:
                    pref.email, pref.desktop = by_mail, on_desktop
            after = {
                "email": user.email,
                "digest": user.digest,
                "choices": {str(k): list(v) for k, v in (choices or {}).items()},
            }
            audit.record(
                session, actor, "notification settings", "user", user.id, before, after, now
            )

    def relay(self) -> RelaySettings | None:
        with self._db.unit_of_work(write=False) as session:
            row = session.get(MailRelay, RELAY_ID)
            if row is None:
                return None
            return RelaySettings(row.host, row.port, row.security, row.username, row.sender)

    def set_relay(self, actor: Actor, settings: RelaySettings) -> None:
        require(actor, Action.MANAGE_USERS)
        problems = {}
        if not settings.host.strip():
            problems["host"] = "give the SMTP relay's host name"
        if not 0 < settings.port < 65536:
            problems["port"] = "a port is 1-65535 (587 for STARTTLS, 465 for TLS)"
        if settings.security not in _SECURITIES:
            problems["security"] = Phrase("one of {securities}", securities=", ".join(_SECURITIES))
        if not _looks_like_address(settings.sender):
            problems["sender"] = "the From address, e.g. wrenchbook@plant.example"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            row = session.get(MailRelay, RELAY_ID)
            before = None
            if row is None:
                row = MailRelay(id=RELAY_ID)
                session.add(row)
            else:
                before = {
                    "host": row.host,
                    "port": row.port,
                    "security": row.security,
                    "username": row.username,
                    "sender": row.sender,
                }
            row.host, row.port, row.security = (
                settings.host.strip(),
                settings.port,
                settings.security,
            )
            row.username, row.sender = settings.username, settings.sender
            after = {
                "host": row.host,
                "port": row.port,
                "security": row.security,
                "username": row.username,
                "sender": row.sender,
            }
            audit.record(
                session, actor, "update", "mail_relay", RELAY_ID, before, after, self._clock()
            )


class MailError(WrenchbookError):
    """The relay did not take a mail; the text says why and what to check."""


def _min_created() -> Any:
    return func.min(OutboxMessage.created_at)


def _message_id(key: str, address: str) -> str:
    """The same Message-ID for a retried mail, so a recipient's client can drop a repeat."""
    digest = hashlib.sha256(f"{key}\n{address}".encode()).hexdigest()[:32]
    return f"<{digest}@wrenchbook>"


def _json(text: str) -> dict[str, Any] | None:
    value = json.loads(text) if text else None
    return value if isinstance(value, dict) else None


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(Phrase("no user {username}", username=repr(username)))
    return user


def _looks_like_address(value: str) -> bool:
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and " " not in value and len(value) <= 254
