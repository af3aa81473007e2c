"""A proposed asset-register branch from browsing an OPC UA server, kept as JSON for review."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop.domain.condition import DataKind
from desktop.domain.enums import AssetLevel, Criticality
from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Phrase

# OPC UA DI companion model (Part 100) nameplate properties, and the asset fields they fill.
DI_NAMESPACE_URI = "http://opcfoundation.org/UA/DI/"
NAMEPLATE_FIELDS = {"Manufacturer": "maker", "Model": "model", "SerialNumber": "serial"}
# DI puts the nameplate either on the device itself or in its Identification functional group.
NAMEPLATE_GROUP = "Identification"


@dataclass(frozen=True)
class Nameplate:
    maker: str | None = None
    model: str | None = None
    serial: str | None = None


@dataclass(frozen=True)
class ProposedAsset:
    code: str
    name: str
    parent_code: str
    level: AssetLevel
    path: tuple[str, ...]
    asset_class: str
    criticality: Criticality = Criticality.C
    maker: str | None = None
    model: str | None = None
    serial: str | None = None


@dataclass(frozen=True)
class ProposedTag:
    name: str
    asset_code: str
    namespace_uri: str
    node_id: str
    unit: str
    kind: DataKind
    path: tuple[str, ...]


@dataclass(frozen=True)
class SkippedItem:
    """Something the browse found that the proposal leaves out, and why."""

    kind: str  # "asset" or "tag"
    key: str
    reason: str


@dataclass(frozen=True)
class DiscoveryProposal:
    endpoint: str
    under: str
    assets: tuple[ProposedAsset, ...] = ()
    tags: tuple[ProposedTag, ...] = ()
    skipped: tuple[SkippedItem, ...] = field(default=())


@dataclass(frozen=True)
class ExistingRegister:
    """What the database already holds, so the proposal leaves it alone."""

    asset_levels: dict[str, AssetLevel]
    tag_names: frozenset[str]
    tag_nodes: frozenset[tuple[str, str]]  # (namespace URI, node id)


def proposal_to_json(proposal: DiscoveryProposal) -> str:
    return json.dumps(asdict(proposal), indent=2, ensure_ascii=False) + "\n"


def proposal_from_json(text: str) -> DiscoveryProposal:
    """The proposal a user reviewed (and perhaps edited); a malformed file is named, not
    half-read."""
    try:
        data = json.loads(text)
        return DiscoveryProposal(
            endpoint=str(data["endpoint"]),
            under=str(data["under"]),
            assets=tuple(_asset(a) for a in data["assets"]),
            tags=tuple(_tag(t) for t in data["tags"]),
            skipped=tuple(SkippedItem(**s) for s in data.get("skipped", ())),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(
            {"proposal": Phrase("not a discovery proposal ({exc})", exc=repr(exc))}
        ) from exc


def _asset(data: dict[str, Any]) -> ProposedAsset:
    return ProposedAsset(
        code=str(data["code"]),
        name=str(data["name"]),
        parent_code=str(data["parent_code"]),
        level=AssetLevel(data["level"]),
        path=tuple(data["path"]),
        asset_class=str(data["asset_class"]),
        criticality=Criticality(data.get("criticality", "C")),
        maker=data.get("maker"),
        model=data.get("model"),
        serial=data.get("serial"),
    )


def _tag(data: dict[str, Any]) -> ProposedTag:
    return ProposedTag(
        name=str(data["name"]),
        asset_code=str(data["asset_code"]),
        namespace_uri=str(data["namespace_uri"]),
        node_id=str(data["node_id"]),
        unit=str(data.get("unit") or ""),
        kind=DataKind(data.get("kind", "analog")),
        path=tuple(data["path"]),
    )
