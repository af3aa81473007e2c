"""Every OPC UA failure as one sentence naming the cause and the fix.

The CLI prints it after `error:`, the app shows it in the status bar and the settings
dialog's Test result, and the client thread reports it while it waits to retry. asyncua
raises socket errors, status-code errors, "No matching endpoints" and, when a server drops
the channel during the handshake (node-opcua refusing our certificate), a bare
AssertionError; none of those tells a maintenance planner what to do. Each sentence is a
`Phrase`: the app says it in the user's language, the CLI prints the English.
"""

from __future__ import annotations

import contextlib
import socket
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Amount, Phrase, message_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop.plant.connection import Connection

# What asyncua raises for a failed connection or request; anything else is a bug of ours.
FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    EOFError,
    ua.UaError,
    AssertionError,
)

_SETTINGS = Phrase("Settings › Plant, or --security / --opc-user")
"""Where a refused security or login is fixed: the app's settings, or the CLI's options."""

_CERTIFICATE_REFUSED = frozenset(
    {
        "BadCertificateUntrusted",
        "BadCertificateInvalid",
        "BadCertificateRevoked",
        "BadCertificateIssuerRevoked",
        "BadCertificateRevocationUnknown",
        "BadCertificateIssuerRevocationUnknown",
        "BadCertificateTimeInvalid",
        "BadCertificateIssuerTimeInvalid",
        "BadCertificateHostNameInvalid",
        "BadCertificateUriInvalid",
        "BadCertificateUseNotAllowed",
        "BadCertificateIssuerUseNotAllowed",
        "BadSecurityChecksFailed",
        "BadNoValidCertificates",
    }
)
_LOGIN_REFUSED = frozenset(
    {"BadUserAccessDenied", "BadIdentityTokenInvalid", "BadIdentityTokenRejected"}
)
_SECURITY_REFUSED = frozenset({"BadSecurityModeRejected", "BadSecurityPolicyRejected"})
_TIMEOUTS = frozenset({"BadTimeout", "BadRequestTimeout", "BadConnectionClosed"})


class OpcUaFailure(WrenchbookError):
    """An OPC UA failure already put into words; the original stays as `__cause__`."""


def own_certificate_path(conn: Connection) -> str:
    """Where the certificate this workstation shows the server lives, for the fix text."""
    if conn.certificate is not None:
        return str(conn.certificate)
    if conn.pki_dir is not None:
        return str(conn.pki_dir / "own" / "client_cert.der")
    return Phrase("the pki/own folder")


def explain(exc: BaseException, conn: Connection) -> str:
    """One line: what failed at `conn.endpoint` and what the user can do about it; a Phrase,
    so the app says it in the user's language (the CLI prints the English)."""
    ep = conn.endpoint
    if isinstance(exc, WrenchbookError):
        return message_of(exc)
    if isinstance(exc, ua.UaStatusCodeError):
        return _status_text(exc, conn)
    if isinstance(exc, ConnectionRefusedError):
        return Phrase(
            "cannot connect to {endpoint}: connection refused, no OPC UA server listens there; "
            "start the server or correct the endpoint",
            endpoint=ep,
        )
    if isinstance(exc, socket.gaierror):
        return Phrase(
            "cannot connect to {endpoint}: the host name is not known; correct the endpoint",
            endpoint=ep,
        )
    if isinstance(exc, TimeoutError):
        return Phrase(
            "no answer from {endpoint} within {seconds} s; check that the server runs and "
            "that no firewall blocks the port",
            endpoint=ep,
            seconds=Amount(conn.timeout_s, None),
        )
    if isinstance(exc, ua.UaError) and "No matching endpoints" in str(exc):
        return Phrase(
            "{endpoint} offers no endpoint with OPC UA security {security}; choose a "
            "security the server offers ({settings})",
            endpoint=ep,
            security=conn.security.value,
            settings=_SETTINGS,
        )
    if isinstance(exc, AssertionError | EOFError | ConnectionError) and (
        conn.security.value != "none"
    ):
        # node-opcua closes the channel on a client certificate it does not trust: asyncua
        # then fails an assertion while reading the answer (node-opcua 2.186) or reads its
        # error message wrongly and finds the connection closed (2.160).
        return _certificate_refused(conn)
    if isinstance(exc, AssertionError | EOFError | ConnectionError):
        return Phrase(
            "{endpoint} closed the connection during the handshake; check the server's log",
            endpoint=ep,
        )
    if isinstance(exc, OSError):
        # The operating system's own words (German on a German Windows).
        reason = exc.strerror or str(exc) or type(exc).__name__
        return Phrase(
            "cannot connect to {endpoint}: {reason}; check the network and the endpoint",
            endpoint=ep,
            reason=reason,
        )
    return Phrase(
        "OPC UA failure at {endpoint}: {reason}; check the server's log",
        endpoint=ep,
        reason=str(exc) or type(exc).__name__,
    )


def _status_text(exc: ua.UaStatusCodeError, conn: Connection) -> Phrase:
    name = type(exc).__name__
    ep = conn.endpoint
    if name in _CERTIFICATE_REFUSED:
        return _certificate_refused(conn, name)
    if name in _LOGIN_REFUSED and conn.username:
        return Phrase(
            "{endpoint} refused the login {username} ({code}); check the OPC UA user name "
            "and password ({settings})",
            endpoint=ep,
            username=conn.username,
            code=name,
            settings=_SETTINGS,
        )
    if name in _LOGIN_REFUSED:
        return Phrase(
            "{endpoint} refused anonymous logins ({code}); give an OPC UA user name and "
            "password ({settings})",
            endpoint=ep,
            code=name,
            settings=_SETTINGS,
        )
    if name in _SECURITY_REFUSED:
        return Phrase(
            "{endpoint} refused OPC UA security {security} ({code}); choose a security "
            "the server offers ({settings})",
            endpoint=ep,
            security=conn.security.value,
            code=name,
            settings=_SETTINGS,
        )
    if name in _TIMEOUTS:
        return Phrase(
            "{endpoint} did not answer in time ({code}); check that the server runs and keeps up",
            endpoint=ep,
            code=name,
        )
    return Phrase(
        "{endpoint} refused the request ({code}); check the server's log", endpoint=ep, code=name
    )


def _certificate_refused(conn: Connection, code: str = "") -> Phrase:
    certificate = own_certificate_path(conn)
    if code:
        return Phrase(
            "{endpoint} refused this workstation's certificate ({code}); trust {certificate} "
            "on the server, then connect again",
            endpoint=conn.endpoint,
            code=code,
            certificate=certificate,
        )
    return Phrase(
        "{endpoint} refused this workstation's certificate; trust {certificate} on the "
        "server, then connect again",
        endpoint=conn.endpoint,
        certificate=certificate,
    )


@contextlib.contextmanager
def translated(conn: Connection) -> Iterator[None]:
    """Turn any OPC UA failure inside the block into an OpcUaFailure with its sentence."""
    try:
        yield
    except WrenchbookError:
        raise
    except FAILURES as exc:
        raise OpcUaFailure(explain(exc, conn)) from exc
