"""Browsing a server's address space to pick tags, and proposing a mapping from it.

Works on any server: it walks Objects down through the standard hierarchical references,
skips namespace 0 (the server's own diagnostics), and names each node by namespace URI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asyncua import ua

from desktop.domain.condition import DataKind
from desktop.plant.connection import Connection, close_quietly, node_id_text, open_client
from desktop.plant.failures import translated
from desktop.services.condition.plant_tags import TagDraft

if TYPE_CHECKING:
    from asyncua import Client, Node

# Built-in numeric data types (Part 6): Boolean, SByte … UInt64, Float, Double, and the
# abstract Number, Integer, UInteger a server may declare instead.
NUMERIC_TYPES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 26, 27, 28})
MAX_NODES = 20_000
ASSET_CODE_MAX = 64


# Built-in types that are neither numbers nor composites: String … DiagnosticInfo (Part 6).
TEXT_TYPES = frozenset(range(12, 22)) | {23, 24, 25}


@dataclass(frozen=True)
class BrowsedVariable:
    path: tuple[str, ...]
    namespace_uri: str
    node_id: str
    data_type: str
    # True only for a numeric scalar: the one thing a tag can store.
    numeric: bool
    unit: str
    # Why it cannot be a tag ("array", "structure", "text"); empty when it can.
    not_mappable: str = ""

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
    rank = (await node.read_attribute(ua.AttributeIds.ValueRank)).Value.Value
    reason = not_mappable_reason(data_type, rank)
    numeric = not reason
    type_name = ua.ObjectIdNames.get(data_type.Identifier, str(data_type.Identifier))
    unit = ""
    for prop in await node.get_properties():
        name = (await prop.read_browse_name()).Name
        if name == "EngineeringUnits":
            info = await prop.read_value()
            unit = getattr(getattr(info, "DisplayName", None), "Text", "") or ""
    ns = node.nodeid.NamespaceIndex
    uri = namespaces[ns] if ns < len(namespaces) else ""
    return BrowsedVariable(path, uri, node_id_text(node.nodeid), type_name, numeric, unit, reason)


def not_mappable_reason(data_type: ua.NodeId, value_rank: int | None) -> str:
    """Arrays (value rank 0 or more) and structures store only gaps as a tag: say so at
    browse time instead of offering them as numeric."""
    if value_rank is not None and value_rank >= 0:
        return "array"
    builtin = data_type.NamespaceIndex == 0
    if builtin and data_type.Identifier in NUMERIC_TYPES:
        return ""
    if builtin and data_type.Identifier in TEXT_TYPES:
        return "text"
    return "structure"


async def browse(conn: Connection) -> list[BrowsedVariable]:
    client = await open_client(conn)
    try:
        with translated(conn):
            return await browse_variables(client)
    finally:
        await close_quietly(client)


def asset_code(name: str) -> str:
    """An object's browse name as an asset code: blanks become dashes, at most 64 characters."""
    return re.sub(r"\s+", "-", name.strip())[:ASSET_CODE_MAX]


def propose_mapping(variables: list[BrowsedVariable], asset_codes: set[str]) -> list[TagDraft]:
    """Numeric variables under an object named like an asset code, mapped to that asset. A
    server whose objects match no asset code (another vendor's naming) gets a proposal by its
    structure instead: each object holding numbers becomes an asset code from its name. The
    user reviews either in the mapping dialog or the CSV before importing it."""
    candidates = [v for v in variables if v.numeric and v.parent]
    by_code = any(v.parent in asset_codes for v in candidates)
    drafts: list[TagDraft] = []
    for var in candidates:
        if by_code and var.parent not in asset_codes:
            continue
        name = var.path[-1]
        code = var.parent if by_code else asset_code(var.parent)
        drafts.append(
            TagDraft(
                f"{code}.{name}",
                code,
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
