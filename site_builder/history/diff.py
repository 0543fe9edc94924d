"""What changed between two revisions of a plan: prose word by word, front matter field by field.

Pure functions on values (no I/O), so the changes page of an old revision can be rendered
once and cached by blob id. Prose is diffed line by line first and word by word only inside
the lines that differ, which keeps a 30 KB plan with a few edits at a few milliseconds.
Front matter is walked as plain YAML data; list items are matched by what they are (a
goal's `id`, a partner's `name`), not where they sit, so reordering goals is not a change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from ..engine.characters import BIDI_CONTROLS, XML_FORBIDDEN

Op = Literal["equal", "insert", "delete"]

#: Units to align, coarse to fine: lines, then sentences, then words. Every character falls
#: in exactly one unit, so units join back to the text. A line carries its end and the blank
#: lines after it and a word the space after it, so that paragraph breaks and the thousands
#: of " " are not equal units to pair up, the slowest part of aligning. A lone "\r" stays
#: inside its line, so CRLF and LF text both split on "\n".
_LEVELS = (
    re.compile(r"[^\n]*\n(?:[^\S\n]*\n)*|[^\n]+"),
    re.compile(r".+?(?:[.!?]+\s+|\Z)", re.DOTALL),
    re.compile(r"\w+\s*|[^\w\s]\s*|\s+"),
)
#: What a change is trimmed to: words (unicode letters, digits, underscore), whitespace runs
#: and single other characters, so "cat " → "dog " shows as just "cat" → "dog".
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
_LINE_BREAK = re.compile(r"[\n\r]")
#: Word blocks with at most this many equal (old, new) unit pairs are always aligned word
#: by word; SequenceMatcher's work grows with these pairs and with how scattered the matches
#: are. Bigger blocks are aligned only if they share most of their words, and never past
#: the hard limit (a sentence of thousands of words with no line break or full stop).
_SMALL_PAIRS = 2_000
_MAX_PAIRS = 200_000
_MIN_SHARED = 0.5


@dataclass(frozen=True)
class Chunk:
    """A run of text that is the same in both revisions, or only in the new or the old one."""

    op: Op
    text: str


def word_diff(old: str, new: str) -> list[Chunk]:
    """Diff prose so a changed word reads as one deletion and one insertion.

    The non-insert chunks join to `old` and the non-delete chunks join to `new`, always.
    """
    if old == new:
        return [Chunk("equal", old)] if old else []
    return _tidy(_diff_units(old, new, 0))


def _diff_units(old: str, new: str, level: int) -> list[Chunk]:
    """Align the units of one level; look inside replaced blocks at the next, finer one.

    Aligning lines first and words only where lines differ keeps a few edits in a long plan
    at a few milliseconds; sentences in between keep a long one-line paragraph cheap too.
    """
    a, b = _LEVELS[level].findall(old), _LEVELS[level].findall(new)
    head, tail = _shared_ends(a, b)
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    chunks = [Chunk("equal", "".join(a[:head]))]
    finest = level == len(_LEVELS) - 1
    if finest and not _worth_aligning(a_mid, b_mid):
        chunks += _replaced("".join(a_mid), "".join(b_mid))
    else:
        matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            before, after = "".join(a_mid[i1:i2]), "".join(b_mid[j1:j2])
            if tag == "equal":
                chunks.append(Chunk("equal", before))
            elif tag == "replace" and not finest:
                chunks += _diff_units(before, after, level + 1)
            else:
                chunks += _replaced(before, after)
    chunks.append(Chunk("equal", "".join(a[len(a) - tail :])))
    return chunks


def _shared_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many units both sequences start with, and then end with (cheap and common)."""
    head = tail = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _replaced(old: str, new: str) -> list[Chunk]:
    """A deletion and an insertion, less the tokens both start or end with (a shared space)."""
    if not old or not new:
        return [Chunk("delete", old), Chunk("insert", new)]
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    head, tail = _shared_ends(a, b)
    return [
        Chunk("equal", "".join(a[:head])),
        Chunk("delete", "".join(a[head : len(a) - tail])),
        Chunk("insert", "".join(b[head : len(b) - tail])),
        Chunk("equal", "".join(a[len(a) - tail :])),
    ]


def _worth_aligning(a: list[str], b: list[str]) -> bool:
    """Whether to diff a block word by word rather than show it replaced whole.

    A rewritten paragraph reads better as one deletion and one insertion than as scraps
    around the "the"s it shares with the old one, and it is also what is slowest to align.
    """
    counts = Counter(b)
    pairs = sum(counts[unit] for unit in a)
    if pairs <= _SMALL_PAIRS:
        return True
    if pairs > _MAX_PAIRS:
        return False
    old_words = Counter(unit.rstrip() for unit in a if _WORD.match(unit))
    new_words = Counter(unit.rstrip() for unit in b if _WORD.match(unit))
    total = old_words.total() + new_words.total()
    return 2 * (old_words & new_words).total() >= _MIN_SHARED * total


def _tidy(raw: Iterable[Chunk]) -> list[Chunk]:
    """Merge neighbours and fold short unchanged bits between two changes into them.

    "<del>cat</del><ins>dog</ins> <del>sat</del><ins>ran</ins>" reads worse than
    "<del>cat sat</del><ins>dog ran</ins>", and a stray shared " the " inside a rewritten
    sentence is noise. Within a change, deletions go before insertions; both sides stay in
    order, so the texts still join back to the old and the new one.
    """
    runs: list[str | tuple[str, str]] = []  # unchanged text, or (deleted, inserted)
    for chunk in raw:
        last = runs[-1] if runs else None
        if not chunk.text:
            continue
        if chunk.op == "equal":
            if isinstance(last, str):
                runs[-1] = last + chunk.text
            else:
                runs.append(chunk.text)
            continue
        if isinstance(last, tuple):
            runs.pop()
        deleted, inserted = last if isinstance(last, tuple) else ("", "")
        if chunk.op == "delete":
            runs.append((deleted + chunk.text, inserted))
        else:
            runs.append((deleted, inserted + chunk.text))
        # A grown change may swallow the gap before it, and then the one before that.
        while len(runs) >= 3 and (folded := _fold(*runs[-3:])):
            runs[-3:] = [folded]
    chunks: list[Chunk] = []
    for run in runs:
        if isinstance(run, str):
            chunks.append(Chunk("equal", run))
            continue
        if run[0]:
            chunks.append(Chunk("delete", run[0]))
        if run[1]:
            chunks.append(Chunk("insert", run[1]))
    return chunks


def _fold(
    left: str | tuple[str, str], gap: str | tuple[str, str], right: str | tuple[str, str]
) -> tuple[str, str] | None:
    """One change for `left`, `gap`, `right` if the unchanged gap is not worth showing.

    That is whitespace, or at most one word and no longer than the changes on both sides
    (diff-match-patch's semantic cleanup, kept from swallowing phrases), but never a line
    break, so that paragraphs stay apart.
    """
    if not (isinstance(left, tuple) and isinstance(gap, str) and isinstance(right, tuple)):
        return None
    size = min(max(map(len, left)), max(map(len, right)))
    short = len(_WORD.findall(gap)) <= 1 and len(gap) <= size
    if _LINE_BREAK.search(gap) or not (gap.isspace() or short):
        return None
    return left[0] + gap + right[0], left[1] + gap + right[1]


def diff_stats(chunks: Iterable[Chunk]) -> tuple[int, int]:
    """Count (words inserted, words deleted) for a one-line summary of a revision.

    Counts what the reader sees marked, so an unchanged word folded into a change counts.
    """
    words = Counter[str]()
    for chunk in chunks:
        words[chunk.op] += len(_WORD.findall(chunk.text)) if chunk.op != "equal" else 0
    return words["insert"], words["delete"]


# --- Structured diff of front matter -------------------------------------------------

PathPart = str | int
ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    """One change to the front matter, labelled for residents and located for machines."""

    kind: ChangeKind
    label: str
    path: tuple[PathPart, ...]
    old: Any = None
    new: Any = None


#: Top-level plan keys whose friendly name is not just the key humanised: `cost_model`,
#: `status`, `summary`… already read as "Cost model", "Status", "Summary".
_KEY_LABELS = {"adopted": "Adopted on", "period": "Plan period", "review": "Review cadence"}
#: What one item of a known list is called, at any depth.
_ITEM_NOUNS = {
    "goals": "Goal",
    "commitments": "Commitment",
    "partners": "Partner",
    "governance": "Governance body",
    "budget": "Budget year",
    "elections": "Election",
    "members": "member",
}
#: Keys that may identify a list item, in order of preference.
_IDENTITY_KEYS = ("id", "name", "title", "year", "date", "label")
_SEPARATOR = " › "
_LABEL_LIMIT = 80
#: How deep the field diff and `describe` go into nested values. A plan nests four levels
#: (goals › goal › target › value); past this depth values are compared whole and shown
#: as `TOO_DEEP`, so that no recursion here depends on the input: a past revision nested
#: thousands deep would pass Python's recursion limit, and its history cannot be corrected.
MAX_DEPTH = 32
TOO_DEEP = "(too deeply nested to show)"


def structured_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """List what changed between two front matters, field by field, in a stable order."""
    differ = _Differ()
    differ.diff_mapping(old, new, (), ())
    return differ.changes


_Path = tuple[PathPart, ...]
_Label = tuple[str, ...]


class _Differ:
    """Walks two YAML values side by side, collecting changes in reading order.

    `label` names the value being diffed; `parent` names what holds it, because the items
    of a list are named under the list's holder: `Goal “…”`, not `Goals › Goal “…”`.
    """

    def __init__(self) -> None:
        self.changes: list[FieldChange] = []

    def add(
        self, kind: ChangeKind, label: _Label, path: _Path, old: Any = None, new: Any = None
    ) -> None:
        self.changes.append(FieldChange(kind, visible(_SEPARATOR.join(label)), path, old, new))

    def diff_mapping(
        self, old: Mapping[Any, Any], new: Mapping[Any, Any], path: _Path, label: _Label
    ) -> None:
        """Keys of `new` in their order, then keys only `old` has: the order a reader expects."""
        for key, value in new.items():
            name, where = (*label, _key_label(key, top=not path)), (*path, _path_part(key))
            if key in old:
                self.diff_value(old[key], value, key, where, label, name)
            else:
                self.add("added", name, where, new=value)
        for key, value in old.items():
            if key not in new:
                name, where = (*label, _key_label(key, top=not path)), (*path, _path_part(key))
                self.add("removed", name, where, old=value)

    def diff_value(
        self, old: Any, new: Any, key: Any, path: _Path, parent: _Label, label: _Label
    ) -> None:
        """Each path part is one level down: below `MAX_DEPTH`, values are compared whole."""
        deeper = len(path) < MAX_DEPTH
        if deeper and isinstance(old, Mapping) and isinstance(new, Mapping):
            self.diff_mapping(old, new, path, label)
        elif deeper and _is_list(old) and _is_list(new):
            self.diff_list(old, new, key, path, parent, label)
        elif _freeze(old) != _freeze(new):
            self.add("changed", label, path, old, new)

    def diff_list(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        key: Any,
        path: _Path,
        parent: _Label,
        label: _Label,
    ) -> None:
        """Pair items by identity (so reordering goals is no change), else by position."""
        noun = _ITEM_NOUNS.get(key, _humanise(key)) if isinstance(key, str) else "Item"
        items = (*old, *new)
        if not any(isinstance(item, Mapping) or _is_list(item) for item in items):
            self.diff_scalars(old, new, noun, path, parent, label)
            return
        identity = _identity_key(old, new) if all(isinstance(i, Mapping) for i in items) else None

        def ident(index: int, item: Any) -> PathPart:
            return item[identity] if identity else index

        def name(index: int, item: Any) -> _Label:
            return (*parent, _item_label(noun, item, item[identity] if identity else None, index))

        old_by_id = {ident(index, item): item for index, item in enumerate(old)}
        new_ids = {ident(index, item) for index, item in enumerate(new)}
        for index, item in enumerate(new):
            where = (*path, ident(index, item))
            if where[-1] in old_by_id:
                named = name(index, item)
                self.diff_value(old_by_id[where[-1]], item, None, where, named, named)
            else:
                self.add("added", name(index, item), where, new=item)
        for index, item in enumerate(old):
            if ident(index, item) not in new_ids:
                self.add("removed", name(index, item), (*path, ident(index, item)), old=item)

    def diff_scalars(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        noun: str,
        path: _Path,
        parent: _Label,
        label: _Label,
    ) -> None:
        """Report each element added or removed (duplicates counted), else one reorder."""
        added, removed = _minus(new, old), _minus(old, new)
        for value in added:
            name = (*parent, _item_label(noun, value, None, 0))
            self.add("added", name, (*path, _path_part(value)), new=value)
        for value in removed:
            name = (*parent, _item_label(noun, value, None, 0))
            self.add("removed", name, (*path, _path_part(value)), old=value)
        if not added and not removed and _freeze(old) != _freeze(new):
            name = (*label[:-1], f"{label[-1]} (order changed)")
            self.add("changed", name, path, list(old), list(new))


def _minus(items: Sequence[Any], other: Sequence[Any]) -> list[Any]:
    """Elements of `items` left over after taking away those of `other`, in order."""
    remaining = Counter(_freeze(value) for value in other)
    left: list[Any] = []
    for value in items:
        if remaining[_freeze(value)] > 0:
            remaining[_freeze(value)] -= 1
        else:
            left.append(value)
    return left


def _identity_key(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> str | None:
    """First key every item has, with a text or whole-number value unique on each side."""
    for key in _IDENTITY_KEYS:
        if all(_usable_identity(item.get(key)) for item in (*old, *new)) and all(
            len({item[key] for item in side}) == len(side) for side in (old, new)
        ):
            return key
    return None


def _usable_identity(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _item_label(noun: str, item: Any, ident: Any, index: int) -> str:
    """`Goal “Fewer people shot”`, `Budget year 2025`, `member “Ana Ruiz”`, `Partner #2`."""
    title = _title(item) if isinstance(item, Mapping) else item
    if isinstance(title, str):
        return f"{noun} “{_shorten(title, _LABEL_LIMIT)}”"
    if ident is not None:
        return f"{noun} {ident}"
    if isinstance(item, Mapping) or _is_list(item):
        return f"{noun} #{index + 1}"
    return f"{noun} {describe(item)}"


def _title(item: Mapping[Any, Any]) -> str | None:
    """What a list item is called: its title, else its name."""
    for key in ("title", "name"):
        if isinstance(item.get(key), str) and item[key].strip():
            return str(item[key])
    return None


def _key_label(key: Any, *, top: bool) -> str:
    return _KEY_LABELS[key] if top and key in _KEY_LABELS else _humanise(key)


def _humanise(key: Any) -> str:
    """`per_person` → "Per person"; other keys (years, booleans) as text."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _path_part(value: Any) -> PathPart:
    return value if _usable_identity(value) else str(value)


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _freeze(value: Any) -> Hashable:
    """Hashable form, equal when the YAML data is: `true` is not `1`, NaN is NaN, the order
    of keys (and of a set's members) does not count (`==` gets these wrong).

    A mapping, list or set stands for a digest of its parts, worked out in a loop rather
    than by recursion, so that a value nested thousands deep is no harder than a flat one.
    """
    if not _is_container(value):
        return _scalar(value)
    digests: list[bytes] = []  # of the values done, in order: a container's parts on top
    todo: list[tuple[Any, int]] = [(value, -1)]  # a value, and its number of parts once open
    while todo:
        item, parts = todo.pop()
        if not _is_container(item):
            digests.append(hashlib.sha256(repr(_scalar(item)).encode()).digest())
        elif parts < 0:
            children = _parts(item)
            todo.append((item, len(children)))
            todo.extend((child, -1) for child in reversed(children))
        else:
            done = digests[len(digests) - parts:]
            del digests[len(digests) - parts:]
            if isinstance(item, Mapping):  # key and value digests paired, in any order
                done = sorted(done[i] + done[i + 1] for i in range(0, parts, 2))
            elif not _is_list(item):  # a set
                done.sort()
            kind = b"map" if isinstance(item, Mapping) else b"list" if _is_list(item) else b"set"
            digests.append(hashlib.sha256(kind + b"".join(done)).digest())
    return digests[0]


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping | list | tuple | set | frozenset)


def _parts(value: Any) -> list[Any]:
    """A container's parts: a mapping's keys and values in turn, a list's or set's items."""
    if isinstance(value, Mapping):
        return [part for pair in value.items() for part in pair]
    return list(value)


def _scalar(value: Any) -> Hashable:
    """Hashable form of a value that holds no other: a whole float is its integer, so that
    the digest of `1.0` is that of `1`, as `==` has it."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if isinstance(value, float) and value.is_integer():
        return ("number", int(value))
    if isinstance(value, int | float):
        return ("number", value)
    return (type(value).__name__, value)


def describe(value: Any, limit: int = 120) -> str:
    """Short plain text for a value in a change list, cut at `limit` characters with "…"."""
    return visible(_shorten(_text(value), limit)) or "(none)"


def _text(value: Any, depth: int = 0) -> str:
    """Plain text for `describe`; a nested mapping is bracketed so its "; " stays its own,
    and what lies deeper than `MAX_DEPTH` is `TOO_DEEP`."""
    if depth > MAX_DEPTH:
        return TOO_DEEP
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Mapping):
        text = "; ".join(
            f"{_text(k, depth + 1).replace('_', ' ')}: {_text(v, depth + 1)}"
            for k, v in value.items()
        )
        return f"({text})" if depth and text else text
    if _is_list(value):
        # A partner or goal in a list is known by its title or name, not all its fields.
        items = ((_title(i) or i) if isinstance(i, Mapping) else i for i in value)
        return ", ".join(_text(item, depth + 1) for item in items)
    if isinstance(value, set | frozenset):  # (`!!set`) in an order that is the same every run
        return ", ".join(sorted(_text(item, depth + 1) for item in value))
    return str(value)


#: What a page may not show as it is: characters XML 1.0 forbids, the bidirectional controls
#: (they would show the text around them reversed), and the other controls and the
#: noncharacters, which HTML calls parse errors. One character class (the shared patterns
#: are classes), many times faster than alternatives; it takes in every character from
#: U+1FFFE up, as a list of the astral noncharacters would be slow, and `_written_out`
#: leaves the others as they are.
_NOT_SHOWN = re.compile(f"[{XML_FORBIDDEN.pattern[1:-1]}{BIDI_CONTROLS.pattern[1:-1]}"
                        "\x7f-\x9f\ufdd0-\ufdef\U0001fffe-\U0010ffff]")


def visible(text: str) -> str:
    """`text` with each character a page may not show written out (`<U+202E>`), so that a
    reader sees it and it has no effect: text from a past revision cannot be corrected."""
    if not _NOT_SHOWN.search(text):
        return text
    return _NOT_SHOWN.sub(_written_out, text)


def _written_out(found: re.Match[str]) -> str:
    character = found.group()
    if character > "\uffff" and ord(character) & 0xFFFE != 0xFFFE:  # not a noncharacter
        return character
    return f"<U+{ord(character):04X}>"


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary when one is near, so "…" does not split a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;") + "…"
