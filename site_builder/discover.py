"""Walk `content/` into sources (which file is which kind of item, under which slug) and
`static/` into the site paths of the files it publishes.

Symbolic links are followed only to a file inside the same folder (`content/` or
`static/`). A link leading anywhere else could publish a file from outside the site —
say `.git/config`, which on a CI runner may hold an access token — so it is reported as
a mistake rather than read or copied; so is a link to a folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import Problem
from .schema import is_slug

Kind = Literal["plan", "update", "fellow", "convening", "page"]
CONTENT_SUFFIXES = (".md", ".yaml", ".yml")
_FOLDER_KINDS: dict[str, Kind] = {"fellows": "fellow", "convenings": "convening",
                                  "pages": "page"}


@dataclass(frozen=True)
class Source:
    """One content file: its kind, slug, plan (for updates) and path relative to the site."""

    kind: Kind
    slug: str
    path: str
    plan: str = ""


def discover(root: Path) -> tuple[list[Source], list[Problem]]:
    """Every content file under `root/content`, sorted; plus misplaced or badly named files."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for relative in _files(root, "content", problems):
        source = _classify(relative)
        if isinstance(source, Problem):
            problems.append(source)
        elif source is not None:
            sources.append(source)
    problems += _duplicates(sources)
    return sources, problems


def static_paths(root: Path) -> tuple[frozenset[str], list[Problem]]:
    """The site path (`/images/ana.jpg`) of every file `static/` publishes; plus bad links."""
    problems: list[Problem] = []
    paths = frozenset(relative.removeprefix("static")
                      for relative in _files(root, "static", problems))
    return paths, problems


def _files(root: Path, name: str, problems: list[Problem]) -> list[str]:
    """Files under `root/name` as paths relative to `root` ('content/pages/a.md'), sorted
    folder by folder, hidden ones left out; links that may not be followed are reported in
    `problems`."""
    top = root / name
    if not top.is_dir():
        return []
    tree = top.resolve()
    if not tree.is_relative_to(root.resolve()):
        problems.append(Problem(f"{name}/", 0, "is a link to a folder outside the site; "
                                "nothing outside the site is published — make it a real folder"))
        return []
    return sorted(_walk(root, name, tree, problems), key=lambda path: path.split("/"))


def _walk(root: Path, folder: str, tree: Path, problems: list[Problem]) -> Iterator[str]:
    """Files under `root/folder`; `scandir` knows each entry's type without asking the disk."""
    with os.scandir(root / folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = f"{folder}/{entry.name}"
            if entry.is_symlink():
                problem = _link_problem(root / relative, tree, root)
                if problem:
                    problems.append(Problem(relative, 1, problem))
                else:
                    yield relative
            elif entry.is_dir():
                yield from _walk(root, relative, tree, problems)
            elif entry.is_file():
                yield relative


def _link_problem(link: Path, tree: Path, root: Path) -> str | None:
    """Why a symbolic link may not be followed, or None for a link to a file in `tree`."""
    target = link.resolve()
    if target.is_dir():
        return ("is a link to a folder; links to folders are not followed — move or copy "
                "the folder here instead")
    if not target.exists():
        return "is a link to a file that does not exist; remove the link or fix its target"
    if not target.is_relative_to(tree):
        folder = link.relative_to(root).parts[0]
        return (f"is a link to a file outside {folder}/; such links are not followed, so "
                "that nothing outside the site is published — copy the file here instead")
    return None


def _classify(relative: str) -> Source | Problem | None:
    parts = relative.split("/")[1:]  # drop "content"
    name = parts[-1]
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix != suffix.lower() and f".{suffix.lower()}" in CONTENT_SUFFIXES:
        return Problem(relative, 1, f"write the extension in lowercase, '.{suffix.lower()}'; "
                       "otherwise the file is left out of the site")
    if not dot or f".{suffix}" not in CONTENT_SUFFIXES:
        return None  # images and other files beside the content are left alone
    if parts[0] == "plans":
        if len(parts) == 3 and name == "plan.md":
            return _named("plan", parts[1], relative)
        if len(parts) == 2 and suffix == "md":  # the older single-file layout
            return _named("plan", stem, relative)
        if len(parts) == 4 and parts[2] == "updates":
            source = _named("update", stem, relative)
            if isinstance(source, Source):
                return Source("update", stem, relative, plan=parts[1])
            return source
        return Problem(relative, 1, "not a place for a content file: a plan is "
                       "content/plans/<plan>/plan.md and its updates are "
                       "content/plans/<plan>/updates/<update>.md")
    kind = _FOLDER_KINDS.get(parts[0])
    if kind is None or len(parts) != 2:
        return Problem(relative, 1, "not a place for a content file: use content/plans/, "
                       "content/fellows/, content/convenings/ or content/pages/")
    return _named(kind, stem, relative)


def _named(kind: Kind, slug: str, relative: str) -> Source | Problem:
    if not is_slug(slug):
        return Problem(relative, 1, f"the name '{slug}' becomes part of a web address; use "
                       "only lowercase letters, digits and hyphens (like 'riverton-2030')")
    return Source(kind, slug, relative)


def _duplicates(sources: list[Source]) -> list[Problem]:
    """Two files for one address: `a.md` and `a.yaml`, or `content/plans/a.md` and `a/plan.md`."""
    seen: dict[tuple[str, str, str], str] = {}
    problems = []
    for source in sources:
        key = (source.kind, source.plan, source.slug.lower())
        if key in seen:
            problems.append(Problem(source.path, 1, f"'{seen[key]}' has the same name; each "
                                    "item needs its own name — rename or remove one"))
        else:
            seen[key] = source.path
    return problems
