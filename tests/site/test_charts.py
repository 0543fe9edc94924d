"""Honest charts: a time axis placed by date, 4 to 6 round value labels over what is drawn,
the baseline and target at their years, a single value drawn as a labelled point."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.models import Measure, OutcomeUpdate
from site_builder.content.schema import LARGEST_NUMBER
from site_builder.site.charts import Chart, line_chart
from site_builder.site.figures import Point
from site_builder.site.periods import Span, period_span
from tests.support.fixtures import MakeSite
from tests.support.html import page, said
from tests.support.sites import FULL_PLAN, UPDATE, built


def point(label: str, value: float, day: dt.date = dt.date(2024, 7, 15)) -> Point:
    update = OutcomeUpdate(title="u", date=day, slug="u", plan="p", path="", body="")
    return Point(day, label, value, update)


def chart_of(
    values: list[float],
    baseline: Measure | None = None,
    target: Measure | None = None,
    labels: list[str] | None = None,
) -> Chart:
    labels = labels or [str(2000 + i) for i in range(len(values))]
    chart = line_chart(
        [point(lb, v) for lb, v in zip(labels, values, strict=True)], baseline, target
    )
    assert chart is not None
    return chart


def labels(chart: Chart) -> list[str]:
    return [t.label for t in chart.y_ticks]


def assert_sane(chart: Chart) -> None:
    """4 to 6 labels, top to bottom, each its own; every coordinate finite and on the plot."""
    ticks = chart.y_ticks
    assert 4 <= len(ticks) <= 6, labels(chart)
    positions = [t.position for t in ticks]
    assert positions == sorted(positions) and len(set(positions)) == len(ticks)
    assert len(set(labels(chart))) == len(ticks), labels(chart)
    assert positions[0] == 0 and positions[-1] == 100
    references = [r for r in (chart.baseline, chart.target) if r is not None]
    ys = [m.y for m in chart.marks] + [r.y for r in references]
    xs = [m.x for m in chart.marks] + [r.x for r in references if r.x is not None]
    xs += [t.position for t in chart.x_ticks]
    assert all(math.isfinite(v) and 0 <= v <= 100 for v in ys + xs), (ys, xs)


# The time axis ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2025 H1", dt.date(2025, 1, 1), dt.date(2025, 7, 1)),
        ("H2 2025", dt.date(2025, 7, 1), dt.date(2026, 1, 1)),
        ("2024 Q4", dt.date(2024, 10, 1), dt.date(2025, 1, 1)),
        ("q1-2024", dt.date(2024, 1, 1), dt.date(2024, 4, 1)),
        ("2023", dt.date(2023, 1, 1), dt.date(2024, 1, 1)),
        ("2024-05", dt.date(2024, 5, 1), dt.date(2024, 6, 1)),
        ("May 2024", dt.date(2024, 5, 1), dt.date(2024, 6, 1)),
        ("Sept. 2024", dt.date(2024, 9, 1), dt.date(2024, 10, 1)),
        ("2024 December", dt.date(2024, 12, 1), dt.date(2025, 1, 1)),
        # no period a chart can place: the day the update reported it
        ("Spring 2025", dt.date(2020, 3, 1), dt.date(2020, 3, 2)),
        ("2024 H3", dt.date(2020, 3, 1), dt.date(2020, 3, 2)),
        ("0001 Q1", dt.date(2020, 3, 1), dt.date(2020, 3, 2)),
    ],
)
def test_a_period_label_names_its_months(label: str, start: dt.date, end: dt.date) -> None:
    assert period_span(label, dt.date(2020, 3, 1)) == Span(start, end)


def test_points_are_placed_by_date_not_by_their_place_in_the_list() -> None:
    """12 months and 3 months were drawn the same width apart."""
    chart = chart_of([70, 72, 75], labels=["2023", "2024 Q1", "2024 Q2"])
    first, second, third = (m.x for m in chart.marks)
    middles = [period_span(lb, dt.date(2024, 1, 1)).middle for lb in ("2023", "2024 Q1", "2024 Q2")]
    assert (second - first) / (third - second) == pytest.approx(
        (middles[1] - middles[0]) / (middles[2] - middles[1]), rel=1e-3
    )
    assert second - first > 2.5 * (third - second)


def test_the_baseline_and_target_years_are_on_the_time_axis() -> None:
    chart = chart_of(
        [90, 80],
        baseline=Measure(value=100, year=2020),
        target=Measure(value=50, year=2030),
        labels=["2024 H1", "2025 H1"],
    )
    assert_sane(chart)
    assert chart.baseline is not None and chart.target is not None
    assert chart.baseline.x is not None and chart.target.x is not None
    # the axis runs from the start of 2020 to the end of 2030: 11 years
    assert chart.baseline.x == pytest.approx(100 * 0.5 / 11, abs=0.05)
    assert chart.target.x == pytest.approx(100 * 10.5 / 11, abs=0.05)
    assert chart.baseline.x < chart.marks[0].x < chart.marks[1].x < chart.target.x
    # every second year would not fit apart on a phone
    assert [t.label for t in chart.x_ticks] == ["2020", "2025", "2030"]
    assert chart.x_ticks[0].position == 0 and chart.x_ticks[0].align == "middle"
    # the baseline's words run rightwards from its year, the target's leftwards from its own
    assert (chart.baseline.align, chart.target.align) == ("start", "end")
    assert (
        chart.baseline.text == "Baseline 100 in 2020" and chart.target.text == "Target 50 by 2030"
    )


def test_a_short_axis_is_labelled_in_months_inside_the_chart() -> None:
    chart = chart_of([5], labels=["2025 H1"])
    assert [t.label for t in chart.x_ticks] == ["Jan 2025", "Apr 2025", "Jul 2025"]
    assert [t.position for t in chart.x_ticks] == [0, pytest.approx(49.72, abs=0.01), 100]
    # centred on the plot's edges, "Jan 2025" and "Jul 2025" would stick out of a phone's screen
    assert [t.align for t in chart.x_ticks] == ["start", "middle", "end"]


def test_a_year_every_year_when_they_fit_apart() -> None:
    chart = chart_of([5, 6, 7], labels=["2023", "2024", "2025"])
    assert [t.label for t in chart.x_ticks] == ["2023", "2024", "2025", "2026"]


# The value axis -----------------------------------------------------------------------------


def test_a_small_change_far_from_zero_is_drawn_over_its_own_range() -> None:
    """91 → 93 drew 187 labels, then 0–100 with the change a sliver at the top."""
    chart = chart_of([91, 93])
    assert_sane(chart)
    assert labels(chart) == ["93", "92.5", "92", "91.5", "91"]


def test_two_million_to_two_million_and_four() -> None:
    """It wrote two million labels: a 309 MB plan page."""
    chart = chart_of([2_000_000, 2_000_004])
    assert_sane(chart)
    assert labels(chart) == ["2,000,004", "2,000,003", "2,000,002", "2,000,001", "2,000,000"]


def test_a_rate_is_not_forced_to_zero_nor_crowded() -> None:
    """48–65 % was drawn from 0 with 14 labels."""
    assert labels(chart_of([48, 65, 61])) == ["65", "60", "55", "50", "45"]


def test_counts_near_zero_are_drawn_from_zero() -> None:
    assert labels(chart_of([3, 10])) == ["10", "8", "6", "4", "2", "0"]


def test_zero_negative_and_one_value() -> None:
    assert labels(chart_of([0, 0])) == ["1", "0.8", "0.6", "0.4", "0.2", "0"]
    assert labels(chart_of([-3, -5])) == ["-3", "-3.5", "-4", "-4.5", "-5"]
    assert labels(chart_of([-1, -9])) == ["0", "-2", "-4", "-6", "-8", "-10"]
    assert labels(chart_of([61])) == ["66", "64", "62", "60", "58", "56"]
    for values in ([0, 0], [-3, -5], [61], [-LARGEST_NUMBER, -LARGEST_NUMBER + 1]):
        assert_sane(chart_of(values))


def test_the_smallest_number_draws_a_chart() -> None:
    """5e-324 crashed the build: the log of a step too small to be a number."""
    assert_sane(chart_of([5e-324], baseline=Measure(value=0)))
    assert_sane(chart_of([5e-324, 1e-300]))


numbers = st.floats(min_value=-LARGEST_NUMBER, max_value=LARGEST_NUMBER, allow_nan=False)
measures = st.none() | st.builds(Measure, value=numbers, year=st.none() | st.integers(1990, 2060))


@given(
    values=st.lists(
        numbers | st.sampled_from([0.0, 5e-324, -5e-324, 1e15, 91.0]), min_size=1, max_size=6
    ),
    baseline=measures,
    target=measures,
)
def test_any_values_draw_4_to_6_labels_and_finite_coordinates(
    values: list[float], baseline: Measure | None, target: Measure | None
) -> None:
    assert_sane(chart_of(values, baseline, target))
    assert_sane(chart_of([values[0]] * len(values)))


# The target and a single value --------------------------------------------------------------


def test_the_target_held_at_each_report_is_a_step_line_from_point_to_point() -> None:
    points = [point("2024 H1", 90), point("2025 H1", 80)]
    targets = [Measure(value=50, year=2030), Measure(value=40, year=2030)]
    chart = line_chart(points, None, targets[-1], targets)
    assert chart is not None and chart.target is not None
    first, second = chart.marks
    fifty, forty = (chart.y_ticks[0].position, chart.y_ticks[-1].position)
    assert chart.target_steps.startswith(f"M{first.x} ")
    assert f"L{second.x} " in chart.target_steps and chart.target_steps.endswith(
        " L100 " + str(chart.target.y)
    )
    assert (fifty, forty) == (0, 100)


def test_a_single_value_is_a_labelled_point_on_the_plan_page(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
        }
    )
    built(site)
    figure = page(site / "output", "plans/riverton/").select_one("figure.chart")
    assert figure is not None
    assert len(figure.select("path.chart__point")) == 1
    assert said(figure.select_one(".chart__value")) == "2024 H1: 90"
    assert "L" not in figure.select_one("path.chart__line")["d"]
    words = [said(span) for span in figure.select("[aria-hidden=true] .chart__ref")]
    assert words == ["Baseline 100 in 2020", "Target 50 by 2030"]
    # the data table stays, with every value
    assert [said(td) for td in figure.select("table td")] == ["100", "90", "50"]
