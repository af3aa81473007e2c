"""Verified close: has the signal that raised a predictive order stayed in band after the repair?

Pure over (ts, value) arrays and the rule's limits, so the completion guard, the tests and any
preview run the same rule; the service only gathers the samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.domain.condition import Direction, RuleKind
from desktop.domain.phrases import Phrase

if TYPE_CHECKING:
    import numpy as np

    from desktop.domain.condition import RuleSpec

DEFAULT_VERIFY_MINUTES = 30
# Samples further apart than this are a gap: a silent signal proves nothing about the repair.
MAX_SILENCE_S = 120.0


@dataclass(frozen=True)
class SignalCheck:
    """The trailing in-band stretch of a signal after a repair, and what last broke it."""

    tag_name: str
    verify_s: float
    now: float
    settled_since: float
    reason: str

    @property
    def verified(self) -> bool:
        return self.now - self.settled_since >= self.verify_s

    def problems(self) -> list[str]:
        if self.verified:
            return []
        minutes = f"{self.verify_s / 60:g}"
        return [
            Phrase(
                "signal {tag_name} not yet back in band for {minutes} min after the "
                "repair ({reason})",
                tag_name=self.tag_name,
                minutes=minutes,
                reason=self.reason,
            )
        ]


def in_band(spec: RuleSpec, ts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per sample: is it back inside the limit by the rule's hysteresis (the band that clears
    the alarm)? A rate rule judges the least-squares slope over its window ending there."""
    import numpy as np

    sign = 1.0 if spec.direction is Direction.ABOVE else -1.0
    if spec.kind is not RuleKind.RATE_OF_CHANGE:
        # NaN compares False: a gap is never in band.
        return sign * (values - spec.limit) <= -spec.hysteresis
    slopes = _trailing_slopes(ts, values, spec.window_s) * 60.0
    # Too few points for a slope yet: judged by nothing, so not counted against the signal.
    inside = np.isnan(slopes) | (sign * (slopes - spec.limit) <= -spec.hysteresis)
    judged: np.ndarray = inside & ~np.isnan(values)
    return judged


def _trailing_slopes(ts: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """Least-squares slope over (ts - window_s, ts] for every sample, in O(n) from cumulative
    sums; NaN where the window holds fewer than 3 good samples."""
    import numpy as np

    good = ~np.isnan(values)
    t = np.where(good, ts - (ts[0] if len(ts) else 0.0), 0.0)
    v = np.where(good, values, 0.0)
    sums = [np.concatenate(([0.0], np.cumsum(x))) for x in (good * 1.0, t, v, t * t, t * v)]
    end = np.arange(1, len(ts) + 1)
    start = np.searchsorted(ts, ts - window_s, side="right")
    n, sx, sy, sxx, sxy = (s[end] - s[start] for s in sums)
    denominator = n * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = (n * sxy - sx * sy) / denominator
    return np.where((n >= 3) & (denominator > 0), slopes, np.nan)


def window_start(
    spec: RuleSpec,
    repair_ts: float,
    now: float,
    verify_s: float,
    max_silence_s: float = MAX_SILENCE_S,
) -> float:
    """The earliest sample `check_signal` needs for the same verdict as over every sample since
    the repair: the verify time, a rate rule's slope window before it, and one silence span
    before that (a gap at the window's first sample is only seen against an earlier one).

    Reading from here bounds the completion's read to the verify time, however long the repair.
    """
    reach = verify_s + max_silence_s
    if spec.kind is RuleKind.RATE_OF_CHANGE:
        reach += spec.window_s
    return max(repair_ts, now - reach)


def check_signal(
    tag_name: str,
    spec: RuleSpec,
    ts: np.ndarray,
    values: np.ndarray,
    repair_ts: float,
    now: float,
    verify_s: float,
    max_silence_s: float = MAX_SILENCE_S,
    read_from: float | None = None,
) -> SignalCheck:
    """Where the signal's trailing in-band stretch since `repair_ts` starts, and why there.

    The stretch restarts at every out-of-band sample, every gap (a sample without a value, or
    samples more than `max_silence_s` apart) and is empty when the signal is silent now.
    `ts` is sorted and holds only samples in [read_from, now]; `read_from` defaults to
    `repair_ts`, and from `window_start` on the verdict is that of the whole repair (a stretch
    reaching back to `read_from` is then long enough, whatever came before it).
    """
    # numpy loads when an order is completed, not with every import of the lifecycle.
    import numpy as np

    start = repair_ts if read_from is None else max(repair_ts, read_from)
    if len(ts) == 0:
        what = "the repair" if start == repair_ts else _clock(start)
        return SignalCheck(tag_name, verify_s, now, now, f"no samples since {what}")
    if now - ts[-1] > max_silence_s:
        return SignalCheck(tag_name, verify_s, now, now, f"no samples since {_clock(ts[-1])}")
    breaks: list[tuple[float, str]] = [(start, "in band since {at}, {ago} min ago")]
    out = ~in_band(spec, ts, values)
    gap = np.isnan(values)
    silent = np.diff(np.concatenate(([start], ts))) > max_silence_s
    for mask, text in (
        (out & ~gap, "last out of band {at}, {ago} min ago"),
        (gap | silent, "gap in the data at {at}, {ago} min ago"),
    ):
        hits = np.flatnonzero(mask)
        if len(hits):
            breaks.append((float(ts[hits[-1]]), text))
    since, text = max(breaks, key=lambda b: b[0])
    ago = math.floor((now - since) / 60)
    return SignalCheck(tag_name, verify_s, now, since, text.format(at=_clock(since), ago=ago))


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%H:%M UTC")
