"""MTBF and MTTR of an asset set, as shared/KPIS.md defines them (pure arithmetic)."""

from __future__ import annotations


def operating_hours(period_hours: float, downtime_hours: float, assets: int = 1) -> float:
    """Hours the assets of a set ran in the period, summed over the assets; never below 0.

    KPIS.md (MTBF, SMRP 3.5.1): without a running-state or hours tag an asset's operating hours
    are the period hours less its downtime hours (planned and unplanned). A set (an asset and
    its sub-assets, an area) runs the sum of its assets' hours: assets × period − downtime.
    Read as one unit instead, an area of 35 assets gathers more downtime than the period has
    hours, and its MTBF would fall to 0.
    """
    return max(0.0, assets * period_hours - downtime_hours)


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
