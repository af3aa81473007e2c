"""Keeping the store's master data up: parts, vendors, store rooms and bins (the forms).

Creating them is InventoryService's (imports use it too); this module reads them with the
revision a form saves against, and changes, deactivates or moves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select

from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Amount, Phrase
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.services.stock.inventory import _code_problem, part_problems, vendor_problems
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.store.asset_models import AssetPart
from desktop.store.inventory_models import Bin, Part, StockLevel, StockLocation, Vendor
from desktop.store.models import Asset, Base

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class VendorRecord:
    code: str
    name: str
    lead_time_days: int
    contact: str
    email: str
    phone: str
    active: bool
    revision: int


@dataclass(frozen=True)
class PartRecord:
    """A part as its form shows it, with the assets it is a spare of (where used)."""

    number: str
    description: str
    unit: str
    category: str
    vendor_code: str | None
    unit_cost: float
    active: bool
    used_on: tuple[str, ...]
    revision: int


@dataclass(frozen=True)
class StoreRoomRecord:
    code: str
    name: str
    bins: tuple[str, ...]
    revision: int


@dataclass(frozen=True)
class BinRecord:
    code: str
    store_room: str
    parts: int
    on_hand: float
    revision: int


class MasterDataService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    # -- vendors -------------------------------------------------------------------------

    def vendor_records(self) -> list[VendorRecord]:
        with self._db.unit_of_work(write=False) as session:
            vendors = session.execute(select(Vendor).order_by(Vendor.code)).scalars().all()
            found = revisions.revisions(session, "vendor", (v.code for v in vendors))
            return [
                VendorRecord(
                    v.code,
                    v.name,
                    v.lead_time_days,
                    v.contact,
                    v.email,
                    v.phone,
                    v.active,
                    found[v.code],
                )
                for v in vendors
            ]

    def update_vendor(self, actor: Actor, code: str, revision: int, changes: NewVendor) -> None:
        """Save a vendor's name, lead time and contact; the code stays (orders print it)."""
        require(actor, Action.MANAGE_PARTS)
        problems = vendor_problems(NewVendor(code, changes.name, changes.lead_time_days))
        for name in ("contact", "email", "phone"):
            if len(getattr(changes, name)) > (64 if name == "phone" else 200):
                problems[name] = "too long"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            vendor = _one(session, Vendor, Vendor.code, code, "vendor")
            revisions.check(session, "vendor", code, revision, code)
            before = _vendor_snapshot(vendor)
            vendor.name = changes.name.strip()
            vendor.lead_time_days = changes.lead_time_days
            vendor.contact = changes.contact.strip()
            vendor.email = changes.email.strip()
            vendor.phone = changes.phone.strip()
            after = _vendor_snapshot(vendor)
            audit.record(session, actor, "update", "vendor", code, before, after, self._clock())

    def set_vendor_active(self, actor: Actor, code: str, revision: int, active: bool) -> None:
        """An inactive vendor is kept for its orders but offered for no new part or order."""
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            vendor = _one(session, Vendor, Vendor.code, code, "vendor")
            revisions.check(session, "vendor", code, revision, code)
            before = {"active": vendor.active}
            vendor.active = active
            verb = "reactivate" if active else "deactivate"
            now = self._clock()
            audit.record(session, actor, verb, "vendor", code, before, {"active": active}, now)

    # -- parts ---------------------------------------------------------------------------

    def part_records(self) -> list[PartRecord]:
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(Part, Vendor.code)
                .outerjoin(Vendor, Vendor.id == Part.default_vendor_id)
                .order_by(Part.number)
            ).all()
            used: dict[int, list[str]] = {}
            for part_id, asset_code in session.execute(
                select(AssetPart.part_id, Asset.code)
                .join(Asset, Asset.id == AssetPart.asset_id)
                .order_by(Asset.code)
            ):
                used.setdefault(part_id, []).append(asset_code)
            found = revisions.revisions(session, "part", (part.number for part, _ in rows))
            return [
                PartRecord(
                    part.number,
                    part.description,
                    part.unit,
                    part.category,
                    vendor,
                    part.unit_cost,
                    part.active,
                    tuple(used.get(part.id, ())),
                    found[part.number],
                )
                for part, vendor in rows
            ]

    def update_part(self, actor: Actor, number: str, revision: int, changes: NewPart) -> None:
        """Save a part's description, unit, category, vendor and list cost; the number stays.

        The moving-average cost is the ledger's and is not changed here.
        """
        require(actor, Action.MANAGE_PARTS)
        problems = part_problems(
            NewPart(
                number,
                changes.description,
                changes.unit,
                changes.category,
                changes.vendor_code,
                changes.unit_cost,
            )
        )
        if len(changes.category) > 64:
            problems["category"] = "at most 64 characters"
        with self._db.unit_of_work() as session:
            vendor_id = None
            if changes.vendor_code:
                vendor_id = session.execute(
                    select(Vendor.id).where(Vendor.code == changes.vendor_code)
                ).scalar_one_or_none()
                if vendor_id is None:
                    problems["vendor"] = Phrase(
                        "no vendor {vendor_code}", vendor_code=changes.vendor_code
                    )
            if problems:
                raise ValidationFailed(problems)
            part = _one(session, Part, Part.number, number, "part")
            revisions.check(session, "part", number, revision, number)
            before = _part_snapshot(part)
            part.description = changes.description.strip()
            part.unit = changes.unit.strip()
            part.category = changes.category.strip()
            part.default_vendor_id = vendor_id
            part.unit_cost = changes.unit_cost
            after = _part_snapshot(part)
            audit.record(session, actor, "update", "part", number, before, after, self._clock())

    def set_part_active(self, actor: Actor, number: str, revision: int, active: bool) -> None:
        """A discontinued part keeps its ledger and stock; refused while stock is on hand."""
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            part = _one(session, Part, Part.number, number, "part")
            revisions.check(session, "part", number, revision, number)
            if not active:
                on_hand = session.execute(
                    select(func.coalesce(func.sum(StockLevel.on_hand), 0.0)).where(
                        StockLevel.part_id == part.id
                    )
                ).scalar_one()
                if on_hand > 0:
                    raise ValidationFailed(
                        {
                            "active": Phrase(
                                "{on_hand} {unit} still on hand; issue or adjust first",
                                on_hand=Amount(on_hand, None),
                                unit=part.unit,
                            )
                        }
                    )
            before = {"active": part.active}
            part.active = active
            verb = "reactivate" if active else "deactivate"
            now = self._clock()
            audit.record(session, actor, verb, "part", number, before, {"active": active}, now)

    # -- store rooms and bins ------------------------------------------------------------

    def store_rooms(self) -> list[StoreRoomRecord]:
        with self._db.unit_of_work(write=False) as session:
            rooms = (
                session.execute(select(StockLocation).order_by(StockLocation.code)).scalars().all()
            )
            bins: dict[int, list[str]] = {}
            for location_id, code in session.execute(
                select(Bin.location_id, Bin.code).order_by(Bin.code)
            ):
                bins.setdefault(location_id, []).append(code)
            found = revisions.revisions(session, "store_room", (r.code for r in rooms))
            return [
                StoreRoomRecord(r.code, r.name, tuple(bins.get(r.id, ())), found[r.code])
                for r in rooms
            ]

    def create_store_room(self, actor: Actor, code: str, name: str) -> None:
        require(actor, Action.MANAGE_PARTS)
        problems = _room_problems(code, name)
        with self._db.unit_of_work() as session:
            if (
                "code" not in problems
                and session.execute(
                    select(StockLocation.id).where(StockLocation.code == code)
                ).first()
            ):
                problems["code"] = Phrase("{code} exists already", code=code)
            if problems:
                raise ValidationFailed(problems)
            session.add(StockLocation(code=code, name=name.strip()))
            after = {"code": code, "name": name.strip()}
            audit.record(session, actor, "create", "store_room", code, None, after, self._clock())

    def rename_store_room(self, actor: Actor, code: str, revision: int, name: str) -> None:
        require(actor, Action.MANAGE_PARTS)
        problems = _room_problems(code, name)
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            room = _one(session, StockLocation, StockLocation.code, code, "store room")
            revisions.check(session, "store_room", code, revision, code)
            before = {"name": room.name}
            room.name = name.strip()
            now = self._clock()
            audit.record(session, actor, "update", "store_room", code, before, {"name": name}, now)

    def bin_records(self) -> list[BinRecord]:
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(
                    Bin.code,
                    StockLocation.code,
                    func.count(StockLevel.id),
                    func.coalesce(func.sum(StockLevel.on_hand), 0.0),
                )
                .join(StockLocation, StockLocation.id == Bin.location_id)
                .outerjoin(StockLevel, StockLevel.bin_id == Bin.id)
                .group_by(Bin.code, StockLocation.code)
                .order_by(Bin.code)
            ).all()
            found = revisions.revisions(session, "bin", (row[0] for row in rows))
            return [BinRecord(*row, found[row[0]]) for row in rows]

    def move_bin(self, actor: Actor, code: str, revision: int, store_room: str) -> None:
        """Put a bin (with its stock) into another store room: a re-labelled shelf."""
        require(actor, Action.MANAGE_PARTS)
        with self._db.unit_of_work() as session:
            bin_ = _one(session, Bin, Bin.code, code, "bin")
            revisions.check(session, "bin", code, revision, code)
            room = session.execute(
                select(StockLocation).where(StockLocation.code == store_room)
            ).scalar_one_or_none()
            if room is None:
                raise ValidationFailed(
                    {"store_room": Phrase("no store room {store_room}", store_room=store_room)}
                )
            before = {"location": bin_.location.code}
            bin_.location_id = room.id
            now = self._clock()
            audit.record(session, actor, "move", "bin", code, before, {"location": room.code}, now)


def _room_problems(code: str, name: str) -> dict[str, str]:
    problems = {}
    problem = _code_problem(code)
    if problem:
        problems["code"] = problem
    if not name.strip() or len(name) > 200:
        problems["name"] = "required, at most 200 characters"
    return problems


def _one(session: Session, model: type[M], column: Any, value: str, what: str) -> M:
    found = session.execute(
        select(model).where(column == value).with_for_update()
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(Phrase("no {what} {value}", what=what, value=value))
    return found


def _vendor_snapshot(vendor: Vendor) -> dict[str, object]:
    return {
        "name": vendor.name,
        "lead_time_days": vendor.lead_time_days,
        "contact": vendor.contact,
        "email": vendor.email,
        "phone": vendor.phone,
    }


def _part_snapshot(part: Part) -> dict[str, object]:
    return {
        "description": part.description,
        "unit": part.unit,
        "category": part.category,
        "default_vendor_id": part.default_vendor_id,
        "unit_cost": part.unit_cost,
    }
