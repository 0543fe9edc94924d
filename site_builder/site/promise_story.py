"""A commitment's or goal's life told for residents: each change in words, dated, with its
revision and change note; time spent in each status; how a commitment ended; a goal's
target as it stood at each outcome update.

Pure: the plan, its timeline (`promises`), its revisions and notes, and "today" in.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.models import Commitment, Goal, GoalStatus, Measure, OutcomeUpdate, Plan
from ..history.change_notes import ChangeNote
from ..history.reading import Revision
from .change_summary import note_of
from .interface import ENGLISH, Interface
from .promise_words import commitment_words, goal_words
from .promises import (
    SETTLED,
    Change,
    Life,
    PlanTimeline,
    status_of,
)
from .urls import ID_LENGTH, changes_url, commitment_url, goal_url


@dataclass(frozen=True)
class Event:
    """One change of an item, as its page, its JSON and the plan's feed say it."""

    change: Change
    commit: str
    when: dt.datetime
    author: str
    note: ChangeNote
    words: str
    url: str  # the changes page of its revision

    @property
    def date(self) -> dt.date:
        return self.when.date()

    @property
    def anchor(self) -> str:
        """Its id on the item's page (and in the plan's feed): one per change of a commit."""
        return f"{self.commit[:ID_LENGTH]}-{self.change.what}"


@dataclass(frozen=True)
class Span:
    """A stretch of time a commitment spent in one status."""

    status: str
    start: dt.date
    end: dt.date | None  # None: it still is
    days: int | None  # None: a status that ends the commitment (kept, missed, withdrawn)


@dataclass(frozen=True)
class Telling:
    """What the events of a plan's items are told from: its revisions and change notes."""

    plan: Plan
    revisions: Sequence[Revision]
    notes: Mapping[str, ChangeNote]
    today: dt.date
    interface: Interface = ENGLISH  # the words its events are told in


@dataclass(frozen=True)
class _Story:
    """An item of a plan and its life; its events are told when a page asks for them."""

    telling: Telling
    id: str
    present: bool
    life: Life | None  # None: not in the plan's history yet

    @property
    def plan(self) -> Plan:
        return self.telling.plan

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.life.changes if self.life else ()

    @functools.cached_property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for i in range(len(self.changes)) if (e := self.event(i)) is not None)

    @functools.cached_property
    def marks(self) -> tuple[tuple[dt.date, str | None], ...]:
        """The day of each of its events and the status it left, without telling them:
        what its age and spans are counted from, which the keys of every commitment's
        pages ask for (`promise_pages`)."""
        revisions = self.telling.revisions
        return tuple(
            (revisions[change.number - 1].date.date(), change.status)
            for change in self.changes
            if 0 < change.number <= len(revisions)
        )

    def say(self, change: Change, before: str | None) -> str:
        """A change of the item in a sentence; `before`: the status it had before."""
        raise NotImplementedError

    def event(self, index: int) -> Event | None:
        """The item's change `index` told, or None if its revision is not known."""
        change = self.changes[index]
        revisions = self.telling.revisions
        if not 0 < change.number <= len(revisions):
            return None
        revision = revisions[change.number - 1]
        before = self.changes[index - 1].status if index else None
        return Event(
            change,
            revision.commit,
            revision.date,
            revision.author,
            note_of(self.telling.notes, revision),
            self.say(change, before),
            changes_url(self.plan.slug, revision.commit),
        )


@dataclass(frozen=True)
class Promise(_Story):
    """A commitment as the tracker and its own page show it."""

    item: Commitment  # as the plan has it now, or as it last had it
    end: str | None  # kept, missed, withdrawn or dropped; None while open
    overdue: bool

    def say(self, change: Change, before: str | None) -> str:
        return commitment_words(change, before, self.telling.interface)

    @property
    def status(self) -> str:
        return self.end or status_of(self.item)

    @property
    def url(self) -> str:
        return commitment_url(self.plan.slug, self.id)

    @property
    def first(self) -> Event | None:
        return self.events[0] if self.events else None

    @property
    def reworded(self) -> bool:
        return self.life is not None and self.life.reworded

    @property
    def removal(self) -> Event | None:
        return None if self.present or not self.events else self.events[-1]

    @functools.cached_property
    def spans(self) -> tuple[Span, ...]:
        return _spans(self.marks, self.telling.today)

    @property
    def age(self) -> int | None:
        """Days from when it was first promised to today, or to when it was taken out."""
        if not self.marks:
            return None
        end = self.telling.today if self.present else self.marks[-1][0]
        return (end - self.marks[0][0]).days


@dataclass(frozen=True)
class GoalStory(_Story):
    """A goal as its own page shows it."""

    item: Goal
    statuses: Mapping[str, tuple[GoalStatus, str | None]]  # status and note, by update slug

    def say(self, change: Change, before: str | None) -> str:
        return goal_words(change, before, self.telling.interface)

    @property
    def url(self) -> str:
        return goal_url(self.plan.slug, self.id)

    @functools.cached_property
    def targets(self) -> tuple[tuple[dt.date, Measure | None], ...]:
        """The target from each date on."""
        targets: list[tuple[dt.date, Measure | None]] = []
        for event in self.events:
            if event.change.what == "promised" and self.life is not None:
                targets.append((event.date, _first_target(self.life)))
            elif event.change.what == "target":
                targets.append((event.date, event.change.new))
        return tuple(targets)

    def target_on(self, day: dt.date) -> Measure | None:
        """The target as the plan stood on `day` (the first one before it was ever set)."""
        held = self.targets[0][1] if self.targets else self.item.target
        for since, target in self.targets:
            if since <= day:
                held = target
        return held


@dataclass(frozen=True)
class PlanPromises:
    """A plan's commitments and goals with their stories."""

    commitments: tuple[Promise, ...] = ()
    goals: tuple[GoalStory, ...] = ()

    def counts(self) -> dict[str, int]:
        """How many commitments are in each state: kept, missed, withdrawn, dropped, open
        (and of those, overdue), and how many were reworded."""
        counts = dict.fromkeys(("kept", "open", "overdue", "missed", "withdrawn", "dropped"), 0)
        for promise in self.commitments:
            counts[promise.end or "open"] += 1
            counts["overdue"] += promise.overdue
        counts["reworded"] = sum(promise.reworded for promise in self.commitments)
        return counts

    def links(self) -> PromiseLinks:
        """What the plan page and the plans list show of them: counts and addresses."""
        return PromiseLinks(
            self.counts(),
            tuple(p.url for p in self.commitments if p.present),
            {story.id: story.url for story in self.goals if story.present},
            bool(self.commitments),
        )


@dataclass(frozen=True)
class PromiseLinks:
    """A plan's commitments counted by state, and the page of each commitment the plan
    holds now (in its order) and of each goal (by id)."""

    counts: Mapping[str, int]
    commitments: tuple[str, ...]
    goals: Mapping[str, str]
    any: bool  # whether the plan ever held a commitment


def goal_stories(
    telling: Telling, timeline: PlanTimeline, updates: Sequence[OutcomeUpdate]
) -> list[GoalStory]:
    """Every goal the plan holds now, then those it no longer holds; those it holds with
    their status at each outcome update."""
    lives = {life.id: life for life in timeline.goals}
    stories = []
    for goal in telling.plan.goals:
        statuses = {
            update.slug: (progress.status, progress.note)
            for update in updates
            if (progress := update.goals.get(goal.id)) is not None
        }
        stories.append(GoalStory(telling, goal.id, True, lives.pop(goal.id, None), goal, statuses))
    for life in lives.values():
        if not life.present:
            assert isinstance(life.last, Goal)
            stories.append(GoalStory(telling, life.id, False, life, life.last, {}))
    return stories


def _first_target(life: Life) -> Measure | None:
    """The target the goal was first given: the old side of its first target change, or
    the last one it has when it never changed."""
    change = next((c for c in life.changes if c.what == "target"), None)
    if change is not None:
        return change.old
    return life.last.target  # type: ignore[union-attr]


def _spans(dated: Sequence[tuple[dt.date, str | None]], today: dt.date) -> tuple[Span, ...]:
    """How long the commitment spent in each status, in order (a status taken up again is a
    new stretch), from the day and status of each of its events."""
    marks: list[tuple[dt.date, str | None]] = []
    for day, status in dated:
        if not marks or marks[-1][1] != status:
            marks.append((day, status))
    spans = []
    for (start, status), following in zip(marks, [*marks[1:], None], strict=False):
        if status is None:
            continue
        end = following[0] if following else None
        if end is None and status in SETTLED:  # kept, missed or withdrawn: it has ended
            spans.append(Span(status, start, None, None))
        else:
            spans.append(Span(status, start, end, ((end or max(today, start)) - start).days))
    return tuple(spans)
