"""Geometry of the small line charts: a time axis placed by date, a value axis of a few round
numbers over the values actually drawn, and the baseline and target marked at their years.

The drawing is inline SVG in a 100 × 100 box stretched to the chart's size (its strokes keep
their width), and its words are HTML laid over it at the same percentages, so they read at the
page's own text size on any screen. Each chart sits beside its data table, and the SVG carries
a title and a description, so a screen reader hears the trend, not a picture.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.models import Measure
from .figures import Point
from .formats import Formats
from .interface import ENGLISH, N_, Interface
from .periods import Span, months_after, period_span, year_span

#: A value axis has 4 to 6 labels, whatever the values.
FEWEST_TICKS, MOST_TICKS = 4, 6
#: Labels show two decimals; a finer step would only repeat a label.
SMALLEST_STEP = 0.01
#: The round steps, times a power of ten.
FACTORS = (1, 2, 2.5, 5, 10, 20, 25, 50)
#: The axis starts at zero when the values start this close to it (as a share of their
#: spread): counts near zero are drawn from it, a rate of 48–65 % is not drawn from 0 %.
NEAR_ZERO = 0.5
#: A time axis spans at least two months, so that one report has room around it.
FEWEST_DAYS = 61
#: Words over the drawing must fit the narrowest chart: 288 px wide on a 320 px screen, in
#: the stylesheet's terms (labels of 0.875rem, 9 px a character at most; the plot has the
#: longest value label and 1 ch left of it, 1.25rem right of it).
NARROWEST_PX, CHAR_PX, RIGHT_PX, GAP_PX = 288, 9.0, 20, 10
MONTH_STRIDES, YEAR_STRIDES = (1, 3, 6), (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class Tick:
    position: float  # percent of the axis: from the left for time, from the top for values
    label: str
    align: str = "middle"  # where a time label is, from its tick: "start" runs rightwards


@dataclass(frozen=True)
class Mark:
    """A reported value where it is drawn, in percent of the plot."""

    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Reference:
    """The baseline or the target: its level, where its year falls (x is None: no year), and
    its words, placed at its year (else at the plot's edge) on the side they fit."""

    y: float
    x: float | None
    text: str
    label_x: float
    align: str  # "start", "middle" or "end": where the label's point is


@dataclass(frozen=True)
class Chart:
    line: str  # the SVG path of the series
    marks: tuple[Mark, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    baseline: Reference | None
    target: Reference | None
    target_steps: str = ""  # the SVG path of the target as it stood at each point, if given
    #: The latest value's label ("2025 H1: 61") is drawn beside its point where it cannot
    #: cross the line: after a single point wherever it fits, after the last only to its right.
    value_align: str | None = None

    @property
    def latest(self) -> Mark:
        return self.marks[-1]

    @property
    def gutter(self) -> int:
        """The characters of the longest value label: the room kept left of the plot."""
        return longest(self.y_ticks)


def longest(ticks: Sequence[Tick]) -> int:
    return max(len(t.label) for t in ticks)


def fitting(x: float, text: str, gutter: int, sides: Sequence[str]) -> str | None:
    """The first of `sides` on which `text` beside the point at `x` percent stays inside the
    narrowest chart, off the value labels: "start" runs rightwards from the point."""
    plot = NARROWEST_PX - (gutter + 1) * CHAR_PX - RIGHT_PX
    at, width = plot * x / 100, len(text) * CHAR_PX + GAP_PX
    room = {
        "start": plot + RIGHT_PX - at,
        "middle": 2 * min(at, plot + RIGHT_PX - at),
        "end": at,
    }
    return next((side for side in sides if width <= room[side]), None)


def line_chart(
    points: list[Point],
    baseline: Measure | None,
    target: Measure | None,
    targets: Sequence[Measure | None] = (),
    interface: Interface = ENGLISH,
) -> Chart | None:
    """Place the points by date and value, with the baseline and target where they stand;
    `targets`, the target held at each point, is drawn as a step line. Its words and
    numbers are `interface`'s."""
    if not points:
        return None
    _, number = interface.gettext, interface.formats.number
    held = [t for t in targets if t is not None]
    measures = [m for m in (baseline, target, *held) if m is not None]
    low, high, step = value_axis([p.value for p in points] + [m.value for m in measures])
    spans = [period_span(p.label, p.date) for p in points]
    years = [year_span(m.year) for m in measures if m.year is not None]
    start, end = time_range(spans + years)

    def x_of(day: float) -> float:
        return round(100 * (day - start) / (end - start), 2)

    def y_of(value: float) -> float:
        return round(100 * (high - value) / (high - low), 2)

    count = round((high - low) / step)
    values = [low + n * step for n in range(count + 1)]
    y_ticks = tuple(Tick(y_of(v), number(v)) for v in reversed(values))
    gutter = longest(y_ticks)

    def reference(measure: Measure | None, words: tuple[str, str], edge: float) -> Reference | None:
        if measure is None:
            return None
        x = x_of(year_span(measure.year).middle) if measure.year is not None else None
        label_x = edge if x is None else x
        short = _(words[0], value=number(measure.value))
        texts = [short]
        if measure.year is not None:
            texts.insert(0, _(words[1], value=number(measure.value), year=measure.year))
        for text in texts:  # the year is marked on the axis: left out where it does not fit
            align = fitting(label_x, text, gutter, ("start", "end"))
            if align:
                break
        return Reference(y_of(measure.value), x, text, label_x, align or "end")

    marks = tuple(
        Mark(x_of(span.middle), y_of(p.value), p.label, number(p.value))
        for p, span in zip(points, spans, strict=True)
    )
    line = " ".join(f"{'M' if i == 0 else 'L'}{m.x} {m.y}" for i, m in enumerate(marks))
    last = marks[-1]
    sides = ("start", "middle", "end") if len(marks) == 1 else ("start",)
    value_align = fitting(last.x, f"{last.label}: {last.value}", gutter, sides)
    levels = [y_of(t.value) if t is not None else None for t in targets]
    return Chart(
        line,
        marks,
        y_ticks,
        time_ticks(start, end, gutter, interface.formats),
        reference(baseline, (N_("Baseline %(value)s"), N_("Baseline %(value)s in %(year)s")), 0),
        reference(target, (N_("Target %(value)s"), N_("Target %(value)s by %(year)s")), 100),
        _steps([m.x for m in marks], levels),
        value_align if len(marks) > 1 else value_align or "middle",
    )


def value_axis(values: list[float]) -> tuple[float, float, float]:
    """The value axis: its lowest and highest label and the round step between them, 4 to 6
    labels over the values, from zero only when the values start near it."""
    low, high = min(values), max(values)
    spread = high - low
    if 0 < low <= NEAR_ZERO * spread:
        low = 0.0
    elif high < 0 and -high <= NEAR_ZERO * spread:
        high = 0.0
    if low == high == 0:
        high = 1.0
    elif low == high:  # one value: a little room either side, not across zero
        room = max(abs(low) * 0.05, 2 * SMALLEST_STEP)
        low = max(low - room, 0.0) if low > 0 else low - room
        high = min(high + room, 0.0) if high < 0 else high + room
    step = nice_step((high - low) / (MOST_TICKS - 1))
    first, last = math.floor(low / step), math.ceil(high / step)
    while last - first + 1 > MOST_TICKS:
        step = nice_step(step * 1.01)
        first, last = math.floor(low / step), math.ceil(high / step)
    while last - first + 1 < FEWEST_TICKS:  # room added away from zero, never across it
        if high <= 0 < -low:
            first -= 1
        else:
            last += 1
    return first * step, last * step, step


def nice_step(least: float) -> float:
    """The smallest round step (1, 2, 2.5 or 5 × 10ⁿ, at least 0.01) not below `least`."""
    least = max(least, SMALLEST_STEP)
    power = 10 ** math.floor(math.log10(least))
    return next(f * power for f in FACTORS if f * power >= least * (1 - 1e-12))


def time_range(spans: list[Span]) -> tuple[float, float]:
    """The days the time axis spans (as day numbers): every period drawn, whole."""
    start = min(s.start for s in spans).toordinal()
    end = max(s.end for s in spans).toordinal()
    if end - start < FEWEST_DAYS:
        middle = (start + end) / 2
        return middle - FEWEST_DAYS / 2, middle + FEWEST_DAYS / 2
    return start, end


def time_ticks(
    start: float, end: float, gutter: int, formats: Formats = ENGLISH.formats
) -> tuple[Tick, ...]:
    """Month or year starts across the axis, as many as fit apart on the narrowest chart:
    ("Apr 2025") every 1, 3 or 6 months on a short axis, else ("2025") every 1, 2, 5 … years.
    A label that would stick out past the plot's edges runs inwards from its tick."""
    plot = NARROWEST_PX - (gutter + 1) * CHAR_PX - RIGHT_PX
    first_year = dt.date.fromordinal(math.floor(start)).year
    last_year = dt.date.fromordinal(math.floor(end)).year

    def months(stride: int) -> list[tuple[str, dt.date]]:
        days = (
            months_after(y, 1, m)
            for y in range(first_year, last_year + 1)
            for m in range(0, 12, stride)
        )
        return [(formats.month(d), d) for d in days if start <= d.toordinal() <= end]

    def years(stride: int) -> list[tuple[str, dt.date]]:
        days = (
            dt.date(y, 1, 1) for y in range(first_year - first_year % stride, last_year + 1, stride)
        )
        return [(str(d.year), d) for d in days if start <= d.toordinal() <= end]

    short = last_year - first_year < 3
    strides = [(28 * n, months, n) for n in MONTH_STRIDES if short]
    strides += [(365 * n, years, n) for n in YEAR_STRIDES]
    for days, labelled, stride in strides:
        labels = labelled(stride)
        width = max((len(label) for label, _ in labels), default=0) * CHAR_PX + GAP_PX
        if days / (end - start) * plot >= width:
            break
    ticks = []
    for label, day in labels:
        x = round(100 * (day.toordinal() - start) / (end - start), 2)
        half, at = len(label) * CHAR_PX / 2, plot * x / 100
        if at - half < -gutter * CHAR_PX:
            align = "start"
        elif at + half > plot + RIGHT_PX:
            align = "end"
        else:
            align = "middle"
        ticks.append(Tick(x, label, align))
    return tuple(ticks)


def _steps(xs: list[float], levels: list[float | None]) -> str:
    """A step line: level from each point to the next at the target held then (to the end
    after the last), rising or falling where it changes; broken where there was none."""
    path: list[str] = []
    drawing = False
    for i, y in enumerate(levels):
        if y is None:
            drawing = False
            continue
        right = xs[i + 1] if i + 1 < len(xs) else 100
        path.append(f"{'L' if drawing else 'M'}{xs[i]} {y} L{right} {y}")
        drawing = True
    return " ".join(path)
