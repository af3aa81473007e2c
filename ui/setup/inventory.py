"""Parts, vendors, store rooms and bins: the store's master data, each with its form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.errors import ValidationFailed
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.stock.inventory_master import (
    BinRecord,
    PartRecord,
    StoreRoomRecord,
    VendorRecord,
)
from desktop.services.stock.inventory_records import NewPart, NewVendor
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.i18n import show_amount, show_number, tr
from ui.inventory.models import Column

if TYPE_CHECKING:
    from ui.context import AppContext


class _StoreKind:
    """What the four store kinds share: the services and the role that may change them."""

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._master = context.services.master_data
        self._inventory = context.services.inventory

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_PARTS]


class VendorKind(_StoreKind, RecordKind[VendorRecord]):
    title = QT_TR_NOOP("Vendors")
    singular = QT_TR_NOOP("vendor")
    plural = QT_TR_NOOP("vendors")
    columns = (
        Column(QT_TR_NOOP("Code"), lambda v: v.code),
        Column(QT_TR_NOOP("Name"), lambda v: v.name),
        Column(QT_TR_NOOP("Lead time"), lambda v: f"{v.lead_time_days} d", True),
        Column(QT_TR_NOOP("Contact"), lambda v: v.contact),
        Column(QT_TR_NOOP("State"), lambda v: tr("active") if v.active else tr("inactive")),
    )

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.fields = (
            f.text("code", tr("&Code"), max_length=32, new_only=True),
            f.text("name", tr("&Name")),
            f.integer(
                "lead_time_days",
                tr("&Lead time"),
                maximum=365,
                suffix=tr(" days"),
                hint=tr("Days from order to delivery; requisitions plan with it"),
            ),
            f.text("contact", tr("C&ontact")),
            f.text("email", tr("&E-mail")),
            f.text("phone", tr("&Phone"), max_length=64),
        )
        self.actions = (
            RecordAction(
                tr("&Deactivate…"),
                "deactivate",
                lambda v, _x: self._active(v, False),
                question=lambda v: tr(
                    "{code} keeps its orders but is offered for no new part."
                ).format(code=v.code),
                enabled=lambda v: v.active,
            ),
            RecordAction(
                tr("Re&activate"),
                "reactivate",
                lambda v, _x: self._active(v, True),
                question=lambda v: tr("Offer {code} again?").format(code=v.code),
                enabled=lambda v: not v.active,
            ),
        )

    def rows(self) -> list[VendorRecord]:
        return self._master.vendor_records()

    def key(self, row: VendorRecord) -> str:
        return row.code

    def revision(self, row: VendorRecord) -> int:
        return row.revision

    def describe(self, row: VendorRecord) -> str:
        return f"{row.code} — {row.name}" + ("" if row.active else "  ·  " + tr("inactive"))

    def values(self, row: VendorRecord) -> dict[str, Any]:
        return {
            "code": row.code,
            "name": row.name,
            "lead_time_days": row.lead_time_days,
            "contact": row.contact,
            "email": row.email,
            "phone": row.phone,
        }

    def blank(self) -> dict[str, Any]:
        return {"lead_time_days": 7}

    def _vendor(self, values: dict[str, Any]) -> NewVendor:
        return NewVendor(
            values["code"].strip(),
            values["name"],
            values["lead_time_days"],
            values["contact"],
            values["email"],
            values["phone"],
        )

    def create(self, values: dict[str, Any]) -> str:
        return self._inventory.create_vendor(self._context.actor, self._vendor(values)).code

    def save(self, row: VendorRecord, revision: int, values: dict[str, Any]) -> None:
        new = self._vendor(values | {"code": row.code})
        self._master.update_vendor(self._context.actor, row.code, revision, new)

    def _active(self, row: VendorRecord, active: bool) -> str:
        self._master.set_vendor_active(self._context.actor, row.code, row.revision, active)
        done = tr("{code} is active now.") if active else tr("{code} is inactive now.")
        return done.format(code=row.code)


class PartKind(_StoreKind, RecordKind[PartRecord]):
    title = QT_TR_NOOP("Parts")
    singular = QT_TR_NOOP("part")
    plural = QT_TR_NOOP("parts")
    columns = (
        Column(QT_TR_NOOP("Part"), lambda p: p.number),
        Column(QT_TR_NOOP("Description"), lambda p: p.description),
        Column(QT_TR_NOOP("Category"), lambda p: p.category),
        Column(QT_TR_NOOP("Vendor"), lambda p: p.vendor_code or ""),
        Column(QT_TR_NOOP("List cost"), lambda p: f"{show_number(p.unit_cost, 2)}", True),
        Column(QT_TR_NOOP("Used on"), lambda p: ", ".join(p.used_on)),
        Column(QT_TR_NOOP("State"), lambda p: tr("active") if p.active else tr("discontinued")),
    )

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.fields = (
            f.text("number", tr("Part &number"), max_length=64, new_only=True),
            f.text("description", tr("&Description"), max_length=300),
            f.text("unit", tr("&Unit"), max_length=16, placeholder=tr("each, m, l, kg")),
            f.text("category", tr("&Category"), max_length=64),
            f.searchable("vendor", tr("&Vendor"), self._vendor_entries),
            f.number(
                "unit_cost",
                tr("&List cost"),
                maximum=1e9,
                decimals=2,
                hint=tr("The vendor's price; issues are charged at the moving average"),
            ),
            f.multiline(
                "used_on",
                tr("Used on (spare of)"),
                height=60,
                read_only=True,
                hint=tr("Set on the Assets page: Spare parts…"),
            ),
        )
        self.actions = (
            RecordAction(
                tr("&Discontinue…"),
                "deactivate",
                lambda p, _x: self._active(p, False),
                question=lambda p: tr(
                    "{number} keeps its ledger; it is refused while stock is on hand."
                ).format(number=p.number),
                enabled=lambda p: p.active,
            ),
            RecordAction(
                tr("Re&activate"),
                "reactivate",
                lambda p, _x: self._active(p, True),
                question=lambda p: tr("Stock {number} again?").format(number=p.number),
                enabled=lambda p: not p.active,
            ),
        )

    def _vendor_entries(self) -> list[tuple[str, str]]:
        return [(v.code, f"{v.code} — {v.name}") for v in self._master.vendor_records() if v.active]

    def rows(self) -> list[PartRecord]:
        return self._master.part_records()

    def key(self, row: PartRecord) -> str:
        return row.number

    def revision(self, row: PartRecord) -> int:
        return row.revision

    def describe(self, row: PartRecord) -> str:
        state = "" if row.active else "  ·  " + tr("discontinued")
        return f"{row.number} — {row.description}{state}"

    def values(self, row: PartRecord) -> dict[str, Any]:
        return {
            "number": row.number,
            "description": row.description,
            "unit": row.unit,
            "category": row.category,
            "vendor": row.vendor_code,
            "unit_cost": row.unit_cost,
            "used_on": "\n".join(row.used_on) or "not on any asset's spare-parts list",
        }

    def blank(self) -> dict[str, Any]:
        return {"unit": "each", "used_on": ""}

    def _part(self, values: dict[str, Any]) -> NewPart:
        return NewPart(
            values["number"].strip(),
            values["description"],
            values["unit"],
            values["category"],
            values["vendor"],
            values["unit_cost"],
        )

    def create(self, values: dict[str, Any]) -> str:
        new = self._part(values)
        self._inventory.create_part(self._context.actor, new)
        return new.number

    def save(self, row: PartRecord, revision: int, values: dict[str, Any]) -> None:
        new = self._part(values | {"number": row.number})
        self._master.update_part(self._context.actor, row.number, revision, new)

    def _active(self, row: PartRecord, active: bool) -> str:
        self._master.set_part_active(self._context.actor, row.number, row.revision, active)
        done = tr("{number} is stocked now.") if active else tr("{number} is discontinued now.")
        return done.format(number=row.number)


class StoreRoomKind(_StoreKind, RecordKind[StoreRoomRecord]):
    title = QT_TR_NOOP("Store rooms")
    singular = QT_TR_NOOP("store room")
    plural = QT_TR_NOOP("store rooms")
    columns = (
        Column(QT_TR_NOOP("Code"), lambda r: r.code),
        Column(QT_TR_NOOP("Name"), lambda r: r.name),
        Column(QT_TR_NOOP("Bins"), lambda r: len(r.bins), True),
    )

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.fields = (
            f.text("code", tr("&Code"), max_length=32, new_only=True),
            f.text("name", tr("&Name")),
        )

    def rows(self) -> list[StoreRoomRecord]:
        return self._master.store_rooms()

    def key(self, row: StoreRoomRecord) -> str:
        return row.code

    def revision(self, row: StoreRoomRecord) -> int:
        return row.revision

    def describe(self, row: StoreRoomRecord) -> str:
        bins = ", ".join(row.bins) or tr("none yet")
        return f"{row.code} — {row.name}  ·  " + tr("bins: {bins}").format(bins=bins)

    def values(self, row: StoreRoomRecord) -> dict[str, Any]:
        return {"code": row.code, "name": row.name}

    def create(self, values: dict[str, Any]) -> str:
        code = values["code"].strip()
        self._master.create_store_room(self._context.actor, code, values["name"])
        return code

    def save(self, row: StoreRoomRecord, revision: int, values: dict[str, Any]) -> None:
        self._master.rename_store_room(self._context.actor, row.code, revision, values["name"])


class BinKind(_StoreKind, RecordKind[BinRecord]):
    title = QT_TR_NOOP("Bins")
    singular = QT_TR_NOOP("bin")
    plural = QT_TR_NOOP("bins")
    columns = (
        Column(QT_TR_NOOP("Bin"), lambda b: b.code),
        Column(QT_TR_NOOP("Store room"), lambda b: b.store_room),
        Column(QT_TR_NOOP("Parts"), lambda b: b.parts, True),
        Column(QT_TR_NOOP("On hand"), lambda b: f"{show_amount(b.on_hand)}", True),
    )

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.fields = (
            f.text(
                "code",
                tr("&Bin"),
                max_length=32,
                new_only=True,
                hint=tr("Unique across the site, so a bin code alone finds the shelf"),
            ),
            f.searchable("store_room", tr("&Store room"), self._room_entries, none_text=None),
        )

    def _room_entries(self) -> list[tuple[str, str]]:
        return [(r.code, f"{r.code} — {r.name}") for r in self._master.store_rooms()]

    def rows(self) -> list[BinRecord]:
        return self._master.bin_records()

    def key(self, row: BinRecord) -> str:
        return row.code

    def revision(self, row: BinRecord) -> int:
        return row.revision

    def describe(self, row: BinRecord) -> str:
        return tr("Bin {code} in {store_room}").format(code=row.code, store_room=row.store_room)

    def values(self, row: BinRecord) -> dict[str, Any]:
        return {"code": row.code, "store_room": row.store_room}

    def create(self, values: dict[str, Any]) -> str:
        code = values["code"].strip()
        try:
            self._inventory.create_bin(self._context.actor, code, values["store_room"] or "")
        except ValidationFailed as exc:
            names = {"bin": "code", "location": "store_room"}
            raise ValidationFailed({names.get(k, k): v for k, v in exc.problems.items()}) from None
        return code

    def save(self, row: BinRecord, revision: int, values: dict[str, Any]) -> None:
        room = values["store_room"] or ""
        self._master.move_bin(self._context.actor, row.code, revision, room)
