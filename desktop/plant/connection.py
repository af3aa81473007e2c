"""Opening an asyncua client for any OPC UA server: security mode, login, trusted certificate.

Nothing here knows the simulator: nodes are named by namespace URI and identifier, the
server's certificate is checked against the trust store, and values of any numeric type
become floats while everything else becomes a gap.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from asyncua import Client, ua
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256

from desktop.domain.condition import Quality, Sample
from desktop.domain.errors import ValidationFailed
from desktop.plant.failures import FAILURES, translated
from desktop.plant.pki import OwnCertificate, Pki

if TYPE_CHECKING:
    from pathlib import Path


WATCHDOG_S = 5.0
CLOSE_TIMEOUT_S = 5.0
# Server-side queue per monitored item: values written between two publishes are all kept,
# not overwritten (a queue of 1 loses samples whenever a publish is late).
QUEUE_SIZE = 20


class Security(StrEnum):
    NONE = "none"
    SIGN = "sign"
    SIGN_AND_ENCRYPT = "sign_and_encrypt"


_MODES = {
    Security.SIGN: ua.MessageSecurityMode.Sign,
    Security.SIGN_AND_ENCRYPT: ua.MessageSecurityMode.SignAndEncrypt,
}


@dataclass(frozen=True)
class Connection:
    """Where and how to connect; `pki_dir` holds our certificate and the trusted servers."""

    endpoint: str
    security: Security = Security.NONE
    username: str | None = None
    # Kept out of repr: a Connection in a log line or a traceback must not show it.
    password: str | None = field(default=None, repr=False)
    pki_dir: Path | None = None
    publish_ms: int = 100
    timeout_s: float = 4.0
    # A certificate the site issued for this workstation; else one made in `pki_dir`.
    certificate: Path | None = None
    private_key: Path | None = None

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.endpoint.startswith("opc.tcp://"):
            problems["endpoint"] = "write it as opc.tcp://host:port/path"
        elif "@" in self.endpoint.split("/", 3)[2]:
            # asyncua would log in with it, but the endpoint is printed and logged everywhere.
            problems["endpoint"] = (
                "leave the login out of the endpoint: give the user name as the OPC UA user "
                "and the password in WRENCHBOOK_OPC_PASSWORD"
            )
        if self.security is not Security.NONE and self.pki_dir is None:
            problems["pki_dir"] = "signing needs a certificate folder"
        if (self.username is None) != (self.password is None):
            problems["login"] = "give both a user name and a password, or neither"
        elif self.username is not None and self.security is Security.NONE:
            # Security mode None sends the password in clear text over the plant network.
            problems["login"] = (
                "a user name and password are not sent over security mode None: set the "
                "OPC UA security to sign_and_encrypt (Settings › Plant), or leave the login out"
            )
        if (self.certificate is None) != (self.private_key is None):
            problems["certificate"] = "give both the client certificate and its key, or neither"
        return problems


def _first_certificate(chain: bytes) -> bytes:
    """A server may send its chain; the first DER item (length from its header) is its own."""
    if len(chain) > 4 and chain[0] == 0x30 and chain[1] == 0x82:
        return chain[: 4 + int.from_bytes(chain[2:4], "big")]
    return chain


async def open_client(conn: Connection) -> Client:
    """A connected client. Raises UntrustedServer for a server certificate not yet trusted,
    OpcUaFailure (one sentence with the fix) for every other failure."""
    with translated(conn):
        return await _open_client(conn)


async def _open_client(conn: Connection) -> Client:
    problems = conn.problems()
    if problems:
        raise ValidationFailed(problems)
    # The watchdog reads the server state every few seconds; at 1 s a busy server's slow answer
    # was taken for a lost connection in the bench. A closed socket is noticed at once anyway.
    client = Client(conn.endpoint, timeout=conn.timeout_s, watchdog_intervall=WATCHDOG_S)
    client.name = client.description = "Wrenchbook"
    if conn.username is not None:
        client.set_user(conn.username)
        client.set_password(conn.password or "")
    if conn.security is not Security.NONE:
        assert conn.pki_dir is not None
        pki = Pki(conn.pki_dir)
        if conn.certificate is not None and conn.private_key is not None:
            own = OwnCertificate.from_files(conn.certificate, conn.private_key)
        else:
            own = pki.own_certificate("client")
        client.application_uri = own.application_uri
        mode = _MODES[conn.security]
        endpoints = await client.connect_and_get_server_endpoints()
        endpoint = Client.find_endpoint(endpoints, mode, SecurityPolicyBasic256Sha256.URI)
        server_der = _first_certificate(endpoint.ServerCertificate)
        pki.check_trusted(server_der)
        await client.set_security(
            SecurityPolicyBasic256Sha256,
            str(own.cert_path),
            str(own.key_path),
            server_certificate=server_der,
            mode=mode,
        )
    try:
        await client.connect()
    except BaseException:
        # A half-open session or socket must not outlive the failed attempt.
        with contextlib.suppress(Exception):
            await client.disconnect()
        raise
    return client


def node_id_text(node_id: ua.NodeId) -> str:
    """The identifier part of a node id ("s=…", "i=…"), without the namespace index."""
    text: str = node_id.to_string()
    return text.split(";", 1)[1] if text.startswith("ns=") else text


async def resolve_nodes(
    client: Client, tags: list[tuple[int, str, str]]
) -> tuple[dict[ua.NodeId, int], list[int]]:
    """Map (tag id, namespace URI, identifier) to this server's node ids; unresolved tag ids
    (unknown namespace, malformed identifier) are returned apart, never raised."""
    namespaces: list[str] = await client.get_namespace_array()
    index = {uri: i for i, uri in enumerate(namespaces)}
    nodes: dict[ua.NodeId, int] = {}
    unresolved: list[int] = []
    for tag_id, uri, identifier in tags:
        ns = index.get(uri)
        if ns is None:
            unresolved.append(tag_id)
            continue
        try:
            nodes[ua.NodeId.from_string(f"ns={ns};{identifier}")] = tag_id
        except (ValueError, ua.UaError):
            unresolved.append(tag_id)
    return nodes, unresolved


MAX_MAGNITUDE = 1e300
"""Larger readings are no measurement (a failed conversion, an uninitialised register), and
the historian's minute sums of them would overflow: they are stored as not numeric."""


def as_float(value: Any) -> float | None:
    """Any OPC UA numeric (Boolean, SByte … UInt64, Float, Double) as a float; None otherwise."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        number = float(value)
        return number if abs(number) <= MAX_MAGNITUDE else None
    return None


def to_sample(tag_id: int, data_value: ua.DataValue, received: float) -> Sample:
    """Runs on the OPC UA thread, once per notification: keep it cheap."""
    stamp = data_value.SourceTimestamp or data_value.ServerTimestamp
    ts = received if stamp is None else _epoch(stamp)
    status = data_value.StatusCode
    if status is not None and not status.is_good():
        quality = Quality.UNCERTAIN if status.is_uncertain() else Quality.BAD
        return Sample(tag_id, ts, None, quality)
    variant = data_value.Value
    value = as_float(variant.Value if variant is not None else None)
    if value is None:
        return Sample(tag_id, ts, None, Quality.NOT_NUMERIC)
    return Sample(tag_id, ts, value, Quality.GOOD)


def _epoch(stamp: datetime) -> float:
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


async def close_quietly(client: Client) -> None:
    """Disconnect without raising: after a failure the socket may be gone already, and the
    failure, not the failed goodbye, is what the user needs to read."""
    with contextlib.suppress(*FAILURES):
        await asyncio.wait_for(client.disconnect(), CLOSE_TIMEOUT_S)
