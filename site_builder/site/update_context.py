"""What an outcome update's figures mean: each beside the value reported before it, the
goal's baseline and target, and the change said in words ("down 12 from 2024 H2; target
40 by 2030"); and the updates before and after it.

Pure: a plan and its updates in, made once per plan in one pass over its updates, so an
update page and the plan's feed cost their figures, not figures times updates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.models import Goal, OutcomeUpdate, Plan
from .figures import STATUS_LABELS
from .formats import format_number, listed


@dataclass(frozen=True)
class Earlier:
    """A value reported by an earlier update: what a new figure is compared with."""

    label: str  # the update's period, else its date
    value: float


@dataclass(frozen=True)
class Figure:
    """One reported figure, with what it is measured against."""

    indicator: str
    goal: Goal | None  # the first goal of the plan measured by this indicator
    value: float
    previous: Earlier | None

    @property
    def label(self) -> str:
        return self.goal.title if self.goal else self.indicator

    @property
    def change(self) -> str:
        """'down 12 from 2024 H2', 'unchanged from 2024 H2', or 'first figure reported'."""
        if self.previous is None:
            return "first figure reported"
        difference = self.value - self.previous.value
        if difference == 0:
            return f"unchanged from {self.previous.label}"
        way = "up" if difference > 0 else "down"
        return f"{way} {format_number(round(abs(difference), 2))} from {self.previous.label}"

    @property
    def aim(self) -> str:
        """Whether the change went the way the goal aims, in words (never colour alone)."""
        direction = self.goal.direction if self.goal else None
        if self.previous is None or direction is None or self.value == self.previous.value:
            return ""
        rising = self.value > self.previous.value
        return (
            "the way the goal aims" if rising == (direction == "increase") else "away from the goal"
        )

    @property
    def target(self) -> str:
        """'target 40 by 2030', or '' for a figure without a target."""
        measure = self.goal.target if self.goal else None
        if measure is None:
            return ""
        by = f" by {measure.year}" if measure.year else ""
        return f"target {format_number(measure.value)}{by}"

    @property
    def sentence(self) -> str:
        """The change and the target in one phrase, as the page and the feed say it."""
        change = f"{self.change}, {self.aim}" if self.aim else self.change
        return "; ".join(part for part in (change, self.target) if part)


@dataclass(frozen=True)
class UpdateContext:
    """An update's figures in context and its neighbours among the plan's updates."""

    figures: tuple[Figure, ...]
    previous: OutcomeUpdate | None
    next: OutcomeUpdate | None


def goals_by_indicator(plan: Plan) -> dict[str, Goal]:
    """The first goal of the plan measured by each indicator."""
    return {g.indicator: g for g in reversed(plan.goals) if g.indicator}


def plan_update_contexts(
    indicators: Mapping[str, Goal], updates: Sequence[OutcomeUpdate]
) -> dict[str, UpdateContext]:
    """Every update of a plan (`updates` oldest first, `indicators` its
    `goals_by_indicator`) in context, by the update's slug."""
    last: dict[str, Earlier] = {}
    contexts = {}
    for index, update in enumerate(updates):
        figures = tuple(
            Figure(name, indicators.get(name), value, last.get(name))
            for name, value in update.metrics.items()
        )
        label = update.period or update.date.isoformat()
        last.update((name, Earlier(label, value)) for name, value in update.metrics.items())
        contexts[update.slug] = UpdateContext(
            figures,
            updates[index - 1] if index else None,
            updates[index + 1] if index + 1 < len(updates) else None,
        )
    return contexts


def update_summary(update: OutcomeUpdate, context: UpdateContext, goals: Mapping[str, Goal]) -> str:
    """What an update reports, in a few sentences: for a feed entry that says more than
    '2026 H1'."""
    parts = [f"{update.period}." if update.period else ""]
    parts += [
        f"{figure.label}: {format_number(figure.value)}, {figure.sentence}."
        for figure in context.figures
    ]
    counts: dict[str, int] = {}
    for goal_id, progress in update.goals.items():
        if goal_id in goals:
            counts[progress.status] = counts.get(progress.status, 0) + 1
    if counts:
        said = [
            f"{counts[status]} {label.lower()}"
            for status, label in STATUS_LABELS.items()
            if status in counts
        ]
        parts.append(f"Goals: {listed(said)}.")
    return " ".join(part for part in parts if part) or update.title
