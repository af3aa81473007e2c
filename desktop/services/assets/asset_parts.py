"""Each asset's spare-parts list (its bill of spares), read both ways: an asset's parts, and
every asset a part is used on. PM kits start from it and the work-order sheet prints it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Amount, Phrase, message_of
from desktop.services.shared import audit
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.asset_models import AssetPart
from desktop.store.inventory_models import Part
from desktop.store.models import Asset

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

MAX_QUANTITY = 100_000.0


@dataclass(frozen=True)
class SparePartView:
    asset_code: str
    asset_name: str
    part_number: str
    description: str
    unit: str
    quantity: float
    note: str


class AssetPartsService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def parts_of(self, asset_code: str) -> list[SparePartView]:
        """The asset's spare parts, by part number."""
        with self._db.unit_of_work(write=False) as session:
            asset = _asset(session, asset_code)
            return _views(session, AssetPart.asset_id == asset.id)

    def where_used(self, part_number: str) -> list[SparePartView]:
        """Every asset the part is a spare of, by asset code."""
        with self._db.unit_of_work(write=False) as session:
            part = _part(session, part_number)
            return _views(session, AssetPart.part_id == part.id)

    def set_part(
        self, actor: Actor, asset_code: str, part_number: str, quantity: float, note: str = ""
    ) -> SparePartView:
        """Add a part to the asset's list, or change its quantity and note."""
        require(actor, Action.MANAGE_ASSETS)
        problems: dict[str, str] = {}
        if not math.isfinite(quantity) or not 0 < quantity <= MAX_QUANTITY:
            problems["quantity"] = Phrase(
                "more than 0 and at most {max_quantity}", max_quantity=Amount(MAX_QUANTITY, 0)
            )
        if len(note) > 200:
            problems["note"] = "at most 200 characters"
        if not part_number.strip():
            problems["part"] = "choose a part"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            asset = _asset(session, asset_code)
            try:
                part = _part(session, part_number)
            except NotFound as exc:
                raise ValidationFailed({"part": message_of(exc)}) from None
            line = session.execute(
                select(AssetPart).where(
                    AssetPart.asset_id == asset.id, AssetPart.part_id == part.id
                )
            ).scalar_one_or_none()
            before = None if line is None else {"quantity": line.quantity, "note": line.note}
            if line is None:
                line = AssetPart(asset_id=asset.id, part_id=part.id)
                session.add(line)
            line.quantity = quantity
            line.note = note.strip()
            session.flush()
            after = {"part": part.number, "quantity": quantity, "note": line.note}
            audit.record(
                session, actor, "spare part", "asset", asset.code, before, after, self._clock()
            )
            return SparePartView(
                asset.code,
                asset.name,
                part.number,
                part.description,
                part.unit,
                quantity,
                line.note,
            )

    def remove_part(self, actor: Actor, asset_code: str, part_number: str) -> None:
        require(actor, Action.MANAGE_ASSETS)
        with self._db.unit_of_work() as session:
            asset = _asset(session, asset_code)
            part = _part(session, part_number)
            line = session.execute(
                select(AssetPart).where(
                    AssetPart.asset_id == asset.id, AssetPart.part_id == part.id
                )
            ).scalar_one_or_none()
            if line is None:
                raise NotFound(
                    Phrase(
                        "{number} is not on the spare-parts list of {code}",
                        number=part.number,
                        code=asset.code,
                    )
                )
            before = {"part": part.number, "quantity": line.quantity, "note": line.note}
            session.delete(line)
            audit.record(
                session,
                actor,
                "remove spare part",
                "asset",
                asset.code,
                before,
                None,
                self._clock(),
            )


def spare_parts(session: Session, asset_id: int) -> list[SparePartView]:
    """The spare parts of one asset in the caller's session (the work-order sheet)."""
    return _views(session, AssetPart.asset_id == asset_id)


def _views(session: Session, condition: object) -> list[SparePartView]:
    rows = session.execute(
        select(
            Asset.code,
            Asset.name,
            Part.number,
            Part.description,
            Part.unit,
            AssetPart.quantity,
            AssetPart.note,
        )
        .join(Asset, Asset.id == AssetPart.asset_id)
        .join(Part, Part.id == AssetPart.part_id)
        .where(condition)  # type: ignore[arg-type]
        .order_by(Asset.code, Part.number)
    ).all()
    return [SparePartView(*row) for row in rows]


def _line(session: Session, asset: Asset, part: Part) -> AssetPart | None:
    return session.execute(
        select(AssetPart).where(AssetPart.asset_id == asset.id, AssetPart.part_id == part.id)
    ).scalar_one_or_none()


def _asset(session: Session, code: str) -> Asset:
    asset = session.execute(select(Asset).where(Asset.code == code)).scalar_one_or_none()
    if asset is None:
        raise NotFound(Phrase("no asset {code}", code=code))
    return asset


def _part(session: Session, number: str) -> Part:
    part = session.execute(select(Part).where(Part.number == number.strip())).scalar_one_or_none()
    if part is None:
        raise NotFound(Phrase("no part {number}", number=number))
    return part
