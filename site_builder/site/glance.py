"""A plan at a glance: its goals and commitments counted by status, its public review, its
next election and its latest change; what the home cards, the plans list, the top of the
plan page and plans.json say first.

Pure: a plan's view figures in, counts and words out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.models import Election, Plan
from .figures import GoalRow, ReviewDue, overdue
from .interface import ENGLISH, N_, NN_, Interface
from .promise_story import PlanPromises
from .promises import SETTLED

#: Goal statuses from best to worst, each as a count says it ("2 on track").
GOAL_WORDS = {
    "met": NN_("%(num)s met", "%(num)s met"),
    "on-track": NN_("%(num)s on track", "%(num)s on track"),
    "at-risk": NN_("%(num)s at risk", "%(num)s at risk"),
    "off-track": NN_("%(num)s off track", "%(num)s off track"),
    "no-data": NN_("%(num)s with no data yet", "%(num)s with no data yet"),
}
#: Commitment states as a count says them; "dropped": taken out of the plan without a word.
COMMITMENT_WORDS = {
    "kept": NN_("%(num)s kept", "%(num)s kept"),
    "in-progress": NN_("%(num)s in progress", "%(num)s in progress"),
    "overdue": NN_("%(num)s overdue", "%(num)s overdue"),
    "missed": NN_("%(num)s missed", "%(num)s missed"),
    "withdrawn": NN_("%(num)s withdrawn", "%(num)s withdrawn"),
    "dropped": NN_("%(num)s dropped without a word", "%(num)s dropped without a word"),
}
#: What a plan's `review` cadence means: how often outcome updates are due.
CADENCE_WORDS = {
    "quarterly": N_("four times a year"),
    "semiannual": N_("twice a year"),
    "annual": N_("once a year"),
}


@dataclass(frozen=True)
class Count:
    """How many goals or commitments are in one status, and the count in words ("2 on
    track", "1 kept")."""

    status: str
    said: str
    count: int


@dataclass(frozen=True)
class Glance:
    """The answers a resident looks for first (its latest change is the plan view's)."""

    goals: tuple[Count, ...]  # every status, in GOAL_WORDS' order, zeros included
    commitments: tuple[Count, ...]  # every state, in COMMITMENT_WORDS' order, zeros included
    review: ReviewDue | None
    election: Election | None
    cadence: str | None  # the review cadence in words ("twice a year"); None: none set

    @property
    def goal_total(self) -> int:
        return sum(c.count for c in self.goals)

    @property
    def goals_on_course(self) -> int:
        """Goals met or on track: the figure "3 of 4 goals" leads with."""
        return sum(c.count for c in self.goals if c.status in ("met", "on-track"))

    @property
    def commitment_total(self) -> int:
        return sum(c.count for c in self.commitments)


def plan_glance(
    plan: Plan,
    rows: Sequence[GoalRow],
    told: PlanPromises | None,
    review: ReviewDue | None,
    election: Election | None,
    today: dt.date,
    interface: Interface = ENGLISH,
) -> Glance:
    """The plan at a glance, in `interface`'s words; `told`: its commitments' stories, or
    None where the plan has no history to tell them from (an archived revision), when they
    are counted from the plan."""
    goal_counts = dict.fromkeys(GOAL_WORDS, 0)
    for row in rows:
        goal_counts[row.status] += 1
    states = commitment_counts(told.counts()) if told is not None else held_counts(plan, today)
    return Glance(
        tuple(Count(s, interface.ngettext(*GOAL_WORDS[s], n), n) for s, n in goal_counts.items()),
        tuple(Count(s, interface.ngettext(*COMMITMENT_WORDS[s], n), n) for s, n in states.items()),
        review,
        election,
        interface.gettext(CADENCE_WORDS[review.cadence]) if review else None,
    )


def commitment_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """`PlanPromises.counts` said as a resident reads them: the open ones split into those
    in progress and those overdue, so that no commitment is counted twice."""
    split = {**counts, "in-progress": counts["open"] - counts["overdue"]}
    return {state: split[state] for state in COMMITMENT_WORDS}


def held_counts(plan: Plan, today: dt.date) -> dict[str, int]:
    """The states of the commitments a plan holds, read from the plan alone (as
    `PlanPromises.counts` reads a held one, at a fraction of its cost on every archived
    revision): none dropped, since that takes the history it has not."""
    counts = dict.fromkeys(COMMITMENT_WORDS, 0)
    for commitment in plan.commitments:
        status = commitment.status
        if status in SETTLED:
            counts[status] += 1
        else:
            counts["overdue" if overdue(commitment, today) else "in-progress"] += 1
    return counts


def glance_data(glance: Glance, latest_change: Mapping[str, Any] | None) -> dict[str, Any]:
    """The glance as plans.json carries it: the same counts the pages show."""
    review = glance.review
    election = glance.election
    return {
        "goals": {c.status: c.count for c in glance.goals},
        "commitments": {c.status: c.count for c in glance.commitments},
        "review": (
            {
                "cadence": review.cadence,
                "due": review.due,
                "overdue": review.overdue,
            }
            if review
            else None
        ),
        "next_election": {"date": election.date, "office": election.office} if election else None,
        "latest_change": latest_change,
    }
