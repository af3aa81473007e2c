"""PM compliance (SMRP 5.4.14): preventive work completed within the grace of its due date."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

# SMRP's variant: 20 % of the interval, but never more than four weeks.
_SMRP_CAP = timedelta(days=28)


class GraceRule(StrEnum):
    """How late a PM order may be completed and still count as on time (KPIS.md)."""

    NONE = "none"
    ONE_DAY = "one_day"
    TEN_PERCENT = "ten_percent"
    SMRP_20_PERCENT = "smrp_20_percent"


DEFAULT_GRACE = GraceRule.TEN_PERCENT


def grace_window(rule: GraceRule, interval_days: float | None) -> timedelta:
    """The grace after the due time; orders without a known interval get none (0 % of nothing)."""
    if rule is GraceRule.NONE:
        return timedelta(0)
    if rule is GraceRule.ONE_DAY:
        return timedelta(days=1)
    if interval_days is None:
        return timedelta(0)
    if rule is GraceRule.TEN_PERCENT:
        return timedelta(days=interval_days * 0.10)
    return min(timedelta(days=interval_days * 0.20), _SMRP_CAP)


def completed_on_time(due_at: datetime, completed_at: datetime | None, grace: timedelta) -> bool:
    """Whether the order was completed by its due time plus grace."""
    return completed_at is not None and completed_at <= due_at + grace


def compliance_percent(due: int, on_time: int) -> float | None:
    """PM compliance = orders due in the period completed by due + grace ÷ orders due × 100.

    Source: SMRP Best Practice Metric 5.4.14 (PM & PdM compliance). None when nothing was due
    (shown as "n/a", not 0 % or 100 %).
    """
    if due == 0:
        return None
    return on_time / due * 100
