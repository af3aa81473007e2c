"""Tables of notifications: events kept once, an outbox per recipient, preferences, mail relay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.store.models import Base
from desktop.store.types import UTCDateTime


class NotificationEvent(Base):
    """One event, once: the primary key is the event's key, so a second process's insert fails."""

    __tablename__ = "notification_events"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """A message to one person on one channel, kept until sent; a lease marks who is sending."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint("event_key", "user_id", "channel"),
        Index("ix_notification_outbox_pending", "sent_at", "channel", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(ForeignKey("notification_events.key"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))  # "email" or "desktop"
    address: Mapped[str] = mapped_column(String(254), default="")
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationPreference(Base):
    """A user's choice for one event kind; no row means the default (on, where they are told)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    desktop: Mapped[bool] = mapped_column(Boolean, default=True)


class NotificationCursor(Base):
    """The newest audit sequence number already turned into events (one row)."""

    __tablename__ = "notification_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    audit_seq: Mapped[int] = mapped_column(Integer)


class MailRelay(Base):
    """The site's SMTP relay (one row); its password stays in each computer's credential store."""

    __tablename__ = "mail_relay"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    security: Mapped[str] = mapped_column(String(16))  # "starttls", "tls" or "none"
    username: Mapped[str] = mapped_column(String(255), default="")
    sender: Mapped[str] = mapped_column(String(254))


class MailboxSettingsRow(Base):
    """The site mailbox that requests are mailed to (one row); the password stays outside."""

    __tablename__ = "mail_intake_mailbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    security: Mapped[str] = mapped_column(String(16))
    username: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255))
    default_asset: Mapped[str] = mapped_column(String(64))


class ReceivedMail(Base):
    """A mail already filed as a request, by Message-ID: a second reading files nothing."""

    __tablename__ = "mail_intake_received"

    message_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    work_order_number: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(254))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShiftHandover(Base):
    """One shift's handover: figures drafted from the records, the outgoing notes, the
    incoming acknowledgement. The shift's window is unique, so it is drafted once."""

    __tablename__ = "shift_handovers"
    __table_args__ = (UniqueConstraint("shift_start", "shift_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime)
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    label: Mapped[str] = mapped_column(String(64))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    figures_json: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
