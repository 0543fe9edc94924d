"""The words of field changes: what the plan page calls each field of the content model,
how it formats each value, and how it shows a record as one phrase.

Each field's label and format are declared with the field itself, in the content model
(`content.models`: `required(doc, label=…, shown=…)`); `field_of` walks the model's records
for them, and a test checks that every field a plan holds has a label, so a field added to
the model cannot be shown as its key. A value the model does not
know (a field an old revision had and the model no longer has) is still put in words
(`loose`). Values travel as `Shown` parts, written out by `phrase_text` in the plan page's
own formats (`formats`), for a template or a change note alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..content import models
from ..content.models import (
    BudgetLine,
    Commitment,
    Election,
    Goal,
    GoverningBody,
    Measure,
    Partner,
    Period,
    ReadinessFactor,
    Staffing,
)
from ..engine.characters import visible
from ..history.wording import MAX_DEPTH, TOO_DEEP, is_list
from .interface import ENGLISH, N_, NP_, Interface

#: How the plan page formats a value: words as they are (""), text from content, a date
#: (`long_date`), money, a number, a status word ("In review") or a commitment's kind.
Format = Literal["", "text", "date", "money", "number", "word", "kind"]


@dataclass(frozen=True)
class Shown:
    """A part of a phrase: words as they are, or a value and the format it is shown in."""

    value: Any
    format: Format = ""


Phrase = tuple[Shown, ...]


def phrase_text(parts: Phrase, interface: Interface = ENGLISH) -> str:
    """A phrase written out, each value in the plan page's format, its words as
    `interface`'s catalogs translate them (a field's label, say; the rest in English)."""
    return "".join(_written(part, interface) for part in parts)


def _written(part: Shown, interface: Interface) -> str:
    formats = interface.formats
    if part.format == "date":
        return formats.long_date(part.value)
    if part.format == "money":
        return formats.money(part.value)
    if part.format == "number":
        return formats.number(part.value)
    if part.format == "word":
        return interface.word(part.value)
    if part.format == "kind":
        return interface.kind(part.value)
    if part.format == "" and isinstance(part.value, tuple):  # words said in a context
        return interface.pgettext(*part.value)
    if part.format == "" and part.value:
        return interface.gettext(str(part.value))
    return str(part.value)


@dataclass(frozen=True)
class Field:
    """A field of the content model as the plan page shows it."""

    name: str
    label: str
    format: Format = "text"
    record: type | None = None  # the record its value is (or each item is, if `many`)
    many: bool = False


#: Records the plan page shows whole, so a change inside one shows the record before and
#: after ("Target: 40 by 2030, was 50 by 2030"), not the field alone.
ATOMIC: tuple[type, ...] = (Measure, Period, Staffing)
#: What one item of a list of records is called when it has no title of its own.
_NOUNS = {
    Partner: N_("Partner"),
    GoverningBody: N_("Table or workgroup"),
    Goal: N_("Goal"),
    Commitment: N_("Commitment"),
    BudgetLine: N_("Budget"),
    Election: N_("Election"),
}
#: How the plan page puts a goal's baseline and target: "120 in 2021", "60 by 2030".
MEASURE_WORDS = {"baseline": "in", "target": "by"}
#: The words of a phrase, each a part of its own, so that `phrase_text` says it in the
#: page's language (a part of words is looked up in the catalogs as it is).
_WORDS = {
    "in": N_(" in "),
    "by": N_(" by "),
    "to": N_(" to "),
    "times": N_(" × "),
    "on": N_(" on "),
    "from": N_(" from "),
    "of": N_(" of "),
    "status": N_("status: "),
    "meets": N_("meets "),
    "members": N_(". Members: "),
    "dash": N_(" — "),
    "baseline": N_("baseline "),
    "target": N_("target "),
    "item": N_("Item"),
    "nothing": N_("nothing given"),
    "none": N_("none"),
    "not given": N_("not given"),
    "yes": N_("yes"),
    "no": N_("no"),
}
#: Words said otherwise in another place: (their context, the words).
_WORDS_IN = {"made by": ("made by", NP_("made by", " by "))}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")


@functools.cache
def _fields(record: type) -> dict[str, Field]:
    """The fields of a record of the content model, with their labels and formats."""
    hints = typing.get_type_hints(record, vars(models))
    fields = {}
    for field in dataclasses.fields(record):
        if "label" in field.metadata:
            label, form = field.metadata["label"], field.metadata["shown"]
            inner, many = _unwrap(hints[field.name])
            nested = inner if dataclasses.is_dataclass(inner) else None
            fields[field.name] = Field(
                field.name, label, form, nested if isinstance(nested, type) else None, many
            )
    return fields


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """`Goal` and True for `tuple[Goal, ...]`; `Measure` and False for `Measure | None`."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return _unwrap(args[0]) if len(args) == 1 else (hint, False)
    if typing.get_origin(hint) is tuple:
        return args[0], True
    return hint, False


def field_of(record: type, key: Any) -> Field | None:
    """The field `key` of `record`, or None if the model has no such field."""
    return _fields(record).get(key) if isinstance(key, str) else None


def key_words(key: Any) -> str:
    """A key the model does not know, in words: `old_field` → "Old field"."""
    text = " ".join(re.split(r"[\s_-]+", visible(str(key)))).strip()
    return text[:1].upper() + text[1:]


def item_label(record: type | None, item: Any, part: Any) -> Phrase:
    """What an item of a list is called: `Goal “Fewer people shot”`, `Budget 2025`,
    `Election of 3 November 2026`, or its place in the list if it has no name."""
    noun = Shown(_NOUNS.get(record, _WORDS["item"]) if record else _WORDS["item"])
    if isinstance(item, Mapping):
        if record is BudgetLine and _plain(item.get("year")):
            return (noun, Shown(" "), Shown(item["year"], "text"))
        if record is Election and item.get("date"):
            return (noun, Shown(_WORDS["of"]), _shown(item["date"], "date"))
        for key in ("title", "name"):
            if isinstance(item.get(key), str) and item[key].strip():
                name = Shown(_words(item[key]), "text")
                if record is GoverningBody:
                    return (name,)
                return (noun, Shown(" “"), name, Shown("”"))
    if isinstance(part, int) and not isinstance(part, bool):
        return (noun, Shown(f" {part + 1}"))
    return (noun, Shown(" "), *loose(part))


def summary(record: type, item: Mapping[Any, Any]) -> Phrase | None:
    """A record as one phrase, as the plan page shows it; None for a record the page shows
    field by field (the cost model, readiness)."""

    def part(key: str, form: Format, before: str = "") -> Phrase:
        value = item.get(key)
        words = _WORDS_IN.get(before) or _WORDS.get(before, "")
        return () if value is None else (Shown(words), _shown(value, form))

    if record is Measure:
        return part("value", "number") + part("year", "text", "in")
    if record is Period:
        return part("start", "text") + part("end", "text", "to")
    if record is Staffing:
        return part("count", "number") + part("salary", "money", "times")
    if record is Goal:
        return _joined(*(_measure(item, key, word) for key, word in MEASURE_WORDS.items()))
    if record is Commitment:
        return _joined(
            part("kind", "kind") + part("by", "text", "made by") + part("date", "date", "on"),
            part("status", "word", "status"),
        )
    if record is BudgetLine:
        return part("amount", "money") + part("source", "text", "from")
    if record is Election:
        return part("office", "text")
    if record is Partner:
        return part("role", "text")
    if record is GoverningBody:
        members = item.get("members")
        if not (is_list(members) and members):
            return part("meets", "text", "meets")
        listed: list[Shown] = []
        for member in members:  # a member is often "Director, Office of …": not ", "
            listed += [Shown("; "), *loose(member)] if listed else loose(member)
        return (*part("meets", "text", "meets"), Shown(_WORDS["members"]), *listed)
    if record is ReadinessFactor:
        return part("level", "word") + part("note", "text", "dash")
    return None


def _measure(goal: Mapping[Any, Any], key: str, word: str) -> Phrase:
    """ "baseline 120 in 2021", "target 60 by 2030": the plan page's goal columns."""
    value = goal.get(key)
    name = Shown(_WORDS.get(key, f"{key} "))
    if not isinstance(value, Mapping):
        return () if value is None else (name, *loose(value))
    phrase = summary(Measure, value) or ()
    if word != "in":
        phrase = tuple(Shown(_WORDS[word]) if p == Shown(_WORDS["in"]) else p for p in phrase)
    return (name, *phrase)


def _joined(*phrases: Phrase) -> Phrase:
    """Phrases that are not empty, with "; " between them."""
    out: list[Shown] = []
    for phrase in phrases:
        if phrase:
            out += [Shown("; "), *phrase] if out else phrase
    return tuple(out)


def value_phrase(record: type | None, known: Field | None, value: Any) -> Phrase:
    """A value as the plan page shows it: a record as its summary (a target as "60 by
    2030", with the goal's word), a field in its format, anything else in plain words."""
    if record is Measure and known is not None and isinstance(value, Mapping):
        return _measure({known.name: value}, known.name, MEASURE_WORDS.get(known.name, "in"))[1:]
    if record is not None and isinstance(value, Mapping):
        phrase = summary(record, value)
        if phrase is not None:
            return phrase or (Shown(_WORDS["nothing"]),)
    if known is not None and known.record is None and not is_list(value):
        return (_shown(value, known.format),)
    return loose(value)


def _shown(value: Any, form: Format) -> Shown:
    """`value` in `form` if it is of a kind the form applies to, else in plain words."""
    if form == "date" and isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return Shown(dt.date.fromisoformat(value.strip()), "date")
        except ValueError:
            pass
    if form == "date" and isinstance(value, dt.date):
        return Shown(value, "date")
    if form in ("money", "number") and _number(value):
        return Shown(value, form)
    if form in ("word", "kind") and isinstance(value, str):
        return Shown(_words(value), form)
    if form == "text" and (isinstance(value, str) or _plain(value)):
        return Shown(_words(str(value)), "text")
    return _loose_one(value)


def loose(value: Any, depth: int = 0) -> Phrase:
    """Any YAML value in plain words, for what the model does not know: a mapping as "Key
    in words: value; …", a list as its items, a date as a date, an identifier as words.
    Nesting past `MAX_DEPTH` is `TOO_DEEP`, so no input can reach the recursion limit."""
    if depth > MAX_DEPTH:
        return (Shown(TOO_DEEP),)
    if isinstance(value, Mapping):
        parts: list[Shown] = []
        for key, part in value.items():
            parts += [Shown("; ")] if parts else []
            parts += [Shown(f"{key_words(key)}: "), *loose(part, depth + 1)]
        return tuple(parts) or (Shown(_WORDS["nothing"]),)
    if is_list(value) or isinstance(value, set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        parts = []
        for item in items:
            title = item.get("title") or item.get("name") if isinstance(item, Mapping) else None
            parts += [Shown(", ")] if parts else []
            parts += [_loose_one(title)] if isinstance(title, str) else loose(item, depth + 1)
        return tuple(parts) or (Shown(_WORDS["none"]),)
    return (_loose_one(value),)


def _loose_one(value: Any) -> Shown:
    if value is None:
        return Shown(_WORDS["not given"])
    if isinstance(value, bool):
        return Shown(_WORDS["yes"] if value else _WORDS["no"])
    if isinstance(value, int) and 1000 <= value <= 2999:
        return Shown(str(value), "text")  # a year, as the plan page writes years
    if _number(value):
        return Shown(value, "number")
    if isinstance(value, dt.date):
        return Shown(value, "date")
    text = str(value) if not isinstance(value, Mapping | list | tuple) else TOO_DEEP
    if _ISO_DATE.fullmatch(text.strip()):
        return _shown(text, "date")
    if _IDENTIFIER.fullmatch(text.strip()):
        return Shown(_words(text.replace("_", "-")), "word")
    return Shown(_words(text), "text")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _plain(value: Any) -> bool:
    """A whole number that is not a yes or no (a year)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _words(text: str) -> str:
    """Text as one line with nothing a page may not show (a past revision cannot be
    corrected)."""
    return visible(" ".join(text.split()))
