"""Turn YAML data into typed, frozen records, reporting every mistake with its file line.

The records declare their fields (see `fields.py`); a `Converter` reads one document's
data into them, collecting every problem instead of stopping at the first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import re
import types
import typing
from collections.abc import Collection, Mapping
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from ..engine.characters import NOT_IN_TEXT, shown
from ..engine.errors import Problem
from .fields import (
    LanguageMark,
    SitePathMark,
    SlugMark,
    UrlMark,
    is_required,
    is_safe_url,
    is_site_path,
    is_slug,
    language_code,
    yaml_fields,
)
from .frontmatter import Document
from .text import escaped_character_message
from .yaml_load import KeyPath

T = TypeVar("T")

#: Beyond any real amount or count; larger numbers (and .inf, .nan) are typing mistakes,
#: and would overflow the charts' and cost model's arithmetic.
LARGEST_NUMBER = 1e15
#: Years a date may have: any real plan date, with room for the review dates computed
#: from it; 9999-12-31 written as "no end" would overflow them.
YEARS = range(1000, 3000)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@cache
def _written_fields(cls: type) -> tuple[tuple[str, ...], tuple[tuple[str, Any, bool, str], ...]]:
    """The names of the fields an author writes, and each one's (name, hint, required, doc):
    worked out once per record type, since every file asks again."""
    fields = yaml_fields(cls)
    return (
        tuple(f.name for f in fields),
        tuple(
            (f.name, _hints(cls)[f.name], is_required(f), f.metadata.get("doc", "")) for f in fields
        ),
    )


@cache
def _shape(hint: Any) -> tuple[Any, tuple[Any, ...], bool]:
    """A type hint's origin, arguments and whether it is a record: asked once per hint."""
    return get_origin(hint), get_args(hint), dataclasses.is_dataclass(hint)


class Converter:
    """Converts one document's data, collecting problems instead of stopping at the first.

    `static` is the site path of every file under `static/`; when given, a `SitePath`
    must name one of them (a past revision read from git is checked without it).
    """

    def __init__(
        self, doc: Document, problems: list[Problem], static: Collection[str] | None = None
    ) -> None:
        self.doc = doc
        self.problems = problems
        self.static = static

    def error(self, key_path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(key_path), message))

    def record(self, cls: type[T], data: Any, key_path: KeyPath = (), **derived: Any) -> T | None:
        """Build `cls` from a mapping; None (with problems noted) when it cannot be built."""
        record_type: type = cls  # (the caches take any class)
        scalar_field = getattr(cls, "scalar_field", None)
        if scalar_field and not isinstance(data, (Mapping, list)):  # `on-track` for {status: …}
            value = self.value(_hints(record_type)[scalar_field], data, key_path)
            return None if value is _INVALID else cls(**{scalar_field: value}, **derived)
        if not isinstance(data, Mapping):
            self.error(
                key_path,
                f"{where(key_path)} must be a group of 'key: value' lines, not {described(data)}",
            )
            return None
        names, fields = _written_fields(record_type)
        for key in data:
            if key not in names:
                self.error((*key_path, key), unknown_key(str(key), list(names)))
        values: dict[str, Any] = dict(derived)
        ok = True
        for name, hint, is_needed, doc in fields:
            if data.get(name) is None:
                if is_needed:
                    self.error(
                        key_path,
                        f"missing required field '{name}' ({doc}) — add a line '{name}: …'",
                    )
                    ok = False
                continue
            value = self.value(hint, data[name], (*key_path, name))
            if value is _INVALID:
                ok = False
            else:
                values[name] = value
        if not ok:
            return None
        return cls(**values)

    def value(self, hint: Any, data: Any, key_path: KeyPath) -> Any:
        """Convert one value to `hint`, or note a problem and return `_INVALID`."""
        origin, args, is_record = _shape(hint)
        if origin is Annotated:
            base, *marks = args
            value = self.value(base, data, key_path)
            if value is not _INVALID and UrlMark in marks and not is_safe_url(value):
                self.error(
                    key_path,
                    f"{where(key_path)} must be an http(s) or mailto link or "
                    f"a path on the site; {described(value)} is not allowed",
                )
                return _INVALID
            if value is not _INVALID and SlugMark in marks and not is_slug(value):
                self.error(
                    key_path,
                    f"{where(key_path)} {described(value)} must use only "
                    "lowercase letters, digits and single hyphens (like "
                    "'fewer-shootings')",
                )
                return _INVALID
            if value is not _INVALID and SitePathMark in marks:
                return self._site_path(value, key_path)
            if value is not _INVALID and LanguageMark in marks:
                return self._language(value, key_path)
            return value
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            return self.value(options[0], data, key_path)
        if origin is Literal:
            return self._choice(args, data, key_path)
        if origin is tuple:
            return self._items(args[0], data, key_path)
        if origin in (dict, Mapping):
            return self._mapping(args[1], data, key_path)
        if is_record:
            result = self.record(hint, data, key_path)
            return _INVALID if result is None else result
        return self._scalar(hint, data, key_path)

    def _scalar(self, hint: type, data: Any, key_path: KeyPath) -> Any:
        if hint is str:
            if isinstance(data, str):
                found = NOT_IN_TEXT.search(data)
                if found is None:
                    return data
                self.error(key_path, escaped_character_message(where(key_path), found.group()))
                return _INVALID
            if isinstance(data, (int, float)) and not isinstance(data, bool):
                return str(data)
            return self._wrong(key_path, "text", data)
        if hint is bool:
            return data if isinstance(data, bool) else self._wrong(key_path, "true or false", data)
        if hint is int:
            if isinstance(data, int) and not isinstance(data, bool):
                return self._bounded(data, key_path)
            return self._wrong(key_path, "a whole number (like 2024)", data)
        if hint is float:
            if (
                isinstance(data, (int, float))
                and not isinstance(data, bool)
                and (isinstance(data, int) or math.isfinite(data))
            ):
                return self._bounded(data, key_path)
            return self._wrong(key_path, "a number (like 1500 or 12.5, without $ or commas)", data)
        if hint is dt.date:
            return self._date(data, key_path)
        raise TypeError(f"unsupported field type {hint!r}")

    def _site_path(self, value: str, key_path: KeyPath) -> Any:
        """A path to a published file: `/images/ana.jpg` for `static/images/ana.jpg`."""
        if not is_site_path(value):
            self.error(
                key_path,
                f"{where(key_path)} {described(value)} must be the path of a "
                "file in the static/ folder, starting with '/' and without '..' (for "
                "static/images/fellows/ana.jpg write /images/fellows/ana.jpg)",
            )
            return _INVALID
        if self.static is not None and value not in self.static:
            close = difflib.get_close_matches(value, self.static, n=1, cutoff=0.9)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"put the file at static{shown(value)}, or correct the path"
            )
            self.error(
                key_path,
                f"{where(key_path)} {described(value)} is not a file in the "
                f"static/ folder — {hint}",
            )
            return _INVALID
        return value

    def _language(self, value: str, key_path: KeyPath) -> Any:
        code = language_code(value)
        if code is None:
            self.error(
                key_path,
                f"{where(key_path)} {described(value)} is not a language code; write "
                "one like en, es, pt-BR or zh-Hant",
            )
            return _INVALID
        return code

    def _bounded(self, number: float, key_path: KeyPath) -> Any:
        if abs(number) <= LARGEST_NUMBER:
            return number
        self.error(
            key_path,
            f"{where(key_path)} is too large to be a real amount or count; check the number",
        )
        return _INVALID

    def _date(self, data: Any, key_path: KeyPath) -> Any:
        if isinstance(data, dt.date):
            return data
        text = str(data).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                pass
            else:
                if day.year in YEARS:
                    return day
                self.error(
                    key_path,
                    f"{where(key_path)} {described(text)} is not a likely date; "
                    "check the year, or leave the field out when there is no date",
                )
                return _INVALID
        self.error(
            key_path,
            f"{where(key_path)} '{shown(str(data))}' is not a date; write it as "
            "YYYY-MM-DD, like 2025-03-31",
        )
        return _INVALID

    def _choice(self, choices: tuple[str, ...], data: Any, key_path: KeyPath) -> Any:
        if isinstance(data, str) and data in choices:
            return data
        hint = difflib.get_close_matches(str(data), choices, n=1)
        close = f" — did you mean '{hint[0]}'?" if hint else ""
        self.error(
            key_path,
            f"{where(key_path)} '{shown(str(data))}' is not one of: {', '.join(choices)}{close}",
        )
        return _INVALID

    def _items(self, hint: Any, data: Any, key_path: KeyPath) -> Any:
        if not isinstance(data, list):
            return self._wrong(
                key_path, "a list (each item on its own line starting with '- ')", data
            )
        items = [self.value(hint, item, (*key_path, i)) for i, item in enumerate(data)]
        return _INVALID if _INVALID in items else tuple(items)

    def _mapping(self, hint: Any, data: Any, key_path: KeyPath) -> Any:
        if not isinstance(data, Mapping):
            return self._wrong(key_path, "a group of 'name: value' lines", data)
        result = {str(k): self.value(hint, v, (*key_path, str(k))) for k, v in data.items()}
        return _INVALID if _INVALID in result.values() else result

    def _wrong(self, key_path: KeyPath, expected: str, data: Any) -> Any:
        self.error(key_path, f"{where(key_path)} must be {expected}, not {described(data)}")
        return _INVALID


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()


def where(key_path: KeyPath) -> str:
    """`goals[2].target` style name of a value, for messages."""
    if not key_path:
        return "the file"
    text = ""
    for part in key_path:
        name = shown(str(part))
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{name}" if text else name)
    return f"'{text}'"


def described(data: Any) -> str:
    if isinstance(data, list):
        return "a list"
    if isinstance(data, Mapping):
        return "a group of fields"
    if data is True or data is False:
        return f"'{str(data).lower()}'"
    return f"'{shown(str(data))}'"


def unknown_key(key: str, names: list[str]) -> str:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"unknown field '{shown(key)}' — did you mean '{close[0]}'?"
    return f"unknown field '{shown(key)}'; the fields allowed here are: {', '.join(names)}"
