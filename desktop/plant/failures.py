"""Every OPC UA failure as one sentence naming the cause and the fix.

The CLI prints it after `error:`, the app shows it in the status bar and the settings
dialog's Test result, and the client thread reports it while it waits to retry. asyncua
raises socket errors, status-code errors, "No matching endpoints" and, when a server drops
the channel during the handshake (node-opcua refusing our certificate), a bare
AssertionError; none of those tells a maintenance planner what to do.
"""

from __future__ import annotations

import contextlib
import socket
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.errors import WrenchbookError

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

_SETTINGS = "Settings › Plant, or --security / --opc-user"

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
    return "the pki/own folder"


def explain(exc: BaseException, conn: Connection) -> str:
    """One line: what failed at `conn.endpoint` and what the user can do about it."""
    ep = conn.endpoint
    if isinstance(exc, WrenchbookError):
        return str(exc)
    if isinstance(exc, ua.UaStatusCodeError):
        return _status_text(exc, conn)
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"cannot connect to {ep}: connection refused, no OPC UA server listens there; "
            "start the server or correct the endpoint"
        )
    if isinstance(exc, socket.gaierror):
        return f"cannot connect to {ep}: the host name is not known; correct the endpoint"
    if isinstance(exc, TimeoutError):
        return (
            f"no answer from {ep} within {conn.timeout_s:g} s; check that the server runs and "
            "that no firewall blocks the port"
        )
    if isinstance(exc, ua.UaError) and "No matching endpoints" in str(exc):
        return (
            f"{ep} offers no endpoint with OPC UA security {conn.security.value}; choose a "
            f"security the server offers ({_SETTINGS})"
        )
    if isinstance(exc, AssertionError | EOFError | ConnectionError) and (
        conn.security.value != "none"
    ):
        # node-opcua closes the channel on a client certificate it does not trust: asyncua
        # then fails an assertion while reading the answer (node-opcua 2.186) or reads its
        # error message wrongly and finds the connection closed (2.160).
        return _certificate_refused(conn)
    if isinstance(exc, AssertionError | EOFError | ConnectionError):
        return f"{ep} closed the connection during the handshake; check the server's log"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return f"cannot connect to {ep}: {reason}; check the network and the endpoint"
    reason = str(exc) or type(exc).__name__
    return f"OPC UA failure at {ep}: {reason}; check the server's log"


def _status_text(exc: ua.UaStatusCodeError, conn: Connection) -> str:
    name = type(exc).__name__
    ep = conn.endpoint
    if name in _CERTIFICATE_REFUSED:
        return _certificate_refused(conn, name)
    if name in _LOGIN_REFUSED:
        who = f"the login {conn.username}" if conn.username else "anonymous logins"
        fix = (
            "check the OPC UA user name and password"
            if conn.username
            else "give an OPC UA user name and password"
        )
        return f"{ep} refused {who} ({name}); {fix} ({_SETTINGS})"
    if name in _SECURITY_REFUSED:
        return (
            f"{ep} refused OPC UA security {conn.security.value} ({name}); choose a security "
            f"the server offers ({_SETTINGS})"
        )
    if name in _TIMEOUTS:
        return f"{ep} did not answer in time ({name}); check that the server runs and keeps up"
    return f"{ep} refused the request ({name}); check the server's log"


def _certificate_refused(conn: Connection, code: str = "") -> str:
    shown = f" ({code})" if code else ""
    return (
        f"{conn.endpoint} refused this workstation's certificate{shown}; trust "
        f"{own_certificate_path(conn)} on the server, then connect again"
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
