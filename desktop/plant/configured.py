"""The OPC UA connection a workstation's settings describe, and the settings dialog's test of it."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Phrase, Sentence, as_sentence, message_of
from desktop.plant.connection import Connection, Security, close_quietly, open_client
from desktop.plant.failures import FAILURES, explain, translated
from desktop.services.admin.connection_check import CheckResult

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.services.admin.workstation_settings import PlantChoice

PROBE_TIMEOUT_S = 8.0


def connection_for(choice: PlantChoice, pki_dir: Path, endpoint: str | None = None) -> Connection:
    """`endpoint` replaces the chosen one (the simulator's, once it runs)."""
    return Connection(
        endpoint or choice.endpoint,
        Security(choice.security),
        choice.username,
        choice.password,
        pki_dir,
        certificate=choice.certificate,
        private_key=choice.private_key,
    )


async def read_server_status(conn: Connection) -> str:
    """Connect, read the standard ServerStatus variable (i=2256) and disconnect."""
    client = await open_client(conn)
    try:
        with translated(conn):
            status = await client.get_node(ua.ObjectIds.Server_ServerStatus).read_value()
    finally:
        await close_quietly(client)
    build = status.BuildInfo
    product = " ".join(p for p in (build.ProductName, build.SoftwareVersion) if p)
    return Phrase(
        "{product}, state {state}", product=product or Phrase("server"), state=status.State.name
    )


def check_server(
    choice: PlantChoice, pki_dir: Path, timeout_s: float = PROBE_TIMEOUT_S
) -> CheckResult:
    """Blocks up to `timeout_s`: call it from a worker thread."""
    conn = connection_for(choice, pki_dir)
    try:
        described = asyncio.run(asyncio.wait_for(read_server_status(conn), timeout_s))
    except TimeoutError:
        # The probe's own deadline, around the whole exchange.
        conn = dataclasses.replace(conn, timeout_s=timeout_s)
        return CheckResult(False, _sentence(explain(TimeoutError(), conn)))
    except WrenchbookError as exc:
        return CheckResult(False, _sentence(message_of(exc)))
    except FAILURES as exc:
        return CheckResult(False, _sentence(explain(exc, conn)))
    return CheckResult(True, Phrase("Connected. {server}.", server=described))


def _sentence(text: str) -> str:
    """The dialog shows full sentences ("Connected. …"); the CLI's `error:` line does not."""
    return Sentence(text) if isinstance(text, Phrase) else as_sentence(text)
