"""`content/` as its files (which file is which kind of item, under which slug, by the
file patterns of the kinds table) and `static/` as the site paths of the files it
publishes, each folder walked by `walk.py`.

A file named like its source with a language code before the ending (`plan.es.md`,
`updates/2025-h1.es.md`) is that source's translation, not an item of its own: it must
be into one of the site's languages other than the default, and its source must exist.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..engine.errors import Problem
from . import kinds
from .fields import is_slug, language_code
from .kinds import CONTENT_SUFFIXES, Kind
from .walk import walk


@dataclass(frozen=True)
class ContentFile:
    """One content file: its kind's name, its slug, its plan (for an item of a plan) and its
    path relative to the site; for a translation, its language and its source's path."""

    kind: str
    slug: str
    path: str
    plan: str = ""
    language: str = ""
    source: str = ""


def discover(root: Path, languages: Sequence[str] = ()) -> tuple[list[ContentFile], list[Problem]]:
    """Every content file under `root/content`, sorted; plus misplaced or badly named files,
    and translations that are not into one of `languages` after the first (the default)
    or not of a file there is."""
    found: list[ContentFile] = []
    files, problems = walk(root, "content")
    places = _Places(kinds.KINDS)
    for relative in files:
        file = places.classify(relative)
        if isinstance(file, Problem):
            problems.append(file)
        elif file is not None:
            found.append(file)
    problems += _duplicates(found)
    found, wrong = _translations(found, tuple(languages))
    return found, problems + wrong


def static_paths(root: Path) -> tuple[frozenset[str], list[Problem]]:
    """The site path (`/images/ana.jpg`) of every file `static/` publishes; plus bad names
    and links."""
    files, problems = walk(root, "static")
    return frozenset(relative.removeprefix("static") for relative in files), problems


#: A file name's stem that may be a translation's: the source's stem, a dot and something
#: like a language code (`plan.es`, `about.pt-BR`).
_TRANSLATED = re.compile(r"(.+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)")

#: One part of a file pattern: the field it names (or "") and the text it must be
#: otherwise; in the last part, the suffix ("" for any of `CONTENT_SUFFIXES`).
_Part = tuple[str, str]
_Pattern = tuple[tuple[_Part, ...], _Part, str]


class _Places:
    """The kinds' file patterns, looked up by a file's first folder and depth: the few
    patterns (one or two) that a file is tried against."""

    def __init__(self, table: tuple[Kind, ...]) -> None:
        self.shapes: dict[tuple[str, int], list[tuple[str, _Pattern]]] = {}
        self.folders: dict[str, list[Kind]] = {}
        for kind in table:
            for pattern in kind.files:
                parts = pattern.split("/")
                self.shapes.setdefault((parts[0], len(parts)), []).append(
                    (kind.name, _parsed(parts))
                )
                if kind not in self.folders.setdefault(parts[0], []):
                    self.folders[parts[0]].append(kind)

    def classify(self, relative: str) -> ContentFile | Problem | None:
        parts = relative.split("/")[1:]  # drop "content"
        stem, dot, suffix = parts[-1].rpartition(".")
        if dot and suffix != suffix.lower() and f".{suffix.lower()}" in CONTENT_SUFFIXES:
            return Problem(
                relative,
                1,
                f"write the extension in lowercase, "
                f"'.{suffix.lower()}'; otherwise the file is left out of the site",
            )
        if not dot or f".{suffix}" not in CONTENT_SUFFIXES:
            return None  # images and other files beside the content are left alone
        shapes = self.shapes.get((parts[0], len(parts)), ())
        translated = _TRANSLATED.fullmatch(stem)
        if translated:  # `plan.es`: tried as the source's name first
            source_stem, code = translated.groups()
            for kind, pattern in shapes:
                fields = _matched(pattern, parts, source_stem, suffix)
                if fields is not None:
                    return _named(kind, fields, relative, language_code(code) or code)
        for kind, pattern in shapes:
            fields = _matched(pattern, parts, stem, suffix)
            if fields is not None:
                return _named(kind, fields, relative)
        return Problem(relative, 1, f"not a place for a content file: {self._places(parts[0])}")

    def _places(self, folder: str) -> str:
        """Where content files go: those of the kinds in `folder`, or every kind's folder."""
        if folder in self.folders:
            return " and ".join(
                f"{kind.indefinite} is {_pattern_shown(kind.files[0], kind)}"
                for kind in self.folders[folder]
            )
        names = [f"content/{name}/" for name in self.folders]
        return (
            f"use {', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else f"use {names[0]}"
        )


def _parsed(parts: list[str]) -> _Pattern:
    stem, _, suffix = parts[-1].rpartition(".")
    return (tuple(_part(part) for part in parts[:-1]), _part(stem), "" if suffix == "*" else suffix)


def _part(text: str) -> _Part:
    return (text[1:-1], "") if text.startswith("{") else ("", text)


def _matched(pattern: _Pattern, parts: list[str], stem: str, suffix: str) -> dict[str, str] | None:
    """The fields a file's path gives by `pattern` (`slug`, `plan`), or None if it does not
    fit."""
    folders, (stem_field, stem_text), wanted_suffix = pattern
    if wanted_suffix and suffix != wanted_suffix:
        return None
    fields: dict[str, str] = {}
    for (name, text), part in zip(folders, parts, strict=False):
        if name:
            fields[name] = part
        elif part != text:
            return None
    if stem_field:
        fields[stem_field] = stem
    elif stem != stem_text:
        return None
    return fields


def _pattern_shown(pattern: str, kind: Kind) -> str:
    """A file pattern as a message shows it: 'content/plans/<plan>/updates/<update>.md'."""
    return "content/" + pattern.replace("{slug}", f"<{kind.name}>").replace(
        "{plan}", "<plan>"
    ).replace(".*", ".md")


def file_paths(kind: Kind, slug: str, plan: str = "") -> list[str]:
    """Every path (from the site folder) an item could be read from, in the order of the
    kind's patterns, each ending of a pattern's `.*` in turn."""
    paths = []
    for pattern in kind.files:
        path = "content/" + pattern.format(slug=slug, plan=plan)
        paths += (
            [path[:-2] + suffix for suffix in CONTENT_SUFFIXES] if path.endswith(".*") else [path]
        )
    return paths


def _named(
    kind: str, fields: dict[str, str], relative: str, language: str = ""
) -> ContentFile | Problem:
    slug = fields["slug"]
    if not is_slug(slug):
        return Problem(
            relative,
            1,
            f"the name '{slug}' becomes part of a web address; use "
            "only lowercase letters, digits and hyphens (like 'riverton-2030')",
        )
    return ContentFile(kind, slug, relative, fields.get("plan", ""), language)


def _duplicates(files: list[ContentFile]) -> list[Problem]:
    """Two files for one address: `a.md` and `a.yaml`, or `content/plans/a.md` and `a/plan.md`."""
    seen: dict[tuple[str, str, str, str], str] = {}
    problems = []
    for file in files:
        key = (file.kind, file.plan, file.slug.lower(), file.language)
        if key in seen:
            problems.append(
                Problem(
                    file.path,
                    1,
                    f"'{seen[key]}' has the same name; each "
                    "item needs its own name — rename or remove one",
                )
            )
        else:
            seen[key] = file.path
    return problems


def _translations(
    files: list[ContentFile], languages: tuple[str, ...]
) -> tuple[list[ContentFile], list[Problem]]:
    """`files` with each translation tied to its source, less the translations that cannot
    be: into a language the site does not have, or of a file that does not exist."""
    sources = {(f.kind, f.plan, f.slug): f.path for f in files if not f.language}
    kept, problems = [], []
    for file in files:
        source = sources.get((file.kind, file.plan, file.slug), "")
        wrong = file.language and (
            _language_problem(file, languages, source) or _source_problem(file, source, sources)
        )
        if wrong:
            problems.append(Problem(file.path, 1, wrong))
        else:
            kept.append(replace(file, source=source) if file.language else file)
    return kept, problems


def _language_problem(file: ContentFile, languages: tuple[str, ...], source: str) -> str | None:
    """Why the file cannot be a translation into its language, or None when it can."""
    code, others = file.language, languages[1:]
    if code in others:
        return None
    ending = f"'.{file.path.rsplit('.', 2)[-2]}.{file.path.rsplit('.', 1)[-1]}'"
    if languages and code == languages[0]:
        into = (
            f"another of the site's languages ({', '.join(others)})"
            if others
            else "another language, listed after it in 'languages' in site.yaml"
        )
        return (
            f"'{code}' is the site's default language, the language of "
            f"{source or 'the source file'}; a translation is into {into} — rename or "
            "remove this file"
        )
    have = f"({', '.join(languages)})" if languages else "(it has one language)"
    listed = f"[{', '.join(languages or ('en',))}, {code}]"
    return (
        f"'{code}' is not one of the site's languages {have}: a name ending in {ending} "
        f"makes the file a translation — list the language in site.yaml "
        f"('languages: {listed}'), or rename the file"
    )


def _source_problem(
    file: ContentFile, source: str, sources: dict[tuple[str, str, str], str]
) -> str | None:
    """Why the file is a translation of nothing, or None when its source exists."""
    if source:
        return None
    folder, name = file.path.rsplit("/", 1)
    stem, suffix = name.rsplit(".", 1)
    expected = f"{folder}/{stem.rsplit('.', 1)[0]}.{suffix}"
    near = {key[2]: path for key, path in sources.items() if key[:2] == (file.kind, file.plan)}
    close = difflib.get_close_matches(file.slug, list(near), n=1)
    hint = f" — did you mean {near[close[0]]}?" if close else ""
    return (
        f"is a translation of {expected}, which does not exist{hint}; translate a file "
        "that exists, or remove this one"
    )
