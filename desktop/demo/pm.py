"""Preventive maintenance for the demo plant: calendar, meters with history, schedules."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.domain.enums import AssetLevel, Criticality, Priority
from desktop.domain.meters import MeterKind
from desktop.domain.pm_rules import Blackout, CalendarMode, IntervalUnit, OnOpen, add_interval
from desktop.services.assets.asset_parts import AssetPartsService
from desktop.services.assets.meters import MeterService, NewMeter, ReadingInput
from desktop.services.assets.site_calendar import CalendarSettings, SiteCalendarService
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService
from desktop.store.models import Asset, ChecklistTemplate

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.services.shared.clock import Clock
    from desktop.store.database import Database

# Bavaria: the demo plant is near Munich and works two shifts on weekdays.
CALENDAR = CalendarSettings("mon-fri", "06:00-14:00,14:00-22:00", "DE", "BY")

# Per asset class: every N units, craft, hours and parts kit of the routine PM.
_ROUTINE: dict[str, tuple[int, IntervalUnit, str, float, tuple[tuple[str, float], ...]]] = {
    "pump": (3, IntervalUnit.MONTHS, "mechanical", 1.5, (("MS-103", 1),)),
    "filler": (1, IntervalUnit.MONTHS, "mechanical", 4.0, (("VS-101", 24),)),
    "capper": (1, IntervalUnit.MONTHS, "mechanical", 2.0, (("OEM-101", 6),)),
    "compressor": (6, IntervalUnit.MONTHS, "mechanical", 3.0, (("FL-101", 1), ("LU-103", 10))),
    "chiller": (3, IntervalUnit.MONTHS, "HVAC/refrigeration", 3.0, ()),
    "boiler": (1, IntervalUnit.MONTHS, "fitter/welder", 2.5, ()),
    "transformer": (1, IntervalUnit.YEARS, "electrical", 6.0, ()),
    "switchgear": (1, IntervalUnit.YEARS, "electrical", 8.0, ()),
    "cip_skid": (2, IntervalUnit.WEEKS, "mechanical", 1.0, ()),
}
_DEFAULT = (2, IntervalUnit.MONTHS, "mechanical", 2.0, ())

# Per asset class: the spare parts one replacement takes (the asset's spare-parts list, which
# the PM kits above draw on); numbers from resources/demo_inventory.json.
_SPARES: dict[str, tuple[tuple[str, float, str], ...]] = {
    "pump": (("MS-103", 1, "mechanical seal 35 mm"), ("BRG-103", 2, "motor side and pump side"),
             ("OR-102", 1, "casing O-rings")),
    "motor": (("BRG-106", 2, "drive and non-drive end"),),
    "gearbox": (("RS-103", 2, "input and output shaft"), ("LU-102", 5, "oil change")),
    "conveyor": (("CB-101", 3, "belt section"), ("BRG-104", 2, "tail pulley")),
    "filler": (("VS-101", 24, "one per filling valve"), ("OEM-102", 1, ""), ("OR-102", 2, "")),
    "capper": (("OEM-101", 6, "one per capping head"),),
    "compressor": (("FL-101", 1, ""), ("FL-102", 1, ""), ("LU-103", 10, "oil change")),
    "labeller": (("OEM-103", 1, ""), ("OEM-104", 2, "")),
    "palletiser": (("OEM-111", 4, ""),),
    "washer": (("OEM-112", 6, ""),),
}  # fmt: skip

# Meters with the usage per day their reading history follows, and the schedule they drive.
_METERS = (
    ("BOT-UTL-CA-C3-RH", "BOT-UTL-CA-C3", "Compressor C3 running hours", MeterKind.RUNTIME_HOURS,
     "h", None, 3_000.0, 19.0, "Compressor C3 oil and separator change", 2_000.0),
    ("BOT-FIL-L1-FLR-CY", "BOT-FIL-L1-FLR", "Filler L1 valve cycles", MeterKind.CYCLES,
     "cycles", 10_000_000.0, 9_985_000.0, 260_000.0, "Filler L1 valve overhaul", 5_000_000.0),
)  # fmt: skip
HISTORY_DAYS = 60


def add_demo_pm(db: Database, clock: Clock, admin: Actor) -> None:
    """Calendar, a summer shutdown, meters with two months of readings and a PM schedule per
    critical (A) piece of equipment; the generator is left for the user to run (`pm run`)."""
    now = clock()
    calendar = SiteCalendarService(db, clock)
    calendar.configure(admin, CALENDAR)
    year = now.year if now.date() < date(now.year, 8, 3) else now.year + 1
    calendar.add_closure(admin, date(year, 8, 3), date(year, 8, 14), "Summer shutdown")
    meters = MeterService(db, clock)
    rng = random.Random(5)
    for code, asset, name, kind, unit, rollover, start, per_day, _, _ in _METERS:
        meters.create(admin, NewMeter(code, asset, name, kind, unit, rollover))
        value, readings = start, []
        for day in range(HISTORY_DAYS, 0, -1):
            readings.append(ReadingInput(code, value, now - timedelta(days=day), "demo"))
            value += per_day * rng.uniform(0.7, 1.1)
            if rollover is not None and value >= rollover:
                value -= rollover
        meters.record_readings(admin, readings)
    _spare_parts_lists(db, clock, admin)
    schedules = PMScheduleService(db, clock)
    for new in _schedules(db, now.date()):
        schedules.create(admin, new)


def _spare_parts_lists(db: Database, clock: Clock, admin: Actor) -> None:
    """Every machine and component of a class above gets its spare-parts list."""
    with db.unit_of_work(write=False) as session:
        equipment = session.execute(
            select(Asset.code, Asset.asset_class)
            .where(
                Asset.level.in_((AssetLevel.EQUIPMENT, AssetLevel.COMPONENT)),
                Asset.asset_class.in_(_SPARES),
            )
            .order_by(Asset.code)
        ).all()
    spares = AssetPartsService(db, clock)
    for code, asset_class in equipment:
        for part, quantity, note in _SPARES[asset_class]:
            spares.set_part(admin, code, part, quantity, note)


def _schedules(db: Database, today: date) -> list[NewSchedule]:
    with db.unit_of_work(write=False) as session:
        assets = session.execute(
            select(Asset.code, Asset.name, Asset.asset_class)
            .where(Asset.criticality == Criticality.A, Asset.level == AssetLevel.EQUIPMENT)
            .order_by(Asset.code)
        ).all()
        checklists = {
            cls: code
            for code, cls in session.execute(
                select(ChecklistTemplate.code, ChecklistTemplate.asset_class)
            ).all()
            if cls
        }
    schedules = []
    for n, (code, name, asset_class) in enumerate(assets):
        every, unit, craft, hours, kit = _ROUTINE.get(asset_class, _DEFAULT)
        schedules.append(
            NewSchedule(
                code=f"PM-{code.removeprefix('BOT-')}"[:32],
                asset_code=code,
                title=f"Routine PM {name}"[:200],
                # Spread the first due dates over the coming weeks, as a real plan would be.
                start_date=today + timedelta(days=n % 20),
                calendar_every=every,
                calendar_unit=unit,
                lead_days=7,
                checklist_code=checklists.get(asset_class),
                estimate_hours=hours,
                craft=craft,
                priority=Priority.HIGH,
                kit=kit,
            )
        )
    for meter, asset, _, _, _, _, _, _, title, every in _METERS:
        schedules.append(
            NewSchedule(
                code=f"PM-{meter.removeprefix('BOT-')}"[:32],
                asset_code=asset,
                title=title,
                # Whichever first: a year from now, or the meter interval if that is sooner.
                start_date=add_interval(today, 1, IntervalUnit.YEARS),
                calendar_every=1,
                calendar_unit=IntervalUnit.YEARS,
                calendar_mode=CalendarMode.FLOATING,
                meter_code=meter,
                meter_every=every,
                lead_days=14,
                on_open=OnOpen.SKIP,
                checklist_code="CL-LOTO",
                estimate_hours=6.0,
                craft="mechanical",
                priority=Priority.HIGH,
                blackouts=(
                    Blackout(
                        today + timedelta(days=30),
                        today + timedelta(days=40),
                        "Summer campaign peak",
                    ),
                ),
            )
        )
    return schedules
