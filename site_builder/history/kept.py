"""What a reading of the history keeps for the next build: every commit it listed and
every blob it read, in the cache.

Kept as a base and what the builds since added: a build after a new commit writes the
commits since the base and their blobs (an edit adds one of each), not every commit and
blob of the site's history again (16 MB on the network corpus); past `RECENT_AT_MOST` of
them, or when the history is not the base's, the whole is kept as the new base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..engine.cache import Memo
from .log import LoggedCommit

#: Commits added since the base past which the whole is kept again as the new base.
RECENT_AT_MOST = 500


@dataclass
class Known:
    """What an earlier build read, for the next one."""

    head: str
    prefix: str
    state: str
    commits: list[LoggedCommit]  # newest first
    objects: dict[str, bytes]  # blob id -> content, of the revisions read (logged: the newest)
    head_date: dt.datetime | None
    mailmap: bytes  # digest of the `.mailmap` the authors' names were read with


@dataclass
class Recent:
    """What the builds since an earlier one kept its `Known` (the base, of commit `base`)
    added to it: the commits since (newest first) and their blobs, up to `head`."""

    base: str
    head: str
    commits: list[LoggedCommit]
    objects: dict[str, bytes]
    head_date: dt.datetime | None


def kept(memo: Memo) -> tuple[Known | None, Known | None]:
    """What earlier builds read (the base one kept, and what the builds since added), and
    that base; none when there is none, or what came after it is not there."""
    base, recent = memo.load("history-base"), memo.load("history")
    if not (isinstance(base, Known) and isinstance(recent, Recent)) or recent.base != base.head:
        return None, None
    whole = replace(
        base,
        head=recent.head,
        commits=[*recent.commits, *base.commits],
        objects=base.objects | recent.objects,
        head_date=recent.head_date,
    )
    return whole, base


def keep(memo: Memo, base: Known | None, known: Known) -> None:
    """Keep what a build read for the next: only what it adds to `base` (the base `kept`
    gave), unless that is much or `base` is not this history's; then all of it, as the new
    base."""
    added = len(known.commits) - len(base.commits) if base else -1
    if not (
        base is not None
        and 0 <= added <= RECENT_AT_MOST
        and (base.prefix, base.state, base.mailmap) == (known.prefix, known.state, known.mailmap)
        and all(a is b for a, b in zip(known.commits[added:], base.commits, strict=True))
    ):
        memo.save("history-base", known)
        base, added = known, 0
    new = {blob: data for blob, data in known.objects.items() if blob not in base.objects}
    memo.save("history", Recent(base.head, known.head, known.commits[:added], new, known.head_date))
