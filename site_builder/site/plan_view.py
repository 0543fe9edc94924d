"""Everything the plan page shows, computed once per plan: shared by the current plan
page and every archived revision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..content.models import Plan
from ..history.change_notes import ChangeNote
from .administrations import OfficeFacts, office_facts, terms_for
from .change_summary import note_of
from .charts import line_chart
from .figures import (
    cost_estimate,
    goal_rows,
    next_election,
    overdue,
    published_by,
    review_due,
    series,
)
from .glance import plan_glance
from .page import SiteData, lastmod
from .urls import changes_url


@dataclass(frozen=True)
class LatestChange:
    """What the plan page leads with: its latest change note, when, and where it is shown."""

    date: dt.datetime
    note: ChangeNote
    url: str


def plan_view(site: SiteData, plan: Plan, updates_until: dt.date | None = None) -> dict[str, Any]:
    """Everything the plan page shows; an archived revision (`updates_until` its day) sees
    only earlier updates, and was last revised that day."""
    published = site.content.updates.get(plan.slug, [])
    updates = list(published) if updates_until is None else published_by(published, updates_until)
    values = series(plan, updates)
    charts = []
    for goal in plan.goals:
        if goal.indicator and values.get(goal.indicator):
            chart = line_chart(
                values[goal.indicator], goal.baseline, goal.target, (), site.interface
            )
            charts.append({"goal": goal, "points": values[goal.indicator], "chart": chart})
    paths = [plan.path] + [u.path for u in updates]
    last_revised = updates_until or lastmod(site, plan.path)
    rows = goal_rows(plan, updates, site.today)
    review = review_due(plan, updates, site.today)
    election = next_election(plan, site.today)
    told = site.promises.get(plan.slug)
    return {
        "plan": plan,
        "updates": updates,
        "latest_update": updates[-1] if updates else None,
        "goal_rows": rows,
        "charts": charts,
        "cost": cost_estimate(plan, site.today, site.interface),
        "overdue": [overdue(c, site.today) for c in plan.commitments],
        "review": review,
        "election": election,
        "glance": plan_glance(plan, rows, told, review, election, site.today, site.interface),
        "last_revised": last_revised,
        "last_changed": lastmod(site, *paths),
        "latest_change": latest_change(site, plan),
        "offices": offices(site, plan, last_revised, archived=updates_until is not None),
    }


def offices(
    site: SiteData, plan: Plan, last_revised: dt.date | None, archived: bool
) -> OfficeFacts:
    """Who held office when the plan was adopted and last revised; for the plan in force,
    the changes of holder since it began: its first revision, or its adoption if earlier."""
    revisions = site.revisions.get(plan.path, ())
    began = [d for d in (plan.adopted, revisions[0].date.date() if revisions else None) if d]
    return office_facts(
        terms_for(site.config.administrations, plan.city),
        plan.adopted,
        last_revised,
        min(began, default=None),
        None if archived else site.today,
    )


def latest_change(site: SiteData, plan: Plan) -> LatestChange | None:
    """The plan's newest revision that is not a minor edit (else its newest): None with no
    history, and on an archived revision, whose view is made without one."""
    revisions = site.revisions.get(plan.path, ())
    if not revisions:
        return None
    major = [r for r in revisions if not r.minor]
    newest = (major or list(revisions))[-1]
    return LatestChange(
        newest.date, note_of(site.notes, newest), changes_url(plan.slug, newest.commit)
    )
