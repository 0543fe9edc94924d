"""Geometry of the small line charts drawn as inline SVG (no JavaScript, no library).

Each chart is paired with a data table in the page; the SVG carries a title and a text
description so a screen reader hears the trend, not a picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .figures import Point
from .formats import format_number

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    line: str  # the SVG path of the series
    marks: tuple[Mark, ...]
    y_ticks: tuple[Tick, ...]
    target_y: float | None
    baseline_y: float | None
    plot_left: int
    plot_right: int
    plot_bottom: int
    target_steps: str = ""  # the SVG path of the target as it stood at each point, if given


#: A chart's value axis aims at about `PARTS` steps between its labels; its step is never
#: less than an eighth (`MOST_PARTS`) of the axis, so with both ends rounded out to a step it
#: has at most `MOST_PARTS + 2` labels, whatever the values.
PARTS, MOST_PARTS = 4, 8
#: Labels show two decimals; a finer step would only repeat a label.
SMALLEST_STEP = 0.01


def nice_step(span: float, ticks: int = PARTS) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ, at least 0.01) that cuts `span` into about
    `ticks` parts."""
    raw = max(span / ticks, SMALLEST_STEP) if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def line_chart(
    points: list[Point],
    baseline: float | None,
    target: float | None,
    targets: list[float | None] | None = None,
) -> Chart | None:
    """Place the points, the baseline and the target on shared, rounded axes.

    The axis runs from zero (so a change is drawn at its true size) to the values. Its step
    suits the values' own range, so that a small change still has labels around it, unless
    that would cut the whole axis into more than `MOST_PARTS` parts (91 → 93 drawn from 0).
    """
    if not points:
        return None
    values = [p.value for p in points] + [
        v for v in (baseline, target, *(targets or ())) if v is not None
    ]
    low, high = min(values), max(values)
    bottom, top = min(low, 0), max(high, 0)
    step = max(nice_step(high - low), nice_step(top - bottom, MOST_PARTS))
    first, last = math.floor(bottom / step), math.ceil(top / step)
    if last == first:
        last = first + 1
    axis_low, axis_high = first * step, last * step
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (axis_high - value) / (axis_high - axis_low), 1)

    count = len(points)
    marks = tuple(
        Mark(
            round(LEFT + (plot_width * (i + 0.5) / count), 1),
            y_of(p.value),
            p.label,
            format_number(p.value),
        )
        for i, p in enumerate(points)
    )
    line = " ".join(f"{'M' if i == 0 else 'L'}{m.x} {m.y}" for i, m in enumerate(marks))
    ticks = tuple(Tick(y_of(n * step), format_number(n * step)) for n in range(first, last + 1))
    steps = _steps([y_of(t) if t is not None else None for t in targets or ()], plot_width)
    return Chart(
        WIDTH,
        HEIGHT,
        line,
        marks,
        ticks,
        y_of(target) if target is not None else None,
        y_of(baseline) if baseline is not None else None,
        LEFT,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        steps,
    )


def _steps(heights: list[float | None], plot_width: int) -> str:
    """A step line across the points' slots: level across each slot at its height, rising
    or falling where the height changes; broken where there is none."""
    if not heights:
        return ""
    slot = plot_width / len(heights)
    path: list[str] = []
    drawing = False
    for i, y in enumerate(heights):
        left, right = round(LEFT + slot * i, 1), round(LEFT + slot * (i + 1), 1)
        if y is None:
            drawing = False
            continue
        path.append(f"{'L' if drawing else 'M'}{left} {y} L{right} {y}")
        drawing = True
    return " ".join(path)
