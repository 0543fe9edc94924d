"""`site-builder new <kind> <name>`: write a commented starting file for a new item.

Where the file goes comes from the kinds table, its text from `content.starter`; an
existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content import kinds
from ..content.discover import file_paths
from ..content.fields import is_slug
from ..content.load import load_plan
from ..content.models import Plan
from ..content.starter import Values, examples, plan_notes, starter_text
from ..content.text import decode
from ..engine.errors import ContentError, Problem, SiteError, UsageError


def startable() -> list[str]:
    """The kinds `new` can start (those with starter text), by name."""
    return [kind.name for kind in kinds.KINDS if kind.starter is not None]


def new_item(
    source: Path, kind_name: str, name: str, today: dt.date, plan: str | None = None
) -> Path:
    """Write a commented starter file for a new item and return its path.

    For an item of a plan (an update), `name` is the plan's slug and the file is named
    after `today`; when `plan` is given, `name` is the item's own file name instead.
    """
    kind = next((k for k in kinds.KINDS if k.name == kind_name), None)
    if kind is None or kind.starter is None:
        raise UsageError(f"cannot start a '{kind_name}'; choose one of: {', '.join(startable())}")
    if plan is not None and not kind.in_plan:
        of_plans = " or ".join(k.indefinite for k in kinds.KINDS if k.in_plan)
        raise UsageError(f"only {of_plans} belongs to a plan, not {kind.indefinite}")
    plan_slug = (plan or name) if kind.in_plan else ""
    slug = name if not kind.in_plan or plan else today.isoformat()
    names = [(plan_slug, "plan name")] if kind.in_plan else []
    for value, what in [*names, (slug, f"{kind.name} name")]:
        if not is_slug(value):
            raise UsageError(_bad_slug(value, what))
    places = file_paths(kind, slug, plan_slug)
    for other in places:
        if (source / other).exists():
            fix = "edit it" if kind.in_plan and not plan else "choose another name or edit it"
            raise SiteError(f"{other} already exists; {fix}")
    values = Values(examples(today, slug), today=today)
    notes = plan_notes(*_plan(source, plan_slug), values) if kind.in_plan else []
    started = f"Started with 'site-builder new {kind.name} {plan_slug or name}' on {today}."
    text = starter_text(kind.record, values, started, notes, kind.starter)
    taken = f"{places[0]} already exists; choose another name or edit it"
    return write_new(source / places[0], text, places[0], taken)


def _plan(source: Path, slug: str) -> tuple[Plan, str]:
    """The plan a new item belongs to, and the path of its file; it must load."""
    paths = file_paths(kinds.named("plan"), slug)
    path = next((p for p in paths if (source / p).is_file()), paths[0])
    try:
        text = decode((source / path).read_bytes(), path)
    except FileNotFoundError:
        raise SiteError(
            f"there is no plan '{slug}': {path} does not exist; start it with "
            f"'site-builder new plan {slug}'"
        ) from None
    except OSError as error:
        raise SiteError(f"cannot read {path}: {error.strerror}") from None
    problems: list[Problem] = []
    plan = load_plan(text, path, slug, problems)
    if plan is None or problems:
        raise ContentError(problems)
    return plan, path


def write_new(path: Path, text: str, named: str, taken: str) -> Path:
    """Write a new file, refusing to replace one made since it was looked for (`taken` is
    said then); `named` is how a message names it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise SiteError(taken) from None
    except OSError as error:
        raise SiteError(f"cannot write {named}: {error.strerror}") from None
    return path


def _bad_slug(value: str, what: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    like = f", like '{suggestion}'" if suggestion and is_slug(suggestion) else ""
    return (
        f"'{value}' cannot be a {what}: use only lowercase letters, digits and single hyphens{like}"
    )
