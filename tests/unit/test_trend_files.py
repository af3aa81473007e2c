"""The evidence trend a planner opens from a work order: what the PNG shows, and where."""

from __future__ import annotations

import io
import math

from PIL import Image

from desktop.services.shared.trend_files import (
    HEIGHT,
    LIMIT,
    MARKER,
    TREND,
    WIDTH,
    time_ticks,
    trend_png,
    value_ticks,
)

START = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC
LEFT_PLOT, RIGHT_PLOT = 80, 770
"""A band of columns inside the plot whatever the axes' labels take."""


def _hue(colour: str) -> str:
    """Which of the three lines a colour belongs to, by its strongest channels; "" for grey."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5)) if isinstance(colour, str) else colour
    if b - r > 60:
        return "trend"
    if r - b > 90 and r - g > 115:
        return "limit"
    if r - b > 90 and 60 < r - g <= 115 and g > 80:
        return "marker"
    return ""


def _columns_with(image: Image.Image, colour: str, least: int = 1) -> set[int]:
    """The x of every column holding at least `least` pixels of `colour`'s line (anti-aliased:
    by its hue)."""
    want = _hue(colour)
    pixels = image.load()
    return {
        x
        for x in range(image.width)
        if sum(_hue(pixels[x, y]) == want for y in range(image.height)) >= least
    }


def _picture(points, limit=4.5, marker=START + 900) -> Image.Image:
    png = trend_png("WO-1: P-101.Vibration", "mm/s", points, limit, marker, "alarm")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_draws_the_trend_the_limit_and_the_alarm_where_they_belong():
    points = [(START + i, 2.0 + 0.004 * i, "GOOD") for i in range(1200)]
    image = _picture(points)
    assert image.size == (WIDTH, HEIGHT)
    plot = set(range(LEFT_PLOT, RIGHT_PLOT))
    # A line across the whole plot, but where the limit and the alarm lines cross it.
    assert len(_columns_with(image, TREND) & plot) >= len(plot) - 6
    limit = _columns_with(image, LIMIT)
    assert len(limit & plot) > 300  # dashed: most columns
    alarm = _columns_with(image, MARKER, least=HEIGHT // 2) & plot  # a vertical line
    # 900 s into a 1,199 s window: three quarters along the plot, one line wide.
    assert alarm
    assert max(alarm) - min(alarm) <= 3
    assert abs(min(alarm) - (64 + 0.75 * (WIDTH - 64 - 16))) < 15


def test_a_gap_in_the_samples_stays_a_gap():
    points = [(START + i, None if 500 <= i < 700 else 3.0, "GOOD") for i in range(1200)]
    trend = _columns_with(_picture(points, limit=None), TREND)
    gap = range(64 + round(0.45 * 720), 64 + round(0.55 * 720))
    assert not trend & set(gap)
    assert trend & set(range(LEFT_PLOT, 300))
    assert trend & set(range(550, RIGHT_PLOT))


def test_draws_a_single_sample_and_no_samples_at_all():
    assert _picture([(START, 7.0, "GOOD")]).size == (WIDTH, HEIGHT)
    assert _picture([(START, None, "BAD")], limit=None).size == (WIDTH, HEIGHT)
    assert _picture([], limit=None).size == (WIDTH, HEIGHT)


def test_axis_ticks_are_round_values_and_whole_times():
    assert value_ticks(1.83, 7.27) == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert value_ticks(0.0, 0.9) == [0.0, 0.2, 0.4, 0.6, 0.8]
    step, ticks = time_ticks(START, START + 1199)
    assert step == 300
    assert all(tick % 300 == 0 and START <= tick <= START + 1199 for tick in ticks)
    assert math.isclose(ticks[0], 1_780_000_200)
