"""`pm`, `meter`, `calendar` and `checklist` subcommands of preventive maintenance."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.output import FORMATS, render
from desktop.domain.enums import ChecklistItemKind, Priority
from desktop.domain.errors import ValidationFailed
from desktop.domain.meters import MeterKind
from desktop.domain.pm_compliance import DEFAULT_GRACE, GraceRule
from desktop.domain.pm_rules import Blackout, CalendarMode, IntervalUnit, OnOpen, WorkingDayRule
from desktop.services.assets.meters import MeterService, NewMeter
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.orders.checklist_templates import (
    ChecklistTemplateService,
    NewTemplate,
    TemplateItem,
)
from desktop.services.pm.pm_compliance import pm_compliance
from desktop.services.pm.pm_generator import PMGenerator
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService

if TYPE_CHECKING:
    from desktop.cli.context import CliContext

LIST_HEADERS = ("code", "asset", "title", "interval", "lead_days", "next_due", "open_order")
RUN_HEADERS = ("schedule", "asset", "number", "due_date", "planned_date", "due_at", "state")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
MAX_SHOWN_DAYS = 3660
"""Ten years of working days: more is no longer a calendar anyone reads."""


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_pm(commands, common)
    _register_meter(commands, common)
    _register_calendar(commands, common)
    _register_checklist(commands, common)


def _register_pm(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    pm = commands.add_parser("pm", help="preventive maintenance schedules and the generator")
    actions = pm.add_subparsers(dest="pm_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", parents=[common], help="list PM schedules")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=_list)

    add = actions.add_parser("add", parents=[common], help="add a PM schedule")
    add.add_argument("--code", required=True)
    add.add_argument("--asset", required=True, metavar="CODE")
    add.add_argument("--title", required=True)
    add.add_argument(
        "--start", required=True, type=_date, metavar="YYYY-MM-DD", help="the first due date"
    )
    add.add_argument("--every", type=int, metavar="N", help="calendar interval")
    add.add_argument("--unit", choices=[u.value for u in IntervalUnit])
    add.add_argument(
        "--floating",
        action="store_true",
        help="count from the last completion instead of the calendar",
    )
    add.add_argument("--meter", metavar="CODE")
    add.add_argument(
        "--meter-every",
        type=float,
        metavar="AMOUNT",
        help="meter interval, e.g. 500 (hours) or 10000 (cycles)",
    )
    add.add_argument("--lead-days", type=int, default=7)
    add.add_argument(
        "--working-day",
        choices=[r.value for r in WorkingDayRule],
        default="next",
        help="where a due date on a non-working day goes",
    )
    add.add_argument(
        "--on-open",
        choices=[o.value for o in OnOpen],
        default="skip",
        help="when the previous order is still open",
    )
    add.add_argument("--checklist", metavar="TEMPLATE")
    add.add_argument("--instructions", default="")
    add.add_argument("--estimate", type=float, metavar="HOURS")
    add.add_argument("--craft")
    add.add_argument("--priority", type=int, choices=[int(p) for p in Priority], default=3)
    add.add_argument(
        "--part",
        action="append",
        default=[],
        metavar="PART=QTY",
        help="a line of the parts kit; repeat for more",
    )
    add.add_argument(
        "--blackout",
        action="append",
        default=[],
        metavar="FROM..TO[:REASON]",
        help="no due dates in this window, e.g. 2026-07-01..2026-08-31:campaign",
    )
    add.set_defaults(handler=_add)

    run = actions.add_parser("run", parents=[common], help="create the preventive work orders due")
    run.add_argument(
        "--until",
        type=_date,
        metavar="YYYY-MM-DD",
        help="generate as far as this date plus each lead time (default: today)",
    )
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.set_defaults(handler=_run)

    for name, active in (("pause", False), ("resume", True)):
        toggle = actions.add_parser(name, parents=[common], help=f"{name} a schedule")
        toggle.add_argument("code")
        toggle.set_defaults(handler=_toggle, active=active)

    compliance = actions.add_parser(
        "compliance", parents=[common], help="PM compliance (SMRP 5.4.14) of a period"
    )
    compliance.add_argument("--from", dest="start", type=_date, required=True)
    compliance.add_argument(
        "--to", dest="end", type=_date, required=True, help="last day of the period (included)"
    )
    compliance.add_argument(
        "--grace", choices=[g.value for g in GraceRule], default=DEFAULT_GRACE.value
    )
    compliance.add_argument("--format", choices=FORMATS, default="table")
    compliance.set_defaults(handler=_compliance)


def _register_meter(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    meter = commands.add_parser("meter", help="meters and their readings")
    actions = meter.add_subparsers(dest="meter_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common], help="add a meter to an asset")
    add.add_argument("code")
    add.add_argument("--asset", required=True, metavar="CODE")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", choices=[k.value for k in MeterKind], default="runtime_hours")
    add.add_argument("--unit", default="h")
    add.add_argument(
        "--rollover", type=float, metavar="VALUE", help="the counter value it wraps to zero at"
    )
    add.set_defaults(handler=_meter_add)

    read = actions.add_parser("read", parents=[common], help="record a reading")
    read.add_argument("code")
    read.add_argument("value", type=float)
    read.add_argument(
        "--at",
        type=_datetime,
        metavar="ISO-TIME",
        help="when it was read, with its time zone (default: now)",
    )
    read.add_argument("--reset", action="store_true", help="the meter was replaced or zeroed")
    read.set_defaults(handler=_meter_read)

    listing = actions.add_parser("list", parents=[common], help="list meters")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=_meter_list)


def _register_calendar(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    calendar = commands.add_parser("calendar", help="the site working calendar")
    actions = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)

    show = actions.add_parser("show", parents=[common], help="working days ahead")
    show.add_argument("--from", dest="start", type=_date, default=None)
    show.add_argument("--days", type=_day_count, default=14, help="1 to 3660")
    show.set_defaults(handler=_calendar_show)

    configure = actions.add_parser("set", parents=[common], help="working week and holidays")
    configure.add_argument("--days", default="mon-fri", help="e.g. mon-fri or mon-sat")
    configure.add_argument("--shifts", default="06:00-14:00", help="e.g. 06:00-14:00,14:00-22:00")
    configure.add_argument("--country", help="public holidays of this country, e.g. DE")
    configure.add_argument("--subdivision", help="and region, e.g. BY")
    configure.set_defaults(handler=_calendar_set)

    closure = actions.add_parser("shutdown", parents=[common], help="add a planned shutdown")
    closure.add_argument("first", type=_date)
    closure.add_argument("last", type=_date)
    closure.add_argument("name")
    closure.set_defaults(handler=_calendar_shutdown)


def _register_checklist(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    checklist = commands.add_parser("checklist", help="checklist templates")
    actions = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "import", parents=[common], help="add templates from a JSON file (a list of templates)"
    )
    add.add_argument("file", type=Path)
    add.set_defaults(handler=_checklist_import)
    listing = actions.add_parser("list", parents=[common], help="list checklist templates")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=_checklist_list)


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write a date as YYYY-MM-DD") from None
    # Periods end a day after their last date and shift into the site's time zone: the
    # first and last days Python can represent would overflow there.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"{text!r}: give a date from {FIRST_DAY} to {LAST_DAY}")
    return day


def _day_count(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of days") from None
    if not 1 <= days <= MAX_SHOWN_DAYS:
        raise argparse.ArgumentTypeError(f"{days}: show 1 to {MAX_SHOWN_DAYS} days")
    return days


def _datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write e.g. 2026-03-02T07:30+01:00") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r}: give the time zone, e.g. +01:00 or Z")
    return value


def _kit(lines: list[str]) -> tuple[tuple[str, float], ...]:
    kit = []
    for line in lines:
        part, sep, qty = line.rpartition("=")
        try:
            kit.append((part, float(qty)))
        except ValueError:
            sep = ""
        if not sep:
            raise ValidationFailed({"part": f"{line!r}: write PART=QUANTITY, e.g. SEAL-40=2"})
    return tuple(kit)


def _blackouts(texts: list[str]) -> tuple[Blackout, ...]:
    windows = []
    for text in texts:
        span, _, reason = text.partition(":")
        first, sep, last = span.partition("..")
        try:
            windows.append(Blackout(date.fromisoformat(first), date.fromisoformat(last), reason))
        except ValueError:
            sep = ""
        if not sep:
            raise ValidationFailed(
                {"blackout": f"{text!r}: write FROM..TO[:REASON], e.g. 2026-07-01..2026-08-31"}
            )
    return tuple(windows)


def _add(ctx: CliContext) -> int:
    args = ctx.args
    new = NewSchedule(
        code=args.code,
        asset_code=args.asset,
        title=args.title,
        start_date=args.start,
        calendar_every=args.every,
        calendar_unit=IntervalUnit(args.unit) if args.unit else None,
        calendar_mode=CalendarMode.FLOATING if args.floating else CalendarMode.FIXED,
        meter_code=args.meter,
        meter_every=args.meter_every,
        lead_days=args.lead_days,
        working_day_rule=WorkingDayRule(args.working_day),
        on_open=OnOpen(args.on_open),
        checklist_code=args.checklist,
        instructions=args.instructions,
        estimate_hours=args.estimate,
        craft=args.craft,
        priority=Priority(args.priority),
        kit=_kit(args.part),
        blackouts=_blackouts(args.blackout),
    )
    view = PMScheduleService(ctx.db()).create(ctx.actor(), new)
    due = view.next_due.isoformat() if view.next_due else "not yet known (no meter usage)"
    print(f"added {view.code}: {view.interval_text}; next due {due}")
    return 0


def _list(ctx: CliContext) -> int:
    rows = [
        (
            s.code + ("" if s.active else " (paused)"),
            s.asset_code,
            s.title,
            s.interval_text,
            s.lead_days,
            s.next_due,
            s.open_order,
        )
        for s in PMScheduleService(ctx.db()).schedules()
    ]
    print(render(LIST_HEADERS, rows, ctx.args.format))
    return 0


def _run(ctx: CliContext) -> int:
    result = PMGenerator(ctx.db()).run(ctx.actor(), until=ctx.args.until)
    if ctx.args.format == "json":
        records = [
            {
                "schedule": o.schedule,
                "asset": o.asset_code,
                "number": o.number,
                "due_date": o.due_date.isoformat(),
                "planned_date": o.planned_date.isoformat(),
                "due_at": o.due_at.isoformat(),
                "state": o.state.value,
                "note": o.note,
            }
            for o in result.occurrences
        ]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    for o in result.occurrences:
        what = o.number or o.note
        print(f"{o.schedule:16} {o.asset_code:12} due {o.planned_date}  {what}")
    skipped = f", skipped {len(result.skipped)}" if result.skipped else ""
    print(f"created {len(result.created)} work orders{skipped} (until {result.until})")
    return 0


def _toggle(ctx: CliContext) -> int:
    service = PMScheduleService(ctx.db())
    actor = ctx.actor()
    version = service.get(ctx.args.code).version
    view = service.set_active(actor, ctx.args.code, version, ctx.args.active)
    print(f"{view.code} is {'active' if view.active else 'paused'}")
    return 0


def _compliance(ctx: CliContext) -> int:
    args = ctx.args
    calendar = SiteCalendarService(ctx.db()).calendar()
    start = datetime.combine(args.start, datetime.min.time(), tzinfo=calendar.zone)
    end = datetime.combine(args.end + timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone)
    report = pm_compliance(ctx.db(), start, end, GraceRule(args.grace))
    rows = [
        (o.number, o.schedule, o.due_at, o.completed_at, o.deadline, o.on_time)
        for o in report.orders
    ]
    headers = ("number", "schedule", "due_at", "completed_at", "deadline", "on_time")
    print(render(headers, rows, args.format))
    if args.format == "table":
        percent = "n/a" if report.percent is None else f"{report.percent:.1f} %"
        print(
            f"PM compliance {percent}: {report.on_time} of {report.due} on time "
            f"(grace {report.grace.value})"
        )
    return 0


def _meter_add(ctx: CliContext) -> int:
    args = ctx.args
    new = NewMeter(args.code, args.asset, args.name, MeterKind(args.kind), args.unit, args.rollover)
    view = MeterService(ctx.db()).create(ctx.actor(), new)
    print(f"added meter {view.code} on {view.asset_code}")
    return 0


def _meter_read(ctx: CliContext) -> int:
    args = ctx.args
    view = MeterService(ctx.db()).record_reading(
        ctx.actor(), args.code, args.value, args.at, reset=args.reset
    )
    print(
        f"{view.meter_code}: {view.value:g} ({view.kind.value}, +{view.delta:g}, "
        f"total {view.total:g})"
    )
    return 0


def _meter_list(ctx: CliContext) -> int:
    headers = ("code", "asset", "name", "kind", "last_value", "last_reading_at", "total")
    rows = [
        (m.code, m.asset_code, m.name, m.kind, m.last_value, m.last_reading_at, m.total)
        for m in MeterService(ctx.db()).meters()
    ]
    print(render(headers, rows, ctx.args.format))
    return 0


def _calendar_show(ctx: CliContext) -> int:
    calendar = SiteCalendarService(ctx.db()).calendar()
    start = ctx.args.start or datetime.now(calendar.zone).date()
    print(f"time zone {calendar.timezone}; shifts {', '.join(map(str, calendar.shifts))}")
    # The calendar ends at 9999-12-31: a later day cannot be shown (or computed).
    for offset in range(min(ctx.args.days, (date.max - start).days + 1)):
        day = start + timedelta(days=offset)
        why = calendar.why_not_working(day)
        print(f"{day} {day:%a}  {'off: ' + why if why else f'{calendar.hours_on(day):g} h'}")
    return 0


def _calendar_set(ctx: CliContext) -> int:
    args = ctx.args
    settings = CalendarSettings(args.days, args.shifts, args.country, args.subdivision)
    SiteCalendarService(ctx.db()).configure(ctx.actor(), settings)
    print("site calendar saved")
    return 0


def _template(raw: dict[str, Any], n: int) -> NewTemplate:
    """One template of the import file; the demo plant's checklists have the same shape."""
    try:
        items = tuple(
            TemplateItem(
                ChecklistItemKind(item["kind"]),
                item["text"],
                item.get("unit"),
                item.get("low"),
                item.get("high"),
                item.get("required", True),
            )
            for item in raw["items"]
        )
        return NewTemplate(
            raw["code"], raw["name"], items, raw.get("asset_class"), raw.get("safety", False)
        )
    except (KeyError, TypeError, ValueError) as exc:
        kinds = ", ".join(k.value for k in ChecklistItemKind)
        raise ValidationFailed(
            {
                f"template {n}": f"cannot read it ({exc}): needs code, name and items, each "
                f"with kind ({kinds}) and text"
            }
        ) from None


def _checklist_import(ctx: CliContext) -> int:
    try:
        raw = json.loads(ctx.args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed({"file": f"cannot read {ctx.args.file}: {exc}"}) from None
    templates = [_template(t, n) for n, t in enumerate(raw if isinstance(raw, list) else [raw], 1)]
    for view in ChecklistTemplateService(ctx.db()).create_many(ctx.actor(), templates):
        print(f"added checklist {view.code} ({len(view.items)} items)")
    return 0


def _checklist_list(ctx: CliContext) -> int:
    rows = [
        (t.code, t.name, t.asset_class, "yes" if t.safety else "", len(t.items))
        for t in ChecklistTemplateService(ctx.db()).templates()
    ]
    print(render(("code", "name", "asset_class", "safety", "items"), rows, ctx.args.format))
    return 0


def _calendar_shutdown(ctx: CliContext) -> int:
    args = ctx.args
    closure = SiteCalendarService(ctx.db()).add_closure(
        ctx.actor(), args.first, args.last, args.name
    )
    print(f"added {closure.name}: {closure.first_day} to {closure.last_day}")
    return 0
