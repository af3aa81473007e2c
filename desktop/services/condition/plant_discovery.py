"""Applying a reviewed discovery proposal: the accepted assets and tags in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.discovery import DiscoveryProposal, ExistingRegister
from desktop.domain.errors import ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.condition.plant_tags import PlantTagService, TagDraft
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.condition_models import Tag
from desktop.store.models import Asset

if TYPE_CHECKING:
    from collections.abc import Iterable

    from desktop.store.database import Database


@dataclass(frozen=True)
class AppliedDiscovery:
    asset_codes: tuple[str, ...]
    tag_names: tuple[str, ...]


class PlantDiscoveryService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def existing(self) -> ExistingRegister:
        """The register as it stands, for building a proposal that skips what exists."""
        with self._db.unit_of_work(write=False) as session:
            levels = dict(session.execute(select(Asset.code, Asset.level)).all())
            tags = session.execute(select(Tag.name, Tag.namespace_uri, Tag.node_id)).all()
        return ExistingRegister(
            levels,
            frozenset(t.name for t in tags),
            frozenset((t.namespace_uri, t.node_id) for t in tags),
        )

    def apply_proposal(
        self,
        actor: Actor,
        proposal: DiscoveryProposal,
        accepted_asset_codes: Iterable[str],
        accepted_tag_names: Iterable[str],
    ) -> AppliedDiscovery:
        """Create the accepted assets and tags, all or nothing. An accepted asset needs its
        parent accepted too (or already in the register); so does an accepted tag's asset."""
        require(actor, Action.MANAGE_ASSETS)
        require(actor, Action.MANAGE_TAGS)
        asset_codes = set(accepted_asset_codes)
        tag_names = set(accepted_tag_names)
        problems: dict[str, str] = {}
        proposed = {a.code for a in proposal.assets}
        for code in sorted(asset_codes - proposed):
            problems[f"asset {code}"] = "not in the proposal"
        for name in sorted(tag_names - {t.name for t in proposal.tags}):
            problems[f"tag {name}"] = "not in the proposal"
        left_out = proposed - asset_codes
        for asset in proposal.assets:
            if asset.code in asset_codes and asset.parent_code in left_out:
                problems[f"asset {asset.code}"] = Phrase(
                    "accept its parent {parent_code} too", parent_code=asset.parent_code
                )
        for tag in proposal.tags:
            if tag.name in tag_names and tag.asset_code in left_out:
                problems[f"tag {tag.name}"] = Phrase(
                    "accept its asset {asset_code} too", asset_code=tag.asset_code
                )
        if problems:
            raise ValidationFailed(problems)
        assets = AssetService(self._db, self._clock)
        with self._db.unit_of_work() as session:
            created: list[str] = []
            for a in proposal.assets:
                if a.code not in asset_codes:
                    continue
                new = NewAsset(
                    a.code,
                    a.name,
                    a.level,
                    a.asset_class,
                    a.criticality,
                    a.parent_code,
                    maker=a.maker,
                    model=a.model,
                    serial=a.serial,
                )
                try:
                    assets.insert(session, actor, new)
                except ValidationFailed as exc:
                    raise ValidationFailed(
                        {f"asset {a.code} {k}": v for k, v in exc.problems.items()}
                    ) from exc
                created.append(a.code)
            drafts = [
                TagDraft(t.name, t.asset_code, t.namespace_uri, t.node_id, t.unit, t.kind)
                for t in proposal.tags
                if t.name in tag_names
            ]
            PlantTagService(self._db, self._clock).insert_tags(session, actor, drafts)
        return AppliedDiscovery(tuple(created), tuple(d.name for d in drafts))
