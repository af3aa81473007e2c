"""The reliability definitions of desktop.domain.kpis on plain records, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import kpis


def at(day: int, hour: int = 0) -> pd.Timestamp:
    return pd.Timestamp(datetime(2026, 3, day, hour, tzinfo=UTC))


def periods(*rows: tuple[int, str, pd.Timestamp, pd.Timestamp | None, bool]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["work_order_id", "asset_id", "start", "end", "planned"])
    for name in ("start", "end"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def test_overlapping_and_touching_periods_of_one_asset_merge_others_do_not():
    down = periods(
        (1, "P", at(1, 8), at(1, 12), False),
        (2, "P", at(1, 10), at(1, 14), True),  # overlaps 1
        (3, "P", at(1, 14), at(1, 15), False),  # touches 2
        (4, "P", at(1, 16), at(1, 17), False),
        (5, "C", at(1, 9), at(1, 11), False),  # another asset
    )
    merged = kpis.merge_periods(down)
    spans = sorted(zip(merged["asset_id"], merged["start"], merged["end"], strict=True))
    assert spans == [
        ("C", at(1, 9), at(1, 11)),
        ("P", at(1, 8), at(1, 15)),
        ("P", at(1, 16), at(1, 17)),
    ]


def test_an_open_period_lasts_until_now_and_no_further():
    down = periods((1, "P", at(1, 8), None, False), (2, "P", at(1, 9), at(5), False))
    closed = kpis.close_open_periods(down, at(2))
    assert list(closed["end"]) == [at(2), at(2)]


def test_operating_hours_count_measured_assets_from_install_date_up_to_now():
    assets = pd.DataFrame(
        {
            "level": ["system", "equipment", "component"],
            "installed_on": [None, None, date(2026, 3, 2)],
        },
        index=["LINE", "P", "M"],
    )
    merged = kpis.merge_periods(periods((1, "P", at(1, 6), at(1, 12), False)))
    hours = kpis.asset_hours(assets, merged, [at(1), at(3), at(5)], now=at(4))
    by = hours.set_index(["asset_id", "window"])
    assert set(hours["asset_id"]) == {"P", "M"}  # the line groups machines: no hours
    assert by.loc[("P", 0), "period_hours"] == 48
    assert by.loc[("P", 0), "operating_hours"] == 42
    assert by.loc[("P", 1), "period_hours"] == 24  # the window ends in the future: until now
    assert by.loc[("M", 0), "period_hours"] == 24  # installed on the 2nd
    assert by.loc[("M", 1), "operating_hours"] == 24


@pytest.mark.parametrize(
    ("start", "hours"),
    [(kpis.MttrStart.FAILURE, 9.0), (kpis.MttrStart.TECHNICIAN_START, 6.0)],
)
def test_repair_runs_to_the_latest_end_of_any_of_the_orders_downtime(start, hours):
    failures = pd.DataFrame(
        {"requested_at": [at(1, 9)], "started_at": [at(1, 10)], "completed_at": [at(1, 15)]},
        index=[7],
    )
    down = periods(
        (7, "P", at(1, 7), at(1, 13), False),
        (7, "P", at(1, 12), at(1, 16), True),  # the test run after the repair
    )
    spans = kpis.repair_spans(failures, down, start)
    assert spans.loc[7, "repair_hours"] == pytest.approx(hours)
    assert spans.loc[7, "restored"] == at(1, 16)


def test_a_failure_without_downtime_runs_from_request_to_completion():
    failures = pd.DataFrame(
        {
            "requested_at": [at(1, 9)],
            "started_at": pd.Series([pd.NaT], dtype="datetime64[ns, UTC]"),
            "completed_at": [at(2, 9)],
        },
        index=[3],
    )
    spans = kpis.repair_spans(failures, periods(), kpis.MttrStart.TECHNICIAN_START)
    assert spans.loc[3, "repair_hours"] == pytest.approx(24.0)


def test_pareto_hours_count_an_assets_overlapping_stops_once_per_key():
    modes = pd.Series({1: "BRD", 2: "BRD", 3: "VIB"})
    down = periods(
        (1, "P", at(1, 8), at(1, 12), False),
        (2, "P", at(1, 10), at(1, 14), False),
        (3, "P", at(1, 10), at(1, 11), False),
    )
    hours = kpis.pareto_hours(modes, down)
    assert hours.to_dict() == {"BRD": 6.0, "VIB": 1.0}


def test_proactive_work_is_by_type_or_by_what_raised_the_order():
    types = pd.Series(["corrective", "corrective", "preventive", "corrective"])
    origins = pd.Series(["request", "inspection_finding", "request", "condition_rule"])
    assert list(kpis.is_proactive_work(types, origins)) == [False, True, True, True]


@given(
    st.lists(st.none() | st.datetimes(datetime(1900, 1, 1), datetime(2199, 12, 31)), max_size=40),
    st.sampled_from(["ns", "us", "ms"]),
)
def test_a_weeks_monday_is_the_calendars_for_any_time_before_or_after_1970(times, unit):
    """The weekly schedule's week (SMRP 5.4.4) begins on the Monday at 00:00 UTC before or at
    the time; a missing time has no week."""
    at = pd.Series(pd.to_datetime(times, utc=True)).dt.as_unit(unit)
    expected = at.dt.floor("D") - pd.to_timedelta(at.dt.day_of_week, unit="D")
    weeks = kpis.week_start(at)
    assert weeks.isna().tolist() == at.isna().tolist()
    assert weeks.dropna().tolist() == expected.dropna().tolist()
