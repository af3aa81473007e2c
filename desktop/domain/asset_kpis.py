"""MTBF and MTTR of an asset set, as shared/KPIS.md defines them (pure arithmetic)."""

from __future__ import annotations


def operating_hours(period_hours: float, downtime_hours: float) -> float:
    """Hours the asset set ran in the period: period hours − downtime hours, never below 0.

    KPIS.md (MTBF, SMRP 3.5.1): without a running-state or hours tag, operating hours are the
    period hours less the downtime hours (planned and unplanned). The set counts as one unit, so
    overlapping downtime of two of its assets can exceed the period; that reads as 0, not less.
    """
    return max(0.0, period_hours - downtime_hours)


def mtbf_hours(operating: float, failures: int) -> float | None:
    """SMRP 3.5.1 MTBF = operating hours in the period ÷ failure orders completed in it.

    None when there was no failure: the figure is then "no failures in N operating hours",
    not a number (KPIS.md).
    """
    return operating / failures if failures else None


def mttr_hours(repair_hours_total: float, repairs: int) -> float | None:
    """SMRP 3.5.2 (2009, "repair or replace") MTTR = mean of (restored − failed) in hours.

    Over the failure orders completed in the period; failed is the order's earliest unplanned
    downtime start (else its requested time), restored its latest unplanned downtime end (else
    its completed time). The caller sums those durations; None when nothing was repaired.
    """
    return repair_hours_total / repairs if repairs else None
