"""Everything one printed work-order sheet shows, read in one go for many orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.reports.parts import InventoryParts, PartLine, PartsSource
from desktop.reports.places import AssetPlace, asset_places, site_name
from desktop.services.asset_parts import SparePartView, spare_parts
from desktop.services.lockout import IsolationView, LockoutService
from desktop.services.work_orders import WorkOrderService
from desktop.store.models import Asset

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.work_order_records import WorkOrderDetail
    from desktop.store.database import Database


@dataclass(frozen=True)
class SheetRecord:
    detail: WorkOrderDetail
    place: AssetPlace
    parts: tuple[PartLine, ...]
    site: str
    isolations: tuple[IsolationView, ...] = ()
    spares: tuple[SparePartView, ...] = ()
    """The asset's spare-parts list: what the technician may need to bring."""


def load_sheet_records(
    db: Database, numbers: Sequence[str], parts: PartsSource | None = None
) -> list[SheetRecord]:
    """The orders in the order given; an unknown number raises NotFound naming it."""
    details = WorkOrderService(db).get_many(list(dict.fromkeys(numbers)))
    with db.unit_of_work(write=False) as session:
        places = asset_places(session)
        site = site_name(session)
        spares = {
            code: tuple(spare_parts(session, asset_id))
            for code, asset_id in session.execute(
                select(Asset.code, Asset.id).where(
                    Asset.code.in_({d.row.asset_code for d in details})
                )
            ).all()
        }
    numbers_ = [d.row.number for d in details]
    lines = (parts or InventoryParts(db)).parts_for(numbers_)
    isolations = LockoutService(db).isolations_many(numbers_)
    return [
        SheetRecord(
            d,
            places[d.row.asset_code],
            tuple(lines.get(d.row.number, ())),
            site,
            tuple(isolations.get(d.row.number, ())),
            spares.get(d.row.asset_code, ()),
        )
        for d in details
    ]
