"""Benchmarks (not collected by pytest): each `bench_*.py` module's `run()` returns its figures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured figure, against the bare library's figure from the same run where one exists."""

    bench: str
    figure: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = "report"
    limit_ratio: float | None = None
    """The ratio value/baseline that meets the target; None when the target is only to report."""
    limit_value: float | None = None
    """The value itself that meets the target, for absolute targets (milliseconds, megabytes)."""
    higher_is_better: bool = False
    """For rates (pages/s): the target is met at or above `limit_ratio`, not at or below it."""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.limit_value is not None:
            return self.value <= self.limit_value
        if self.limit_ratio is None or self.ratio is None:
            return None
        if self.higher_is_better:
            return self.ratio >= self.limit_ratio
        return self.ratio <= self.limit_ratio

    def record(self) -> dict[str, Any]:
        """The JSON record written to bench-results.json."""
        record = asdict(self)
        del record["limit_ratio"], record["limit_value"], record["higher_is_better"]
        record["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        record["met"] = self.met
        return record


def median_seconds(call: Callable[[], object], repeat: int, warmup: int = 2) -> float:
    """Median wall time of `call` over `repeat` runs, after `warmup` runs that fill the caches."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)
