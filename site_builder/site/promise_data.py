"""`commitments.json` and `goals.json`: each commitment and goal of a plan with its whole
dated history — history as data, in the spirit of OCDS's versioned releases: every change
with the commit, date, author and change note that made it, and the value before and after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ..content.config import SiteConfig
from ..content.models import Plan
from .promise_story import Event, GoalStory, PlanPromises
from .urls import plan_url


def commitments_data(config: SiteConfig, plan: Plan, told: PlanPromises) -> dict[str, Any]:
    return {
        "plan": plan.slug,
        "url": config.absolute(plan_url(plan.slug)),
        "commitments": [
            {
                "id": p.id,
                "url": config.absolute(p.url),
                "title": p.item.title,
                "kind": p.item.kind,
                "status": p.status,  # its end (kept, missed, withdrawn, dropped) or its status
                "in_plan": p.present,
                "overdue": p.overdue,
                "due": p.item.due,
                "owner": p.item.owner,
                "history": _history(config, p.events),
            }
            for p in told.commitments
        ],
    }


def goals_data(config: SiteConfig, plan: Plan, told: PlanPromises) -> dict[str, Any]:
    return {
        "plan": plan.slug,
        "url": config.absolute(plan_url(plan.slug)),
        "goals": [_goal(config, story) for story in told.goals],
    }


def _goal(config: SiteConfig, story: GoalStory) -> dict[str, Any]:
    goal = story.item
    return {
        "id": story.id,
        "url": config.absolute(story.url),
        "title": goal.title,
        "indicator": goal.indicator,
        "unit": goal.unit,
        "direction": goal.direction,
        "baseline": _value(goal.baseline),
        "target": _value(goal.target),
        "owner": goal.owner,
        "in_plan": story.present,
        "history": _history(config, story.events),
        "statuses": [
            {"update": slug, "status": status, "note": note}
            for slug, (status, note) in story.statuses.items()
        ],
    }


def _history(config: SiteConfig, events: Sequence[Event]) -> list[dict[str, Any]]:
    """Each change, oldest first: what changed, from what to what, and which commit did it."""
    return [
        {
            "change": e.change.what,
            "description": e.words,
            "old": _value(e.change.old),
            "new": _value(e.change.new),
            "status": e.change.status,
            "commit": e.commit,
            "date": e.when.isoformat(),
            "author": e.author,
            "note": e.note.text,
            "note_written_by_site": e.note.generated,
            "changes_url": config.absolute(e.url),
        }
        for e in events
    ]


def _value(value: Any) -> Any:
    """A field's value as JSON holds it: a record as an object of its fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value
