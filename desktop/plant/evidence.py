"""Evidence attached to a predictive work order: the samples around the trigger as CSV and PNG.

The PNG is drawn with matplotlib's Agg backend, so the headless monitor needs no display and
the engine stays free of Qt.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.services.alarms import Evidence

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.domain.condition import RuleSpec


def evidence_csv(
    tag_name: str, unit: str, points: Sequence[tuple[float, float | None, str]]
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("time_utc", f"{tag_name} [{unit}]" if unit else tag_name, "quality"))
    for ts, value, quality in points:
        stamp = datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")
        writer.writerow((stamp, "" if value is None else repr(value), quality))
    return out.getvalue().encode()


def evidence_png(
    title: str,
    unit: str,
    points: Sequence[tuple[float, float | None, str]],
    spec: RuleSpec,
    trigger_ts: float,
) -> bytes:
    # Imported here: matplotlib costs ~0.5 s and only an alarm needs it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    times = [datetime.fromtimestamp(ts, UTC) for ts, value, _ in points if value is not None]
    values = [value for _, value, _ in points if value is not None]
    figure = Figure(figsize=(8, 3.2), dpi=100)
    axes = figure.add_subplot()
    axes.plot(times, values, linewidth=1.0, color="#1f5fa8")
    if spec.kind.value != "rate_of_change":
        axes.axhline(spec.limit, color="#c0392b", linestyle="--", linewidth=1.0, label="limit")
    axes.axvline(datetime.fromtimestamp(trigger_ts, UTC), color="#e67e22", label="alarm")
    axes.set_title(title, fontsize=10)
    axes.set_ylabel(unit)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def build_evidence(
    title: str,
    tag_name: str,
    unit: str,
    points: Sequence[tuple[float, float | None, str]],
    spec: RuleSpec,
    trigger_ts: float,
) -> Evidence:
    return Evidence(
        evidence_csv(tag_name, unit, points), evidence_png(title, unit, points, spec, trigger_ts)
    )
