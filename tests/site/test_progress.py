"""What the plan page computes: goal status from the numbers, review dates, chart axes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.models import Goal, GoalProgress, Measure, OutcomeUpdate, Plan
from site_builder.content.schema import LARGEST_NUMBER
from site_builder.site.charts import BOTTOM, HEIGHT, TOP, Chart, line_chart
from site_builder.site.figures import Point, add_months, computed_status, goal_rows

SHOOTINGS = Goal(
    id="shootings",
    title="Fewer people shot",
    indicator="people_shot",
    direction="decrease",
    baseline=Measure(value=100, year=2020),
    target=Measure(value=50, year=2030),
)


def latest(value: float, year: int) -> Point:
    update = OutcomeUpdate(
        title="u", date=dt.date(year, 6, 30), slug="u", plan="p", path="", body=""
    )
    return Point(update.date, str(year), value, update)


@pytest.mark.parametrize(
    ("value", "year", "status"),
    [
        (50, 2026, "met"),  # target reached early
        (45, 2026, "met"),
        (75, 2025, "on-track"),  # half the way at half the time
        (90, 2025, "at-risk"),  # some progress, behind schedule
        (100, 2025, "off-track"),  # no progress
        (110, 2022, "off-track"),  # worse than the baseline
    ],
)
def test_status_from_baseline_target_and_time(value: float, year: int, status: str) -> None:
    assert computed_status(SHOOTINGS, latest(value, year), dt.date(2026, 1, 1)) == status


def test_no_value_means_no_data() -> None:
    assert computed_status(SHOOTINGS, None, dt.date(2026, 1, 1)) == "no-data"


def test_an_increase_goal_counts_upwards() -> None:
    jobs = Goal(
        id="jobs",
        title="Jobs",
        direction="increase",
        baseline=Measure(value=200, year=2020),
        target=Measure(value=600, year=2030),
    )
    assert computed_status(jobs, latest(420, 2025), dt.date(2026, 1, 1)) == "on-track"
    assert computed_status(jobs, latest(250, 2025), dt.date(2026, 1, 1)) == "at-risk"


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2024, 1, 15), 12, dt.date(2025, 1, 15)),
    ],
)
def test_review_months_keep_the_day_or_end_the_month(
    day: dt.date, months: int, due: dt.date
) -> None:
    assert add_months(day, months) == due


def test_each_goal_shows_its_latest_reported_status() -> None:
    """Reports are gathered in one pass over the updates (a search per goal cost goals ×
    updates); the latest report of a goal wins, even when later updates leave it out."""
    jobs = Goal(id="jobs", title="Jobs")
    plan = Plan(
        title="p", city="c", status="draft", goals=(SHOOTINGS, jobs), slug="p", path="p", body=""
    )

    def update(day: int, **goals: str) -> OutcomeUpdate:
        return OutcomeUpdate(
            title="u",
            date=dt.date(2025, 1, day),
            slug=f"u{day}",
            plan="p",
            path="",
            body="",
            goals={k: GoalProgress(status=v) for k, v in goals.items()},
        )

    rows = goal_rows(
        plan,
        [update(1, shootings="at-risk", jobs="met"), update(2, shootings="on-track"), update(3)],
        dt.date(2026, 1, 1),
    )
    assert [(r.goal.id, r.status, r.computed) for r in rows] == [
        ("shootings", "on-track", False),
        ("jobs", "met", False),
    ]


# Chart axes ----------------------------------------------------------------------------------


def chart_of(
    values: list[float], baseline: float | None = None, target: float | None = None
) -> Chart:
    points = [latest(value, 2020 + i) for i, value in enumerate(values)]
    chart = line_chart(points, baseline, target)
    assert chart is not None
    return chart


def assert_sane(chart: Chart) -> None:
    """At most 11 labels, in order, each its own; every coordinate finite and on the plot."""
    ticks = chart.y_ticks
    assert 2 <= len(ticks) <= 11, [t.label for t in ticks]
    positions = [t.position for t in ticks]
    assert positions == sorted(positions, reverse=True) and len(set(positions)) == len(ticks)
    assert len({t.label for t in ticks}) == len(ticks), [t.label for t in ticks]
    ys = (
        [m.y for m in chart.marks]
        + positions
        + [y for y in (chart.baseline_y, chart.target_y) if y is not None]
    )
    assert all(math.isfinite(y) and TOP <= y <= HEIGHT - BOTTOM for y in ys), ys
    assert all(math.isfinite(m.x) for m in chart.marks)


def test_a_small_change_far_from_zero_draws_few_labels() -> None:
    """91 → 93 drew 187 labels: the step was cut from the change, the axis from zero."""
    chart = chart_of([91, 93])
    assert_sane(chart)
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]


def test_two_million_to_two_million_and_four_is_a_small_page() -> None:
    """It wrote two million labels: a 309 MB plan page."""
    assert_sane(chart_of([2_000_000, 2_000_004]))


def test_the_smallest_number_draws_a_chart() -> None:
    """5e-324 crashed the build: the log of a step too small to be a number."""
    assert_sane(chart_of([5e-324], baseline=0))
    assert_sane(chart_of([5e-324, 1e-300]))


def test_a_sane_axis_is_drawn_as_before() -> None:
    """The step suits the values' own range when the axis from zero has room for it."""
    chart = chart_of([90, 75], baseline=100, target=50)
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]


def test_negative_values_are_drawn_up_to_zero() -> None:
    """As positive values are drawn from zero, so that -1e15 → -1e15 + 1 has room."""
    assert [t.label for t in chart_of([-3, -5]).y_ticks] == ["-5", "-4", "-3", "-2", "-1", "0"]
    assert_sane(chart_of([-LARGEST_NUMBER, -LARGEST_NUMBER + 1]))


numbers = st.floats(min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, allow_nan=False)


@given(
    values=st.lists(
        numbers | st.sampled_from([0.0, 5e-324, -5e-324, 1e15, 91.0]), min_size=1, max_size=6
    ),
    baseline=st.none() | numbers,
    target=st.none() | numbers,
)
def test_any_values_draw_a_few_labels_and_finite_coordinates(
    values: list[float], baseline: float | None, target: float | None
) -> None:
    assert_sane(chart_of(values, baseline, target))
    assert_sane(chart_of([values[0]] * len(values)))
