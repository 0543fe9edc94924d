"""Walk `content/` into its files (which file is which kind of item, under which slug, by
the file patterns of the kinds table) and `static/` into the site paths of the files it
publishes; the theme walks its folders here.

Symbolic links are followed only to a file inside the same folder (`content/`, `static/`,
a theme's folder). A link leading anywhere else could publish a file from
outside the site — say `.git/config`, which on a CI runner may hold an access token — so it
is reported as a mistake rather than read or copied; so is a link to a folder.

A name holding a line break, a control character or bytes that are not UTF-8 is a mistake
too: such a name, listed in the output's marker or printed in a message, could start a
line of its own ("x\n<key> /home/…" once made a later build delete /home/…).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..engine.characters import UNSAFE_IN_NAME, name_problem, shown
from ..engine.errors import Problem
from . import kinds
from .fields import is_slug
from .kinds import CONTENT_SUFFIXES, Kind


@dataclass(frozen=True)
class ContentFile:
    """One content file: its kind's name, its slug, its plan (for an item of a plan) and its
    path relative to the site."""

    kind: str
    slug: str
    path: str
    plan: str = ""


def discover(root: Path) -> tuple[list[ContentFile], list[Problem]]:
    """Every content file under `root/content`, sorted; plus misplaced or badly named files."""
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
    return found, problems


def static_paths(root: Path) -> tuple[frozenset[str], list[Problem]]:
    """The site path (`/images/ana.jpg`) of every file `static/` publishes; plus bad names
    and links."""
    files, problems = walk(root, "static")
    return frozenset(relative.removeprefix("static") for relative in files), problems


def walk(root: Path, folder: str) -> tuple[list[str], list[Problem]]:
    """Files under `root/folder` as paths relative to `root` ('content/pages/a.md'), sorted
    folder by folder, hidden ones left out; plus the names and links that may not be used
    (what they name is left out too)."""
    top = root / folder
    if not top.is_dir():
        return [], []
    tree = top.resolve()
    if not tree.is_relative_to(root.resolve()):
        return [], [
            Problem(
                f"{folder}/",
                0,
                "is a link to a folder outside the site; nothing "
                "outside the site is published — make it a real folder",
            )
        ]
    problems: list[Problem] = []
    files = sorted(_walk(root, folder, (folder, tree), problems), key=lambda path: path.split("/"))
    return files, problems


def _walk(root: Path, folder: str, top: tuple[str, Path], problems: list[Problem]) -> Iterator[str]:
    """Files under `root/folder`, in the tree `top` (its name, and where it truly is);
    `scandir` knows each entry's type without asking the disk."""
    with os.scandir(root / folder) as scanned:
        entries = list(scanned)
    # one search of all the names: in most folders none holds a character it may not
    names = "/".join(entry.name for entry in entries)
    suspect = "\\" in names or UNSAFE_IN_NAME.search(names) is not None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = f"{folder}/{entry.name}"
        problem = _name_problem(entry.name) if suspect else None
        if problem:
            # escaped, so that the message naming the file stays one line
            problems.append(Problem(shown(relative, len(relative)), 1, problem))
        elif entry.is_symlink():
            problem = _link_problem(root / relative, *top)
            if problem:
                problems.append(Problem(relative, 1, problem))
            else:
                yield relative
        elif entry.is_dir():
            yield from _walk(root, relative, top, problems)
        elif entry.is_file():
            yield relative


def _name_problem(name: str) -> str | None:
    """Why a name cannot be part of the site: `name_problem`, or a backslash, which is
    legal in a name but which browsers read in a web address as '/' (the writer refuses
    it, so it is said here, with the file's name)."""
    if problem := name_problem(name):
        return problem
    if "\\" in name:
        return (
            "the name holds a backslash, which a web address reads as '/'; rename the "
            "file using letters, digits, '-', '_' and '.'"
        )
    return None


def _link_problem(link: Path, folder: str, tree: Path) -> str | None:
    """Why a symbolic link may not be followed, or None for a link to a file in `tree`
    (which is where `folder` truly is)."""
    try:
        target = link.resolve()
    except RuntimeError:  # Python 3.11 and 3.12 say so of a loop of links
        return "is a link that leads back to itself; remove the link or fix its target"
    if target.is_dir():
        return (
            "is a link to a folder; links to folders are not followed — move or copy "
            "the folder here instead"
        )
    if not target.exists():
        return "is a link to a file that does not exist; remove the link or fix its target"
    if not target.is_relative_to(tree):
        return (
            f"is a link to a file outside {folder}/; such links are not followed, so "
            "that nothing outside the site is published — copy the file here instead"
        )
    return None


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
        for kind, pattern in self.shapes.get((parts[0], len(parts)), ()):
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


def _named(kind: str, fields: dict[str, str], relative: str) -> ContentFile | Problem:
    slug = fields["slug"]
    if not is_slug(slug):
        return Problem(
            relative,
            1,
            f"the name '{slug}' becomes part of a web address; use "
            "only lowercase letters, digits and hyphens (like 'riverton-2030')",
        )
    return ContentFile(kind, slug, relative, fields.get("plan", ""))


def _duplicates(files: list[ContentFile]) -> list[Problem]:
    """Two files for one address: `a.md` and `a.yaml`, or `content/plans/a.md` and `a/plan.md`."""
    seen: dict[tuple[str, str, str], str] = {}
    problems = []
    for file in files:
        key = (file.kind, file.plan, file.slug.lower())
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
