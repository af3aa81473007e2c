"""Browsing a server's address space to pick tags, and proposing a mapping from it.

Works on any server: it walks Objects down through the standard hierarchical references,
skips namespace 0 (the server's own diagnostics), and names each node by namespace URI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.condition import DataKind
from desktop.plant.connection import Connection, close_quietly, node_id_text, open_client
from desktop.plant.failures import translated
from desktop.services.plant_tags import TagDraft

if TYPE_CHECKING:
    from asyncua import Client, Node

# Built-in numeric data types (Part 6): Boolean, SByte … UInt64, Float, Double, and the
# abstract Number, Integer, UInteger a server may declare instead.
NUMERIC_TYPES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 26, 27, 28})
MAX_NODES = 20_000


@dataclass(frozen=True)
class BrowsedVariable:
    path: tuple[str, ...]
    namespace_uri: str
    node_id: str
    data_type: str
    numeric: bool
    unit: str

    @property
    def parent(self) -> str:
        return self.path[-2] if len(self.path) > 1 else ""


async def browse_variables(client: Client, max_depth: int = 8) -> list[BrowsedVariable]:
    namespaces: list[str] = await client.get_namespace_array()
    found: list[BrowsedVariable] = []
    queue: list[tuple[Node, tuple[str, ...]]] = [(client.nodes.objects, ())]
    seen = 0
    while queue and seen < MAX_NODES:
        node, path = queue.pop(0)
        for ref in await node.get_children_descriptions():
            seen += 1
            if ref.NodeId.NamespaceIndex == 0:
                continue
            child = client.get_node(ref.NodeId)
            child_path = (*path, ref.BrowseName.Name)
            if ref.NodeClass == ua.NodeClass.Variable:
                found.append(await _variable(child, child_path, namespaces))
            elif ref.NodeClass == ua.NodeClass.Object and len(child_path) < max_depth:
                queue.append((child, child_path))
    return found


async def _variable(node: Node, path: tuple[str, ...], namespaces: list[str]) -> BrowsedVariable:
    data_type = await node.read_data_type()
    numeric = data_type.NamespaceIndex == 0 and data_type.Identifier in NUMERIC_TYPES
    type_name = ua.ObjectIdNames.get(data_type.Identifier, str(data_type.Identifier))
    unit = ""
    for prop in await node.get_properties():
        name = (await prop.read_browse_name()).Name
        if name == "EngineeringUnits":
            info = await prop.read_value()
            unit = getattr(getattr(info, "DisplayName", None), "Text", "") or ""
    ns = node.nodeid.NamespaceIndex
    uri = namespaces[ns] if ns < len(namespaces) else ""
    return BrowsedVariable(path, uri, node_id_text(node.nodeid), type_name, numeric, unit)


async def browse(conn: Connection) -> list[BrowsedVariable]:
    client = await open_client(conn)
    try:
        with translated(conn):
            return await browse_variables(client)
    finally:
        await close_quietly(client)


def propose_mapping(variables: list[BrowsedVariable], asset_codes: set[str]) -> list[TagDraft]:
    """Numeric variables under an object named like an asset code, mapped to that asset; the
    user reviews the proposal (as a CSV) before importing it."""
    drafts: list[TagDraft] = []
    for var in variables:
        if not var.numeric or var.parent not in asset_codes:
            continue
        name = var.path[-1]
        drafts.append(
            TagDraft(
                f"{var.parent}.{name}",
                var.parent,
                var.namespace_uri,
                var.node_id,
                var.unit,
                data_kind(var),
            )
        )
    return drafts


def data_kind(var: BrowsedVariable) -> DataKind:
    """States from booleans, counters from their usual names, the rest analog."""
    if var.data_type == "Boolean":
        return DataKind.STATE
    if any(word in var.path[-1].lower() for word in ("hours", "count", "starts", "cycles")):
        return DataKind.COUNTER
    return DataKind.ANALOG
