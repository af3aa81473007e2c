"""Weibull analysis of times between failures per asset or asset class (KPIS.md, Reliability).

The maximum-likelihood fit takes the right-censored times (suspensions) as they are: β solves
the profile-likelihood equation, η follows from β in closed form (`_weibull_mle`; the tests hold
it to scipy's `weibull_min.fit` on `CensoredData`, which the installed app does without: scipy
would be a quarter of the bundle for this one fit). Bounds come from the Fisher information of
that likelihood, on log scale so they stay positive. With fewer than 20 failures the rank-regression
fit (median ranks, Johnson's adjustment for suspensions) is shown beside it, as KPIS.md asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce

from desktop.domain import kpis
from desktop.domain.enums import WorkOrderType
from desktop.services.analytics.kpi_reading import raw_time, read_assets, read_frame, select_assets
from desktop.store.models import DowntimePeriod, WorkOrder

if TYPE_CHECKING:
    from desktop.services.analytics.kpi_records import KpiQuery
    from desktop.store.database import Database

RANK_REGRESSION_BELOW = 20
MIN_FAILURES = 2
Z_95 = 1.959963984540054
REPLACE_ACTIVITY = "1"
"""ISO 14224 maintenance activity 'Replace': preventive work that renews the unit."""


@dataclass(frozen=True)
class WeibullFit:
    """A two-parameter Weibull fit of one group's times between failures (hours)."""

    group: str
    failures: int
    suspensions: int
    beta: float | None
    eta_hours: float | None
    beta_bounds: tuple[float, float] | None
    eta_bounds: tuple[float, float] | None
    rank_regression: tuple[float, float] | None
    """(beta, eta) by rank regression on X, shown when there are fewer than 20 failures."""
    reading: str


@dataclass(frozen=True)
class _Lives:
    failures: np.ndarray
    suspensions: np.ndarray


class ReliabilityService:
    """Weibull fits over the same period and filters as the KPI dashboard."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def weibull(
        self,
        query: KpiQuery,
        group_by: Literal["asset_class", "asset"] = "asset_class",
        failure_mode: str | None = None,
    ) -> list[WeibullFit]:
        """One fit per group, most failures first; groups too small say why instead."""
        events, assets = self._events(query)
        lives = _lives(events, query, failure_mode)
        key = assets["asset_class"] if group_by == "asset_class" else assets["code"]
        fits = []
        for group, asset_ids in key.groupby(key).groups.items():
            parts = [lives[i] for i in asset_ids if i in lives]
            if not parts:
                continue
            failures = np.concatenate([p.failures for p in parts])
            suspensions = np.concatenate([p.suspensions for p in parts])
            fits.append(fit_weibull(str(group), failures, suspensions))
        fits.sort(key=lambda f: (-f.failures, f.group))
        return fits

    def _events(self, query: KpiQuery) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Failures (with their repair span) and renewing PM orders on the measured assets."""
        wo, dp = WorkOrder, DowntimePeriod
        with self._db.engine.connect() as conn:
            assets = select_assets(read_assets(conn), query)
            assets = assets[assets["level"].isin([lv.value for lv in kpis.MEASURED_LEVELS])]
            statement = select(
                wo.id,
                wo.asset_id,
                wo.is_failure,
                wo.failure_mode,
                type_coerce(wo.type, String).label("type"),
                wo.activity,
                raw_time(wo.requested_at),
                raw_time(wo.started_at),
                raw_time(wo.completed_at),
            ).where(
                wo.completed_at >= query.start,
                wo.completed_at < query.end,
                wo.asset_id.in_(assets.index.tolist()),
                wo.is_failure.is_(True)
                | (
                    (type_coerce(wo.type, String) == WorkOrderType.PREVENTIVE.value)
                    & (wo.activity == REPLACE_ACTIVITY)
                ),
            )
            events = read_frame(
                conn, statement, ("requested_at", "started_at", "completed_at")
            ).set_index("id")
            down = read_frame(
                conn,
                select(dp.work_order_id, dp.planned, raw_time(dp.start), raw_time(dp.end)).where(
                    dp.work_order_id.in_(select(statement.subquery().c.id))
                ),
                ("start", "end"),
            )
        # Lives run from a failure to the next (KPIS.md, Reliability): the failure side of the
        # repair span, whatever the MTTR variant.
        down = kpis.close_open_periods(down, query.end)
        spans = kpis.repair_spans(events, down, kpis.MttrStart.FAILURE)
        events[["failed", "restored"]] = spans[["failed", "restored"]]
        events["is_failure"] = events["is_failure"].astype(bool)
        return events, assets


def _lives(events: pd.DataFrame, query: KpiQuery, failure_mode: str | None) -> dict[int, _Lives]:
    """Per asset: run times from each restoration to the next event.

    The first run (from an unknown age) is left out. A failure of the studied mode ends a run
    as a failure; a failure of another mode, a renewing PM job, or the end of the period ends
    it as a suspension.
    """
    end = pd.Timestamp(query.end)
    found: dict[int, _Lives] = {}
    for asset_id, rows in events.sort_values("failed").groupby("asset_id"):
        failures, suspensions = [], []
        restored = None
        for row in rows.itertuples():
            ended_at = row.failed if row.is_failure else row.restored
            if restored is not None:
                hours = (ended_at - restored) / np.timedelta64(1, "h")
                counts = row.is_failure and (
                    failure_mode is None or row.failure_mode == failure_mode
                )
                if hours > 0:
                    (failures if counts else suspensions).append(hours)
            restored = row.restored
        if restored is not None and end > restored:
            suspensions.append((end - restored) / np.timedelta64(1, "h"))
        found[int(asset_id)] = _Lives(np.array(failures), np.array(suspensions))
    return found


def fit_weibull(group: str, failures: np.ndarray, suspensions: np.ndarray) -> WeibullFit:
    """MLE fit with 95 % Fisher bounds, plus rank regression under 20 failures."""
    if len(failures) < MIN_FAILURES:
        return WeibullFit(
            group, len(failures), len(suspensions), None, None, None, None, None,
            f"too few failures to fit ({len(failures)}; needs {MIN_FAILURES})",
        )  # fmt: skip
    beta, eta = _weibull_mle(failures, suspensions)
    beta_bounds, eta_bounds = _fisher_bounds(failures, suspensions, beta, eta)
    rank = (
        _rank_regression(failures, suspensions) if len(failures) < RANK_REGRESSION_BELOW else None
    )
    return WeibullFit(
        group,
        len(failures),
        len(suspensions),
        float(beta),
        float(eta),
        beta_bounds,
        eta_bounds,
        rank,
        kpis.weibull_reading(float(beta), beta_bounds),
    )


def _weibull_mle(failures: np.ndarray, suspensions: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood β and η of a two-parameter Weibull with right-censored times.

    Setting the likelihood's derivatives to zero leaves one equation in β over all times t and
    the r failure times f:  Σtᵝ·ln t / Σtᵝ − 1/β − mean(ln f) = 0, whose left side rises
    strictly with β, so bisection on log β cannot miss the root; then η = (Σtᵝ / r)^(1/β).
    Times are divided by the largest first so tᵝ cannot overflow (the equation does not change).
    """
    longest = float(max(failures.max(), suspensions.max() if len(suspensions) else 0.0))
    x = np.concatenate([failures, suspensions]) / longest
    log_x = np.log(x)
    mean_log_failures = float(np.log(failures / longest).mean())

    def slope(beta: float) -> float:
        weights = x**beta
        return float((weights * log_x).sum() / weights.sum()) - 1 / beta - mean_log_failures

    low, high = np.log(1e-3), np.log(1e3)
    for _ in range(200):  # 2**-200 of the bracket: far below float precision
        middle = (low + high) / 2
        if slope(float(np.exp(middle))) < 0:
            low = middle
        else:
            high = middle
    beta = float(np.exp((low + high) / 2))
    eta = longest * float(((x**beta).sum() / len(failures)) ** (1 / beta))
    return beta, eta


def _log_likelihood(log_params: np.ndarray, failures: np.ndarray, suspensions: np.ndarray) -> float:
    """ln L = Σ_f [ln β − ln η + (β−1)·ln(f/η) − (f/η)ᵝ] − Σ_s (s/η)ᵝ."""
    beta, eta = np.exp(log_params)
    z_failed, z_suspended = failures / eta, suspensions / eta
    return float(
        (np.log(beta / eta) + (beta - 1) * np.log(z_failed) - z_failed**beta).sum()
        - (z_suspended**beta).sum()
    )


def _fisher_bounds(
    failures: np.ndarray, suspensions: np.ndarray, beta: float, eta: float
) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """95 % bounds from the observed information (numerical Hessian in log β, log η)."""
    point = np.log([beta, eta])
    step = 1e-4
    hessian = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            di, dj = np.eye(2)[i] * step, np.eye(2)[j] * step
            hessian[i, j] = (
                _log_likelihood(point + di + dj, failures, suspensions)
                - _log_likelihood(point + di - dj, failures, suspensions)
                - _log_likelihood(point - di + dj, failures, suspensions)
                + _log_likelihood(point - di - dj, failures, suspensions)
            ) / (4 * step * step)
    try:
        covariance = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError:
        return None, None
    if not np.all(np.diag(covariance) > 0):
        return None, None
    spread = Z_95 * np.sqrt(np.diag(covariance))
    low, high = np.exp(point - spread), np.exp(point + spread)
    return (float(low[0]), float(high[0])), (float(low[1]), float(high[1]))


def _rank_regression(failures: np.ndarray, suspensions: np.ndarray) -> tuple[float, float] | None:
    """Rank regression on X: Johnson's adjusted ranks, Bernard's median ranks."""
    times = np.concatenate([failures, suspensions])
    failed = np.concatenate([np.ones(len(failures)), np.zeros(len(suspensions))])
    order = np.lexsort((1 - failed, times))
    total = len(times)
    rank, xs, ys = 0.0, [], []
    for position, index in enumerate(order):
        if not failed[index]:
            continue
        reverse_rank = total - position
        rank += (total + 1 - rank) / (1 + reverse_rank)
        median_rank = (rank - 0.3) / (total + 0.4)
        xs.append(np.log(times[index]))
        ys.append(np.log(-np.log(1 - median_rank)))
    if len(set(ys)) < 2:
        return None
    slope, intercept = np.polyfit(ys, xs, 1)
    return float(1 / slope), float(np.exp(intercept))
