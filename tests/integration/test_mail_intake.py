"""Requests by mail from a real IMAP server (pymap) on loopback, on both engines."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest

from desktop.domain.errors import ValidationFailed
from desktop.services.admin.notifications import NotificationService
from desktop.services.orders.mail_intake import MailboxSettings, MailIntakeError, MailIntakeService
from desktop.services.orders.work_orders import WorkOrderService

pytestmark = pytest.mark.both_engines  # each mail filed once by its Message-ID, per engine

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
IMAP_PASSWORD = "imap-secret-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def imap_port():
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pymap.main import main; sys.exit(main())",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-tls",
            "dict",
            "--demo-user",
            "maintenance",
            "--demo-password",
            IMAP_PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def _mail(
    subject: str,
    body: str,
    sender: str,
    *,
    attach: tuple[str, bytes] | None = None,
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "maintenance@plant.example"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    if attach:
        message.add_attachment(
            attach[1], maintype="application", subtype="octet-stream", filename=attach[0]
        )
    return bytes(message)


def _deliver(port: int, *mails: bytes) -> None:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("maintenance", IMAP_PASSWORD)
    for raw in mails:
        client.append("INBOX", None, None, raw)
    client.logout()


@pytest.fixture
def intake(db, clock, actors, imap_port):
    service = MailIntakeService(db, clock)
    service.set_mailbox(
        actors["admin"],
        MailboxSettings("127.0.0.1", imap_port, "none", "maintenance", "INBOX", "LINE"),
    )
    return service


def test_mails_become_requests_once_with_sender_and_files(db, clock, actors, intake, imap_port):
    NotificationService(db, clock).set_preferences(
        actors["admin"], "tina", email="Tina@Plant.example"
    )
    run = f"<{time.time_ns()}@plant.example>"
    _deliver(
        imap_port,
        _mail(
            "P-101 leaking at the seal",
            "Puddle under the pump.",
            "tina@plant.example",
            attach=("leak.png", PNG),
            message_id=f"<a{run}",
        ),
        _mail(
            "Light in hall 2 flickers",
            "Since this morning.",
            "Guest <guest@other.example>",
            attach=("tools.zip", b"PK\x03\x04" + b"\0" * 40),
            message_id=f"<b{run}",
        ),
    )
    report = intake.fetch(actors["admin"], IMAP_PASSWORD)
    assert report.duplicates == 0
    orders = WorkOrderService(db, clock)
    by_sender = {m.sender: m for m in report.filed}
    tina = orders.get(by_sender["tina@plant.example"].work_order)
    assert (tina.row.asset_code, tina.row.status, tina.requester) == ("P-101", "requested", "tina")
    assert {a.filename for a in tina.attachments} == {"mail.txt", "leak.png"}
    guest = orders.get(by_sender["guest@other.example"].work_order)
    assert guest.row.asset_code == "LINE"  # names no asset: filed under the default
    assert guest.requester == "admin"  # not a user: the intake's account, sender in the text
    assert "guest@other.example" in guest.description
    assert "ZIP archive" in by_sender["guest@other.example"].problems[0]
    # Read again (e.g. by a second process, or the mails were marked unread): nothing new.
    again = intake.file_mail(
        actors["admin"],
        _mail("P-101 leaking at the seal", "x", "tina@plant.example", message_id=f"<a{run}"),
    )
    assert again.work_order is None
    assert intake.fetch(actors["admin"], IMAP_PASSWORD).filed == ()


def test_a_wrong_password_or_no_server_is_a_clear_error(intake, actors, imap_port):
    with pytest.raises(MailIntakeError, match="refused"):
        intake.fetch(actors["admin"], "wrong")
    closed = _free_port()
    intake.set_mailbox(
        actors["admin"],
        MailboxSettings("127.0.0.1", closed, "none", "maintenance", "INBOX", "LINE"),
    )
    with pytest.raises(MailIntakeError, match="cannot reach the mail server"):
        intake.fetch(actors["admin"], IMAP_PASSWORD)


def test_mailbox_settings_are_checked(intake, actors):
    with pytest.raises(ValidationFailed) as caught:
        intake.set_mailbox(actors["admin"], MailboxSettings("", 0, "ssl", "", "INBOX", "NOPE"))
    assert set(caught.value.problems) == {"host", "port", "security", "username", "default_asset"}
    with pytest.raises(ValidationFailed, match="clear text"):
        intake.set_mailbox(
            actors["admin"],
            MailboxSettings("mail.plant.example", 143, "none", "x", "INBOX", "LINE"),
        )
