"""Everything one printed work-order sheet shows, read in one go for many orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.lifecycle import FINISHED_STATUSES
from desktop.reports.pack_records import answered_by_users
from desktop.reports.parts import InventoryParts, PartLine, PartsSource
from desktop.reports.places import AssetPlace, asset_places, site_name, site_timezone
from desktop.services.assets.asset_parts import SparePartView, spare_parts
from desktop.services.orders.lockout import IsolationView, LockoutService
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.models import Asset

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.orders.work_order_records import WorkOrderDetail
    from desktop.store.database import Database


@dataclass(frozen=True)
class SheetRecord:
    detail: WorkOrderDetail
    place: AssetPlace
    parts: tuple[PartLine, ...]
    site: str
    isolations: tuple[IsolationView, ...] = ()
    timezone: str = "UTC"
    spares: tuple[SparePartView, ...] = ()
    """The asset's spare-parts list: what the technician may need to bring."""
    answered_by: dict[tuple[str, int], str] = field(default_factory=dict)
    """Who answered each checklist item, by (number, position): a record names them."""

    @property
    def finished(self) -> bool:
        """Work done (completed, closed) or called off: the sheet is a record of what happened,
        not a blank job card someone could mistake for open work (issue 16)."""
        return self.detail.row.status in FINISHED_STATUSES


def load_sheet_records(
    db: Database, numbers: Sequence[str], parts: PartsSource | None = None
) -> list[SheetRecord]:
    """The orders in the order given; an unknown number raises NotFound naming it."""
    details = WorkOrderService(db).get_many(list(dict.fromkeys(numbers)))
    with db.unit_of_work(write=False) as session:
        places = asset_places(session)
        site = site_name(session)
        timezone = site_timezone(session)
        numbers_ = [d.row.number for d in details]
        answered_by = answered_by_users(session, numbers_)
        spares = {
            code: tuple(spare_parts(session, asset_id))
            for code, asset_id in session.execute(
                select(Asset.code, Asset.id).where(
                    Asset.code.in_({d.row.asset_code for d in details})
                )
            ).all()
        }
    lines = (parts or InventoryParts(db)).parts_for(numbers_)
    isolations = LockoutService(db).isolations_many(numbers_)
    return [
        SheetRecord(
            d,
            places[d.row.asset_code],
            tuple(lines.get(d.row.number, ())),
            site,
            tuple(isolations.get(d.row.number, ())),
            timezone,
            spares.get(d.row.asset_code, ()),
            {k: v for k, v in answered_by.items() if k[0] == d.row.number},
        )
        for d in details
    ]
