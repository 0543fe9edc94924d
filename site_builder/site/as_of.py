"""Where a plan stood on a given day: the revision then in effect (its last committed on or
before the day), its title and status then, its goals with their status from the outcome
updates published by then, and what had become of its commitments.

Made from what a build already holds: the plan's timeline (`promises.plan_timeline` read
every revision once, and keeps each commitment's and goal's changes and the plan's title
and status at each revision that changed them) and the current updates. No revision is
read again here, so a page of every plan as of every convening costs little more than a
lookup per plan and day. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..content.models import Goal, OutcomeUpdate, Plan
from ..history.reading import Revision
from .figures import goal_statuses, published_by
from .promises import SETTLED, Life, PlanTimeline, Standing
from .urls import goal_url, plan_url, revision_url

#: What a commitment can have become by a day, in the order pages count them.
STATES = ("kept", "open", "missed", "withdrawn", "dropped")


@dataclass(frozen=True)
class GoalThen:
    """A goal as the plan held it on a day, with its status from the updates by then."""

    title: str
    status: str  # on-track, at-risk, off-track, met or no-data (figures.STATUS_LABELS)
    label: str
    computed: bool  # estimated from the numbers, not reported by an update
    latest: float | None  # the last value reported by then
    period: str | None  # when that value was measured
    unit: str | None
    url: str | None  # the goal's page, when it has one


@dataclass(frozen=True)
class PlanThen:
    """A plan as it stood on a day; `number` 0 when it had no revision yet."""

    slug: str
    title: str  # its title now, which names it in lists
    url: str  # its current page
    number: int = 0  # the revision in effect, counted as on the history page
    commit: str = ""
    date: dt.date | None = None  # the day that revision was committed
    #: Its title and status then, from the last revision by then read as a plan (None:
    #: none could be), and that revision's number when it is not the one in effect.
    title_then: str | None = None
    status: str | None = None
    read_from: int | None = None
    goals: tuple[GoalThen, ...] = ()
    commitments: Mapping[str, int] | None = None  # how many in each of `STATES`
    path: str = ""  # its file: whether a page in another language has its title translated

    @property
    def published(self) -> bool:
        return self.number > 0

    @property
    def revision_url(self) -> str:
        return revision_url(self.slug, self.commit)


def revision_on(dates: Sequence[dt.date], day: dt.date) -> int:
    """The number of the plan's last revision committed on or before `day` (0: none), from
    its revisions' dates, oldest first."""
    for index in range(len(dates) - 1, -1, -1):
        if dates[index] <= day:
            return index + 1
    return 0


def revision_dates(revisions: Sequence[Revision]) -> list[dt.date]:
    """Each revision's day, as its pages date it."""
    return [revision.date.date() for revision in revisions]


def standing_at(timeline: PlanTimeline, number: int) -> Standing | None:
    """The plan's title and status as its last readable revision up to `number` had them."""
    held = None
    for standing in timeline.standings:
        if standing.number > number:
            break
        held = standing
    return held


def read_from(timeline: PlanTimeline, number: int) -> int:
    """The last revision up to `number` read as a plan (0: none), which says what the plan
    was when revision `number` itself could not be read."""
    while number in timeline.unread:
        number -= 1
    return number


def goals_at(timeline: PlanTimeline, number: int) -> list[Goal]:
    """The goals revision `number` held, each as it was then: its title, target, baseline,
    direction and owner taken back from its later changes. Its indicator and unit are
    those it has now: the timeline does not follow them, and the updates, which are read
    as they are now, report under those names."""
    goals = []
    for life in timeline.goals:
        if _present_at(life, number):
            assert isinstance(life.last, Goal)
            then = {}
            for change in reversed(life.changes):
                if change.number <= number:
                    break
                if change.what in _GOAL_FIELDS:
                    then[_GOAL_FIELDS[change.what]] = change.old
            goals.append(replace(life.last, **then) if then else life.last)
    return goals


#: The fields of a goal its timeline follows, by the name of their change.
_GOAL_FIELDS = {
    "reworded": "title",
    "target": "target",
    "baseline": "baseline",
    "direction": "direction",
    "owner": "owner",
}


def _present_at(life: Life, number: int) -> bool:
    present = False
    for change in life.changes:
        if change.number > number:
            break
        present = change.what != "removed"
    return present


def commitment_state(life: Life, number: int) -> str | None:
    """What a commitment had become by revision `number`: kept, missed or withdrawn as the
    plan said, dropped (taken out without being marked so), open, or None when it was not
    promised yet. As `promises.end_of`, a commitment taken out after being marked kept
    stays kept."""
    status: str | None = None
    present = False
    for change in life.changes:
        if change.number > number:
            break
        if change.what == "removed":
            present = False
        else:
            present, status = True, change.status
    if status is None:
        return None
    if status in SETTLED:
        return status
    return "open" if present else "dropped"


def commitment_states(timeline: PlanTimeline, number: int) -> dict[str, str]:
    """Each commitment's state by revision `number`, by the name of its page."""
    states = {}
    for life in timeline.commitments:
        state = commitment_state(life, number)
        if state is not None:
            states[life.id] = state
    return states


def counted(states: Mapping[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state in states.values():
        counts[state] += 1
    return counts


def plan_then(
    plan: Plan,
    revisions: Sequence[Revision],
    number: int,
    timeline: PlanTimeline,
    updates: Sequence[OutcomeUpdate],
    day: dt.date,
    states: Mapping[str, str],
    goal_pages: frozenset[str] = frozenset(),
) -> PlanThen:
    """`plan` as revision `number` of `revisions` left it on `day`, its goals measured by
    the updates published by then (as the archived revision's page measures them) and its
    commitments' `states` by then (`commitment_states`); `goal_pages` names the goals that
    have a page."""
    then = PlanThen(plan.slug, plan.title, plan_url(plan.slug), path=plan.path)
    if number == 0:
        return then
    revision = revisions[number - 1]
    readable = read_from(timeline, number)
    standing = standing_at(timeline, readable)
    goals: tuple[GoalThen, ...] = ()
    if standing is not None:
        rows = goal_statuses(goals_at(timeline, readable), published_by(updates, day), day)
        goals = tuple(
            GoalThen(
                row.goal.title,
                row.status,
                row.status_label,
                row.computed,
                row.latest.value if row.latest else None,
                row.latest.label if row.latest else None,
                row.goal.unit,
                goal_url(plan.slug, row.goal.id) if row.goal.id in goal_pages else None,
            )
            for row in rows
        )
    return PlanThen(
        plan.slug,
        plan.title,
        plan_url(plan.slug),
        number,
        revision.commit,
        revision.date.date(),
        standing.title if standing else None,
        standing.status if standing else None,
        readable if standing and readable != number else None,
        goals,
        counted(states),
        plan.path,
    )
