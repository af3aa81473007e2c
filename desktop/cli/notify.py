"""`notify`: the notification service loop, the outbox, preferences and the mail relay."""

from __future__ import annotations

import signal
import sys
import threading
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from desktop.cli.output import FORMATS, render
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.notifications import EventKind
from desktop.services.admin.mail import SMTP_SERVICE, SmtpSender, relay_password
from desktop.services.admin.notifications import NotificationService, RelaySettings
from desktop.services.orders.mail_intake import IMAP_SERVICE, MailboxSettings, MailIntakeService
from desktop.services.orders.shift_handover import ShiftHandoverService

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    notify = commands.add_parser("notify", help="notifications: service, outbox, preferences")
    actions = notify.add_subparsers(dest="notify_command", metavar="ACTION", required=True)

    run = actions.add_parser(
        "run", parents=[common], help="collect events and send mail until stopped"
    )
    run.add_argument("--once", action="store_true", help="one round, then exit")
    run.add_argument(
        "--mail-intake",
        action="store_true",
        help="also file new mails of the site mailbox as requests (needs --user)",
    )
    run.add_argument("--interval", type=float, default=15.0, metavar="SECONDS")
    run.add_argument(
        "--retry-seconds", type=float, default=60.0, help="first retry delay (doubles each time)"
    )
    run.set_defaults(handler=_run)

    outbox = actions.add_parser("outbox", parents=[common], help="messages, newest first")
    outbox.add_argument("--pending", action="store_true", help="only those not yet sent")
    outbox.add_argument("--limit", type=int, default=200)
    outbox.add_argument("--format", choices=FORMATS, default="table")
    outbox.set_defaults(handler=_outbox)

    prefs = actions.add_parser(
        "prefs",
        parents=[common],
        help="show or set a user's mail address, digest mode and choices per event",
    )
    prefs.add_argument("username")
    prefs.add_argument("--email", help="mail address ('' removes it)")
    prefs.add_argument("--digest", choices=("on", "off"), help="one mail an hour instead")
    prefs.add_argument(
        "--set",
        dest="choices",
        action="append",
        default=[],
        metavar="KIND=CHANNELS",
        help=f"e.g. overdue=email,desktop or alarm=off; kinds: {', '.join(EventKind)}",
    )
    prefs.set_defaults(handler=_prefs)

    relay = actions.add_parser("relay", parents=[common], help="the site's SMTP relay")
    relay.add_argument("relay_action", choices=("show", "set", "test"))
    relay.add_argument(
        "values",
        nargs="*",
        metavar="KEY=VALUE|ADDRESS",
        help="set: host= port= security=starttls|tls|none username= sender=; test: an address",
    )
    relay.set_defaults(handler=_relay)

    mailbox = actions.add_parser(
        "mailbox", parents=[common], help="the site mailbox whose mails become requests"
    )
    mailbox.add_argument("mailbox_action", choices=("show", "set", "fetch"))
    mailbox.add_argument(
        "values",
        nargs="*",
        metavar="KEY=VALUE",
        help="set: host= port= security=tls|starttls|none username= folder= default_asset=",
    )
    mailbox.set_defaults(handler=_mailbox)


def _with_values(current: RelaySettings | MailboxSettings, values: list[str]) -> dict[str, Any]:
    """The settings' fields with KEY=VALUE items applied; the port as a number."""
    fields: dict[str, Any] = dict(vars(current))
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or key not in fields:
            keys = ", ".join(fields)
            raise ValidationFailed({item: f"give KEY=VALUE with KEY one of {keys}"})
        fields[key] = value
    try:
        fields["port"] = int(fields["port"])
    except ValueError:
        raise ValidationFailed({"port": "a whole number, e.g. 587 or 993"}) from None
    return fields


def _sender(service: NotificationService) -> SmtpSender | None:
    relay = service.relay()
    if relay is None:
        return None
    return SmtpSender(relay, relay_password(relay))


def _run(ctx: CliContext) -> int:
    service = NotificationService(
        ctx.db(), retry_base=timedelta(seconds=max(ctx.args.retry_seconds, 0.1))
    )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    sender = _sender(service)
    if sender is None:
        print("no mail relay set (notify relay set …): desktop notices only", file=sys.stderr)
    handovers = ShiftHandoverService(ctx.db())
    intake, intake_actor = None, None
    if ctx.args.mail_intake:
        intake, intake_actor = MailIntakeService(ctx.db()), ctx.actor()
    while not stop.is_set():
        if intake is not None and intake_actor is not None:
            try:
                filed = intake.fetch(intake_actor).filed
            except WrenchbookError as exc:
                print(f"error: {exc}", file=sys.stderr)  # retried next round
            else:
                for mail in filed:
                    print(f"mail from {mail.sender} filed as {mail.work_order}")
        handovers.draft_due()
        events = service.collect()
        report = service.dispatch_mail(sender) if sender is not None else None
        if report and (report.sent or report.failed):
            print(f"{events} events, {report.sent} mails sent, {report.failed} to retry")
            for error in report.errors:
                print(f"error: {error}", file=sys.stderr)
        sys.stdout.flush()
        if ctx.args.once:
            break
        stop.wait(ctx.args.interval)
    return 0


def _outbox(ctx: CliContext) -> int:
    rows = NotificationService(ctx.db()).outbox(pending_only=ctx.args.pending, limit=ctx.args.limit)
    headers = ("id", "user", "channel", "kind", "subject", "created", "attempts", "sent", "error")
    print(
        render(
            headers,
            [
                (
                    r.id,
                    r.username,
                    r.channel,
                    r.kind,
                    r.subject,
                    r.created_at,
                    r.attempts,
                    r.sent_at,
                    r.last_error,
                )
                for r in rows
            ],
            ctx.args.format,
        )
    )
    return 0


def _parse_choices(items: list[str]) -> dict[EventKind, tuple[bool, bool]]:
    choices: dict[EventKind, tuple[bool, bool]] = {}
    problems = {}
    for item in items:
        kind_text, _, channels_text = item.partition("=")
        channels = {c.strip() for c in channels_text.split(",") if c.strip()}
        try:
            kind = EventKind(kind_text.strip())
        except ValueError:
            problems[item] = f"unknown event kind; one of {', '.join(EventKind)}"
            continue
        if channels == {"off"}:
            choices[kind] = (False, False)
        elif channels and channels <= {"email", "desktop"}:
            choices[kind] = ("email" in channels, "desktop" in channels)
        else:
            problems[item] = "give KIND=email, KIND=desktop, KIND=email,desktop or KIND=off"
    if problems:
        raise ValidationFailed(problems)
    return choices


def _prefs(ctx: CliContext) -> int:
    service = NotificationService(ctx.db())
    args = ctx.args
    if args.email is not None or args.digest or args.choices:
        service.set_preferences(
            ctx.actor(),
            args.username,
            email=args.email,
            digest=None if args.digest is None else args.digest == "on",
            choices=_parse_choices(args.choices),
        )
    email, digest, prefs = service.preferences(args.username)
    print(
        f"{args.username}: mail {email or '(none: desktop notices only)'}, "
        f"digest {'on' if digest else 'off'}"
    )
    print(
        render(
            ("event", "email", "desktop"),
            [
                (str(p.kind), "yes" if p.email else "no", "yes" if p.desktop else "no")
                for p in prefs
            ],
            "table",
        )
    )
    return 0


def _relay(ctx: CliContext) -> int:
    service = NotificationService(ctx.db())
    action, values = ctx.args.relay_action, ctx.args.values
    if action == "set":
        current = service.relay() or RelaySettings("", 587, "starttls", "", "")
        service.set_relay(ctx.actor(), RelaySettings(**_with_values(current, values)))
    relay = service.relay()
    if relay is None:
        print("no mail relay set: notify relay set host=… port=587 security=starttls sender=…")
        return 0
    print(
        f"{relay.host}:{relay.port} {relay.security}, login {relay.username or '(none)'}, "
        f"from {relay.sender}; the password is kept in the credential store as "
        f"'{SMTP_SERVICE}'"
    )
    if action == "test":
        if len(values) != 1:
            raise ValidationFailed({"address": "give one address to send the test mail to"})
        SmtpSender(relay, relay_password(relay)).send(
            values[0],
            "Wrenchbook test mail",
            "The mail relay works.",
            f"<test{time.time_ns()}@wrenchbook>",
        )
        print(f"test mail sent to {values[0]}")
    return 0


def _mailbox(ctx: CliContext) -> int:
    service = MailIntakeService(ctx.db())
    action, values = ctx.args.mailbox_action, ctx.args.values
    if action == "set":
        current = service.mailbox() or MailboxSettings("", 993, "tls", "", "INBOX", "")
        service.set_mailbox(ctx.actor(), MailboxSettings(**_with_values(current, values)))
    if action == "fetch":
        report = service.fetch(ctx.actor())
        for mail in report.filed:
            print(f"mail from {mail.sender} filed as {mail.work_order}")
            for problem in mail.problems:
                print(f"  not attached: {problem}")
        print(f"{len(report.filed)} requests filed, {report.duplicates} mails filed before")
        return 0
    box = service.mailbox()
    if box is None:
        print(
            "no mailbox set: notify mailbox set host=… port=993 security=tls username=… "
            "default_asset=CODE"
        )
        return 0
    print(
        f"{box.username}@{box.host}:{box.port} {box.security}, folder {box.folder}, mails "
        f"naming no asset go to {box.default_asset}; the password is kept in the credential "
        f"store as '{IMAP_SERVICE}'"
    )
    return 0
