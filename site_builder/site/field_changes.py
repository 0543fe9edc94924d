"""What changed in a plan's fields between two revisions, in the plan page's own words.

`history.field_diff` finds the changes in plain YAML data; this module names and formats
them as the plan page does: each field by the label the page gives it (`field_words`, a
table checked against the content model), each value in the page's format (dates, money,
numbers, status words), a record as its fields ("Budget 2025: $450,000 from the general
fund"), a long text as the word diff of its two versions, in full. One line per change,
grouped by the sections of the plan page, in its order. Formatting is the templates' (the
filters the plan page uses), so a value travels as a `Shown`: the value and its format.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..content.models import Plan
from ..engine.characters import visible
from ..history.field_diff import ChangeKind, FieldChange, PathPart, structured_diff
from ..history.prose_diff import Chunk, word_diff
from ..history.wording import is_list
from .field_words import (
    ATOMIC,
    Field,
    Phrase,
    Shown,
    field_of,
    item_label,
    key_words,
    summary,
    value_phrase,
)
from .interface import ENGLISH, N_, Interface

#: The sections of the plan page, in its order, and the top-level fields each shows.
SECTIONS = (
    (
        N_("About the plan"),
        (
            "title",
            "city",
            "state",
            "status",
            "adopted",
            "period",
            "review",
            "reviewed",
            "summary",
            "elections",
            "population",
        ),
    ),
    (N_("Goals and progress"), ("goals",)),
    (N_("Commitments"), ("commitments",)),
    (N_("Budget and cost"), ("cost_model", "budget")),
    (N_("Who is at the table"), ("governance", "partners")),
    (N_("Readiness"), ("readiness",)),
)
#: Fields that have a section to themselves, named after them.
_ALONE = frozenset(keys[0] for _, keys in SECTIONS if len(keys) == 1)
#: Where a field the plan page does not show goes (one the content model no longer has).
OTHER_SECTION = N_("Other details")
#: A changed text of more words than this is shown as the word diff of its two versions.
WORD_DIFF_WORDS = 6
_SEPARATOR = Shown(" › ")


@dataclass(frozen=True)
class FieldLine:
    """One change, one line: what changed (`label`), its value or values, and how."""

    kind: ChangeKind
    label: Phrase
    old: Phrase = ()
    new: Phrase = ()
    words: tuple[Chunk, ...] = ()  # a long text changed: the word diff of its versions


@dataclass(frozen=True)
class FieldSection:
    """The changes of one section of the plan page ("Goals and progress")."""

    title: str
    lines: tuple[FieldLine, ...]


def field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], interface: Interface = ENGLISH
) -> list[FieldSection]:
    """The changes from the fields of `old` to those of `new`, one line per change,
    grouped by the plan page's sections in the page's order (their titles in
    `interface`'s words)."""
    order = {key: (n, k) for n, (_, keys) in enumerate(SECTIONS) for k, key in enumerate(keys)}
    other = (len(SECTIONS), 0)
    lines: dict[int, list[tuple[int, FieldLine]]] = {}
    for change in _whole_records(structured_diff(old, new)):
        section, place = order.get(str(change.path[0]), other)
        lines.setdefault(section, []).extend((place, line) for line in _lines(change))
    titles = [interface.gettext(title) for title, _ in (*SECTIONS, (OTHER_SECTION, ()))]
    return [
        FieldSection(titles[n], tuple(line for _, line in sorted(lines[n], key=lambda p: p[0])))
        for n in sorted(lines)
    ]


def _whole_records(changes: list[FieldChange]) -> Iterator[FieldChange]:
    """The changes, with those inside a record the plan page shows whole (a target, the
    plan period, a staff line) made one change of the record: "Target: 40 by 2030, was 50
    by 2030". Such changes come one after another, as the diff walks each mapping."""
    pending: tuple[tuple[PathPart, ...], Any, dict[Any, Any]] | None = None
    for change in changes:
        depth = _atomic_depth(change)
        if depth is None or depth == len(change.path):
            if pending:
                yield _record_change(*pending)
                pending = None
            yield change
            continue
        prefix, record = change.path[:depth], change.trail[depth - 1]
        if pending and pending[0] != prefix:
            yield _record_change(*pending)
            pending = None
        if pending is None:
            pending = (prefix, change.trail[:depth], dict(record))
        before, key = pending[2], change.path[depth]
        if change.kind == "added":
            before.pop(key, None)
        else:
            before[key] = change.old
    if pending:
        yield _record_change(*pending)


def _record_change(path: tuple[PathPart, ...], trail: Any, before: dict[Any, Any]) -> FieldChange:
    return FieldChange("changed", "", path, before, trail[-1], trail)


def _atomic_depth(change: FieldChange) -> int | None:
    """How many parts of the change's path lead to a record shown whole, if one does."""
    for step in _steps(change):
        if step.record in ATOMIC:
            return step.end
    return None


@dataclass(frozen=True)
class _Step:
    """A step along a change's path that names something: the record (of the content
    model) it leads to, or None past what the model knows; what it is called; the field it
    is, if it is one (an item of a list is not); and where it ends in the path."""

    record: type | None
    label: Phrase
    known: Field | None
    end: int


def _steps(change: FieldChange) -> Iterator[_Step]:
    """The steps of the change's path. A list item is named by the item ("Goal “Fewer
    people shot”"), not by the list's name; an element of a list of words is the value."""
    record: type | None = Plan
    path, trail = change.path, change.trail
    index = 0
    while index < len(path):
        known = field_of(record, path[index]) if record else None
        if known is None:
            record = None
            yield _Step(None, (Shown(key_words(path[index])),), None, index + 1)
        elif known.many and index + 1 < len(path) and known.record is None:
            yield _Step(None, (Shown(known.label),), known, len(path))
            return
        elif known.many and index + 1 < len(path):
            item = trail[index + 1]
            record = known.record if isinstance(item, Mapping) else None
            label = item_label(known.record, item, path[index + 1])
            yield _Step(record, label, None, index + 2)
            index += 1
        else:
            record = known.record
            yield _Step(record, (Shown(known.label),), known, index + 1)
        index += 1


def _lines(change: FieldChange) -> list[FieldLine]:
    """The change as lines: one, or one per item or field of a whole list or group of
    fields added or removed (the first revision of a plan adds them all)."""
    steps = list(_steps(change))
    record, known = steps[-1].record, steps[-1].known
    if len(steps) > 1 and steps[0].known and change.path[0] in _ALONE:
        steps = steps[1:]  # "Political will", not "Readiness › Political will", in Readiness
    label = tuple(p for n, s in enumerate(steps) for p in ((_SEPARATOR,) if n else ()) + s.label)
    if change.kind == "changed":
        return [_changed(label, record, known, change.old, change.new)]
    value = change.new if change.kind == "added" else change.old
    items = known.record if known and known.many and is_list(value) else None
    if items is not None:
        return [
            _whole(change.kind, item_label(items, item, index), items, item)
            for index, item in enumerate(value)
        ]
    if record is not None and isinstance(value, Mapping) and summary(record, value) is None:
        return [
            line
            for key, part in value.items()
            for line in _lines(
                FieldChange(
                    change.kind,
                    "",
                    (*change.path, key),
                    part if change.kind == "removed" else None,
                    part if change.kind == "added" else None,
                    (*change.trail, part),
                )
            )
        ]
    return [_whole(change.kind, label, record, value, known)]


def _whole(
    kind: ChangeKind, label: Phrase, record: type | None, value: Any, known: Field | None = None
) -> FieldLine:
    """A value added or removed, as the plan page would show it."""
    phrase = value_phrase(record, known, value)
    return FieldLine(kind, label, new=phrase) if kind == "added" else FieldLine(kind, label, phrase)


def _changed(
    label: Phrase, record: type | None, known: Field | None, old: Any, new: Any
) -> FieldLine:
    """A value changed: a long text as the word diff of its versions, in full; any other
    value as its two versions."""
    text = known is None or known.format == "text"
    if (
        text
        and isinstance(old, str)
        and isinstance(new, str)
        and max(len(old.split()), len(new.split())) > WORD_DIFF_WORDS
    ):
        words = tuple(Chunk(c.op, visible(c.text)) for c in word_diff(old, new))
        return FieldLine("changed", label, words=words)
    return FieldLine(
        "changed", label, value_phrase(record, known, old), value_phrase(record, known, new)
    )
