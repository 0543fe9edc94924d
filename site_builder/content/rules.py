"""The rules a type hint cannot say: across one file's fields (an adopted plan's date, a
convening's dates) and across files (an update against its plan)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from ..engine.characters import shown
from ..engine.errors import Problem
from . import kinds
from .discover import file_paths
from .frontmatter import Document
from .models import Convening, OutcomeUpdate, Plan


def check_plan(plan: Plan, doc: Document) -> list[Problem]:
    """Rules across a plan's fields: adopted date, unique goal ids, sane period."""
    problems = []
    if plan.status == "adopted" and plan.adopted is None:
        problems.append(
            Problem(
                doc.path,
                doc.line(("status",)),
                "an adopted plan needs the date it was adopted — add a line 'adopted: YYYY-MM-DD'",
            )
        )
    seen: set[str] = set()
    for index, goal in enumerate(plan.goals):
        if goal.id in seen:
            problems.append(
                Problem(
                    doc.path,
                    doc.line(("goals", index, "id")),
                    f"two goals have the id '{goal.id}'; give each its own",
                )
            )
        seen.add(goal.id)
    if plan.period and plan.period.end < plan.period.start:
        problems.append(
            Problem(
                doc.path,
                doc.line(("period", "end")),
                "the period ends before it starts; check the two years",
            )
        )
    return problems


def check_convening(convening: Convening, doc: Document) -> list[Problem]:
    """A convening cannot end before it starts."""
    if convening.end is None or convening.end >= convening.start:
        return []
    return [
        Problem(
            doc.path,
            doc.line(("end",)),
            f"the convening ends ({convening.end}) before "
            f"it starts ({convening.start}); correct one of the dates, or leave 'end' "
            "out for a one-day convening",
        )
    ]


#: The rules across one file's fields, by kind.
RULES: dict[str, Callable[[Any, Document], list[Problem]]] = {
    "plan": check_plan,
    "convening": check_convening,
}


def check_updates(
    updates: Iterable[OutcomeUpdate],
    plans: Iterable[Plan],
    documents: Mapping[str, Document],
    planned: Collection[str],
) -> list[Problem]:
    """Each update against its plan, which must exist: `planned` names every plan with a
    file, so that one whose file has mistakes (said already) is not said to be missing."""
    by_slug = {plan.slug: plan for plan in plans}
    problems = []
    for update in updates:
        plan = by_slug.get(update.plan)
        if plan is not None:
            problems.extend(check_update(update, documents[update.path], plan))
        elif update.plan not in planned:
            place = file_paths(kinds.named("plan"), update.plan)[0]
            problems.append(
                Problem(
                    update.path, 1, f"there is no plan '{update.plan}' for this update; add {place}"
                )
            )
    return problems


def check_update(update: OutcomeUpdate, doc: Document, plan: Plan) -> list[Problem]:
    """An update may only report the plan's indicators and goal ids."""
    problems = []
    indicators = {goal.indicator for goal in plan.goals if goal.indicator}
    goal_ids = {goal.id for goal in plan.goals}
    for field, known, what in (
        ("metrics", indicators, "an indicator"),
        ("goals", goal_ids, "a goal id"),
    ):
        for name in getattr(update, field):
            if name not in known:
                problems.append(
                    Problem(
                        doc.path,
                        doc.line((field, name)),
                        f"'{shown(name)}' is not {what} of the plan in "
                        f"{plan.path}; use one of: "
                        f"{', '.join(sorted(known)) or '(none)'}",
                    )
                )
    return problems
