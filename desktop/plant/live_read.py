"""One live reading of one tag, for checks that must see the machine now (zero energy)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Amount, Phrase
from desktop.plant.connection import as_float, open_client

if TYPE_CHECKING:
    from desktop.plant.connection import Connection
    from desktop.services.orders.lockout import TagReader

READ_TIMEOUT_S = 10.0


async def _read(conn: Connection, namespace_uri: str, identifier: str) -> float:
    client = await open_client(conn)
    try:
        namespaces: list[str] = await client.get_namespace_array()
        if namespace_uri not in namespaces:
            raise WrenchbookError(
                Phrase(
                    "the plant server does not know the namespace {namespace}",
                    namespace=namespace_uri,
                )
            )
        node = client.get_node(
            ua.NodeId.from_string(f"ns={namespaces.index(namespace_uri)};{identifier}")
        )
        data = await node.read_data_value()
    finally:
        with contextlib.suppress(Exception):
            await client.disconnect()
    if data.StatusCode is not None and not data.StatusCode.is_good():
        raise WrenchbookError(
            Phrase(
                "{node} reads with bad quality ({code})", node=identifier, code=data.StatusCode.name
            )
        )
    value = as_float(data.Value.Value if data.Value is not None else None)
    if value is None:
        raise WrenchbookError(Phrase("{node} gives no number", node=identifier))
    return value


def tag_reader(conn: Connection, timeout_s: float = READ_TIMEOUT_S) -> TagReader:
    """A TagReader (desktop.services.orders.lockout) over `conn`. Blocks: call off the UI thread."""

    def read(namespace_uri: str, identifier: str) -> float:
        try:
            return asyncio.run(asyncio.wait_for(_read(conn, namespace_uri, identifier), timeout_s))
        except TimeoutError as exc:
            raise WrenchbookError(
                Phrase(
                    "no answer from the plant within {seconds} s; zero energy not verified",
                    seconds=Amount(timeout_s, None),
                )
            ) from exc
        except (OSError, ua.UaError) as exc:
            raise WrenchbookError(
                Phrase("cannot read {node} from the plant: {reason}", node=identifier, reason=exc)
            ) from exc

    return read
