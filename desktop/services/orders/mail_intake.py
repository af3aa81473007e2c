"""Requests by mail: a site mailbox read over IMAP, each new mail filed as a request once.

Operators and other departments mail the maintenance mailbox instead of phoning. Each mail
becomes a work order in `requested` with the mail itself and its photos or files attached
and the sender recorded. The mail's Message-ID is kept in the same transaction as the order,
so reading the mailbox twice, or from two processes, files nothing twice.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import imaplib
import os
import re
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop.domain.enums import Priority, WorkOrderType
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.admin import credentials
from desktop.services.admin.mail import is_loopback as _is_loopback
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import attachments, audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import Asset, User, WorkOrder
from desktop.store.notification_models import MailboxSettingsRow, ReceivedMail

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

IMAP_SERVICE = "Wrenchbook IMAP"
IMAP_PASSWORD_ENV = "WRENCHBOOK_IMAP_PASSWORD"
MAILBOX_ID = 1
TIMEOUT_S = 20
MAX_MAIL_BYTES = 30 * 1024 * 1024
_STOP_WORDS = re.compile(r"\b(stopped|stillstand|steht|breakdown|down)\b", re.IGNORECASE)


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    security: str  # "tls" (993), "starttls" (143) or "none" (loopback only)
    username: str
    folder: str
    default_asset: str
    """Where a mail naming no asset code is filed (e.g. the site's top area)."""


@dataclass(frozen=True)
class FiledMail:
    message_id: str
    work_order: str | None
    """None when the mail had been filed before."""
    sender: str
    problems: tuple[str, ...] = ()
    """Attachments that were not kept, and why."""


@dataclass(frozen=True)
class IntakeReport:
    filed: tuple[FiledMail, ...]
    duplicates: int


class MailIntakeError(WrenchbookError):
    """The mailbox could not be read; the text names the cause and the fix."""


def mailbox_password(settings: MailboxSettings) -> str | None:
    return credentials.get(IMAP_SERVICE, settings.username) or os.environ.get(IMAP_PASSWORD_ENV)


def _message_id(message: EmailMessage, raw: bytes) -> str:
    """The mail's Message-ID, or a hash of its bytes for mail that has none."""
    given = (message.get("Message-ID") or "").strip()
    return given[:300] if given else f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = str(part.get_content())
    if part.get_content_type() == "text/html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text.strip()


class MailIntakeService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def mailbox(self) -> MailboxSettings | None:
        with self._db.unit_of_work(write=False) as session:
            row = session.get(MailboxSettingsRow, MAILBOX_ID)
            if row is None:
                return None
            return MailboxSettings(
                row.host, row.port, row.security, row.username, row.folder, row.default_asset
            )

    def set_mailbox(self, actor: Actor, settings: MailboxSettings) -> None:
        require(actor, Action.MANAGE_USERS)
        problems = {}
        if not settings.host.strip():
            problems["host"] = "give the mail server's host name"
        if not 0 < settings.port < 65536:
            problems["port"] = "a port is 1-65535 (993 for TLS, 143 for STARTTLS)"
        if settings.security not in ("tls", "starttls", "none"):
            problems["security"] = "one of tls, starttls, none"
        if not settings.username:
            problems["username"] = "the mailbox's login name"
        elif settings.security == "none" and not _is_loopback(settings.host):
            problems["security"] = (
                "an unencrypted mailbox login would send the password in clear text: set "
                "security to tls (port 993) or starttls (143)"
            )
        with self._db.unit_of_work() as session:
            exists = session.scalar(select(Asset.id).where(Asset.code == settings.default_asset))
            if exists is None:
                problems["default_asset"] = Phrase(
                    "no asset {default_asset}: give the code of the asset that mails naming "
                    "none are filed under",
                    default_asset=repr(settings.default_asset),
                )
            if problems:
                raise ValidationFailed(problems)
            row = session.get(MailboxSettingsRow, MAILBOX_ID)
            if row is None:
                row = MailboxSettingsRow(id=MAILBOX_ID)
                session.add(row)
            row.host, row.port, row.security = (
                settings.host.strip(),
                settings.port,
                settings.security,
            )
            row.username, row.folder = settings.username, settings.folder or "INBOX"
            row.default_asset = settings.default_asset
            after = {
                k: getattr(row, k)
                for k in ("host", "port", "security", "username", "folder", "default_asset")
            }
            audit.record(
                session, actor, "update", "mailbox", MAILBOX_ID, None, after, self._clock()
            )

    # --- filing one mail ------------------------------------------------------------------

    def file_mail(self, actor: Actor, raw: bytes) -> FiledMail:
        """File one mail as a request, once; the caller's actor is the intake's account."""
        require(actor, Action.CREATE_WORK_ORDER)
        if len(raw) > MAX_MAIL_BYTES:
            raise ValidationFailed({"mail": "larger than 30 MiB; ask the sender to link files"})
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)  # the default policy builds EmailMessage
        message_id = _message_id(message, raw)
        sender_name, sender = parseaddr(str(message.get("From", "")))
        subject = " ".join(str(message.get("Subject", "")).split()) or "(no subject)"
        body = _body_text(message)
        settings = self.mailbox()
        now = self._clock()
        try:
            with self._db.unit_of_work() as session:
                if session.get(ReceivedMail, message_id) is not None:
                    return FiledMail(message_id, None, sender)
                asset_code = self._asset_for(session, f"{subject}\n{body}", settings)
                requester = self._requester(session, sender, actor)
                stopped = bool(_STOP_WORDS.search(subject))
                description = (
                    f"By mail from {sender_name} <{sender}> on {message.get('Date', '')}\n"
                    f"Subject: {subject}\n\n{body}"
                )
                created = WorkOrderService(self._db, self._clock).insert_in(
                    session,
                    requester,
                    WorkOrderDraft(
                        title=subject[:200],
                        asset_code=asset_code,
                        type=WorkOrderType.CORRECTIVE,
                        priority=Priority.HIGH if stopped else Priority.MEDIUM,
                        description=description[:20_000],
                        asset_down=stopped,
                    ),
                )
                wo = session.get(WorkOrder, created.work_order.id)
                assert wo is not None
                attachments.store(session, requester, wo, "mail.txt", raw, now)
                problems = self._attach_parts(session, requester, wo, message, now)
                session.add(
                    ReceivedMail(
                        message_id=message_id,
                        work_order_number=wo.number,
                        sender=sender[:254],
                        received_at=now,
                    )
                )
                session.flush()
                after = {
                    "message_id": message_id,
                    "sender": sender,
                    "subject": subject,
                    "not_attached": list(problems),
                }
                audit.record(
                    session, requester, "file mail", "work_order", wo.number, None, after, now
                )
                return FiledMail(message_id, wo.number, sender, problems)
        except IntegrityError:
            # Another process filed the same mail at the same moment.
            return FiledMail(message_id, None, sender)

    @staticmethod
    def _asset_for(session: Session, text: str, settings: MailboxSettings | None) -> str:
        """The longest asset code named in the subject or body, else the default asset."""
        words = {w.upper() for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9_./-]*", text)}
        words |= {w.rstrip(".,;:") for w in words}
        if words:
            codes = session.scalars(
                select(Asset.code).where(func.upper(Asset.code).in_(list(words)[:5000]))
            ).all()
            if codes:
                return max(codes, key=len)
        if settings is None:
            raise ValidationFailed(
                {
                    "asset": "the mail names no asset code and no default asset "
                    "is set: notify mailbox set default_asset=CODE"
                }
            )
        return settings.default_asset

    @staticmethod
    def _requester(session: Session, sender: str, intake: Actor) -> Actor:
        """The user whose address sent the mail, else the intake's own account."""
        if sender:
            user = session.scalar(
                select(User).where(func.lower(User.email) == sender.lower(), User.active)
            )
            if user is not None:
                return Actor(user.id, user.username, user.role)
        return intake

    @staticmethod
    def _attach_parts(
        session: Session, actor: Actor, wo: WorkOrder, message: EmailMessage, now: datetime
    ) -> tuple[str, ...]:
        problems = []
        for part in message.iter_attachments():
            name = part.get_filename() or "attachment"
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            # store() checks the file before it adds anything, so a refusal leaves no trace.
            try:
                attachments.store(session, actor, wo, name, content, now)
            except ValidationFailed as exc:
                problems.append(next(iter(exc.problems.values())))
        return tuple(problems)

    # --- reading the mailbox --------------------------------------------------------------

    def fetch(self, actor: Actor, password: str | None = None) -> IntakeReport:
        """Read new mail from the site mailbox and file each; mails are then marked seen."""
        require(actor, Action.CREATE_WORK_ORDER)
        settings = self.mailbox()
        if settings is None:
            raise MailIntakeError(
                "no mailbox set: notify mailbox set host=… port=993 security=tls username=… "
                "default_asset=CODE"
            )
        password = password if password is not None else mailbox_password(settings)
        if not password:
            raise MailIntakeError(
                Phrase(
                    "no password for the mailbox login {username}: save it in the "
                    "credential store as '{imap_service}' or set {imap_password_env}",
                    username=settings.username,
                    imap_service=IMAP_SERVICE,
                    imap_password_env=IMAP_PASSWORD_ENV,
                )
            )
        where = f"{settings.host}:{settings.port}"
        filed: list[FiledMail] = []
        duplicates = 0
        try:
            client = self._connect(settings)
            with client:
                client.login(settings.username, password)
                status, _ = client.select(settings.folder)
                if status != "OK":
                    raise MailIntakeError(
                        Phrase("the mailbox has no folder {folder}", folder=repr(settings.folder))
                    )
                _, found = client.uid("SEARCH", "UNSEEN")
                for uid in (found[0] or b"").decode().split():
                    _, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
                    raw = next((item[1] for item in data if isinstance(item, tuple)), None)
                    if raw is None:
                        continue
                    result = self.file_mail(actor, raw)
                    if result.work_order is None:
                        duplicates += 1
                    else:
                        filed.append(result)
                    client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        except MailIntakeError:
            raise
        except imaplib.IMAP4.error as exc:
            raise MailIntakeError(
                Phrase("the mail server {where} refused: {exc}", where=where, exc=exc)
            ) from exc
        except ssl.SSLError as exc:
            raise MailIntakeError(
                Phrase(
                    "TLS with {where} failed ({reason}): check the server's certificate and "
                    "the security setting (tls on 993, starttls on 143)",
                    where=where,
                    reason=exc.reason,
                )
            ) from exc
        except OSError as exc:
            raise MailIntakeError(
                Phrase("cannot reach the mail server {where}: {exc}", where=where, exc=exc)
            ) from exc
        return IntakeReport(tuple(filed), duplicates)

    @staticmethod
    def _connect(settings: MailboxSettings) -> imaplib.IMAP4:
        context = ssl.create_default_context()
        if settings.security == "tls":
            return imaplib.IMAP4_SSL(
                settings.host, settings.port, ssl_context=context, timeout=TIMEOUT_S
            )
        client = imaplib.IMAP4(settings.host, settings.port, timeout=TIMEOUT_S)
        if settings.security == "starttls":
            client.starttls(ssl_context=context)
        return client
