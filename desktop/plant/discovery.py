"""Discovery: a browsed server becomes a proposed asset-register branch with its tags.

Objects that hold numeric variables or nameplate data become equipment (components when they
sit inside other such objects); plain folders above them become systems where the register's
levels leave room, and are folded into their parent otherwise. Nothing is written here: the
user reviews the proposal, then `PlantDiscoveryService.apply_proposal` creates what they accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asyncua import ua

from desktop.domain.discovery import (
    NAMEPLATE_FIELDS,
    NAMEPLATE_GROUP,
    DiscoveryProposal,
    ExistingRegister,
    Nameplate,
    ProposedAsset,
    ProposedTag,
    SkippedItem,
)
from desktop.domain.enums import AssetLevel
from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Phrase
from desktop.plant.browse import BrowsedVariable, asset_code, browse_variables, data_kind
from desktop.plant.connection import close_quietly, open_client, resolve_nodes
from desktop.plant.failures import translated

if TYPE_CHECKING:
    from asyncua import Client

    from desktop.plant.connection import Connection

Path = tuple[str, ...]
_LEVELS = list(AssetLevel)


async def browse_with_nameplates(
    conn: Connection,
) -> tuple[list[BrowsedVariable], dict[Path, Nameplate]]:
    client = await open_client(conn)
    try:
        with translated(conn):
            variables = await browse_variables(client)
            return variables, await read_nameplates(client, variables)
    finally:
        await close_quietly(client)


async def read_nameplates(
    client: Client, variables: list[BrowsedVariable]
) -> dict[Path, Nameplate]:
    """Manufacturer, Model and SerialNumber values by the path of the object they describe."""
    wanted = [(i, v) for i, v in enumerate(variables) if v.path[-1] in NAMEPLATE_FIELDS]
    nodes, _ = await resolve_nodes(client, [(i, v.namespace_uri, v.node_id) for i, v in wanted])
    fields: dict[Path, dict[str, str]] = {}
    for node_id, index in nodes.items():
        var = variables[index]
        try:
            text = _text(await client.get_node(node_id).read_value())
        except ua.UaError:
            continue
        if text:
            fields.setdefault(nameplate_owner(var.path), {})[NAMEPLATE_FIELDS[var.path[-1]]] = text
    return {path: Nameplate(**values) for path, values in fields.items()}


def _text(value: Any) -> str:
    if isinstance(value, ua.LocalizedText):
        return (value.Text or "").strip()
    return str(value).strip() if value is not None else ""


def nameplate_owner(path: Path) -> Path:
    owner = path[:-1]
    return owner[:-1] if owner and owner[-1] == NAMEPLATE_GROUP else owner


def build_proposal(
    endpoint: str,
    under: str,
    variables: list[BrowsedVariable],
    nameplates: dict[Path, Nameplate],
    existing: ExistingRegister,
) -> DiscoveryProposal:
    """The branch to create below the asset `under` (which must exist in `existing`)."""
    if under not in existing.asset_levels:
        raise ValidationFailed({"under": Phrase("no asset {code}", code=under)})
    numeric = [v for v in variables if v.numeric and len(v.path) > 1]
    holders = {v.path[:-1] for v in numeric} | {p for p in nameplates if p}
    if not holders:
        return DiscoveryProposal(endpoint, under)
    strip = len(_common_prefix([h[:-1] for h in holders]))
    nodes = sorted({h[:i] for h in holders for i in range(strip + 1, len(h) + 1)})
    codes: dict[Path, str] = {}  # browse path -> asset code (proposed or existing)
    levels = dict(existing.asset_levels)
    taken = set(levels)
    assets: list[ProposedAsset] = []
    skipped: list[SkippedItem] = []
    for path in nodes:
        parents = (codes[path[:i]] for i in range(len(path) - 1, 0, -1) if path[:i] in codes)
        parent_code = next(parents, under)
        below = _LEVELS.index(levels[parent_code]) + 1
        holder = path in holders
        if not holder and (below >= len(_LEVELS) or _LEVELS[below] is not AssetLevel.SYSTEM):
            continue  # a plain folder with no level left for it: its children move up
        if holder:
            below = max(below, _LEVELS.index(AssetLevel.EQUIPMENT))
        label = "/".join(path)
        if below >= len(_LEVELS):
            skipped.append(SkippedItem("asset", label, f"no level below {parent_code}"))
            continue
        code = asset_code(path[-1])
        if code in existing.asset_levels:
            codes[path] = code
            skipped.append(SkippedItem("asset", code, "exists already; its tags map to it"))
            continue
        if code in taken:
            code = asset_code(f"{parent_code}-{path[-1]}")
        if code in taken:
            skipped.append(SkippedItem("asset", label, f"code {code} is used twice"))
            continue
        level = _LEVELS[below]
        plate = nameplates.get(path, Nameplate())
        taken.add(code)
        levels[code] = level
        codes[path] = code
        assets.append(
            ProposedAsset(
                code,
                path[-1],
                parent_code,
                level,
                path,
                level.value,
                maker=plate.maker,
                model=plate.model,
                serial=plate.serial,
            )
        )
    tags: list[ProposedTag] = []
    for var in numeric:
        code = codes.get(var.path[:-1])
        name = f"{code}.{var.path[-1]}"
        if code is None:
            reason = "its object is not proposed as an asset"
            skipped.append(SkippedItem("tag", "/".join(var.path), reason))
        elif name in existing.tag_names:
            skipped.append(SkippedItem("tag", name, "a tag of this name exists already"))
        elif (var.namespace_uri, var.node_id) in existing.tag_nodes:
            skipped.append(SkippedItem("tag", name, "this node is mapped to a tag already"))
        else:
            tags.append(
                ProposedTag(
                    name,
                    code,
                    var.namespace_uri,
                    var.node_id,
                    var.unit,
                    data_kind(var),
                    var.path,
                )
            )
    return DiscoveryProposal(endpoint, under, tuple(assets), tuple(tags), tuple(skipped))


def _common_prefix(paths: list[Path]) -> Path:
    if not paths:
        return ()
    first = min(paths)
    last = max(paths)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


async def discover(conn: Connection, under: str, existing: ExistingRegister) -> DiscoveryProposal:
    variables, nameplates = await browse_with_nameplates(conn)
    return build_proposal(conn.endpoint, under, variables, nameplates, existing)
