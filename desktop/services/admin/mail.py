"""Mail through the site's SMTP relay: TLS by default, the password from the credential store."""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING

from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Phrase
from desktop.services.admin import credentials
from desktop.services.admin.notifications import MailError

if TYPE_CHECKING:
    from desktop.services.admin.notifications import RelaySettings

SMTP_SERVICE = "Wrenchbook SMTP"
SMTP_PASSWORD_ENV = "WRENCHBOOK_SMTP_PASSWORD"
TIMEOUT_S = 15


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def relay_password(relay: RelaySettings) -> str | None:
    """The relay login's password: credential store first, then $WRENCHBOOK_SMTP_PASSWORD."""
    if not relay.username:
        return None
    return credentials.get(SMTP_SERVICE, relay.username) or os.environ.get(SMTP_PASSWORD_ENV)


class SmtpSender:
    """Sends one mail per call over a fresh connection (a relay may drop idle ones)."""

    def __init__(self, relay: RelaySettings, password: str | None) -> None:
        if relay.username and relay.security == "none" and not is_loopback(relay.host):
            raise ValidationFailed(
                {
                    "security": "a relay login over an unencrypted connection would send the "
                    "password in clear text: set security to starttls (port 587) or tls (465)"
                }
            )
        self._relay = relay
        self._password = password

    def send(self, to: str, subject: str, body: str, message_id: str) -> None:
        relay = self._relay
        message = EmailMessage()
        message["From"] = relay.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = message_id
        message.set_content(body)
        where = f"{relay.host}:{relay.port}"
        try:
            context = ssl.create_default_context()
            if relay.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    relay.host, relay.port, timeout=TIMEOUT_S, context=context
                )
            else:
                client = smtplib.SMTP(relay.host, relay.port, timeout=TIMEOUT_S)
            with client:
                if relay.security == "starttls":
                    client.starttls(context=context)
                if relay.username:
                    if not self._password:
                        raise MailError(
                            Phrase(
                                "no password for the relay login {username}: save it with "
                                "`notify relay password` or set {smtp_password_env}",
                                username=relay.username,
                                smtp_password_env=SMTP_PASSWORD_ENV,
                            )
                        )
                    client.login(relay.username, self._password)
                client.send_message(message)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                Phrase(
                    "the relay {where} refused the login {username}: {exc}",
                    where=where,
                    username=relay.username,
                    exc=exc,
                )
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(
                Phrase("the relay {where} refused the address {to}", where=where, to=to)
            ) from exc
        except ssl.SSLError as exc:
            raise MailError(
                Phrase(
                    "TLS with {where} failed ({reason}): check the relay's certificate and "
                    "the security setting (starttls on 587, tls on 465)",
                    where=where,
                    reason=exc.reason,
                )
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                Phrase("cannot send through {where}: {exc}", where=where, exc=exc)
            ) from exc
