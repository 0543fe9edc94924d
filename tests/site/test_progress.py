"""What the plan page computes: goal status from the numbers, review dates."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder.content.models import Goal, GoalProgress, Measure, OutcomeUpdate, Plan
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
