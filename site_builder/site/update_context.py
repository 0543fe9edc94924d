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
from .interface import ENGLISH, NN_, Interface

#: Goal statuses as an update's summary counts them ("2 on track").
_COUNTED = {
    "on-track": NN_("%(num)s on track", "%(num)s on track"),
    "at-risk": NN_("%(num)s at risk", "%(num)s at risk"),
    "off-track": NN_("%(num)s off track", "%(num)s off track"),
    "met": NN_("%(num)s met", "%(num)s met"),
}


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
    interface: Interface = ENGLISH  # the words it is said in

    @property
    def label(self) -> str:
        return self.goal.title if self.goal else self.indicator

    @property
    def change(self) -> str:
        """'down 12 from 2024 H2', 'unchanged from 2024 H2', or 'first figure reported'."""
        _ = self.interface.gettext
        if self.previous is None:
            return _("first figure reported")
        difference = self.value - self.previous.value
        before = self.previous.label
        if difference == 0:
            return _("unchanged from %(before)s", before=before)
        by = self.interface.formats.number(round(abs(difference), 2))
        if difference > 0:
            return _("up %(by)s from %(before)s", by=by, before=before)
        return _("down %(by)s from %(before)s", by=by, before=before)

    @property
    def aim(self) -> str:
        """Whether the change went the way the goal aims, in words (never colour alone)."""
        direction = self.goal.direction if self.goal else None
        if self.previous is None or direction is None or self.value == self.previous.value:
            return ""
        rising = self.value > self.previous.value
        _ = self.interface.gettext
        return (
            _("the way the goal aims")
            if rising == (direction == "increase")
            else _("away from the goal")
        )

    @property
    def target(self) -> str:
        """'target 40 by 2030', or '' for a figure without a target."""
        measure = self.goal.target if self.goal else None
        if measure is None:
            return ""
        _, value = self.interface.gettext, self.interface.formats.number(measure.value)
        if measure.year:
            return _("target %(value)s by %(year)s", value=value, year=measure.year)
        return _("target %(value)s", value=value)

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
    indicators: Mapping[str, Goal],
    updates: Sequence[OutcomeUpdate],
    interface: Interface = ENGLISH,
) -> dict[str, UpdateContext]:
    """Every update of a plan (`updates` oldest first, `indicators` its
    `goals_by_indicator`) in context, by the update's slug, said in `interface`."""
    last: dict[str, Earlier] = {}
    contexts = {}
    for index, update in enumerate(updates):
        figures = tuple(
            Figure(name, indicators.get(name), value, last.get(name), interface)
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


def update_summary(
    update: OutcomeUpdate,
    context: UpdateContext,
    goals: Mapping[str, Goal],
    interface: Interface = ENGLISH,
) -> str:
    """What an update reports, in a few sentences: for a feed entry that says more than
    '2026 H1'."""
    number = interface.formats.number
    parts = [f"{update.period}." if update.period else ""]
    parts += [
        f"{figure.label}: {number(figure.value)}, {figure.sentence}." for figure in context.figures
    ]
    counts: dict[str, int] = {}
    for goal_id, progress in update.goals.items():
        if goal_id in goals:
            counts[progress.status] = counts.get(progress.status, 0) + 1
    if counts:
        said = [
            interface.ngettext(*words, counts[status])
            for status, words in _COUNTED.items()
            if status in counts
        ]
        parts.append(interface.gettext("Goals: %(counts)s.", counts=interface.formats.listed(said)))
    return " ".join(part for part in parts if part) or update.title
