"""Translations: a file beside its source (`plan.es.md` beside `plan.md`) carrying the
source's text in one more of the site's languages, read into a `Translation` and checked
against its source.

A translation carries only the fields its record marks `translatable` (`models.py`) and
the prose: numbers, dates, statuses and ids come from the source, so writing one is a
mistake that names the field. Goals and commitments are matched by their `id`, an
update's goals by their key, and each carries only its own text fields; an id the source
lacks is a mistake with a "did you mean". `translated` lays a translation over its
source's record: the item as a page in that language shows it; `translatable_text` is
what of a file a translation translates, to tell when the source's words have changed.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from ..engine.characters import shown
from ..engine.errors import Problem
from .fields import is_translatable, yaml_fields
from .frontmatter import Document
from .schema import Converter, described, unknown_key, where
from .yaml_load import KeyPath

T = TypeVar("T")

#: The one field of a translation that is not its source's: the source's commit the
#: translation was last checked against (`git log --oneline` names commits so).
TRANSLATION_OF = "translation_of"
_COMMIT = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class Translation:
    """One item's text in one more language, checked against its source."""

    language: str
    #: The source file, and this one, relative to the site.
    source: str
    path: str
    #: The translated fields by name: text, or for a field of records holding text
    #: (goals, an update's goals, readiness) their translated fields, by id or key when
    #: there are several.
    fields: Mapping[str, Any]
    #: The prose; None when the file has none, and the source's stays.
    body: str | None = None
    body_line: int = 1
    #: The source's commit the translation was checked against, when it says so.
    translation_of: str | None = None


def read_translation(
    doc: Document,
    language: str,
    source_path: str,
    record: type,
    source: Any | None,
    problems: list[Problem],
) -> Translation | None:
    """The translation in `doc` of the `record` in `source_path` (`source`, or None when
    that file could not be read: then only the translation's own fields are checked);
    None, with its problems noted, when it has a mistake."""
    found = len(problems)
    reader = _Reader(doc, source_path, source is not None, problems)
    data = dict(doc.data)
    commit = reader.commit(data.pop(TRANSLATION_OF, None))
    fields = reader.fields(record, data, (), source)
    if len(problems) > found:
        return None
    body = doc.body if doc.body.strip() else None
    return Translation(language, source_path, doc.path, fields, body, doc.body_line, commit)


def translated(item: T, translation: Translation) -> T:
    """`item` as `translation` has it: the translated fields in place of the source's, and
    the prose when the translation has its own. Everything else is the source's, its path
    and the line its prose starts on too."""
    laid: Any = _laid_over(item, translation.fields)
    if translation.body is not None:
        laid = dataclasses.replace(laid, body=translation.body)
    return typing.cast(T, laid)


def _laid_over(record: Any, fields: Mapping[str, Any]) -> Any:
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        current = getattr(record, name)
        if isinstance(value, str):
            changes[name] = value
        elif isinstance(current, tuple):
            changes[name] = tuple(
                _laid_over(one, value[one.id]) if getattr(one, "id", None) in value else one
                for one in current
            )
        elif isinstance(current, Mapping):
            changes[name] = {
                key: _laid_over(one, value[key]) if key in value else one
                for key, one in current.items()
            }
        elif current is not None:
            changes[name] = _laid_over(current, value)
    return dataclasses.replace(record, **changes)


def translatable_text(record: type, data: Any, body: str) -> Any:
    """What a translation of a file of `record` translates, from the file's fields as
    written (`data`) and its prose: the fields marked `translatable`, and within them those
    of each record by its id (or key), its place when it has none. Two versions of a file
    with the same text need no new translation, whatever else changed (a number, a date, a
    status, the order of goals or a line's wrapping)."""
    return _text_of(record, data), [" ".join(part.split()) for part in _PARAGRAPH.split(body)]


_PARAGRAPH = re.compile(r"\n\s*\n")


def _text_of(cls: type, data: Any) -> Any:
    if not isinstance(data, Mapping):
        return None  # `high` for {level: high}: no text
    return {
        f.name: _text_value(_hints(cls)[f.name], data[f.name])
        for f in yaml_fields(cls)
        if is_translatable(f) and data.get(f.name) not in (None, "", [], {})
    }


def _text_value(hint: Any, value: Any) -> Any:
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        return _text_value(args[0], value)
    if origin in (Union, types.UnionType):
        return _text_value(next(arg for arg in args if arg is not type(None)), value)
    if origin is tuple and isinstance(value, list):
        entries = [(e.get("id") if isinstance(e, Mapping) else None, e) for e in value]
        return (
            {str(id): _text_of(args[0], e) for id, e in entries if id is not None},
            [_text_of(args[0], e) for id, e in entries if id is None],
        )
    if origin in (dict, Mapping) and isinstance(value, Mapping):
        return {str(key): _text_of(args[1], one) for key, one in value.items()}
    if dataclasses.is_dataclass(hint):
        return _text_of(typing.cast(type, hint), value)
    return " ".join(value.split()) if isinstance(value, str) else value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


class _Reader:
    """Reads one translation's fields, noting every mistake; `known` is whether the
    source's record is there to check ids and values against."""

    def __init__(self, doc: Document, source: str, known: bool, problems: list[Problem]):
        self.converter = Converter(doc, problems)
        self.source = source
        self.known = known
        self.problems = problems

    def error(self, key_path: KeyPath, message: str) -> None:
        self.converter.error(key_path, message)

    def commit(self, data: Any) -> str | None:
        if data is None:
            return None
        text = str(data) if isinstance(data, (str, int)) and not isinstance(data, bool) else ""
        if _COMMIT.fullmatch(text):
            return text
        self.error(
            (TRANSLATION_OF,),
            f"'{TRANSLATION_OF}' must be the commit of {self.source} the translation was "
            f"checked against, like 4d20543 (git log --oneline {self.source} lists them), "
            f"not {described(data)}",
        )
        return None

    def fields(self, cls: type, data: Any, key_path: KeyPath, source: Any) -> dict[str, Any]:
        """The translated fields of the `cls` record written at `key_path`; `source` is
        the source's record there."""
        text = [f.name for f in yaml_fields(cls) if is_translatable(f)]
        allowed = f"({', '.join(text)}{'' if key_path else ' and the prose'})"
        if not isinstance(data, Mapping):
            if getattr(cls, "scalar_field", None):  # `on-track` for {status: on-track}
                self.error(key_path, self._from_source(key_path, allowed))
            else:
                self.error(
                    key_path,
                    f"{where(key_path)} must be a group of 'key: value' lines, not "
                    f"{described(data)}",
                )
            return {}
        written = {f.name for f in yaml_fields(cls)}
        found: dict[str, Any] = {}
        for key, value in data.items():
            name, at = str(key), (*key_path, key)
            if name == "id" and key_path and name in written:
                continue  # what matched the record to its source's
            if name not in written:
                names = text if key_path else [*text, TRANSLATION_OF]
                self.error(at, unknown_key(name, names))
            elif name not in text:
                self.error(at, self._from_source(at, allowed))
            elif value is not None:
                had = getattr(source, name, None)
                if self.known and had in (None, "", (), {}):
                    self.error(
                        at,
                        f"{where(at)} is not in {self.source}, so there is nothing to "
                        "translate — add it there first, or remove it here",
                    )
                    continue
                translated = self.value(_hints(cls)[name], value, at, had)
                if translated is not None:
                    found[name] = translated
        return found

    def value(self, hint: Any, data: Any, key_path: KeyPath, source: Any) -> Any:
        """A translated value of the type `hint`, or None when it has a mistake."""
        origin, args = get_origin(hint), get_args(hint)
        if origin is Annotated:
            return self.value(args[0], data, key_path, source)
        if origin in (Union, types.UnionType):
            option = next(arg for arg in args if arg is not type(None))
            return self.value(option, data, key_path, source)
        if origin is tuple:
            return self.by_id(args[0], data, key_path, source or ())
        if origin in (dict, Mapping):
            return self.by_key(args[1], data, key_path, source or {})
        if dataclasses.is_dataclass(hint):
            return self.fields(typing.cast(type, hint), data, key_path, source)
        found = len(self.problems)
        converted = self.converter.value(hint, data, key_path)
        return converted if len(self.problems) == found else None

    def by_id(self, cls: type, data: Any, key_path: KeyPath, source: tuple[Any, ...]) -> Any:
        """The translated records of a list (goals, commitments), by the id each names."""
        if not isinstance(data, list):
            self.error(key_path, f"{where(key_path)} must be a list, not {described(data)}")
            return None
        noun = _noun(key_path)
        ids = [one.id for one in source if getattr(one, "id", None)]
        found: dict[str, Any] = {}
        for index, entry in enumerate(data):
            at = (*key_path, index)
            written = entry.get("id") if isinstance(entry, Mapping) else None
            if not isinstance(entry, Mapping) or written is None:
                self.error(at, self._without_id(noun, entry, at, ids))
                continue
            one = str(written)
            if self.known and one not in ids:
                self.error((*at, "id"), self._unknown_id(noun, one, ids))
            elif one in found:
                self.error((*at, "id"), f"{noun} '{shown(one)}' is translated twice; keep one")
            else:
                same = next((x for x in source if getattr(x, "id", None) == one), None)
                found[one] = self.fields(cls, entry, at, same)
        return found

    def by_key(self, cls: type, data: Any, key_path: KeyPath, source: Mapping[str, Any]) -> Any:
        """The translated records of a mapping (an update's goals), by key."""
        if not isinstance(data, Mapping):
            self.error(
                key_path,
                f"{where(key_path)} must be a group of 'name: value' lines, not {described(data)}",
            )
            return None
        found: dict[str, Any] = {}
        for key, value in data.items():
            name, at = str(key), (*key_path, key)
            if self.known and name not in source:
                self.error(at, self._unknown_id(_noun(key_path), name, list(source), by_id=False))
            else:
                found[name] = self.fields(cls, value, at, source.get(name))
        return found

    def _without_id(self, noun: str, entry: Any, key_path: KeyPath, ids: list[str]) -> str:
        if not isinstance(entry, Mapping):
            return (
                f"{where(key_path)} must be a group of 'key: value' lines, not {described(entry)}"
            )
        needs = f"a translated {noun} needs the 'id' of the {noun} it translates"
        if self.known and not ids:
            return (
                f"{needs}, and no {noun} of {self.source} has one — give the {noun} an id "
                "there, then write the same id here"
            )
        listed = f" (one of: {', '.join(ids)})" if ids else ""
        return f"{needs}{listed} — add a line 'id: …'"

    def _from_source(self, key_path: KeyPath, allowed: str) -> str:
        return (
            f"{where(key_path)} comes from {self.source}; a translation carries only text "
            f"fields {allowed} — remove it"
        )

    def _unknown_id(self, noun: str, written: str, ids: list[str], by_id: bool = True) -> str:
        close = difflib.get_close_matches(written, ids, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else _among(noun, ids, by_id)
        return f"{noun} '{shown(written)}' is not in {self.source}{hint}"


def _noun(key_path: KeyPath) -> str:
    """'goal' for a value at `goals`, 'commitment' at `commitments`."""
    return str(key_path[-1]).removesuffix("s")


def _among(noun: str, ids: list[str], by_id: bool = True) -> str:
    """Which there are to translate: '; its goals with an id are: a, b'."""
    if not ids:
        return (
            f"; it has no {noun} with an id — give the {noun} an id there first"
            if by_id
            else f"; it has no {noun}s"
        )
    return f"; its {noun}s{' with an id' if by_id else ''} are: {', '.join(ids)}"
