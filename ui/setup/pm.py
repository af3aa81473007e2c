"""PM schedules: every trigger the engine has (calendar fixed or floating, meter, whichever
first), with the next due dates previewed while the form is filled in; meters and readings."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.enums import Priority
from desktop.domain.errors import ValidationFailed
from desktop.domain.meters import MeterKind
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.domain.pm_rules import Blackout, CalendarMode, IntervalUnit, OnOpen, WorkingDayRule
from desktop.services.assets.meters import MeterView, NewMeter
from desktop.services.pm.pm_schedules import NewSchedule, ScheduleView
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.i18n import say, show_amount, show_date, show_number, tr
from ui.inventory.models import Column
from ui.work_orders.details_tab import PRIORITY_TEXT
from ui.work_orders.form_widgets import show_time

if TYPE_CHECKING:
    from ui.context import AppContext

PREVIEW_COUNT = 5
UNITS = [(None, "—"), *((unit, unit.value) for unit in IntervalUnit)]
MODES = [
    (CalendarMode.FIXED, QT_TR_NOOP("fixed: on the calendar, whenever the last one was done")),
    (CalendarMode.FLOATING, QT_TR_NOOP("floating: counted from the last completion")),
]
WORKING_DAY = [
    (WorkingDayRule.NEXT, QT_TR_NOOP("move to the next working day")),
    (WorkingDayRule.PREVIOUS, QT_TR_NOOP("move to the previous working day")),
    (WorkingDayRule.KEEP, QT_TR_NOOP("keep the day, working or not")),
]
ON_OPEN = [
    (OnOpen.SKIP, QT_TR_NOOP("skip the new one while the last is open")),
    (OnOpen.STACK, QT_TR_NOOP("raise it anyway (stack)")),
]


def parse_kit(text: str) -> tuple[tuple[str, float], ...]:
    """Kit lines "PART QUANTITY", one a line (quantity 1 when left out)."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        try:
            quantity = float(words[1].replace(",", ".")) if len(words) > 1 else 1.0
        except ValueError:
            raise ValidationFailed(
                {
                    "kit": tr(
                        "line {number}: write the part number, a space and the quantity"
                    ).format(number=number)
                }
            ) from None
        lines.append((words[0], quantity))
    return tuple(lines)


def kit_text(kit: tuple[tuple[str, float], ...]) -> str:
    return "\n".join(f"{part} {quantity:g}" for part, quantity in kit)


class ScheduleKind(RecordKind[ScheduleView]):
    title = QT_TR_NOOP("PM schedules")
    singular = QT_TR_NOOP("PM schedule")
    plural = QT_TR_NOOP("PM schedules")
    problem_fields = {"calendar": "calendar_every", "interval": "calendar_every"}  # noqa: RUF012
    columns = (
        Column(QT_TR_NOOP("Code"), lambda s: s.code),
        Column(QT_TR_NOOP("Asset"), lambda s: s.asset_code),
        Column(QT_TR_NOOP("Title"), lambda s: s.title),
        Column(QT_TR_NOOP("Interval"), lambda s: s.interval_text),
        Column(QT_TR_NOOP("Next due"), lambda s: show_date(s.next_due)),
        Column(QT_TR_NOOP("State"), lambda s: tr("active") if s.active else tr("paused")),
    )

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.pm_schedules
        self.fields = (
            f.text("code", tr("&Code"), max_length=32, new_only=True),
            f.searchable("asset", tr("&Asset"), self._assets, none_text=None, new_only=True),
            f.text("title", tr("&Title")),
            f.day(
                "start_date",
                tr("&Starts"),
                optional=False,
                hint=tr("The first due date; fixed schedules keep this rhythm"),
            ),
            f.optional_integer(
                "calendar_every",
                tr("&Every"),
                maximum=1000,
                hint=tr("Leave at — for a meter-only schedule"),
            ),
            f.choice("calendar_unit", tr("&Unit"), UNITS),
            f.choice("calendar_mode", tr("Calendar &mode"), MODES),
            f.searchable("meter", tr("&Meter"), self._meters),
            f.optional_number(
                "meter_every",
                tr("Meter i&nterval"),
                minimum=0,
                decimals=1,
                hint=tr(
                    "e.g. every 500 running hours; with a calendar interval, whichever comes first"
                ),
            ),
            f.integer(
                "lead_days",
                tr("&Lead time"),
                maximum=365,
                suffix=tr(" days"),
                hint=tr("How many days before it is due the order is raised"),
            ),
            f.choice("working_day_rule", tr("Off days"), WORKING_DAY),
            f.choice("on_open", tr("While &open"), ON_OPEN),
            f.searchable("checklist", tr("Chec&klist"), self._checklists),
            f.multiline("instructions", tr("&Instructions")),
            f.optional_number(
                "estimate_hours", tr("Es&timate"), minimum=0, decimals=1, suffix=" h"
            ),
            f.optional_text("craft", tr("C&raft"), max_length=64),
            f.choice("priority", tr("&Priority"), list(PRIORITY_TEXT.items())),
            f.multiline(
                "kit",
                tr("Parts &kit"),
                height=70,
                hint=tr("One part a line: part number, a space, the quantity"),
            ),
        )
        self.actions = (
            RecordAction(
                tr("Kit from &spare parts"),
                "kit_from_spares",
                lambda s, _v: self._kit_from_spares(s),
                question=lambda s: tr(
                    "Set the kit of {code} to the spare-parts list of {asset_code}: {value}."
                ).format(
                    code=s.code,
                    asset_code=s.asset_code,
                    value=self._spares_text(s.asset_code) or tr("it has none"),
                ),
            ),
            RecordAction(
                tr("Add &blackout…"),
                "add_blackout",
                lambda s, v: self._blackout(s, v),
                (
                    f.day("first_day", tr("&From"), optional=False),
                    f.day("last_day", tr("&To"), optional=False),
                    f.text(
                        "reason", tr("&Why"), placeholder=tr("production campaign, audit week…")
                    ),
                ),
                question=lambda s: tr("Days on which {code} must not fall due.").format(
                    code=s.code
                ),
                values=lambda _s: {
                    "first_day": context.clock().date(),
                    "last_day": context.clock().date(),
                },
            ),
            RecordAction(
                tr("&Pause"),
                "pause",
                lambda s, _v: self._active(s, False),
                question=lambda s: tr("{code} generates no orders while paused.").format(
                    code=s.code
                ),
                enabled=lambda s: s.active,
            ),
            RecordAction(
                tr("&Resume"),
                "resume",
                lambda s, _v: self._active(s, True),
                question=lambda s: tr("Generate orders for {code} again?").format(code=s.code),
                enabled=lambda s: not s.active,
            ),
        )

    # -- pickers -------------------------------------------------------------------------

    def _assets(self) -> list[tuple[str, str]]:
        return [(a.code, f"{a.code} — {a.name}") for a in self._context.services.assets.list()]

    def _meters(self) -> list[tuple[str, str]]:
        return [
            (m.code, f"{m.code} — {m.name} ({m.asset_code})")
            for m in self._context.services.meters.meters()
        ]

    def _checklists(self) -> list[tuple[str, str]]:
        return [
            (t.code, f"{t.code} — {t.name}")
            for t in self._context.services.checklist_templates.list()
        ]

    def _spares_text(self, asset_code: str) -> str:
        spares = self._context.services.asset_parts.parts_of(asset_code)
        return ", ".join(f"{s.part_number} × {show_amount(s.quantity)}" for s in spares)

    # -- the record ----------------------------------------------------------------------

    def rows(self) -> list[ScheduleView]:
        return self._service.schedules()

    def key(self, row: ScheduleView) -> str:
        return row.code

    def revision(self, row: ScheduleView) -> int:
        return row.version

    def describe(self, row: ScheduleView) -> str:
        state = "" if row.active else "  ·  " + tr("paused")
        open_order = (
            "  ·  " + tr("open: {order}").format(order=row.open_order) if row.open_order else ""
        )
        return f"{row.code} — {row.title} ({row.asset_code}){state}{open_order}"

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_PM]

    def values(self, row: ScheduleView) -> dict[str, Any]:
        return {
            "code": row.code,
            "asset": row.asset_code,
            "title": row.title,
            "start_date": row.start_date,
            "calendar_every": row.calendar_every,
            "calendar_unit": row.calendar_unit,
            "calendar_mode": row.calendar_mode,
            "meter": row.meter_code,
            "meter_every": row.meter_every,
            "lead_days": row.lead_days,
            "working_day_rule": row.working_day_rule,
            "on_open": row.on_open,
            "checklist": row.checklist_code,
            "instructions": row.instructions,
            "estimate_hours": row.estimate_hours,
            "craft": row.craft,
            "priority": int(row.priority),
            "kit": kit_text(row.kit),
        }

    def blank(self) -> dict[str, Any]:
        return {
            "start_date": self._context.clock().date(),
            "calendar_every": 1,
            "calendar_unit": IntervalUnit.MONTHS,
            "lead_days": 7,
            "priority": int(Priority.MEDIUM),
        }

    def schedule(self, values: dict[str, Any], blackouts: tuple[Blackout, ...] = ()) -> NewSchedule:
        return NewSchedule(
            code=values["code"].strip(),
            asset_code=values["asset"] or "",
            title=values["title"],
            start_date=values["start_date"],
            calendar_every=values["calendar_every"],
            calendar_unit=values["calendar_unit"],
            calendar_mode=values["calendar_mode"],
            meter_code=values["meter"],
            meter_every=values["meter_every"],
            lead_days=values["lead_days"],
            working_day_rule=values["working_day_rule"],
            on_open=values["on_open"],
            checklist_code=values["checklist"],
            instructions=values["instructions"],
            estimate_hours=values["estimate_hours"],
            craft=values["craft"],
            priority=Priority(values["priority"]),
            kit=parse_kit(values["kit"]),
            blackouts=blackouts,
        )

    def create(self, values: dict[str, Any]) -> str:
        return self._service.create(self._context.actor, self.schedule(values)).code

    def save(self, row: ScheduleView, revision: int, values: dict[str, Any]) -> None:
        changes = self.schedule(values | {"code": row.code, "asset": row.asset_code})
        self._service.update(self._context.actor, row.code, revision, changes)

    def preview(self, row: ScheduleView | None, values: dict[str, Any]) -> str | None:
        blackouts = row.blackouts if row is not None else ()
        try:
            new = self.schedule(values | {"code": values["code"] or "PREVIEW"}, blackouts)
        except ValidationFailed as exc:
            return tr("No preview yet: {problems}").format(
                problems="; ".join(say(problem) for problem in exc.problems.values())
            )
        if not (new.calendar_every and new.calendar_unit) and not (
            new.meter_code and new.meter_every
        ):
            return tr("No preview yet: give a calendar interval, a meter interval, or both.")
        dues = self._service.preview(new, PREVIEW_COUNT, row.code if row else None)
        if not dues:
            return tr("Next due: not known yet; the meter needs a few readings to forecast from.")
        shown = []
        for due in dues:
            text = show_date(due.planned_date)
            if due.planned_date != due.due_date:
                text += tr(" (due {date})").format(date=show_date(due.due_date))
            if due.by_meter:
                text += tr(" by meter")
            shown.append(text)
        return tr("Next due dates: {dates}").format(dates=",  ".join(shown))

    # -- actions -------------------------------------------------------------------------

    def _kit_from_spares(self, row: ScheduleView) -> str:
        spares = self._context.services.asset_parts.parts_of(row.asset_code)
        if not spares:
            raise ValidationFailed(
                {"kit": tr("{asset} has no spare-parts list yet").format(asset=row.asset_code)}
            )
        values = self.values(row) | {
            "kit": "\n".join(f"{s.part_number} {s.quantity:g}" for s in spares)
        }
        self.save(row, row.version, values)
        return tr("The kit of {code} is now: {kit}.").format(
            code=row.code, kit=self._spares_text(row.asset_code)
        )

    def _blackout(self, row: ScheduleView, values: dict[str, Any]) -> str:
        blackout = Blackout(values["first_day"], values["last_day"], values["reason"])
        self._service.add_blackout(self._context.actor, row.code, row.version, blackout)
        return tr("{code} will not fall due from {first} to {last}.").format(
            code=row.code, first=show_date(blackout.first_day), last=show_date(blackout.last_day)
        )

    def _active(self, row: ScheduleView, active: bool) -> str:
        self._service.set_active(self._context.actor, row.code, row.version, active)
        if active:
            return tr("{code} is active now.").format(code=row.code)
        return tr("{code} is paused now.").format(code=row.code)


class MeterRecordKind(RecordKind[MeterView]):
    """Meters of the assets and their readings (typed in by hand; OPC UA counters feed too)."""

    title = QT_TR_NOOP("Meters")
    singular = QT_TR_NOOP("meter")
    plural = QT_TR_NOOP("meters")
    columns = (
        Column(QT_TR_NOOP("Code"), lambda m: m.code),
        Column(QT_TR_NOOP("Asset"), lambda m: m.asset_code),
        Column(QT_TR_NOOP("Name"), lambda m: m.name),
        Column(QT_TR_NOOP("Total"), lambda m: f"{show_number(m.total, 1)} {m.unit}", True),
        Column(QT_TR_NOOP("Last reading"), lambda m: show_time(m.last_reading_at)),
    )

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.meters
        self.fields = (
            f.text("code", tr("&Code"), max_length=64, new_only=True),
            f.searchable("asset", tr("&Asset"), self._assets, none_text=None, new_only=True),
            f.text("name", tr("&Name"), new_only=True),
            f.choice(
                "kind",
                tr("&Kind"),
                [(k, k.value.replace("_", " ")) for k in MeterKind],
                new_only=True,
            ),
            f.text("unit", tr("&Unit"), max_length=16, new_only=True),
            f.optional_number(
                "rollover",
                tr("&Rolls over at"),
                minimum=0,
                decimals=0,
                new_only=True,
                hint=tr("The value a counter wraps to 0 at, if any"),
            ),
        )
        self.actions = (
            RecordAction(
                tr("&Record reading…"),
                "record_reading",
                lambda m, v: self._read(m, v),
                (
                    f.number("value", tr("&Value"), minimum=-1e12, maximum=1e12, decimals=2),
                    f.check("reset", "", tr("The counter was reset or replaced")),
                ),
                question=lambda m: tr("{code}: last value {value} {unit}.").format(
                    code=m.code,
                    value="—" if m.last_value is None else f"{show_amount(m.last_value)}",
                    unit=m.unit,
                ),
                values=lambda m: {"value": m.last_value or 0.0},
                enabled=lambda _m: True,
            ),
        )

    def _assets(self) -> list[tuple[str, str]]:
        return [(a.code, f"{a.code} — {a.name}") for a in self._context.services.assets.list()]

    def rows(self) -> list[MeterView]:
        return self._service.meters()

    def key(self, row: MeterView) -> str:
        return row.code

    def revision(self, row: MeterView) -> int:
        return 0

    def describe(self, row: MeterView) -> str:
        return tr("{code} — {name} on {asset}: {total} {unit}").format(
            code=row.code,
            name=row.name,
            asset=row.asset_code,
            total=show_number(row.total, 1),
            unit=row.unit,
        )

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.RECORD_READINGS]

    def values(self, row: MeterView) -> dict[str, Any]:
        return {
            "code": row.code,
            "asset": row.asset_code,
            "name": row.name,
            "kind": row.kind,
            "unit": row.unit,
            "rollover": row.rollover,
        }

    def blank(self) -> dict[str, Any]:
        return {"kind": MeterKind.RUNTIME_HOURS, "unit": "h"}

    def create(self, values: dict[str, Any]) -> str:
        new = NewMeter(
            values["code"].strip(),
            values["asset"] or "",
            values["name"],
            values["kind"],
            values["unit"].strip() or "h",
            values["rollover"],
        )
        return self._service.create(self._context.actor, new).code

    def save(self, row: MeterView, revision: int, values: dict[str, Any]) -> None:
        raise ValidationFailed({"code": tr("a meter does not change once made; make a new one")})

    def _read(self, row: MeterView, values: dict[str, Any]) -> str:
        reading = self._service.record_reading(
            self._context.actor,
            row.code,
            values["value"],
            self._context.clock().astimezone(UTC),
            reset=values["reset"],
        )
        return tr("{code}: {value} {unit} read, total {total}.").format(
            code=row.code,
            value=show_amount(reading.value),
            unit=row.unit,
            total=show_number(reading.total, 1),
        )
