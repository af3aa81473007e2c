"""A tag's samples as the files kept with a work order: CSV for the numbers, PNG for the eye.

The PNG is drawn with Pillow, which the reports already ship for ReportLab: the headless monitor
needs no display, the engine stays free of Qt, and the bundle needs no matplotlib (about 23 MB
with its font and layout libraries, for this one picture). The alarm's "before" evidence and
the verified close's "after" trend share these, so both read the same way.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop.domain.failure_codes import RESOURCES_DIR

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PIL import ImageDraw, ImageFont

Point = tuple[float, float | None, str]
"""(epoch seconds, value or None for a gap, quality name)"""

WIDTH, HEIGHT = 800, 320
SCALE = 2
"""Drawn at twice the size and scaled down: Pillow draws lines without anti-aliasing."""
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 30, 52
TREND, LIMIT, MARKER = "#1f5fa8", "#c0392b", "#e67e22"
INK, GRID, FRAME = "#222222", "#e3e3e3", "#888888"
FONT = RESOURCES_DIR / "fonts" / "DejaVuSans.ttf"
TIME_STEPS = (
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
    3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 3 * 86400, 7 * 86400,
)  # fmt: skip
"""Seconds between time ticks: the first that leaves at most MAX_TICKS ticks is used."""
MAX_TICKS = 7


def trend_csv(tag_name: str, unit: str, points: Sequence[Point]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("time_utc", f"{tag_name} [{unit}]" if unit else tag_name, "quality"))
    for ts, value, quality in points:
        stamp = datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")
        writer.writerow((stamp, "" if value is None else repr(value), quality))
    return out.getvalue().encode()


def value_ticks(low: float, high: float, most: int = MAX_TICKS) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) from `low` to `high`."""
    span = high - low
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def time_ticks(start: float, end: float) -> tuple[int, list[float]]:
    """The tick step in seconds and the ticks (whole steps of UTC time) from `start` to `end`."""
    span = end - start
    step = next((s for s in TIME_STEPS if span / s <= MAX_TICKS - 1), TIME_STEPS[-1])
    first = math.ceil(start / step)
    return step, [float(i * step) for i in range(first, math.floor(end / step) + 1)]


def trend_png(
    title: str,
    unit: str,
    points: Sequence[Point],
    limit: float | None,
    marker_ts: float,
    marker_label: str,
) -> bytes:
    """The samples as a line (broken where the tag sent nothing usable), the limit dashed, and
    a vertical line at `marker_ts` (the alarm, the repair), with a legend, in UTC."""
    from PIL import Image, ImageDraw  # only an alarm or a verified close draws one

    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(8), _font(10)
    values = [v for _, v, _ in points if v is not None]
    low, high = _padded([*values, *([limit] if limit is not None else [])])
    start, end = _padded([*(ts for ts, _, _ in points), marker_ts], pad=0.01)
    left, right = LEFT * SCALE, (WIDTH - RIGHT) * SCALE
    top, bottom = TOP * SCALE, (HEIGHT - BOTTOM) * SCALE

    def x_of(ts: float) -> float:
        return left + (ts - start) / (end - start) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    for value in value_ticks(low, high):
        y = y_of(value)
        _rule(draw, (left, y), (right, y), GRID, 1)
        draw.text((left - 6 * SCALE, y), f"{value:g}", fill=INK, font=normal, anchor="rm")
    step, ticks = time_ticks(start, end)
    last_day = ""
    for ts in ticks:
        x = x_of(ts)
        when = datetime.fromtimestamp(ts, UTC)
        _rule(draw, (x, top), (x, bottom), GRID, 1)
        clock = when.strftime("%H:%M:%S" if step < 60 else "%H:%M")
        draw.text((x, bottom + 5 * SCALE), clock, fill=INK, font=normal, anchor="ma")
        day = when.strftime("%d %b %Y")
        if day != last_day:  # the date under the first tick and wherever it changes
            draw.text((x, bottom + 20 * SCALE), day, fill=INK, font=small, anchor="ma")
            last_day = day
    draw.rectangle([(left, top), (right, bottom)], outline=FRAME, width=SCALE)
    for run in _runs(points):
        line = [(x_of(ts), y_of(value)) for ts, value in run]
        if len(line) == 1:
            x, y = line[0]
            draw.ellipse([(x - SCALE, y - SCALE), (x + SCALE, y + SCALE)], fill=TREND)
        else:
            draw.line(line, fill=TREND, width=3 * SCALE // 2, joint="curve")
    legend = []
    if limit is not None:
        _dashed(draw, y_of(limit), left, right, LIMIT)
        legend.append((LIMIT, "limit", True))
    marker = x_of(marker_ts)
    _rule(draw, (marker, top), (marker, bottom), MARKER, 2)
    legend.append((MARKER, marker_label, False))
    _legend(draw, left + 8 * SCALE, top + 8 * SCALE, legend, small)
    draw.text(((left + right) / 2, 8 * SCALE), title, fill=INK, font=normal, anchor="mt")
    time_label = "time (UTC)"
    draw.text((right, HEIGHT * SCALE - 4 * SCALE), time_label, fill=INK, font=small, anchor="rd")
    if unit:
        _vertical_text(image, unit, 10 * SCALE, (top + bottom) / 2, normal)
    out = io.BytesIO()
    image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(points: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans from resources/ at `points` (at 100 dpi), else Pillow's own font."""
    from PIL import ImageFont

    size = round(points * 100 / 72) * SCALE
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default(size)


def _padded(numbers: list[float], pad: float = 0.05) -> tuple[float, float]:
    """Their range widened by `pad` of it on each side; one value alone gets a range of its own."""
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    if high == low:
        return low - (abs(low) * 0.05 or 1.0), high + (abs(high) * 0.05 or 1.0)
    margin = (high - low) * pad
    return low - margin, high + margin


def _runs(points: Sequence[Point]) -> list[list[tuple[float, float]]]:
    """The samples split where a value is missing: a gap is drawn as a gap, not bridged."""
    runs: list[list[tuple[float, float]]] = [[]]
    for ts, value, _ in points:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((ts, value))
    return [run for run in runs if run]


def _rule(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: str,
    pixels: int,
) -> None:
    """A horizontal or vertical line `pixels` wide in the final picture, on whole pixels: a
    line between two pixels would come out of the scaling as two pale ones."""
    (x0, y0), (x1, y1) = start, end
    half = pixels * SCALE / 2
    if x0 == x1:
        x = round(x0 / SCALE) * SCALE
        draw.rectangle([(x - half, y0), (x + half - 1, y1)], fill=colour)
    else:
        y = round(y0 / SCALE) * SCALE
        draw.rectangle([(x0, y - half), (x1, y + half - 1)], fill=colour)


def _dashed(draw: ImageDraw.ImageDraw, y: float, left: float, right: float, colour: str) -> None:
    dash, gap = 6 * SCALE, 4 * SCALE
    x = left
    while x < right:
        _rule(draw, (x, y), (min(x + dash, right), y), colour, 2)
        x += dash + gap


def _legend(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    entries: list[tuple[str, str, bool]],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    """A framed key in the plot's top left corner: a line sample and its name per entry."""
    row = 14 * SCALE
    sample = 22 * SCALE
    text_width = max(draw.textlength(label, font=font) for _, label, _ in entries)
    width = sample + 12 * SCALE + text_width
    draw.rectangle(
        [(x, y), (x + width, y + row * len(entries) + 4 * SCALE)],
        fill="white",
        outline=GRID,
        width=SCALE,
    )
    for i, (colour, label, dashed) in enumerate(entries):
        middle = y + 2 * SCALE + row * i + row / 2
        if dashed:
            _dashed(draw, middle, x + 4 * SCALE, x + 4 * SCALE + sample, colour)
        else:
            _rule(draw, (x + 4 * SCALE, middle), (x + 4 * SCALE + sample, middle), colour, 2)
        draw.text((x + sample + 8 * SCALE, middle), label, fill=INK, font=font, anchor="lm")


def _vertical_text(
    image: object, text: str, x: float, y: float, font: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> None:
    """`text` turned a quarter to the left, centred on (x, y): the unit beside the value axis."""
    from PIL import Image, ImageDraw

    assert isinstance(image, Image.Image)
    width = round(ImageDraw.Draw(image).textlength(text, font=font)) + 4
    height = round(font.size * 1.4) if hasattr(font, "size") else 24
    label = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(label).text((width / 2, height / 2), text, fill=INK, font=font, anchor="mm")
    turned = label.rotate(90, expand=True)
    image.paste(turned, (round(x - turned.width / 2), round(y - turned.height / 2)))
