"""The role table's rows: every guarded service entry point, set up and called for real.

Each `Case` names the service method it drives, the actions that method needs, a `prepare`
step run as the admin (so the call would succeed for a role that is allowed), and the call
itself. `test_roles.py` runs every case for every role.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from desktop.domain.condition import DataKind, Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.discovery import DiscoveryProposal, ProposedAsset, ProposedTag
from desktop.domain.enums import (
    AssetLevel,
    AssetStatus,
    ChecklistItemKind,
    CheckResult,
    Criticality,
    Role,
    Status,
    WorkOrderType,
)
from desktop.domain.errors import AuthenticationFailed
from desktop.domain.meters import MeterKind
from desktop.domain.permissions import ALLOWED_ROLES, Action, Actor
from desktop.domain.pm_rules import Blackout, IntervalUnit, OnOpen
from desktop.domain.shifts import ShiftWindow
from desktop.plant.historian import write_samples
from desktop.reports.audit_pack import build_audit_pack
from desktop.reports.pack_scope import PackRequest
from desktop.services.admin.backup import backup
from desktop.services.admin.importing import ImportService
from desktop.services.admin.notifications import NotificationService, RelaySettings
from desktop.services.admin.restore import restore
from desktop.services.admin.users import MAX_FAILED_LOGINS, NewUser, UserChanges, UserService
from desktop.services.assets.asset_files import AssetFileService
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.assets.assets import AssetChanges, AssetService, NewAsset
from desktop.services.assets.meters import MeterService, NewMeter, ReadingInput
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_discovery import PlantDiscoveryService
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders.breakdown_requests import BreakdownRequest, BreakdownRequestService
from desktop.services.orders.checklist_templates import (
    ChecklistTemplateService,
    NewTemplate,
    TemplateItem,
)
from desktop.services.orders.lockout import LockoutService, Signer
from desktop.services.orders.machine_downtime import MachineDowntimeService
from desktop.services.orders.mail_intake import MailboxSettings, MailIntakeService
from desktop.services.orders.shift_handover import ShiftHandoverService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_planning import PMPlanningService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.services.shared import revisions
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_import import InventoryImportService
from desktop.services.stock.inventory_master import MasterDataService
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.services.stock.purchasing import PurchasingService
from desktop.store.database import Database
from tests.conftest import PASSWORD, FakeClock
from tests.integration.stock import stock_room
from tests.integration.workflow import drive_to

NS = "urn:example:roles"
# A real PNG signature and header: attachments are checked by their content.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


OPERATOR_PIN = "4821"


class World:
    """One migrated, seeded database with a store room and services on a shared fake clock."""

    def __init__(self, db: Database, tmp: Path) -> None:
        self.db = db
        self.tmp = tmp
        self.clock = FakeClock()
        self._serial = itertools.count(1)
        self.admin = UserService(db).actor_for("admin")
        self._services()
        stock_room(self.inventory, self.admin)
        self.tags.import_tags(self.admin, [TagDraft("P-101.Vib", "P-101", NS, "s=P-101.Vib")])

    def _services(self) -> None:
        self.work = WorkOrderService(self.db, self.clock)
        self.inventory = InventoryService(self.db, self.clock)
        self.purchasing = PurchasingService(self.db, self.clock)
        self.tags = PlantTagService(self.db, self.clock)
        self.alarms = AlarmService(self.db, self.clock)
        self.meters = MeterService(self.db, self.clock)
        self.schedules = PMScheduleService(self.db, self.clock)

    def through(self, db: Database) -> World:
        """The same records, clock and files seen through another database login (a
        person's own): the services are rebuilt on `db`, nothing is set up again."""
        other = copy.copy(self)
        other.db = db
        other._services()
        return other

    def unique(self, prefix: str) -> str:
        return f"{prefix}{next(self._serial)}"

    def order(self, status: Status = Status.REQUESTED, **fields: Any) -> str:
        """A fresh inspection order (no failure codes needed) driven to `status`."""
        wo_type = fields.pop("wo_type", WorkOrderType.INSPECTION)
        draft = WorkOrderDraft(title="Role check", asset_code="C-201", type=wo_type, **fields)
        number = self.work.create(self.admin, draft).work_order.number
        drive_to(self.work, self.admin, number, status, self.clock)
        return number

    def png_file(self) -> Path:
        path = self.tmp / f"{self.unique('photo')}.png"
        path.write_bytes(PNG)
        return path

    def version(self, number: str) -> int:
        return self.work.get(number).row.version

    def rule(self) -> int:
        spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
        draft = RuleDraft(self.unique("vibration high "), "P-101.Vib", spec)
        return self.tags.add_rule(self.admin, draft).id

    def csv(self, text: str) -> Path:
        path = self.tmp / f"{self.unique('import')}.csv"
        path.write_text(text, encoding="utf-8")
        return path

    def part(self) -> str:
        """A new part bought from FAST: a part may have only one open requisition."""
        number = self.unique("PB-")
        self.inventory.create_part(self.admin, NewPart(number, "Belt", vendor_code="FAST"))
        return number

    def requisition(self) -> int:
        return self.purchasing.raise_requisition(self.admin, self.part(), 2, "role check")

    def purchase_order(self, *, part_received: bool = False) -> str:
        number = self.purchasing.create_order(self.admin, "FAST").number
        self.purchasing.add_line(self.admin, number, "P-1003", 2, 7.5)
        if part_received:
            self.purchasing.send(self.admin, number)
            self.inventory.receive(self.admin, "P-1003", 1, "B-01", po_number=number, line_no=1)
        return number

    def schedule(self, **fields: Any) -> str:
        code = self.unique("PM-R")
        new = NewSchedule(
            code, "P-101", "Role round", date(2026, 3, 4), 1, IntervalUnit.WEEKS,
            on_open=OnOpen.STACK, estimate_hours=2.0, **fields,
        )  # fmt: skip
        self.schedules.create(self.admin, new)
        return code

    def pm_order(self) -> str:
        code = self.schedule()
        created = PMGenerator(self.db, self.clock).run(self.admin).created
        return next(o.number for o in created if o.schedule == code and o.number)


Prepare = Callable[[World], Any]
Call = Callable[[World, Actor, Any], object]


def _nothing(world: World) -> None:
    return None


@dataclass(frozen=True)
class Case:
    """One service entry point: what it needs, how to set it up, how to call it."""

    target: str
    needs: frozenset[Action]
    call: Call
    prepare: Prepare = _nothing
    writes: bool = True
    """Whether an allowed call writes an audit entry (reports only read)."""
    label: str = field(default="")

    @property
    def name(self) -> str:
        return f"{self.target} {self.label}".strip()

    def allowed(self) -> frozenset[Role]:
        roles = frozenset(Role)
        for action in self.needs:
            roles &= ALLOWED_ROLES[action]
        return roles


def case(target: str, *needs: Action, **kwargs: Any) -> Case:
    return Case(target, frozenset(needs), **kwargs)


def _log_labour(w: World, actor: Actor, number: str) -> object:
    return w.work.log_labour(actor, number, actor.username, w.clock().date(), 1.0)


def _answer(w: World, actor: Actor, number: str) -> object:
    return w.work.answer_checklist_item(actor, number, 1, result=CheckResult.PASS)


def _downtime(w: World, actor: Actor, number: str) -> object:
    start = w.clock() - timedelta(hours=2)
    return w.work.add_downtime(actor, number, start, w.clock(), planned=False, reason_code="seal")


def _open_downtime(w: World) -> str:
    number = w.order(Status.IN_PROGRESS)
    w.work.add_downtime(w.admin, number, w.clock() - timedelta(hours=1), None, False, "seal")
    return number


def _template(w: World, actor: Actor, _: None) -> object:
    items = (TemplateItem(ChecklistItemKind.CHECK, "guard fitted"),)
    return ChecklistTemplateService(w.db, w.clock).create(
        actor, NewTemplate(w.unique("CL-R"), "Role check", items)
    )


def _revision(w: World, entity: str, key: str) -> int:
    with w.db.unit_of_work(write=False) as session:
        return revisions.revision(session, entity, key)


def _movable(w: World) -> tuple[str, str]:
    """A fan under LINE and another system to move it to."""
    assets = AssetService(w.db, w.clock)
    fan = NewAsset(w.unique("MV-"), "Fan", AssetLevel.EQUIPMENT, "fan", Criticality.C, "LINE")
    line = NewAsset(w.unique("L-"), "Line", AssetLevel.SYSTEM, "line", Criticality.C, "AREA")
    return assets.create(w.admin, fan).code, assets.create(w.admin, line).code


def _someone(w: World) -> str:
    """Another user's name: changing one's own password or PIN needs no role."""
    return UserService(w.db, w.clock).create(w.admin, _new_user(w)).username


def _locked_out(w: World) -> str:
    name = _someone(w)
    users = UserService(w.db, w.clock)
    for _ in range(MAX_FAILED_LOGINS):
        with contextlib.suppress(AuthenticationFailed):
            users.authenticate(name, "not the password 1")
    return name


def _new_user(w: World) -> NewUser:
    return NewUser(w.unique("newbie"), "New Body", Role.TECHNICIAN, PASSWORD)


def _user(w: World, actor: Actor, _: None) -> object:
    return UserService(w.db, w.clock).create(actor, _new_user(w))


def _import_assets(w: World) -> Path:
    code = w.unique("IMP-")
    return w.csv(
        f"code,name,parent,level,class,criticality\n{code},Imported,LINE,equipment,fan,B\n"
    )


def _import_users(w: World) -> Path:
    return w.csv(f"username,full_name,role\n{w.unique('imp')},Imported Person,technician\n")


def _import_vendors(w: World) -> Path:
    return w.csv(f"code,name\n{w.unique('V')},Imported vendor\n")


def _import_parts(w: World) -> Path:
    return w.csv(f"number,description\n{w.unique('IP-')},Imported part\n")


def _import_opening(w: World) -> Path:
    number = w.unique("OP-")
    w.inventory.create_part(w.admin, NewPart(number, "Opening part"))
    return w.csv(f"part,bin,quantity,unit_cost\n{number},B-01,3,2.5\n")


def _proposal(w: World) -> DiscoveryProposal:
    code = w.unique("Found-")
    asset = ProposedAsset(code, "Found fan", "LINE", AssetLevel.EQUIPMENT, ("Site", code), "fan")
    tag = ProposedTag(f"{code}.Speed", code, NS, f"s={code}.Speed", "rpm", DataKind.ANALOG, ())
    return DiscoveryProposal("opc.tcp://roles", "LINE", (asset,), (tag,))


def _apply(w: World, actor: Actor, proposal: DiscoveryProposal) -> object:
    asset, tag = proposal.assets[0], proposal.tags[0]
    return PlantDiscoveryService(w.db, w.clock).apply_proposal(
        actor, proposal, {asset.code}, {tag.name}
    )


def _stopped_asset(w: World) -> str:
    """An asset with an open corrective order, so a machine stop has work to charge."""
    code = w.unique("FAN-")
    AssetService(w.db, w.clock).create(
        w.admin, NewAsset(code, "Fan", AssetLevel.EQUIPMENT, "fan", Criticality.C, "LINE")
    )
    draft = WorkOrderDraft(title="Fan trips", asset_code=code, type=WorkOrderType.CORRECTIVE)
    w.work.create(w.admin, draft)
    return code


def _stopped_running(w: World) -> str:
    code = _stopped_asset(w)
    MachineDowntimeService(w.db, w.clock).machine_stopped(
        w.admin, code, w.clock() - timedelta(hours=1)
    )
    return code


def _isolated_order(w: World, steps: tuple[str, ...] = ()) -> str:
    """An order on the pump's motor (its own isolation point), taken through `steps`."""
    lockout = LockoutService(w.db, w.clock, read_tag=lambda namespace, node: 0.0)
    if not lockout.points("M-101"):
        lockout.add_point(w.admin, "M-101", "electrical", "breaker", "MCC")
    draft = WorkOrderDraft(title="Motor", asset_code="M-101", type=WorkOrderType.INSPECTION)
    number = w.work.create(w.admin, draft).work_order.number
    signer = Signer("admin", PASSWORD)
    if "apply" in steps:
        lockout.apply(w.admin, number, 1, "L-1", signer)
    if "verify" in steps:
        lockout.verify(w.admin, number, 1, signer)
    return number


def _reenergised_order(w: World) -> str:
    """An order whose verified lock's running tag then read 1: a lock-out safety alarm."""
    code = _stopped_asset(w)
    tag = f"{code}.Running"
    w.tags.import_tags(w.admin, [TagDraft(tag, code, "urn:test", f"s={tag}", "")])
    lockout = LockoutService(w.db, w.clock, read_tag=lambda namespace, node: 0.0)
    lockout.add_point(w.admin, code, "electrical", "breaker", "MCC", tag)
    draft = WorkOrderDraft(title="Fan", asset_code=code, type=WorkOrderType.INSPECTION)
    number = w.work.create(w.admin, draft).work_order.number
    lockout.apply(w.admin, number, 1, "L-1", Signer("admin", PASSWORD))
    lockout.verify(w.admin, number, 1, Signer("admin", PASSWORD))
    tag_id = next(t.id for t in w.tags.tags() if t.name == tag)
    at = (w.clock() + timedelta(seconds=1)).timestamp()
    write_samples(w.db, [Sample(tag_id, at, 1.0, Quality.GOOD)])
    w.clock.advance(minutes=1)
    return number


def _alarm(w: World) -> int:
    rule = w.rule()
    alarm = w.alarms.raise_alarm(w.admin, rule, w.clock(), 7.5, "high", Evidence(b"t,v\n"))
    assert alarm is not None
    return alarm.id


def _raised_rule(w: World) -> int:
    rule = w.rule()
    w.alarms.raise_alarm(w.admin, rule, w.clock(), 7.5, "high", Evidence(b"t,v\n"))
    return rule


def _meter(w: World) -> str:
    code = w.unique("MTR-")
    w.meters.create(w.admin, NewMeter(code, "P-101", "Run hours", MeterKind.RUNTIME_HOURS))
    return code


def _audit_pack(w: World, actor: Actor, _: None) -> object:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    request = PackRequest(start, start + timedelta(days=1), area="AREA")
    out = w.tmp / f"{w.unique('pack')}.pdf"
    return build_audit_pack(w.db, actor, request, out, clock=w.clock)


_shift_days = itertools.count()


def _handover(w: World) -> tuple[int, int]:
    """A handover of its own for each case: a past shift window, drafted directly."""
    start = datetime(2020, 1, 1, 6, tzinfo=UTC) + timedelta(days=next(_shift_days))
    window = ShiftWindow(start, start + timedelta(hours=8), f"{start:%Y-%m-%d} roles")
    view = ShiftHandoverService(w.db, w.clock)._draft(window, w.clock())
    assert view is not None
    return view.id, view.version


def _mail(w: World) -> bytes:
    message = EmailMessage()
    message["From"] = "operator@plant.example"
    message["Subject"] = "C-201 belt slipping"
    message["Message-ID"] = f"<{w.unique('role')}@plant.example>"
    message.set_content("Belt slips under load.")
    return bytes(message)


def _operator_pins(w: World) -> str:
    """Every seeded user gets the same operator PIN, so the call can use any role's."""
    users = UserService(w.db, w.clock)
    for user in users.list():
        users.set_pin(w.admin, user.username, OPERATOR_PIN)
    return OPERATOR_PIN


A = Action
WO = "WorkOrderService."
INV = "InventoryService."
PUR = "PurchasingService."

CASES: tuple[Case, ...] = (
    # Work orders.
    case(
        WO + "create",
        A.CREATE_WORK_ORDER,
        call=lambda w, a, _: w.work.create(a, WorkOrderDraft("Noise", "C-201")),
    ),
    case(
        WO + "update",
        A.LOG_WORK,
        label="(crew fields)",
        prepare=lambda w: w.order(Status.IN_PROGRESS),
        call=lambda w, a, n: w.work.update(a, n, w.version(n), {"resolution": "tightened"}),
    ),
    case(
        WO + "update",
        A.LOG_WORK,
        A.EDIT_WORK_ORDER,
        label="(planning fields)",
        prepare=lambda w: w.order(),
        call=lambda w, a, n: w.work.update(a, n, w.version(n), {"title": "Renamed"}),
    ),
    case(
        WO + "update",
        A.LOG_WORK,
        A.EDIT_WORK_ORDER,
        A.SET_FAILURE_FLAG,
        label="(failure flag)",
        prepare=lambda w: w.order(),
        call=lambda w, a, n: w.work.update(a, n, w.version(n), {"is_failure": True}),
    ),
    case(
        WO + "assign",
        A.ASSIGN,
        prepare=lambda w: w.order(Status.APPROVED),
        call=lambda w, a, n: w.work.assign(a, n, w.version(n), ["tom"]),
    ),
    case(
        WO + "log_labour",
        A.LOG_WORK,
        prepare=lambda w: w.order(Status.IN_PROGRESS),
        call=_log_labour,
    ),
    case(
        WO + "add_downtime",
        A.LOG_WORK,
        prepare=lambda w: w.order(Status.IN_PROGRESS),
        call=_downtime,
    ),
    case(
        WO + "end_downtime",
        A.LOG_WORK,
        prepare=_open_downtime,
        call=lambda w, a, n: w.work.end_downtime(a, n, w.clock()),
    ),
    case(
        WO + "add_checklist",
        A.EDIT_WORK_ORDER,
        prepare=lambda w: w.order(),
        call=lambda w, a, n: w.work.add_checklist(a, n, "CL-PUMP"),
    ),
    case(
        WO + "answer_checklist_item",
        A.LOG_WORK,
        prepare=lambda w: w.order(Status.IN_PROGRESS, checklist_codes=("CL-PUMP",)),
        call=_answer,
    ),
    case(
        WO + "add_attachment",
        A.LOG_WORK,
        prepare=lambda w: w.order(Status.IN_PROGRESS),
        call=lambda w, a, n: w.work.add_attachment(a, n, "photo.png", PNG),
    ),
    case(
        WO + "attach_file",
        A.LOG_WORK,
        prepare=lambda w: (w.order(Status.IN_PROGRESS), w.png_file()),
        call=lambda w, a, ctx: w.work.attach_file(a, *ctx),
    ),
    case(
        WO + "add_addendum",
        A.ADD_ADDENDUM,
        prepare=lambda w: w.order(Status.CANCELLED),
        call=lambda w, a, n: w.work.add_addendum(a, n, "found the cause later"),
    ),
    case(
        "PMPlanningService.reschedule",
        A.LOG_WORK,
        A.EDIT_WORK_ORDER,
        prepare=lambda w: w.pm_order(),
        call=lambda w, a, n: PMPlanningService(w.db, w.clock).reschedule(
            a, n, w.version(n), date(2026, 3, 5)
        ),
    ),
    # Assets, users, checklists and their imports.
    case(
        "AssetService.create",
        A.MANAGE_ASSETS,
        call=lambda w, a, _: AssetService(w.db, w.clock).create(
            a, NewAsset(w.unique("F-"), "Fan", AssetLevel.EQUIPMENT, "fan", Criticality.C, "LINE")
        ),
    ),
    case(
        "AssetService.update",
        A.MANAGE_ASSETS,
        call=lambda w, a, _: AssetService(w.db, w.clock).update(
            a,
            "C-201",
            AssetService(w.db).revisions()["C-201"],
            AssetChanges(
                "Belt conveyor",
                AssetLevel.EQUIPMENT,
                "conveyor",
                Criticality.B,
                AssetStatus.IN_SERVICE,
            ),
        ),
    ),
    case(
        "AssetService.move",
        A.MANAGE_ASSETS,
        prepare=_movable,
        call=lambda w, a, codes: AssetService(w.db, w.clock).move(
            a, codes[0], AssetService(w.db).revisions()[codes[0]], codes[1]
        ),
    ),
    case(
        "AssetService.retire",
        A.MANAGE_ASSETS,
        prepare=lambda w: (
            AssetService(w.db, w.clock)
            .create(
                w.admin,
                NewAsset(
                    w.unique("RT-"), "Fan", AssetLevel.EQUIPMENT, "fan", Criticality.C, "LINE"
                ),
            )
            .code
        ),
        call=lambda w, a, code: AssetService(w.db, w.clock).retire(
            a, code, AssetService(w.db).revisions()[code], "scrapped"
        ),
    ),
    case(
        "AssetPartsService.set_part",
        A.MANAGE_ASSETS,
        call=lambda w, a, _: AssetPartsService(w.db, w.clock).set_part(a, "P-101", "P-1001", 2),
    ),
    case(
        "AssetPartsService.remove_part",
        A.MANAGE_ASSETS,
        prepare=lambda w: AssetPartsService(w.db, w.clock).set_part(w.admin, "C-201", "P-1002", 1),
        call=lambda w, a, _: AssetPartsService(w.db, w.clock).remove_part(a, "C-201", "P-1002"),
    ),
    case(
        "AssetFileService.add",
        A.MANAGE_ASSETS,
        call=lambda w, a, _: AssetFileService(w.db, w.clock).add(a, "P-101", "photo.png", PNG),
    ),
    case(
        "AssetFileService.add_file",
        A.MANAGE_ASSETS,
        prepare=lambda w: w.png_file(),
        call=lambda w, a, path: AssetFileService(w.db, w.clock).add_file(a, "P-101", path),
    ),
    case(
        "MasterDataService.update_vendor",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).update_vendor(
            a, "FAST", _revision(w, "vendor", "FAST"), NewVendor("FAST", "Fast Parts AG", 3)
        ),
    ),
    case(
        "MasterDataService.set_vendor_active",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).set_vendor_active(
            a, "FAST", _revision(w, "vendor", "FAST"), False
        ),
    ),
    case(
        "MasterDataService.update_part",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).update_part(
            a, "P-1003", _revision(w, "part", "P-1003"), NewPart("P-1003", "V-belt SPZ 1250")
        ),
    ),
    case(
        "MasterDataService.set_part_active",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).set_part_active(
            a, "P-1003", _revision(w, "part", "P-1003"), False
        ),
    ),
    case(
        "MasterDataService.create_store_room",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).create_store_room(
            a, w.unique("ROOM-"), "Another store"
        ),
    ),
    case(
        "MasterDataService.rename_store_room",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).rename_store_room(
            a, "WEST", _revision(w, "store_room", "WEST"), "West store (hall 2)"
        ),
    ),
    case(
        "MasterDataService.move_bin",
        A.MANAGE_PARTS,
        call=lambda w, a, _: MasterDataService(w.db, w.clock).move_bin(
            a, "B-01", _revision(w, "bin", "B-01"), "MAIN"
        ),
    ),
    case(
        "AssetService.ensure_site",
        A.MANAGE_ASSETS,
        writes=False,
        call=lambda w, a, _: AssetService(w.db, w.clock).ensure_site(a, "TST", "Test", "UTC"),
    ),
    case("UserService.create", A.MANAGE_USERS, call=_user),
    case(
        "BreakdownRequestService.raise_request",
        A.RAISE_BREAKDOWN_REQUEST,
        prepare=_operator_pins,
        call=lambda w, a, pin: BreakdownRequestService(w.db, w.clock).raise_request(
            a.username, pin, BreakdownRequest("P-101", note="bearing noise")
        ),
    ),
    case(
        "restore",
        A.RESTORE_BACKUP,
        prepare=lambda w: backup(w.db, w.tmp / f"{w.unique('backup')}.wbk"),
        call=lambda w, a, path: restore(w.db, path, a, w.clock),
    ),
    case(
        "UserService.unlock",
        A.MANAGE_USERS,
        prepare=_locked_out,
        call=lambda w, a, name: UserService(w.db, w.clock).unlock(a, name),
    ),
    case(
        "UserService.set_password",
        A.MANAGE_USERS,
        label="(someone else's)",
        prepare=_someone,
        call=lambda w, a, name: UserService(w.db, w.clock).set_password(a, name, "new-secret-42"),
    ),
    case(
        "UserService.set_pin",
        A.MANAGE_USERS,
        label="(someone else's)",
        prepare=_someone,
        call=lambda w, a, name: UserService(w.db, w.clock).set_pin(a, name, "4711"),
    ),
    case(
        "UserService.update",
        A.MANAGE_USERS,
        prepare=_someone,
        call=lambda w, a, name: UserService(w.db, w.clock).update(
            a,
            name,
            UserService(w.db).account(name).revision,
            UserChanges("Renamed Body", Role.PLANNER, "electrical", 45.0, 38.0),
        ),
    ),
    case(
        "UserService.set_active",
        A.MANAGE_USERS,
        prepare=_someone,
        call=lambda w, a, name: UserService(w.db, w.clock).set_active(
            a, name, UserService(w.db).account(name).revision, False
        ),
    ),
    case("ChecklistTemplateService.create", A.MANAGE_CHECKLISTS, call=_template),
    case(
        "ChecklistTemplateService.update",
        A.MANAGE_CHECKLISTS,
        prepare=lambda w: _template(w, w.admin, None).code,
        call=lambda w, a, code: ChecklistTemplateService(w.db, w.clock).update(
            a,
            code,
            ChecklistTemplateService(w.db).revisions()[code],
            NewTemplate(code, "Renamed", (TemplateItem(ChecklistItemKind.CHECK, "guard"),)),
        ),
    ),
    case(
        "ChecklistTemplateService.set_active",
        A.MANAGE_CHECKLISTS,
        prepare=lambda w: _template(w, w.admin, None).code,
        call=lambda w, a, code: ChecklistTemplateService(w.db, w.clock).set_active(
            a, code, ChecklistTemplateService(w.db).revisions()[code], False
        ),
    ),
    case(
        "ChecklistTemplateService.create_many",
        A.MANAGE_CHECKLISTS,
        call=lambda w, a, _: ChecklistTemplateService(w.db, w.clock).create_many(
            a,
            [
                NewTemplate(
                    w.unique("CL-M"), "Many", (TemplateItem(ChecklistItemKind.TEXT, "remarks"),)
                )
            ],
        ),
    ),
    case(
        "ImportService.assets",
        A.MANAGE_ASSETS,
        prepare=_import_assets,
        call=lambda w, a, p: ImportService(w.db, w.clock).assets(a, p),
    ),
    case(
        "ImportService.users",
        A.MANAGE_USERS,
        prepare=_import_users,
        call=lambda w, a, p: ImportService(w.db, w.clock).users(a, p),
    ),
    # Inventory and purchasing.
    case(
        INV + "create_vendor",
        A.MANAGE_PARTS,
        call=lambda w, a, _: w.inventory.create_vendor(a, NewVendor(w.unique("V"), "Vendor")),
    ),
    case(
        INV + "create_part",
        A.MANAGE_PARTS,
        call=lambda w, a, _: w.inventory.create_part(a, NewPart(w.unique("PX-"), "Part")),
    ),
    case(
        INV + "create_bin",
        A.MANAGE_PARTS,
        call=lambda w, a, _: w.inventory.create_bin(a, w.unique("C-"), "MAIN"),
    ),
    case(
        INV + "set_levels",
        A.MANAGE_PARTS,
        call=lambda w, a, _: w.inventory.set_levels(
            a, "P-1002", "A-13", min_qty=next(w._serial) % 5, max_qty=50
        ),
    ),
    case(
        INV + "plan_part",
        A.EDIT_WORK_ORDER,
        prepare=lambda w: w.order(Status.APPROVED),
        call=lambda w, a, n: w.inventory.plan_part(a, n, "P-1002", 1),
    ),
    case(
        INV + "issue",
        A.ISSUE_PARTS,
        prepare=lambda w: w.order(Status.IN_PROGRESS),
        call=lambda w, a, n: w.inventory.issue(a, "P-1002", 1, "A-13", n),
    ),
    case(
        INV + "return_",
        A.ISSUE_PARTS,
        prepare=lambda w: (
            n := w.order(Status.IN_PROGRESS),
            w.inventory.issue(w.admin, "P-1002", 1, "A-13", n),
        )[0],
        call=lambda w, a, n: w.inventory.return_(a, "P-1002", 1, "A-13", n, "not needed"),
    ),
    case(
        INV + "receive",
        A.MOVE_STOCK,
        call=lambda w, a, _: w.inventory.receive(a, "P-1002", 1, "A-13", unit_cost=4.0),
    ),
    case(
        INV + "adjust",
        A.MOVE_STOCK,
        call=lambda w, a, _: w.inventory.adjust(a, "P-1002", "A-13", 1, "counted one more"),
    ),
    case(
        INV + "transfer",
        A.MOVE_STOCK,
        call=lambda w, a, _: w.inventory.transfer(a, "P-1002", 1, "A-13", "B-01"),
    ),
    case(
        "InventoryImportService.vendors",
        A.MANAGE_PARTS,
        prepare=_import_vendors,
        call=lambda w, a, p: InventoryImportService(w.db, w.clock).vendors(a, p),
    ),
    case(
        "InventoryImportService.parts",
        A.MANAGE_PARTS,
        prepare=_import_parts,
        call=lambda w, a, p: InventoryImportService(w.db, w.clock).parts(a, p),
    ),
    case(
        "InventoryImportService.opening",
        A.MOVE_STOCK,
        A.MANAGE_PARTS,
        prepare=_import_opening,
        call=lambda w, a, p: InventoryImportService(w.db, w.clock).opening(a, p),
    ),
    case(
        PUR + "raise_requisition",
        A.PURCHASE,
        prepare=World.part,
        call=lambda w, a, part: w.purchasing.raise_requisition(a, part, 1, "belts"),
    ),
    case(
        PUR + "cancel_requisition",
        A.PURCHASE,
        prepare=World.requisition,
        call=lambda w, a, r: w.purchasing.cancel_requisition(a, r, "not needed"),
    ),
    case(
        PUR + "create_order",
        A.PURCHASE,
        prepare=World.requisition,
        call=lambda w, a, r: w.purchasing.create_order(a, "FAST", [r]),
    ),
    case(
        PUR + "add_line",
        A.PURCHASE,
        prepare=lambda w: w.purchasing.create_order(w.admin, "FAST").number,
        call=lambda w, a, po: w.purchasing.add_line(a, po, "P-1003", 1, 7.5),
    ),
    case(
        PUR + "send",
        A.PURCHASE,
        prepare=World.purchase_order,
        call=lambda w, a, po: w.purchasing.send(a, po),
    ),
    case(
        PUR + "close",
        A.PURCHASE,
        prepare=lambda w: w.purchase_order(part_received=True),
        call=lambda w, a, po: w.purchasing.close(a, po, "vendor cannot deliver"),
    ),
    case(
        PUR + "cancel",
        A.PURCHASE,
        prepare=World.purchase_order,
        call=lambda w, a, po: w.purchasing.cancel(a, po, "ordered twice"),
    ),
    # Preventive maintenance, meters and the site calendar.
    case(
        "PMScheduleService.create",
        A.MANAGE_PM,
        call=lambda w, a, _: w.schedules.create(
            a,
            NewSchedule(
                w.unique("PM-C"), "P-101", "Round", date(2026, 3, 4), 1, IntervalUnit.WEEKS
            ),
        ),
    ),
    case(
        "PMScheduleService.set_active",
        A.MANAGE_PM,
        prepare=World.schedule,
        call=lambda w, a, c: w.schedules.set_active(a, c, w.schedules.get(c).version, False),
    ),
    case(
        "PMScheduleService.update",
        A.MANAGE_PM,
        prepare=World.schedule,
        call=lambda w, a, c: w.schedules.update(
            a,
            c,
            w.schedules.get(c).version,
            NewSchedule(c, "P-101", "Renamed", date(2026, 3, 2), 2, IntervalUnit.MONTHS),
        ),
    ),
    case(
        "PMScheduleService.add_blackout",
        A.MANAGE_PM,
        prepare=World.schedule,
        call=lambda w, a, c: w.schedules.add_blackout(
            a, c, w.schedules.get(c).version, Blackout(date(2026, 5, 4), date(2026, 5, 8), "audit")
        ),
    ),
    case(
        "PMGenerator.run",
        A.RUN_PM,
        prepare=World.schedule,
        call=lambda w, a, _: PMGenerator(w.db, w.clock).run(a),
    ),
    case(
        "SiteCalendarService.configure",
        A.MANAGE_PM,
        call=lambda w, a, _: SiteCalendarService(w.db, w.clock).configure(
            a, CalendarSettings("mon-fri", f"06:00-1{next(w._serial) % 6 + 2}:00")
        ),
    ),
    case(
        "SiteCalendarService.add_closure",
        A.MANAGE_PM,
        call=lambda w, a, _: SiteCalendarService(w.db, w.clock).add_closure(
            a, date(2026, 8, 3), date(2026, 8, 14), w.unique("shutdown ")
        ),
    ),
    case(
        "SiteCalendarService.remove_closure",
        A.MANAGE_PM,
        prepare=lambda w: SiteCalendarService(w.db, w.clock).add_closure(
            w.admin, date(2026, 9, 1), date(2026, 9, 2), w.unique("gone ")
        ),
        call=lambda w, a, c: SiteCalendarService(w.db, w.clock).remove_closure(
            a, c.first_day, c.name
        ),
    ),
    case(
        "MeterService.create",
        A.MANAGE_PM,
        call=lambda w, a, _: w.meters.create(a, NewMeter(w.unique("MC-"), "P-101", "Hours")),
    ),
    case(
        "MeterService.record_reading",
        A.RECORD_READINGS,
        prepare=_meter,
        call=lambda w, a, m: w.meters.record_reading(a, m, 12.0),
    ),
    case(
        "MeterService.record_readings",
        A.RECORD_READINGS,
        prepare=_meter,
        call=lambda w, a, m: w.meters.record_readings(a, [ReadingInput(m, 12.0, w.clock())]),
    ),
    # Condition monitoring.
    case(
        "PlantTagService.import_tags",
        A.MANAGE_TAGS,
        call=lambda w, a, _: w.tags.import_tags(
            a, [TagDraft(w.unique("C-201.T"), "C-201", NS, w.unique("s=C-201.T"))]
        ),
    ),
    case(
        "PlantTagService.import_file",
        A.MANAGE_TAGS,
        prepare=lambda w: w.csv(
            "name,asset,namespace_uri,node_id,unit,kind\n"
            f"{w.unique('C-201.F')},C-201,{NS},{w.unique('s=C-201.F')},Hz,analog\n"
        ),
        call=lambda w, a, p: w.tags.import_file(a, p),
    ),
    case(
        "PlantTagService.add_rule",
        A.MANAGE_TAGS,
        call=lambda w, a, _: w.tags.add_rule(
            a,
            RuleDraft(
                w.unique("rule "),
                "P-101.Vib",
                RuleSpec(RuleKind.THRESHOLD, 9.0, Direction.ABOVE, hysteresis=0.5),
            ),
        ),
    ),
    case(
        "PlantTagService.update_rule",
        A.MANAGE_TAGS,
        prepare=lambda w: w.rule(),
        call=lambda w, a, rule_id: w.tags.update_rule(
            a,
            rule_id,
            _revision(w, "condition_rule", w.tags.rule(rule_id).name),
            RuleDraft("x", "y", RuleSpec(RuleKind.THRESHOLD, 9.0, Direction.ABOVE)),
        ),
    ),
    case(
        "PlantTagService.set_rule_enabled",
        A.MANAGE_TAGS,
        prepare=World.rule,
        call=lambda w, a, r: w.tags.set_rule_enabled(a, r, False),
    ),
    case(
        "PlantTagService.set_rule_verify_minutes",
        A.MANAGE_TAGS,
        prepare=World.rule,
        call=lambda w, a, r: w.tags.set_rule_verify_minutes(a, r, 45),
    ),
    case(
        "PlantDiscoveryService.apply_proposal",
        A.MANAGE_ASSETS,
        A.MANAGE_TAGS,
        prepare=_proposal,
        call=_apply,
    ),
    case(
        "PlantTagService.set_sampling",
        A.MANAGE_TAGS,
        call=lambda w, a, _: w.tags.set_sampling(a, "P-101.Vib", 250),
    ),
    case(
        "LockoutService.add_point",
        A.MANAGE_ASSETS,
        call=lambda w, a, _: LockoutService(w.db, w.clock).add_point(
            a, "LINE", "electrical", "main switch", "MCC-1"
        ),
    ),
    case(
        "LockoutService.apply",
        A.LOG_WORK,
        prepare=_isolated_order,
        call=lambda w, a, n: LockoutService(w.db, w.clock).apply(
            a, n, 1, "L-2", Signer("admin", PASSWORD)
        ),
    ),
    case(
        "LockoutService.verify",
        A.LOG_WORK,
        prepare=lambda w: _isolated_order(w, ("apply",)),
        call=lambda w, a, n: LockoutService(w.db, w.clock).verify(
            a, n, 1, Signer("admin", PASSWORD)
        ),
    ),
    case(
        "LockoutService.remove",
        A.LOG_WORK,
        prepare=lambda w: _isolated_order(w, ("apply", "verify")),
        call=lambda w, a, n: LockoutService(w.db, w.clock).remove(
            a, n, 1, Signer("admin", PASSWORD)
        ),
    ),
    case(
        "LockoutService.record_safety_alarms",
        A.CREATE_WORK_ORDER,
        prepare=_reenergised_order,
        call=lambda w, a, _: LockoutService(w.db, w.clock).record_safety_alarms(a),
    ),
    case(
        "LockoutService.acknowledge_safety_alarm",
        A.ACKNOWLEDGE_ALARMS,
        prepare=_reenergised_order,
        call=lambda w, a, n: LockoutService(w.db, w.clock).acknowledge_safety_alarm(
            a, n, 1, with_pin=False
        ),
    ),
    case(
        "AlarmService.raise_alarm",
        A.CREATE_WORK_ORDER,
        prepare=World.rule,
        call=lambda w, a, r: w.alarms.raise_alarm(
            a, r, w.clock(), 7.5, "high", Evidence(b"t,v\n", PNG)
        ),
    ),
    case(
        "AlarmService.clear",
        A.CREATE_WORK_ORDER,
        prepare=_raised_rule,
        call=lambda w, a, r: w.alarms.clear(a, r, w.clock()),
    ),
    case(
        "AlarmService.acknowledge",
        A.ACKNOWLEDGE_ALARMS,
        prepare=_alarm,
        call=lambda w, a, alarm: w.alarms.acknowledge(a, alarm),
    ),
    case(
        "MachineDowntimeService.machine_stopped",
        A.LOG_WORK,
        prepare=_stopped_asset,
        call=lambda w, a, code: MachineDowntimeService(w.db, w.clock).machine_stopped(
            a, code, w.clock() - timedelta(minutes=30)
        ),
    ),
    case(
        "MachineDowntimeService.machine_started",
        A.LOG_WORK,
        prepare=_stopped_running,
        call=lambda w, a, code: MachineDowntimeService(w.db, w.clock).machine_started(
            a, code, w.clock()
        ),
    ),
    # Notifications and requests by mail (issue 19).
    case(
        "NotificationService.set_relay",
        A.MANAGE_USERS,
        call=lambda w, a, _: NotificationService(w.db, w.clock).set_relay(
            a, RelaySettings("127.0.0.1", 25, "none", "", "wb@plant.example")
        ),
    ),
    case(
        "NotificationService.set_preferences",
        A.MANAGE_USERS,
        label="of someone else",
        call=lambda w, a, _: NotificationService(w.db, w.clock).set_preferences(
            a, "tina", email="tina@plant.example"
        ),
    ),
    case(
        "MailIntakeService.set_mailbox",
        A.MANAGE_USERS,
        call=lambda w, a, _: MailIntakeService(w.db, w.clock).set_mailbox(
            a, MailboxSettings("127.0.0.1", 143, "none", "maintenance", "INBOX", "C-201")
        ),
    ),
    case(
        "MailIntakeService.file_mail",
        A.CREATE_WORK_ORDER,
        call=lambda w, a, _: MailIntakeService(w.db, w.clock).file_mail(a, _mail(w)),
    ),
    case(
        "ShiftHandoverService.add_notes",
        A.LOG_WORK,
        prepare=_handover,
        call=lambda w, a, h: ShiftHandoverService(w.db, w.clock).add_notes(a, h[0], "ok", h[1]),
    ),
    # Reports.
    case("build_audit_pack", A.READ, writes=False, call=_audit_pack),
)

# Entry points with an actor that the table leaves to another test. (Steps that take the
# caller's session are not entry points: the method that opened the session checked the role.)
EXEMPT: dict[str, str] = {
    "WorkOrderService.transition": "test_roles.py checks every lifecycle transition",
    "MailIntakeService.fetch": "checks the role first, then files through file_mail (a row "
    "above); test_mail_intake.py reads a real IMAP server",
}
