"""Each commitment a plan holds now matched to its life across the plan's revisions: by
its id, else by its wording (so a commitment given an id later keeps its history), and
then the commitments the plan no longer holds.

Pure: the plan's `Telling` and timeline in, `Promise`s out.
"""

from __future__ import annotations

from collections import deque

from ..content.models import Commitment
from .promise_story import Promise, Telling
from .promises import SETTLED, Life, PlanTimeline, end_of, name_from_wording, status_of, wording_of


def promises(telling: Telling, timeline: PlanTimeline) -> list[Promise]:
    """Every commitment the plan holds now, then those it no longer holds, each with its
    story; a commitment with no history yet (not committed, or no git) tells none."""
    plan = telling.plan
    found: list[Promise] = []
    matched: set[str] = set()
    names = {life.id for life in timeline.commitments} | {c.id for c in plan.commitments if c.id}
    by_id = {life.id: life for life in timeline.commitments if life.id == life.last.id}
    by_wording: dict[str, deque[Life]] = {}
    for held in timeline.commitments:
        if held.present:
            by_wording.setdefault(wording_of(held.last.title), deque()).append(held)
    for commitment in plan.commitments:
        # by its id (one taken out and put back since the last commit included), else by
        # its wording
        life = by_id.get(commitment.id) if commitment.id else None
        if life is None or life.id in matched:
            life = _by_wording(by_wording.get(wording_of(commitment.title)), commitment, matched)
        if life is not None:
            matched.add(life.id)
            name = life.id
        else:
            name = commitment.id or _unique(name_from_wording(commitment.title), names)
            names.add(name)
        found.append(_promise(telling, name, commitment, True, life))
    for life in timeline.commitments:
        if life.id not in matched and not life.present:
            assert isinstance(life.last, Commitment)
            found.append(_promise(telling, life.id, life.last, False, life))
    return found


def _promise(
    telling: Telling, name: str, commitment: Commitment, present: bool, life: Life | None
) -> Promise:
    if present:
        end = status_of(commitment) if status_of(commitment) in SETTLED else None
    else:
        assert life is not None
        end = end_of(life)
    today = telling.today
    overdue = bool(present and end is None and commitment.due and commitment.due < today)
    return Promise(telling, name, present, life, commitment, end, overdue)


def _by_wording(
    lives: deque[Life] | None, commitment: Commitment, matched: set[str]
) -> Life | None:
    """The first life of the commitment's wording not matched yet (one with an id of its
    own is not another commitment's with an id)."""
    while lives and lives[0].id in matched:
        lives.popleft()
    for life in lives or ():
        if life.id not in matched and not (commitment.id and life.last.id):
            return life
    return None


def _unique(name: str, taken: set[str]) -> str:
    name = name or "commitment"
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate
