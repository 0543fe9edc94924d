"""How a plan's commitments carry across its revisions: by their `id`, which stays when
the wording changes. A commitment whose id disappears while a new one of like wording
appears was most likely renamed, which would cut its history in two; `check` warns."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import Commitment, Plan
from ..history.prose_diff import shared_words

#: Two commitments' titles sharing at least this share of their words read as one promise.
_ALIKE = 0.5


@dataclass(frozen=True)
class LikelyRename:
    """A commitment id gone from `before` and a new one of like wording in `after`."""

    old_id: str
    new_id: str
    index: int  # of the new commitment in `after.commitments`
    title: str  # the new commitment's


def likely_renames(before: Plan, after: Plan) -> list[LikelyRename]:
    """Ids that disappeared from `before` while an alike commitment with a new id appeared."""
    kept = {c.id for c in after.commitments}
    gone = [c for c in before.commitments if c.id and c.id not in kept]
    known = {c.id for c in before.commitments}
    renames = []
    for index, new in enumerate(after.commitments):
        if not new.id or new.id in known:
            continue
        old = next((c for c in gone if _alike(c, new)), None)
        if old is not None and old.id:
            gone.remove(old)
            renames.append(LikelyRename(old.id, new.id, index, new.title))
    return renames


def _alike(old: Commitment, new: Commitment) -> bool:
    shared, total = shared_words(old.title.lower(), new.title.lower())
    return total > 0 and 2 * shared >= _ALIKE * total
