"""Everything the plan page shows, computed once per plan: shared by the current plan
page and every archived revision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content.models import Plan
from .charts import line_chart
from .figures import cost_estimate, goal_rows, next_election, review_due, series
from .page import SiteData, lastmod


def plan_view(site: SiteData, plan: Plan, updates_until: dt.date | None = None) -> dict[str, Any]:
    """Everything the plan page shows; an archived revision sees only earlier updates."""
    updates = [
        u
        for u in site.content.updates.get(plan.slug, [])
        if updates_until is None or u.date <= updates_until
    ]
    values = series(plan, updates)
    charts = []
    for goal in plan.goals:
        if goal.indicator and values.get(goal.indicator):
            chart = line_chart(
                values[goal.indicator],
                goal.baseline.value if goal.baseline else None,
                goal.target.value if goal.target else None,
            )
            charts.append({"goal": goal, "points": values[goal.indicator], "chart": chart})
    paths = [plan.path] + [u.path for u in updates]
    return {
        "plan": plan,
        "updates": updates,
        "latest_update": updates[-1] if updates else None,
        "goal_rows": goal_rows(plan, updates, site.today),
        "charts": charts,
        "cost": cost_estimate(plan, site.today),
        "review": review_due(plan, updates, site.today),
        "election": next_election(plan, site.today),
        "last_revised": lastmod(site, plan.path),
        "last_changed": lastmod(site, *paths),
    }
