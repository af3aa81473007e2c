"""The OPC UA connection a workstation's settings describe, and the settings dialog's test of it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.errors import WrenchbookError
from desktop.plant.connection import Connection, Security, open_client
from desktop.services.connection_check import CheckResult

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.services.workstation_settings import PlantChoice

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
        status = await client.get_node(ua.ObjectIds.Server_ServerStatus).read_value()
    finally:
        with contextlib.suppress(Exception):
            await client.disconnect()
    build = status.BuildInfo
    product = " ".join(p for p in (build.ProductName, build.SoftwareVersion) if p) or "server"
    return f"{product}, state {status.State.name}"


def check_server(
    choice: PlantChoice, pki_dir: Path, timeout_s: float = PROBE_TIMEOUT_S
) -> CheckResult:
    """Blocks up to `timeout_s`: call it from a worker thread."""
    try:
        conn = connection_for(choice, pki_dir)
        described = asyncio.run(asyncio.wait_for(read_server_status(conn), timeout_s))
    except TimeoutError:
        return CheckResult(False, f"No answer from {choice.endpoint} within {timeout_s:g} s.")
    except WrenchbookError as exc:
        return CheckResult(False, str(exc))
    except ua.UaStatusCodeError as exc:
        return CheckResult(False, f"Refused by the server: {exc}")
    except (OSError, ua.UaError, ValueError) as exc:
        return CheckResult(False, f"Cannot connect to {choice.endpoint}: {exc}")
    return CheckResult(True, f"Connected. {described}.")
