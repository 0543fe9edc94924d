"""The life of every commitment and goal of a plan across its revisions: when it was first
promised, each change of its status, wording, due date, owner, target or baseline, and
its end — kept, missed, withdrawn, or dropped (removed without a word).

A commitment is followed by its `id`; one without an id (or whose id was added later) by
its wording. Every revision of a plan is read once; which plans a build reads again, and
where, is `timelines`'. Pure: revisions in, a timeline out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from ..content.models import Commitment, Goal
from ..history.reading import Revision
from .promise_reading import Version, read_versions
from .revision_loading import KeptRevisions

#: The statuses that end a commitment, said openly in the plan.
SETTLED = ("kept", "missed", "withdrawn")
#: The longest page name made from a commitment's wording.
_NAME_LENGTH = 48

Item = Commitment | Goal
#: What changed between two versions of an item: (what, old, new) for each change.
Differ = Callable[[Any, Any], Iterator[tuple[str, Any, Any]]]


@dataclass(frozen=True)
class Change:
    """One event in an item's life, in revision `number` (1-based, as on the history page).

    `what`: `promised` (first seen), `status`, `reworded`, `due`, `owner`, `kind`,
    `target`, `baseline`, `direction`, `removed` (gone from the plan; a commitment that
    was not settled first is *dropped*), `restored` (back after being removed).
    """

    number: int
    what: str
    old: Any = None
    new: Any = None
    status: str | None = None  # a commitment's status after the change (None: out of the plan)


@dataclass(frozen=True)
class Life:
    """A commitment or goal through the revisions that held it."""

    id: str  # its page's name: its id, or a name made from its first wording
    changes: tuple[Change, ...]
    last: Item  # as the last revision holding it had it
    present: bool  # held by the plan's latest readable revision

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def reworded(self) -> bool:
        return any(c.what == "reworded" for c in self.changes)

    @property
    def removed_in(self) -> Change | None:
        """The change that took it out of the plan, when it is out."""
        return None if self.present else self.changes[-1]


@dataclass(frozen=True)
class Standing:
    """The plan's title and status from revision `number` on (1-based), for pages that
    show a plan as of a day (`as_of`) without reading the revision again."""

    number: int
    title: str
    status: str


@dataclass(frozen=True)
class PlanTimeline:
    """Every commitment and goal a plan ever held, in the order they first appeared."""

    commitments: tuple[Life, ...] = ()
    goals: tuple[Life, ...] = ()
    #: Revisions whose only change is the review date (`reviewed`): reviewed, no change.
    review_only: frozenset[int] = field(default_factory=frozenset)
    #: The plan's title and status from the first readable revision on, then at each
    #: revision that changed either: a few per plan, however long its history.
    standings: tuple[Standing, ...] = ()
    #: Revisions not read as plans (broken when committed): they say nothing of it.
    unread: frozenset[int] = field(default_factory=frozenset)
    #: A digest of the revisions it was read from: the same digest, the same timeline.
    source: str = ""

    def commitment(self, id: str) -> Life | None:
        return next((life for life in self.commitments if life.id == id), None)


def status_of(commitment: Commitment) -> str:
    """A commitment's status: one stated with none is promised."""
    return commitment.status or "promised"


def end_of(life: Life) -> str | None:
    """How a commitment ended: kept, missed, withdrawn, or dropped (out of the plan without
    being settled first); None while it is open."""
    assert isinstance(life.last, Commitment)
    status = status_of(life.last)
    if status in SETTLED:
        return status
    return None if life.present else "dropped"


def plan_timeline(
    slug: str,
    history: Sequence[Revision],
    read: KeptRevisions | None = None,
) -> PlanTimeline:
    """What happened to each commitment and goal of plan `slug` over `history`; each
    revision read as a plan is kept in `read`."""
    readable = list(read_versions(slug, history, read))
    commitments = _lives(readable, attrgetter("commitments"), _commitment_changes)
    goals = _lives(readable, attrgetter("goals"), _goal_changes)
    review_only = frozenset(
        number
        for (_, before), (number, after) in itertools.pairwise(readable)
        if _only_reviewed(before, after)
    )
    unread = frozenset(range(1, len(history) + 1)) - {number for number, _ in readable}
    return PlanTimeline(
        _named(commitments), _named(goals), review_only, _standings(readable), unread
    )


def _standings(readable: Sequence[tuple[int, Version]]) -> tuple[Standing, ...]:
    """The plan's title and status at its first readable revision and at each that
    changed them."""
    standings: list[Standing] = []
    for number, version in readable:
        title, status = version.title, version.status
        if not standings or (standings[-1].title, standings[-1].status) != (title, status):
            standings.append(Standing(number, title, status))
    return tuple(standings)


class _Following:
    """An item being followed through the revisions, while they are read."""

    def __init__(self, number: int, item: Item) -> None:
        self.changes = [Change(number, "promised", None, item.title, _status(item))]
        self.last = item
        self.present = True


def _lives(
    readable: Sequence[tuple[int, Version]],
    items_of: Callable[[Version], Sequence[Item]],
    changes_of: Differ,
) -> list[_Following]:
    """Follow each item from revision to revision: by id, else by its exact wording. Each
    item is looked up by a key, never compared with every other, so a plan of thousands
    of commitments costs what its size does."""
    lives: list[_Following] = []
    by_id: dict[str, _Following] = {}
    by_wording: dict[str, list[_Following]] = {}  # lives by the wording they had, oldest first
    present: dict[int, _Following] = {}
    for number, version in readable:
        held: dict[int, _Following] = {}  # the lives this revision holds, by their id()
        unmatched: list[Item] = []
        for item in items_of(version):
            life = by_id.get(item.id) if item.id else None
            if life is None or id(life) in held:
                unmatched.append(item)
            elif _carry(life, number, item, changes_of, held):
                by_wording.setdefault(wording_of(item.title), []).append(life)
        looked: dict[str, int] = {}  # how far each wording's lives are taken, this revision
        for item in unmatched:
            wording = wording_of(item.title)
            life = None
            if not item.id or item.id not in by_id:  # else its id's life is taken already
                life = _free(by_wording.get(wording, []), wording, held, looked)
            if life is None:
                life = _Following(number, item)
                lives.append(life)
                held[id(life)] = life
                by_wording.setdefault(wording, []).append(life)
            else:
                _carry(life, number, item, changes_of, held)
            if item.id and item.id not in by_id:  # else a second item of one id, in the past
                by_id[item.id] = life
        for key, life in present.items():
            if key not in held:
                life.present = False
                life.changes.append(Change(number, "removed", life.last.title, None))
        present = held
    return lives


def _free(
    candidates: list[_Following],
    wording: str,
    held: dict[int, _Following],
    looked: dict[str, int],
) -> _Following | None:
    """The oldest life of `wording` not taken in this revision; those passed over are taken
    (or worded otherwise now), so the next item of the same wording starts after them."""
    start = looked.get(wording, 0)
    for index in range(start, len(candidates)):
        life = candidates[index]
        if id(life) not in held and wording_of(life.last.title) == wording:
            looked[wording] = index + 1
            return life
    looked[wording] = len(candidates)
    return None


def _carry(
    life: _Following, number: int, item: Item, changes_of: Differ, held: dict[int, _Following]
) -> bool:
    """`item` is `life` in revision `number`: note what changed; whether its wording did."""
    reworded = wording_of(life.last.title) != wording_of(item.title)
    if not life.present:
        life.changes.append(Change(number, "restored", None, item.title, _status(item)))
        life.present = True
    status = _status(item)
    life.changes += [
        Change(number, what, old, new, status) for what, old, new in changes_of(life.last, item)
    ]
    life.last = item
    held[id(life)] = life
    return reworded


def _commitment_changes(old: Commitment, new: Commitment) -> Iterator[tuple[str, Any, Any]]:
    if status_of(old) != status_of(new):
        yield "status", status_of(old), status_of(new)
    if old.title != new.title:
        yield "reworded", old.title, new.title
    for what in ("due", "owner", "kind"):
        if getattr(old, what) != getattr(new, what):
            yield what, getattr(old, what), getattr(new, what)


def _goal_changes(old: Goal, new: Goal) -> Iterator[tuple[str, Any, Any]]:
    if old.title != new.title:
        yield "reworded", old.title, new.title
    for what in ("target", "baseline", "direction", "owner"):
        if getattr(old, what) != getattr(new, what):
            yield what, getattr(old, what), getattr(new, what)


def _named(followed: Sequence[_Following]) -> tuple[Life, ...]:
    """The lives, each with its page's name: its latest id, else one made of its first
    wording; unique in the plan, even where a past revision gave two commitments one id
    (which a check refuses now, but history cannot be corrected)."""
    owners: dict[str, int] = {}  # each id, to the first life that has it
    for life in followed:
        if life.last.id:
            owners.setdefault(life.last.id, id(life))
    names = {owner: name for name, owner in owners.items()}
    taken = set(owners)
    tried: dict[str, int] = {}  # the last number tried after each name: all below are taken
    lives = []
    for life in followed:
        name = names.get(id(life))
        if name is None:
            base = life.last.id or name_from_wording(life.changes[0].new or "") or "commitment"
            n = tried.get(base, 1)
            name = base if n == 1 else f"{base}-{n}"
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            tried[base] = n
            taken.add(name)
        lives.append(Life(name, tuple(life.changes), life.last, life.present))
    return tuple(lives)


def _only_reviewed(before: Version, after: Version) -> bool:
    """Whether `after` only moved the review date of `before`."""
    old, new = before.data, after.data
    if old.get("reviewed") == new.get("reviewed"):
        return False
    rest = [{k: v for k, v in data.items() if k != "reviewed"} for data in (old, new)]
    return rest[0] == rest[1] and before.body.split() == after.body.split()


def _status(item: Item) -> str | None:
    return status_of(item) if isinstance(item, Commitment) else None


def wording_of(title: str) -> str:
    """A commitment's wording as it is compared: case and spacing aside."""
    return " ".join(title.lower().split())


def name_from_wording(text: str) -> str:
    """A page name from a wording: its first words, as far as `_NAME_LENGTH` characters."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    name = ""
    for word in words:
        if name and len(name) + 1 + len(word) > _NAME_LENGTH:
            break
        name = f"{name}-{word}" if name else word
    return name[:_NAME_LENGTH]
