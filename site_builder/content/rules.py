"""The rules a type hint cannot say: across one file's fields (an adopted plan's date, a
convening's dates), across files (an update against its plan), and text a starter file
wrote that is still there (`unfinished`)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from ..engine.characters import shown
from ..engine.errors import Problem
from . import kinds
from .discover import file_paths
from .frontmatter import Document
from .models import Convening, OutcomeUpdate, Plan
from .starter import EDIT_ME, placeholders
from .yaml_load import KeyPath


def check_plan(plan: Plan, doc: Document) -> list[Problem]:
    """Rules across a plan's fields: adopted date, unique goal and commitment ids, owners
    among the partners, sane period."""
    problems = []
    if plan.status == "adopted" and plan.adopted is None:
        problems.append(
            Problem(
                doc.path,
                doc.line(("status",)),
                "an adopted plan needs the date it was adopted — add a line 'adopted: YYYY-MM-DD'",
            )
        )
    problems += _unique_ids(doc, "goals", [goal.id for goal in plan.goals])
    problems += _unique_ids(doc, "commitments", [c.id for c in plan.commitments])
    partners = [partner.name for partner in plan.partners]
    owners = [("goals", i, g.owner) for i, g in enumerate(plan.goals)]
    owners += [("commitments", i, c.owner) for i, c in enumerate(plan.commitments)]
    for field, index, owner in owners:
        if owner is not None and owner not in partners:
            problems.append(
                Problem(
                    doc.path, doc.line((field, index, "owner")), _unknown_owner(owner, partners)
                )
            )
    if plan.period and plan.period.end < plan.period.start:
        problems.append(
            Problem(
                doc.path,
                doc.line(("period", "end")),
                "the period ends before it starts; check the two years",
            )
        )
    return problems


def _unique_ids(doc: Document, field: str, ids: list[str | None]) -> list[Problem]:
    """Two goals (or commitments) of one id could not be told apart across revisions."""
    problems, seen = [], set()
    for index, found in enumerate(ids):
        if found is not None and found in seen:
            problems.append(
                Problem(
                    doc.path,
                    doc.line((field, index, "id")),
                    f"two {field} have the id '{found}'; give each its own",
                )
            )
        seen.add(found)
    return problems


def _unknown_owner(owner: str, partners: list[str]) -> str:
    """An owner must be one of the plan's partners, so that its page can name them."""
    if not partners:
        return (
            f"the owner '{shown(owner)}' is not among the plan's partners, which it has "
            "none of; add it under 'partners' (name and role)"
        )
    close = difflib.get_close_matches(owner, partners, n=1, cutoff=0.6)
    if close:
        return (
            f"the owner '{shown(owner)}' is not among the plan's partners — did you mean "
            f"'{close[0]}'?"
        )
    return (
        f"the owner '{shown(owner)}' is not among the plan's partners "
        f"({', '.join(partners)}); use one of their names, or add it under 'partners'"
    )


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


def unfinished(documents: Iterable[Document]) -> list[Problem]:
    """Each «edit me» mark in a value or the prose, and each example value no finished item
    says ("City name"), that `site-builder new` wrote and is still there: residents would
    read it. A warning for `build` and `serve`; `check`, `build --strict` and `publish`
    refuse it. Most files hold none, which one search of their data's text tells."""
    examples = placeholders()
    problems = []
    for doc in documents:
        text = repr(doc.data)
        if EDIT_ME in text or any(example in text for example in examples):
            problems += [
                Problem(doc.path, doc.line(key_path), _example_left(value))
                for key_path, value in _texts(doc.data, ())
                if EDIT_ME in value or value in examples
            ]
        if EDIT_ME in doc.body:
            problems += [
                Problem(
                    doc.path,
                    doc.body_line + offset,
                    f"the text still says {EDIT_ME}; replace the example text with your own "
                    "and delete the mark",
                )
                for offset, line in enumerate(doc.body.split("\n"))
                if EDIT_ME in line
            ]
    return problems


def _texts(data: Any, key_path: KeyPath) -> Iterable[tuple[KeyPath, str]]:
    """Every text value in YAML data, with its key path."""
    if isinstance(data, str):
        yield key_path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*key_path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*key_path, index))


def _example_left(value: str) -> str:
    said = EDIT_ME if EDIT_ME in value else f"'{shown(value)}'"
    return (
        f"{said} is the example text of a new file, and residents would read it; replace "
        "the example text with the real value"
    )
