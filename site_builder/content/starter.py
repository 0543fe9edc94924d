"""The text of a starting file for `site-builder new`, generated from the content model
itself (`commands/new.py` decides where it goes and writes it).

Every field of the record (and of the records nested in it) is written out with its
one-line doc from `models.py`, so a starter file can never drift from what the loader
accepts: required fields first, then optional ones commented out with an example value
(delete the leading `#` to use one).

Decision: a new file is *valid as written*. Required fields hold readable values that
load (`city: City name`, `status: draft`, today's date), and every placeholder an author
must replace is flagged «edit me» in a comment or in the prose. Forcing an edit by writing
invalid placeholders would break `serve` and `check` for a file the author has only just
created; a valid draft plan shows in the preview straight away, with the «edit me» text
visible where prose still needs writing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

import yaml

from .fields import field_doc, is_required, yaml_fields
from .models import Plan

EDIT_ME = "«edit me»"


class Placeholder(str):
    """Example text that no finished item says ("City name"): left in a file, the item is
    unfinished, and `content.rules.unfinished` says so. Other examples ("semiannual",
    "Mayor") may well be right as written."""


#: Required values that are right as generated; every other required value is «edit me».
_KEEP = {"Plan.status", "OutcomeUpdate.date"}


@dataclass(frozen=True)
class ExampleKey:
    """One key of a `name: value` field (an update's metrics or goals), with a comment."""

    key: str
    comment: str
    value: Any = None


@dataclass
class Values:
    """Example values, looked up by `parent.field`, then `Record.field`, then `field`."""

    examples: dict[str, Any]
    entries: dict[str, list[ExampleKey]] = field(default_factory=dict)
    today: dt.date = dt.date(2000, 1, 1)

    def get(self, owner: str, name: str, hint: Any, parent: str) -> Any:
        """The example for field `name` of record `owner`, inside the field `parent`."""
        for key in (f"{parent}.{name}", f"{owner}.{name}", name):
            if key in self.examples:
                return self.examples[key]
        if get_origin(hint) is Literal:
            return get_args(hint)[0]
        fallback = {dt.date: self.today, int: self.today.year, float: 100}
        return fallback.get(hint, "text")


def starter_text(cls: type, values: Values, started: str, notes: list[str], body: str) -> str:
    """The whole file: front matter documenting every field of `cls`, then the body.

    Notes are `# ` and prose; commented-out fields are `#` and YAML, so deleting the `#`
    of a field's lines is all it takes to use it.
    """
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = yaml_fields(cls)
    lines = [
        "---",
        f"# {started}",
        f"# Replace every value marked {EDIT_ME}. Each field is explained after its '#'.",
        "# Optional fields are left out while their lines start with '#': to use one,",
        "# delete the '#' at the start of each of its lines.",
        *notes,
        "",
        "# Required",
    ]
    for f in fields:
        if is_required(f):
            keep = f"{cls.__name__}.{f.name}" in _KEEP
            lines += field_lines(cls, f.name, hints[f.name], 0, values, "" if keep else EDIT_ME)
    lines += ["", "# Optional"]
    for f in fields:
        if not is_required(f):
            lines += ["#" + line for line in field_lines(cls, f.name, hints[f.name], 0, values)]
    return "\n".join([*lines, "---", body])


def field_lines(
    owner: type, name: str, hint: Any, indent: int, values: Values, mark: str = "", parent: str = ""
) -> list[str]:
    """YAML lines for one field with an example value, its doc as a trailing comment."""
    doc = " ".join(filter(None, [mark, field_doc(owner, name)]))
    pad = " " * indent
    kind = _unwrap(hint)
    head = f"{pad}{name}:  # {doc}"
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return [head, *record_lines(kind, indent + 2, values, name)]
    if get_origin(kind) is tuple:
        item = _unwrap(get_args(kind)[0])
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            first, *rest = record_lines(item, indent + 4, values, name)
            return [head, f"{pad}  - {first.lstrip()}", *rest]
        examples = values.get(owner.__name__, name, kind, parent)
        return [head, *(f"{pad}  - {_scalar(v)}" for v in examples)]
    if get_origin(kind) is dict:
        return [head, *_entry_lines(name, _unwrap(get_args(kind)[1]), indent + 2, values)]
    return [f"{pad}{name}: {_scalar(values.get(owner.__name__, name, kind, parent))}  # {doc}"]


def record_lines(cls: type, indent: int, values: Values, parent: str = "") -> list[str]:
    """Every field of a nested record, required and optional alike, as an example."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return [
        line
        for f in yaml_fields(cls)
        for line in field_lines(cls, f.name, hints[f.name], indent, values, parent=parent)
    ]


def _entry_lines(name: str, hint: Any, indent: int, values: Values) -> list[str]:
    """The keys of a `name: value` field; a record value is shown in full under each key."""
    default = [ExampleKey("name", "", values.get("", "name", hint, name))]
    lines = []
    for entry in values.entries.get(name, default):
        comment = f"  # {entry.comment}" if entry.comment else ""
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            lines += [
                f"{' ' * indent}{entry.key}:{comment}",
                *record_lines(hint, indent + 2, values, name),
            ]
        else:
            lines.append(f"{' ' * indent}{entry.key}: {_scalar(entry.value)}{comment}")
    return lines


def plan_notes(plan: Plan, path: str, values: Values) -> list[str]:
    """Comments listing the goals and indicators of the plan in `path`, for an item of the
    plan; their keys prefill the item's `metrics` and `goals`."""
    values.entries["metrics"] = [
        ExampleKey(
            g.indicator,
            f"{EDIT_ME} {g.title}" + (f" ({g.unit})" if g.unit else ""),
            g.baseline.value if g.baseline else 0,
        )
        for g in plan.goals
        if g.indicator
    ]
    values.entries["goals"] = [ExampleKey(g.id, g.title) for g in plan.goals]
    if not plan.goals:
        return [
            f"# The plan in {path} has no goals yet, so this update can report no metrics "
            "or goal statuses;",
            "# add goals to the plan first if it should.",
        ]
    notes = [f"# The plan in {path} has these goals (id: title — indicator):"]
    notes += [
        f"# - {g.id}: {g.title}" + (f" — {g.indicator}" if g.indicator else "") for g in plan.goals
    ]
    return [
        *notes,
        "# Report the indicators under 'metrics:' and each goal's status under 'goals:'.",
    ]


def examples(today: dt.date, slug: str) -> dict[str, Any]:
    """Readable example values; a field missing here falls back to one of its type."""
    words = slug.replace("-", " ").title()
    year = today.year
    return {
        "Plan.title": f"{words} public safety plan",
        "city": Placeholder("City name"),
        "state": "OH",
        "adopted": today,
        "review": "semiannual",
        "summary": Placeholder("One or two sentences on what the plan will change."),
        "Period.start": year,
        "Period.end": year + 9,
        "Partner.name": "Youth Alliance",
        "role": "Street outreach and mentoring",
        "GoverningBody.name": "Executive table",
        "meets": "Monthly, first Tuesday",
        "members": ["Mayor's office", "Police department", "Community partners"],
        "Goal.id": "fewer-shootings",
        "Goal.title": "Fewer people shot",
        "indicator": "people_shot",
        "unit": "people",
        "direction": "decrease",
        "population.value": 48200,
        "population.year": year - 1,
        "baseline.value": 100,
        "baseline.year": year - 1,
        "target.value": 50,
        "target.year": year + 9,
        "Commitment.title": "Council proclamation on gun violence",
        "Commitment.date": today,
        "by": "City council",
        "Commitment.url": "https://example.org/proclamation",
        "Commitment.status": "promised",
        "Commitment.id": "council-proclamation",
        "Commitment.due": dt.date(year + 1, 6, 30),
        "owner": "Youth Alliance",  # a goal's and a commitment's: one of the partners
        "BudgetLine.year": year,
        "amount": 1500000,
        "source": "General fund",
        "people_served": 100,
        "per_person": 30000,
        "staff.count": 10,
        "staff.salary": 55000,
        "supervisors.count": 2,
        "supervisors.salary": 75000,
        "office": 60000,
        "training": 20000,
        "wraparound_per_person": 5000,
        "Election.date": dt.date(year + 1, 11, 3),
        "Election.office": "Mayor",
        "level": "medium",
        "ReadinessFactor.note": Placeholder("One sentence on why."),
        "OutcomeUpdate.title": f"Update for {today:%B %Y}",
        "OutcomeUpdate.period": f"{year} H{1 if today.month <= 6 else 2}",
        "metrics.name": 0,
        "GoalProgress.note": Placeholder("One sentence on why."),
        "Fellow.name": words,
        "cohort": year,
        "photo": f"/images/fellows/{slug}.jpg",
        "pronouns": "she/her",
        "focus": ["Youth employment", "Violence interruption"],
        "quote": Placeholder("A sentence in their own words."),
        "label": "Personal website",
        "Link.url": "https://example.org/",
        "Convening.title": f"{words} convening",
        "start": today,
        "end": today + dt.timedelta(days=2),
        "number": 1,
        "host": Placeholder("Host organisation"),
        "venue": Placeholder("Venue name and address"),
        "expected_attendance": 300,
        "registration_url": "https://example.org/register",
        "Session.title": "Opening plenary",
        "Session.date": today,
        "time": "09:30",
        "speakers": [Placeholder("Speaker name")],
    }


@functools.cache
def placeholders() -> frozenset[str]:
    """Every `Placeholder` the starters write, whatever the item's name and date."""
    found: set[str] = set()
    for value in examples(dt.date(2000, 1, 1), "example").values():
        values = value if isinstance(value, list) else [value]
        found.update(str(v) for v in values if isinstance(v, Placeholder))
    return frozenset(found)


def _unwrap(hint: Any) -> Any:
    """The type under `X | None` and `Annotated[X, …]`."""
    if get_origin(hint) is typing.Annotated:
        return _unwrap(get_args(hint)[0])
    args = [a for a in get_args(hint) if a is not type(None)]
    if type(None) in get_args(hint) and len(args) == 1:
        return _unwrap(args[0])
    return hint


def _scalar(value: Any) -> str:
    """A YAML scalar that loads back as `value`; text is quoted only when it must be."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    text = str(value)
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    if plain and "#" not in text and not re.fullmatch(r"[\d:.]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)
