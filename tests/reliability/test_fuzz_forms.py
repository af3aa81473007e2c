"""The validators behind the forms, fed odd input: a clear refusal or a sound record, never a
traceback; a refusal changes nothing."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain.enums import Priority, Role, Status, WorkOrderType
from desktop.domain.errors import ValidationFailed, WrenchbookError
from desktop.domain.lifecycle import EDITABLE_FIELDS
from desktop.domain.pm_rules import IntervalUnit
from desktop.services.admin.users import NewUser, UserService, validate_new_user
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import WorkOrderService, draft_problems
from desktop.services.pm.pm_schedules import NewSchedule, PMScheduleService, schedule_problems
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_records import NewPart, NewVendor
from desktop.store.inventory_models import Part, StockLevel, StockMovement
from desktop.store.models import User, WorkOrder
from tests.integration.stock import ledger_matches, stock_room
from tests.integration.workflow import drive_to, raise_order
from tests.reliability.fuzzing import FUZZ, ODD_FLOATS, ODD_TEXT, refused_or_done

NAN, INF = math.nan, math.inf
DATES = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.none() | st.just(UTC),
)
VALUES = (
    ODD_TEXT
    | ODD_FLOATS
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.none()
    | st.booleans()
    | DATES
)
"""Anything a caller might put into a field, of the right type or not."""


def _all_finite(db, *columns) -> bool:
    with db.unit_of_work(write=False) as session:
        for column in columns:
            for value in session.execute(select(column)).scalars():
                if value is not None and not math.isfinite(value):
                    return False
    return True


@FUZZ
@given(
    title=ODD_TEXT,
    asset=st.sampled_from(["P-101", "C-201", "NOPE", ""]) | ODD_TEXT,
    priority=st.sampled_from(list(Priority)),
    kind=st.sampled_from(list(WorkOrderType)),
    estimate=st.none() | ODD_FLOATS,
    due=st.none() | DATES,
    checklists=st.lists(st.sampled_from(["CL-PUMP", "CL-LOTO", "CL-NONE", ""]), max_size=3),
    down=st.booleans(),
)
@example(
    title="ok",
    asset="P-101",
    priority=Priority.HIGH,
    kind=WorkOrderType.CORRECTIVE,
    estimate=NAN,
    due=None,
    checklists=[],
    down=False,
)
@example(
    title="leak\x00",
    asset="\x00",
    priority=Priority.HIGH,
    kind=WorkOrderType.CORRECTIVE,
    estimate=None,
    due=None,
    checklists=[],
    down=False,
)
def test_work_order_drafts(
    db, actors, title, asset, priority, kind, estimate, due, checklists, down
):
    draft = WorkOrderDraft(
        title, asset, kind, priority, "", due, estimate, down, checklist_codes=tuple(checklists)
    )
    assert isinstance(draft_problems(draft), dict)
    outcome = refused_or_done(db, lambda: WorkOrderService(db).create(actors["paula"], draft))
    if not isinstance(outcome, WrenchbookError):
        assert outcome.work_order.title == title.strip()
    assert _all_finite(db, WorkOrder.estimate_hours)


@pytest.fixture
def open_order(db, actors):
    return raise_order(WorkOrderService(db), actors["admin"]).number


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(sorted(EDITABLE_FIELDS)), VALUES, min_size=1, max_size=4
    )
)
@example(changes={"estimate_hours": "abc"})
@example(changes={"estimate_hours": INF})
@example(changes={"priority": "high"})
@example(changes={"title": 42})
@example(changes={"asset_down": "yes"})
def test_work_order_edits(db, actors, open_order, changes):
    service = WorkOrderService(db)
    version = service.get(open_order).row.version
    refused_or_done(db, lambda: service.update(actors["admin"], open_order, version, changes))
    assert _all_finite(db, WorkOrder.estimate_hours)
    service.get(open_order)  # the record still reads back


@FUZZ
@given(
    username=ODD_TEXT | st.sampled_from(["new.user", "ADMIN", "tom"]),
    full_name=ODD_TEXT,
    role=st.sampled_from(list(Role)),
    password=ODD_TEXT | st.just("good-pass-1"),
    craft=st.none() | ODD_TEXT,
    rate=ODD_FLOATS,
    hours=ODD_FLOATS,
)
@example(
    username="nan.rate",
    full_name="N",
    role=Role.TECHNICIAN,
    password="good-pass-1",
    craft=None,
    rate=NAN,
    hours=40.0,
)
@example(
    username="inf.rate",
    full_name="N",
    role=Role.TECHNICIAN,
    password="good-pass-1",
    craft=None,
    rate=INF,
    hours=40.0,
)
def test_new_users(db, actors, username, full_name, role, password, craft, rate, hours):
    new = NewUser(username, full_name, role, password, craft, rate, hours)
    problems = validate_new_user(new)
    if math.isnan(rate) or math.isinf(rate):
        assert "hourly_rate" in problems
    outcome = refused_or_done(db, lambda: UserService(db).create(actors["admin"], new))
    if not isinstance(outcome, WrenchbookError):
        assert not problems
    assert _all_finite(db, User.hourly_rate, User.weekly_hours)


@FUZZ
@given(
    code=ODD_TEXT | st.sampled_from(["PM-1", "PM 2"]),
    title=ODD_TEXT,
    every=st.none() | st.integers(min_value=-(2**40), max_value=2**40),
    unit=st.none() | st.sampled_from(list(IntervalUnit)),
    meter_every=st.none() | ODD_FLOATS,
    lead=st.integers(min_value=-(2**40), max_value=2**40),
    estimate=st.none() | ODD_FLOATS,
    kit=st.lists(
        st.tuples(st.sampled_from(["P-1001", "", " "]) | ODD_TEXT, ODD_FLOATS), max_size=3
    ),
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
@example(
    code="PM-NAN",
    title="t",
    every=None,
    unit=None,
    meter_every=NAN,
    lead=7,
    estimate=None,
    kit=[],
    start=date(2026, 1, 1),
)
@example(
    code="PM-KIT",
    title="t",
    every=1,
    unit=IntervalUnit.MONTHS,
    meter_every=None,
    lead=7,
    estimate=None,
    kit=[("P-1001", NAN)],
    start=date(2026, 1, 1),
)
@example(
    code="PM-FAR",
    title="t",
    every=1000,
    unit=IntervalUnit.YEARS,
    meter_every=None,
    lead=7,
    estimate=None,
    kit=[],
    start=date(9999, 12, 31),
)
def test_pm_schedules(
    db, actors, code, title, every, unit, meter_every, lead, estimate, kit, start
):
    new = NewSchedule(
        code,
        "P-101",
        title,
        start,
        every,
        unit,
        meter_code="RUN-H" if meter_every is not None else None,
        meter_every=meter_every,
        lead_days=lead,
        estimate_hours=estimate,
        kit=tuple(kit),
    )
    problems = schedule_problems(new)
    if meter_every is not None and not math.isfinite(meter_every):
        assert "meter" in problems
    if any(not math.isfinite(q) for _, q in kit):
        assert "kit" in problems
    refused_or_done(db, lambda: PMScheduleService(db).create(actors["paula"], new))


STOCK_ACTIONS = st.sampled_from(
    ["receive", "issue", "return", "adjust", "transfer", "levels", "part", "vendor"]
)


@pytest.fixture
def store(db, actors):
    """The test store room and an approved order to issue parts to."""
    stock_room(InventoryService(db), actors["admin"])
    service = WorkOrderService(db)
    number = raise_order(service, actors["admin"]).number
    drive_to(service, actors["admin"], number, Status.APPROVED, _Clock())
    return number


class _Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC) - timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@FUZZ
@given(
    action=STOCK_ACTIONS,
    part=st.sampled_from(["P-1001", "P-1002", "P-9999", ""]) | ODD_TEXT,
    bin_code=st.sampled_from(["A-12", "A-13", "B-01", "Z-99"]) | ODD_TEXT,
    other_bin=st.sampled_from(["A-12", "B-01"]),
    amount=ODD_FLOATS,
    cost=st.none() | ODD_FLOATS,
    text=ODD_TEXT,
)
@example(
    action="receive",
    part="P-1001",
    bin_code="A-12",
    other_bin="B-01",
    amount=INF,
    cost=1.0,
    text="",
)
@example(
    action="receive",
    part="P-1001",
    bin_code="A-12",
    other_bin="B-01",
    amount=1.0,
    cost=NAN,
    text="",
)
@example(
    action="adjust",
    part="P-1001",
    bin_code="A-12",
    other_bin="B-01",
    amount=NAN,
    cost=None,
    text="count",
)
@example(
    action="levels",
    part="P-1001",
    bin_code="A-12",
    other_bin="B-01",
    amount=NAN,
    cost=None,
    text="",
)
@example(
    action="part",
    part="P-2000",
    bin_code="A-12",
    other_bin="B-01",
    amount=1.0,
    cost=INF,
    text="Bolt",
)
@example(
    action="return",
    part="P-1001",
    bin_code="A-12",
    other_bin="A-12",
    amount=1.2357923125475495e-244,
    cost=None,
    text="",
)
@example(
    action="adjust",
    part="P-1001",
    bin_code="A-12",
    other_bin="B-01",
    amount=1e-9,
    cost=None,
    text="count",
)
def test_stock_forms(db, actors, store, action, part, bin_code, other_bin, amount, cost, text):
    service = InventoryService(db)
    admin = actors["admin"]
    calls = {
        "receive": lambda: service.receive(admin, part, amount, bin_code, unit_cost=cost),
        "issue": lambda: service.issue(admin, part, amount, bin_code, store),
        "return": lambda: service.return_(admin, part, amount, bin_code, store, text),
        "adjust": lambda: service.adjust(admin, part, bin_code, amount, text),
        "transfer": lambda: service.transfer(admin, part, amount, bin_code, other_bin),
        "levels": lambda: service.set_levels(
            admin, part, bin_code, min_qty=amount, max_qty=cost or 0.0, reorder_qty=amount
        ),
        "part": lambda: service.create_part(
            admin, NewPart(part, text, "each", "misc", None, cost if cost is not None else amount)
        ),
        "vendor": lambda: service.create_vendor(
            admin, NewVendor(part, text, int(amount) if math.isfinite(amount) else 0)
        ),
    }
    refused_or_done(db, calls[action])
    assert ledger_matches(db) == []
    assert _all_finite(
        db,
        StockLevel.on_hand,
        StockLevel.min_qty,
        StockLevel.max_qty,
        StockLevel.reorder_qty,
        StockMovement.quantity,
        StockMovement.unit_cost,
        Part.average_cost,
    )


def test_validators_return_problems_rather_than_raise():
    assert "estimate_hours" in draft_problems(WorkOrderDraft("t", "P-101", estimate_hours=NAN))
    with pytest.raises(ValidationFailed):
        raise ValidationFailed(validate_new_user(NewUser("", "", Role.VIEWER, "")))
