"""What a plan's numbers say: latest values, goal status, the cost estimate, review dates.

Pure functions of a plan, its updates and "today", shared by the plan page, the open data
files and archived revisions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.models import (
    Commitment,
    Election,
    Goal,
    GoalProgress,
    Measure,
    OutcomeUpdate,
    Plan,
)
from .interface import ENGLISH, N_, Interface

REVIEW_MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}
STATUS_LABELS = {
    "on-track": "On track",
    "at-risk": "At risk",
    "off-track": "Off track",
    "met": "Met",
    "no-data": "No data yet",
}


@dataclass(frozen=True)
class Point:
    """One reported value of an indicator."""

    date: dt.date
    label: str
    value: float
    update: OutcomeUpdate


@dataclass(frozen=True)
class GoalRow:
    """A goal with where it started, where it is, where it aims, and how it is going; for a
    goal counted in people, in a city of known `population`, each also per 100,000."""

    goal: Goal
    latest: Point | None
    status: str
    computed: bool  # True when the status comes from the numbers, not from an update
    note: str | None
    population: Measure | None = None

    @property
    def rates(self) -> dict[str, float | None] | None:
        """Baseline, latest and target per 100,000 residents, or None when not counted in
        people or the population is not known."""
        if self.population is None or not counts_people(self.goal):
            return None
        goal = self.goal
        return {
            "baseline": per_100k(goal.baseline.value if goal.baseline else None, self.population),
            "latest": per_100k(self.latest.value if self.latest else None, self.population),
            "target": per_100k(goal.target.value if goal.target else None, self.population),
        }

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CostLine:
    label: str
    detail: str
    amount: float


@dataclass(frozen=True)
class CostEstimate:
    lines: tuple[CostLine, ...]
    total: float
    budget_year: int | None
    budget: float | None
    people_served: int = 0
    population: Measure | None = None

    @property
    def share_of_residents(self) -> float | None:
        """The people served as a share of the city's residents (the 1–2% most at risk
        is the rule of thumb), or None when the population is not known."""
        if self.population is None or self.population.value <= 0:
            return None
        return self.people_served / self.population.value

    @property
    def coverage(self) -> float | None:
        """The share of the estimate the budget covers (0.5 = half)."""
        if self.budget is None or not self.total:
            return None
        return self.budget / self.total


@dataclass(frozen=True)
class ReviewDue:
    cadence: str
    last: dt.date | None
    due: dt.date | None
    overdue: bool


def published_by(updates: Sequence[OutcomeUpdate], day: dt.date) -> list[OutcomeUpdate]:
    """The updates dated on or before `day`: what a plan as it stood that day is measured
    by, on its archived page and on a convening's page of every plan."""
    return [u for u in updates if u.date <= day]


def series(plan: Plan, updates: Sequence[OutcomeUpdate]) -> dict[str, list[Point]]:
    """Each indicator's reported values over time, oldest first."""
    return indicator_series(plan.goals, updates)


def indicator_series(
    goals: Sequence[Goal], updates: Sequence[OutcomeUpdate]
) -> dict[str, list[Point]]:
    """The reported values of each indicator of `goals` over time, oldest first."""
    by_indicator: dict[str, list[Point]] = {}
    for goal in goals:
        if goal.indicator:
            by_indicator.setdefault(goal.indicator, [])
    for update in updates:
        for name, value in update.metrics.items():
            if name in by_indicator:
                label = update.period or update.date.isoformat()
                by_indicator[name].append(Point(update.date, label, value, update))
    return by_indicator


def goal_rows(plan: Plan, updates: Sequence[OutcomeUpdate], today: dt.date) -> list[GoalRow]:
    """Every goal with its latest value and status (reported, else computed)."""
    return goal_statuses(plan.goals, updates, today, plan.population)


def goal_statuses(
    goals: Sequence[Goal],
    updates: Sequence[OutcomeUpdate],
    today: dt.date,
    population: Measure | None = None,
) -> list[GoalRow]:
    """Each of `goals` with its latest value and status (reported, else computed): the
    goals of a plan now, or of a past revision."""
    values = indicator_series(goals, updates)
    latest_reports: dict[str, GoalProgress] = {}
    for update in updates:  # oldest first, so the latest report of each goal stays
        latest_reports.update(update.goals)
    rows = []
    for goal in goals:
        points = values.get(goal.indicator or "", [])
        latest = points[-1] if points else None
        reported = latest_reports.get(goal.id)
        if reported is not None:
            row = GoalRow(goal, latest, reported.status, False, reported.note, population)
        else:
            status = computed_status(goal, latest, today)
            row = GoalRow(goal, latest, status, True, None, population)
        rows.append(row)
    return rows


#: A commitment with one of these statuses has met its end, so it is due no longer.
_SETTLED = frozenset({"kept", "missed", "withdrawn"})


def overdue(commitment: Commitment, today: dt.date) -> bool:
    """Past its due date and neither kept, missed nor withdrawn."""
    return (
        commitment.due is not None and commitment.due < today and commitment.status not in _SETTLED
    )


#: Rates of people hurt are given per this many residents, as public health reports do.
PER_RESIDENTS = 100_000


def per_100k(value: float | None, population: Measure) -> float | None:
    """`value` people per 100,000 residents of a city of `population`, to a hundredth."""
    if value is None or population.value <= 0:
        return None
    return round(value * PER_RESIDENTS / population.value, 2)


def counts_people(goal: Goal) -> bool:
    """A goal whose numbers count people (people shot, homicides), so that a rate per
    resident means something; a share or a count of programmes does not."""
    return (goal.unit or "").strip().lower() == "people"


def computed_status(goal: Goal, latest: Point | None, today: dt.date) -> str:
    """Met, on track, at risk or off track, from baseline, target, direction and time.

    On track means at least the share of the way that the share of time gone asks for,
    less a ten-point allowance; at risk means some progress; off track means none.
    """
    if latest is None or goal.baseline is None or goal.target is None:
        return "no-data"
    sign = -1 if goal.direction == "decrease" else 1
    if goal.direction is None:
        sign = 1 if goal.target.value >= goal.baseline.value else -1
    distance = (goal.target.value - goal.baseline.value) * sign
    travelled = (latest.value - goal.baseline.value) * sign
    if distance <= 0 or travelled >= distance:
        return "met" if travelled >= distance else "off-track"
    share_done = travelled / distance
    start, end = goal.baseline.year, goal.target.year
    if start is None or end is None or end <= start:
        share_due = 0.0
    else:
        share_due = min(max((latest.date.year - start) / (end - start), 0.0), 1.0)
    if share_done >= share_due - 0.1:
        return "on-track"
    return "at-risk" if share_done > 0 else "off-track"


def cost_estimate(
    plan: Plan, today: dt.date, interface: Interface = ENGLISH
) -> CostEstimate | None:
    """The cost model broken down line by line, and this year's budget against it; its
    words and figures in `interface`'s language."""
    model = plan.cost_model
    if model is None:
        return None
    _, number, money = interface.gettext, interface.formats.number, interface.formats.money
    people = model.people_served

    def each(amount: float) -> str:
        return _("%(people)s people × %(amount)s", people=number(people), amount=money(amount))

    lines = [CostLine(_("Programming"), each(model.per_person), people * model.per_person)]
    for label, staffing in ((N_("Staff"), model.staff), (N_("Supervisors"), model.supervisors)):
        if staffing is not None:
            lines.append(
                CostLine(
                    _(label),
                    _(
                        "%(count)s × %(salary)s",
                        count=staffing.count,
                        salary=money(staffing.salary),
                    ),
                    staffing.count * staffing.salary,
                )
            )
    if model.office is not None:
        office = interface.pgettext("cost", "Office")  # the office's rent, not an office held
        lines.append(CostLine(office, _("per year"), model.office))
    if model.training is not None:
        lines.append(CostLine(_("Training"), _("per year"), model.training))
    if model.wraparound_per_person is not None:
        lines.append(
            CostLine(
                _("Wraparound services"),
                each(model.wraparound_per_person),
                people * model.wraparound_per_person,
            )
        )
    budget = budget_for(plan, today.year)
    return CostEstimate(
        tuple(lines),
        sum(line.amount for line in lines),
        budget[0] if budget else None,
        budget[1] if budget else None,
        people,
        plan.population,
    )


def budget_for(plan: Plan, year: int) -> tuple[int, float] | None:
    """The budget of `year`, else of the latest year before it, else of the first year."""
    if not plan.budget:
        return None
    totals: dict[int, float] = {}
    for line in plan.budget:
        totals[line.year] = totals.get(line.year, 0) + line.amount
    past = [y for y in totals if y <= year]
    chosen = max(past) if past else min(totals)
    return chosen, totals[chosen]


def review_due(plan: Plan, updates: list[OutcomeUpdate], today: dt.date) -> ReviewDue | None:
    """When the next public review is due: the cadence after the latest of the last
    outcome update, the last public review (`reviewed`) and adoption, since each is a
    time the plan was looked at in public."""
    if plan.review is None:
        return None
    looked_at = (updates[-1].date if updates else None, plan.reviewed, plan.adopted)
    last = max((day for day in looked_at if day is not None), default=None)
    if last is None:
        return ReviewDue(plan.review, None, None, False)
    due = add_months(last, REVIEW_MONTHS[plan.review])
    return ReviewDue(plan.review, last, due, due < today)


def next_election(plan: Plan, today: dt.date) -> Election | None:
    upcoming = sorted((e for e in plan.elections if e.date >= today), key=lambda e: e.date)
    return upcoming[0] if upcoming else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
