"""PM date rules without a database: month ends, leap years, holidays, blackouts, DST, meters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from desktop.domain.meters import (
    MeterKind,
    ReadingKind,
    ReadingRefused,
    usage_between,
    usage_rate_per_day,
)
from desktop.domain.pm_compliance import GraceRule, compliance_percent, grace_window
from desktop.domain.pm_due import MeterState, PreviousDue, ScheduleRule, next_due
from desktop.domain.pm_rules import (
    Blackout,
    CalendarMode,
    IntervalUnit,
    WorkingDayRule,
    add_interval,
    place_due,
)
from desktop.domain.work_calendar import Closure, Shift, WorkCalendar, parse_weekdays

BAVARIA = WorkCalendar("Europe/Berlin", country="DE", subdivision="BY")
EVERY_DAY = WorkCalendar("Europe/Berlin", working_weekdays=frozenset(range(7)))


def _fixed_dates(rule: ScheduleRule, count: int, calendar: WorkCalendar = EVERY_DAY) -> list[date]:
    dates, previous = [], None
    for _ in range(count):
        due = next_due(rule, previous, None, calendar)
        assert due is not None
        dates.append(due.planned_date)
        previous = PreviousDue(due.cycle, due.due_date, None)
    return dates


def test_monthly_schedule_on_the_31st_keeps_month_ends_without_drifting():
    rule = ScheduleRule(
        date(2027, 1, 31), 1, IntervalUnit.MONTHS, working_day_rule=WorkingDayRule.KEEP
    )
    assert _fixed_dates(rule, 4) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_february_end_in_a_leap_year_is_the_29th():
    assert add_interval(date(2028, 1, 31), 1, IntervalUnit.MONTHS) == date(2028, 2, 29)
    assert add_interval(date(2027, 11, 30), 3, IntervalUnit.MONTHS) == date(2028, 2, 29)


def test_yearly_schedule_from_leap_day_falls_on_feb_28_then_back_on_leap_day():
    rule = ScheduleRule(
        date(2028, 2, 29), 1, IntervalUnit.YEARS, working_day_rule=WorkingDayRule.KEEP
    )
    dates = _fixed_dates(rule, 5)
    assert dates[1] == date(2029, 2, 28)
    assert dates[4] == date(2032, 2, 29)


def test_floating_schedule_counts_from_the_completion():
    rule = ScheduleRule(
        date(2026, 3, 2),
        2,
        IntervalUnit.WEEKS,
        CalendarMode.FLOATING,
        working_day_rule=WorkingDayRule.KEEP,
    )
    done_late = PreviousDue(0, date(2026, 3, 2), None, completed_on=date(2026, 3, 9))
    due = next_due(rule, done_late, None, EVERY_DAY)
    assert due is not None
    assert due.due_date == date(2026, 3, 23)
    assert rule.waits_for_completion


def test_next_working_day_skips_easter_in_bavaria():
    # Good Friday 2026-04-03 and Easter Monday 2026-04-06 are holidays in Bavaria.
    assert place_due(date(2026, 4, 3), BAVARIA, WorkingDayRule.NEXT) == date(2026, 4, 7)
    assert place_due(date(2026, 4, 3), BAVARIA, WorkingDayRule.PREVIOUS) == date(2026, 4, 2)
    assert place_due(date(2026, 4, 5), BAVARIA, WorkingDayRule.KEEP) == date(2026, 4, 5)


def test_corpus_christi_is_a_holiday_in_bavaria_but_not_in_berlin():
    berlin = WorkCalendar("Europe/Berlin", country="DE", subdivision="BE")
    assert not BAVARIA.is_working_day(date(2026, 6, 4))
    assert berlin.is_working_day(date(2026, 6, 4))


def test_planned_shutdown_days_are_not_working_days():
    shutdown = Closure(date(2026, 8, 3), date(2026, 8, 14), "summer shutdown")
    calendar = WorkCalendar("Europe/Berlin", closures=(shutdown,))
    assert calendar.why_not_working(date(2026, 8, 5)) == "summer shutdown"
    assert place_due(date(2026, 8, 5), calendar, WorkingDayRule.NEXT) == date(2026, 8, 17)


def test_blackout_moves_due_date_after_the_window_then_to_a_working_day():
    blackout = Blackout(date(2026, 5, 4), date(2026, 5, 16), "bottling campaign")
    # The window ends on a Saturday; Sunday is off, so Monday the 18th.
    assert place_due(date(2026, 5, 6), BAVARIA, WorkingDayRule.NEXT, (blackout,)) == date(
        2026, 5, 18
    )


def test_previous_working_day_inside_a_blackout_goes_after_the_window():
    blackout = Blackout(date(2026, 5, 4), date(2026, 5, 8))
    # Sunday the 10th: the Friday before is blacked out, so the Monday after.
    assert place_due(date(2026, 5, 10), BAVARIA, WorkingDayRule.PREVIOUS, (blackout,)) == date(
        2026, 5, 11
    )


def test_weekly_dates_inside_a_blackout_all_move_to_the_first_day_after_it():
    blackout = Blackout(date(2026, 5, 1), date(2026, 5, 31))
    rule = ScheduleRule(date(2026, 4, 27), 1, IntervalUnit.WEEKS, blackouts=(blackout,))
    dates = _fixed_dates(rule, 7, BAVARIA)
    assert dates[0] == date(2026, 4, 27)
    assert dates[1:5] == [date(2026, 6, 1)] * 4
    assert dates[5:] == [date(2026, 6, 1), date(2026, 6, 8)]


def test_due_time_stays_at_the_same_local_hour_across_both_dst_changes():
    calendar = WorkCalendar("Europe/Berlin", shifts=(Shift(time(6), time(14)),))
    # CET is UTC+1 until 2026-03-29, CEST UTC+2 until 2026-10-25.
    assert calendar.end_of_day(date(2026, 3, 28)) == datetime(2026, 3, 28, 13, 0, tzinfo=UTC)
    assert calendar.end_of_day(date(2026, 3, 29)) == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert calendar.end_of_day(date(2026, 10, 25)) == datetime(2026, 10, 25, 13, 0, tzinfo=UTC)


def test_night_shift_work_is_due_at_the_end_of_the_night_after_a_dst_change():
    calendar = WorkCalendar("Europe/Berlin", shifts=(Shift(time(22), time(6)),))
    # The night of 24/25 October 2026 is an hour longer; 06:00 CET is 05:00 UTC.
    assert calendar.end_of_day(date(2026, 10, 24)) == datetime(2026, 10, 25, 5, 0, tzinfo=UTC)
    assert Shift(time(22), time(6)).hours == 8


def test_site_today_is_the_local_date_not_utc():
    late_evening_utc = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert BAVARIA.local_date(late_evening_utc) == date(2026, 3, 29)


def test_weekdays_parse_ranges_and_name_the_fix():
    assert parse_weekdays("mon-fri") == frozenset(range(5))
    assert parse_weekdays("mon,wed,sat-sun") == frozenset({0, 2, 5, 6})
    with pytest.raises(ValueError, match="mon-fri"):
        parse_weekdays("monday")


T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_meter_usage_is_the_difference_of_readings():
    usage = usage_between(
        MeterKind.RUNTIME_HOURS, (T0, 100.0), T0 + timedelta(hours=10), 108.0,
        rollover=None, reset=False,
    )  # fmt: skip
    assert usage.delta == 8.0
    assert usage.kind is ReadingKind.NORMAL


def test_counter_rollover_counts_through_the_wrap():
    usage = usage_between(
        MeterKind.CYCLES, (T0, 99_990.0), T0 + timedelta(hours=1), 15.0,
        rollover=100_000.0, reset=False,
    )  # fmt: skip
    assert usage.delta == 25.0
    assert usage.kind is ReadingKind.ROLLOVER


def test_reset_meter_counts_its_new_value_as_usage():
    usage = usage_between(
        MeterKind.RUNTIME_HOURS, (T0, 5_000.0), T0 + timedelta(days=1), 3.0,
        rollover=None, reset=True,
    )  # fmt: skip
    assert usage == usage_between(
        MeterKind.RUNTIME_HOURS, (T0, 5_000.0), T0 + timedelta(days=1), 3.0,
        rollover=None, reset=True,
    )  # fmt: skip
    assert usage.delta == 3.0
    assert usage.kind is ReadingKind.RESET


def test_lower_reading_without_reset_is_refused_with_the_way_out():
    with pytest.raises(ReadingRefused, match="record it as a reset"):
        usage_between(
            MeterKind.CYCLES, (T0, 500.0), T0 + timedelta(hours=1), 499.0,
            rollover=None, reset=False,
        )  # fmt: skip


def test_runtime_meter_cannot_run_faster_than_the_clock():
    with pytest.raises(ReadingRefused, match="not possible"):
        usage_between(
            MeterKind.RUNTIME_HOURS, (T0, 100.0), T0 + timedelta(hours=2), 110.0,
            rollover=None, reset=False,
        )  # fmt: skip


def test_usage_rate_is_per_day_over_the_window():
    points = [(T0, 0.0), (T0 + timedelta(days=2), 30.0), (T0 + timedelta(days=4), 64.0)]
    assert usage_rate_per_day(points) == 16.0
    assert usage_rate_per_day(points[:1]) is None


def test_meter_schedule_forecasts_its_due_date_from_the_usage_rate():
    rule = ScheduleRule(date(2026, 3, 2), meter_every=500.0, meter_start=0.0)
    meter = MeterState(total=100.0, last_reading_at=T0, rate_per_day=20.0)
    due = next_due(rule, None, meter, EVERY_DAY)
    assert due is not None
    assert due.due_date == date(2026, 3, 22)
    assert due.by_meter
    assert due.due_meter == 500.0
    assert due.interval_days == 25.0


def test_whichever_comes_first_takes_the_calendar_when_the_meter_is_slow():
    rule = ScheduleRule(
        date(2026, 3, 2), 3, IntervalUnit.MONTHS, meter_every=500.0, meter_start=0.0
    )
    previous = PreviousDue(0, date(2026, 3, 2), 500.0, date(2026, 3, 2), 500.0)
    slow = MeterState(total=510.0, last_reading_at=T0, rate_per_day=1.0)
    fast = MeterState(total=510.0, last_reading_at=T0, rate_per_day=20.0)
    by_calendar = next_due(rule, previous, slow, EVERY_DAY)
    by_meter = next_due(rule, previous, fast, EVERY_DAY)
    assert by_calendar is not None
    assert by_meter is not None
    assert (by_calendar.due_date, by_calendar.by_meter) == (date(2026, 6, 2), False)
    assert by_meter.by_meter
    # 490 more hours at 20 a day from 2026-03-02 08:00 UTC: the evening of the 26th.
    assert by_meter.due_date == date(2026, 3, 26)


def test_meter_only_schedule_without_usage_has_no_due_date_yet():
    rule = ScheduleRule(date(2026, 3, 2), meter_every=500.0, meter_start=0.0)
    assert next_due(rule, None, MeterState(0.0, None, None), EVERY_DAY) is None


@pytest.mark.parametrize(
    ("rule", "interval", "expected"),
    [
        (GraceRule.NONE, 30.0, timedelta(0)),
        (GraceRule.ONE_DAY, 30.0, timedelta(days=1)),
        (GraceRule.TEN_PERCENT, 30.0, timedelta(days=3)),
        (GraceRule.SMRP_20_PERCENT, 30.0, timedelta(days=6)),
        (GraceRule.SMRP_20_PERCENT, 365.0, timedelta(days=28)),
        (GraceRule.TEN_PERCENT, None, timedelta(0)),
    ],
)
def test_grace_window_variants(rule, interval, expected):
    assert grace_window(rule, interval) == expected


def test_compliance_with_nothing_due_is_not_a_number():
    assert compliance_percent(0, 0) is None
    assert compliance_percent(4, 3) == 75.0
