"""What changed in a plan's front matter, field by field.

Front matter is walked as plain YAML data; list items are matched by what they are (a
goal's `id`, a partner's `name`), not where they sit, so reordering goals is not a change.
Each change is labelled for residents (see `wording`) and located by its path for machines.
Pure, and with no recursion that depends on the input: a past revision may nest thousands
deep, and its history cannot be corrected.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..engine.characters import visible
from .wording import MAX_DEPTH, is_list, item_label, item_noun, key_label

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
    #: The value at each step of `path` (the new side's, where it has one): what a list
    #: item is called depends on the item, and a reader of the path alone has only its id.
    trail: tuple[Any, ...] = field(default=(), compare=False, repr=False)


#: Keys that may identify a list item, in order of preference.
_IDENTITY_KEYS = ("id", "name", "title", "year", "date", "label")
#: Between the parts of a label: `Goal “Fewer people shot” › Target`.
_SEPARATOR = " › "


def structured_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """List what changed between two front matters, field by field, in a stable order."""
    differ = _Differ()
    differ.diff_mapping(old, new, (), (), ())
    return differ.changes


_Path = tuple[PathPart, ...]
_Label = tuple[str, ...]
_Trail = tuple[Any, ...]


class _Differ:
    """Walks two YAML values side by side, collecting changes in reading order.

    `label` names the value being diffed; `parent` names what holds it, because the items
    of a list are named under the list's holder: `Goal “…”`, not `Goals › Goal “…”`.
    `trail` holds the values along `path`, for `FieldChange.trail`.
    """

    def __init__(self) -> None:
        self.changes: list[FieldChange] = []

    def add(
        self,
        kind: ChangeKind,
        label: _Label,
        path: _Path,
        trail: _Trail,
        old: Any = None,
        new: Any = None,
    ) -> None:
        name = visible(_SEPARATOR.join(label))
        self.changes.append(FieldChange(kind, name, path, old, new, trail))

    def diff_mapping(
        self,
        old: Mapping[Any, Any],
        new: Mapping[Any, Any],
        path: _Path,
        label: _Label,
        trail: _Trail,
    ) -> None:
        """Keys of `new` in their order, then keys only `old` has: the order a reader expects."""
        for key, value in new.items():
            name, where = (*label, key_label(key, top=not path)), (*path, _path_part(key))
            if key in old:
                self.diff_value(old[key], value, key, where, label, name, (*trail, value))
            else:
                self.add("added", name, where, (*trail, value), new=value)
        for key, value in old.items():
            if key not in new:
                name, where = (*label, key_label(key, top=not path)), (*path, _path_part(key))
                self.add("removed", name, where, (*trail, value), old=value)

    def diff_value(
        self,
        old: Any,
        new: Any,
        key: Any,
        path: _Path,
        parent: _Label,
        label: _Label,
        trail: _Trail,
    ) -> None:
        """Each path part is one level down: below `MAX_DEPTH`, values are compared whole."""
        deeper = len(path) < MAX_DEPTH
        if deeper and isinstance(old, Mapping) and isinstance(new, Mapping):
            if not _written_alike(old, new):
                self.diff_mapping(old, new, path, label, trail)
        elif deeper and is_list(old) and is_list(new):
            if not _written_alike(old, new):
                self.diff_list(old, new, key, path, parent, label, trail)
        elif _freeze(old) != _freeze(new):
            self.add("changed", label, path, trail, old, new)

    def diff_list(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        key: Any,
        path: _Path,
        parent: _Label,
        label: _Label,
        trail: _Trail,
    ) -> None:
        """Pair items by identity (so reordering goals is no change), else by position."""
        noun = item_noun(key)
        items = (*old, *new)
        if not any(isinstance(item, Mapping) or is_list(item) for item in items):
            self.diff_scalars(old, new, noun, path, parent, label, trail)
            return
        identity = _identity_key(old, new) if all(isinstance(i, Mapping) for i in items) else None

        def ident(index: int, item: Any) -> PathPart:
            return item[identity] if identity else index

        def name(index: int, item: Any) -> _Label:
            return (*parent, item_label(noun, item, item[identity] if identity else None, index))

        old_by_id = {ident(index, item): item for index, item in enumerate(old)}
        new_ids = {ident(index, item) for index, item in enumerate(new)}
        for index, item in enumerate(new):
            where = (*path, ident(index, item))
            if where[-1] in old_by_id:
                named = name(index, item)
                self.diff_value(
                    old_by_id[where[-1]], item, None, where, named, named, (*trail, item)
                )
            else:
                self.add("added", name(index, item), where, (*trail, item), new=item)
        for index, item in enumerate(old):
            if ident(index, item) not in new_ids:
                where = (*path, ident(index, item))
                self.add("removed", name(index, item), where, (*trail, item), old=item)

    def diff_scalars(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        noun: str,
        path: _Path,
        parent: _Label,
        label: _Label,
        trail: _Trail,
    ) -> None:
        """Report each element added or removed (duplicates counted), else one reorder."""
        added, removed = _minus(new, old), _minus(old, new)
        for value in added:
            name = (*parent, item_label(noun, value, None, 0))
            self.add("added", name, (*path, _path_part(value)), (*trail, value), new=value)
        for value in removed:
            name = (*parent, item_label(noun, value, None, 0))
            self.add("removed", name, (*path, _path_part(value)), (*trail, value), old=value)
        if not added and not removed and _freeze(old) != _freeze(new):
            name = (*label[:-1], f"{label[-1]} (order changed)")
            self.add("changed", name, path, trail, list(old), list(new))


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


def _written_alike(old: Any, new: Any) -> bool:
    """Whether two values are the same YAML data written the same way, so that walking
    them would find no change: most of a plan is, from one revision to the next. Told by
    their `repr`, made in C, which tells `true` from `1` as `==` does not. Values that are
    the same data written in another order are walked (and found unchanged), and so are
    values nested too deep for `repr`, which refuses them at Python's recursion limit."""
    try:
        return type(old) is type(new) and repr(old) == repr(new)
    except RecursionError:
        return False


def _usable_identity(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _path_part(value: Any) -> PathPart:
    return value if _usable_identity(value) else str(value)


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
            done = digests[len(digests) - parts :]
            del digests[len(digests) - parts :]
            if isinstance(item, Mapping):  # key and value digests paired, in any order
                done = sorted(done[i] + done[i + 1] for i in range(0, parts, 2))
            elif not is_list(item):  # a set
                done.sort()
            kind = b"map" if isinstance(item, Mapping) else b"list" if is_list(item) else b"set"
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
