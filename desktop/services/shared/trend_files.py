"""A tag's samples as the files kept with a work order: CSV for the numbers, PNG for the eye.

The PNG is drawn with matplotlib's Agg backend, so the headless monitor needs no display and
the engine stays free of Qt. The alarm's "before" evidence and the verified close's "after"
trend share these, so both read the same way.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

Point = tuple[float, float | None, str]
"""(epoch seconds, value or None for a gap, quality name)"""


def trend_csv(tag_name: str, unit: str, points: Sequence[Point]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("time_utc", f"{tag_name} [{unit}]" if unit else tag_name, "quality"))
    for ts, value, quality in points:
        stamp = datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")
        writer.writerow((stamp, "" if value is None else repr(value), quality))
    return out.getvalue().encode()


def trend_png(
    title: str,
    unit: str,
    points: Sequence[Point],
    limit: float | None,
    marker_ts: float,
    marker_label: str,
) -> bytes:
    # Imported here: matplotlib costs ~0.5 s and only an alarm or a verified close needs it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    times = [datetime.fromtimestamp(ts, UTC) for ts, value, _ in points if value is not None]
    values = [value for _, value, _ in points if value is not None]
    figure = Figure(figsize=(8, 3.2), dpi=100)
    axes = figure.add_subplot()
    axes.plot(times, values, linewidth=1.0, color="#1f5fa8")
    if limit is not None:
        axes.axhline(limit, color="#c0392b", linestyle="--", linewidth=1.0, label="limit")
    axes.axvline(datetime.fromtimestamp(marker_ts, UTC), color="#e67e22", label=marker_label)
    axes.set_title(title, fontsize=10)
    axes.set_ylabel(unit)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
