"""Each plan's timeline for a build: kept in the cache by the plan's list of blobs, so that
a build reads a plan's history again only when a commit has changed it, and read in forked
workers when many must be (a cold build reads every revision of every plan). The revisions
read are kept for the plans' pages (`revision_loading.ReadRevisions`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..content.kinds import Content
from ..content.models import Plan
from ..engine.cache import Memo
from ..engine.parallel import cores, forked
from ..history.reading import Revision
from .promises import PlanTimeline, plan_timeline
from .revision_loading import KeptRevisions

#: Plans below which one process reads their histories faster than forked workers would.
PARALLEL_FROM = 16


def promise_timelines(
    content: Content,
    revisions: Mapping[str, tuple[Revision, ...]],
    memo: Memo | None = None,
    read: KeptRevisions | None = None,
) -> dict[str, PlanTimeline]:
    """Each plan's timeline, by the plan's path; those of unchanged histories from `memo`.
    The revisions read for the others are kept in `read`, for their pages."""
    known: dict[str, tuple[tuple[str, ...], PlanTimeline]] = (
        memo.load_map("timelines") if memo else None
    ) or {}
    timelines: dict[str, tuple[tuple[str, ...], PlanTimeline]] = {}
    missing: list[tuple[Plan, tuple[Revision, ...], tuple[str, ...]]] = []
    for plan in content.plans:
        history = revisions.get(plan.path, ())
        signature = (plan.slug, *(f"{r.commit}:{r.path}:{r.blob}" for r in history))
        held = known.get(plan.path)
        if held is not None and held[0] == signature:
            timelines[plan.path] = held
        else:
            missing.append((plan, history, signature))
    for (plan, _, signature), (timeline, revisions_read) in zip(
        missing, _read(missing), strict=True
    ):
        source = hashlib.sha256("\0".join(signature).encode()).hexdigest()
        timelines[plan.path] = (signature, replace(timeline, source=source))
        if read is not None:
            read.update(revisions_read)
    if memo is not None and missing:
        memo.save_map("timelines", timelines)
    return {path: timeline for path, (_, timeline) in timelines.items()}


#: A plan's timeline, and its revisions as read for it (see `revision_loading.ReadRevisions`).
Read = tuple[PlanTimeline, KeptRevisions]


def _read(missing: Sequence[tuple[Plan, tuple[Revision, ...], tuple[str, ...]]]) -> list[Read]:
    """The timelines of `missing`, read by forked workers when there are many (a cold build
    reads every revision of every plan)."""

    def timeline_of(plan: Plan, history: tuple[Revision, ...]) -> Read:
        read: KeptRevisions = {}
        return plan_timeline(plan.slug, history, read), read

    if len(missing) < PARALLEL_FROM or cores() == 1:
        return [timeline_of(plan, history) for plan, history, _ in missing]

    def read_slice(start: int, end: int) -> tuple[int, list[Read]]:
        return start, [timeline_of(p, h) for p, h, _ in missing[start:end]]

    parts = sorted(forked(read_slice, len(missing), 8, cores()), key=lambda part: part[0])
    return [timeline for _, timelines in parts for timeline in timelines]
