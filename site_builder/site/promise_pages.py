"""The pages of promises kept and broken: one per commitment and per goal, each plan's
promise tracker, and the network's (`/commitments/`).

A tracker's filters are sections of one static page (overdue, dropped, reworded, kept,
all), reached by the links at its top, so they work without JavaScript. Pure: the site's
plans and their stories (`promise_story`) in, pages out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..content.models import Measure, OutcomeUpdate, Plan
from .charts import line_chart
from .figures import series
from .page import Page, SiteData
from .promise_story import GoalStory, PlanPromises, Promise
from .urls import NETWORK_TRACKER_URL, commitment_url, tracker_url


@dataclass(frozen=True)
class Filter:
    """One section of a tracker: its anchor, heading and the commitments in it."""

    id: str
    heading: str
    empty: str  # said when no commitment is in it
    promises: tuple[Promise, ...]


def promise_pages(site: SiteData) -> list[Page]:
    """Each plan's tracker, commitment and goal pages, then the network's tracker."""
    pages = []
    everyone: list[Promise] = []
    for plan in site.content.plans:
        told = site.promises.get(plan.slug, PlanPromises())
        everyone += told.commitments
        pages.append(
            Page(
                tracker_url(plan.slug),
                f"Commitments of {plan.title}",
                "commitments.html",
                {"plan": plan, "filters": filters(told.commitments), "counts": told.counts()},
                description=f"Every commitment of {plan.title}: kept, open, overdue, "
                "reworded or dropped.",
            )
        )
        pages += [commitment_page(plan, promise) for promise in told.commitments]
        pages += [goal_page(site, plan, story) for story in told.goals]
    network = PlanPromises(tuple(everyone))
    pages.append(
        Page(
            NETWORK_TRACKER_URL,
            "Every commitment in the network",
            "commitments.html",
            {"plan": None, "filters": filters(everyone), "counts": network.counts()},
            description="Every commitment of every plan in the network: kept, open, "
            "overdue, reworded or dropped.",
        )
    )
    return pages


def filters(promises: Sequence[Promise]) -> list[Filter]:
    """A tracker's sections, the ones that most need an answer first."""
    return [
        Filter(
            "overdue",
            "Overdue",
            "No commitment is past its due date.",
            tuple(p for p in promises if p.overdue),
        ),
        Filter(
            "dropped",
            "Dropped without a word",
            "No commitment was taken out of a plan without being marked withdrawn.",
            tuple(p for p in promises if p.end == "dropped"),
        ),
        Filter(
            "reworded",
            "Reworded",
            "No commitment was reworded.",
            tuple(p for p in promises if p.reworded),
        ),
        Filter(
            "kept",
            "Kept",
            "No commitment is marked kept yet.",
            tuple(p for p in promises if p.end == "kept"),
        ),
        Filter("all", "Every commitment", "There are no commitments yet.", tuple(promises)),
    ]


def commitment_page(plan: Plan, promise: Promise) -> Page:
    return Page(
        commitment_url(plan.slug, promise.id),
        f"{promise.item.title} — {plan.title}",
        "commitment.html",
        {"plan": plan, "promise": promise},
        description=f"What became of a commitment of {plan.title}: {promise.item.title}",
    )


@dataclass(frozen=True)
class UpdateRow:
    """A goal at one outcome update: the value reported, the target then, its status."""

    update: OutcomeUpdate
    value: float | None
    target: Measure | None
    status: str | None
    note: str | None


def goal_page(site: SiteData, plan: Plan, story: GoalStory) -> Page:
    """A goal's page: how its target, baseline and direction changed, and each report
    against the target the plan held then."""
    goal = story.item
    updates = site.content.updates.get(plan.slug, [])
    points = series(plan, updates).get(goal.indicator or "", []) if story.present else []
    targets = [story.target_on(p.date) for p in points]
    values = {p.update.slug: p.value for p in points}
    rows = [
        UpdateRow(u, values.get(u.slug), story.target_on(u.date), *story.statuses[u.slug])
        if u.slug in story.statuses
        else UpdateRow(u, values[u.slug], story.target_on(u.date), None, None)
        for u in updates
        if u.slug in values or u.slug in story.statuses
    ]
    context: dict[str, Any] = {
        "plan": plan,
        "story": story,
        "points": points,
        "targets": targets,
        "rows": rows,
        "goal_chart": None,
    }
    if points:
        context["goal_chart"] = line_chart(
            points,
            goal.baseline.value if goal.baseline else None,
            None,
            [t.value if t else None for t in targets],
        )
    return Page(
        story.url,
        f"{goal.title} — {plan.title}",
        "goal.html",
        context,
        description=f"A goal of {plan.title} over time: its target, baseline and status.",
    )
