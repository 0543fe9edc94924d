"""Walk `content/` into sources (which file is which kind of item, under which slug) and
`static/` into the site paths of the files it publishes; the theme walks its folders here.

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
from typing import Literal

from ..engine.characters import UNSAFE_IN_NAME, name_problem, shown
from ..errors import Problem
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
    files, problems = walk(root, "content")
    for relative in files:
        source = _classify(relative)
        if isinstance(source, Problem):
            problems.append(source)
        elif source is not None:
            sources.append(source)
    problems += _duplicates(sources)
    return sources, problems


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
        return [], [Problem(f"{folder}/", 0, "is a link to a folder outside the site; nothing "
                            "outside the site is published — make it a real folder")]
    problems: list[Problem] = []
    files = sorted(_walk(root, folder, (folder, tree), problems),
                   key=lambda path: path.split("/"))
    return files, problems


def _walk(root: Path, folder: str, top: tuple[str, Path], problems: list[Problem]
          ) -> Iterator[str]:
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
        return ("the name holds a backslash, which a web address reads as '/'; rename the "
                "file using letters, digits, '-', '_' and '.'")
    return None


def _link_problem(link: Path, folder: str, tree: Path) -> str | None:
    """Why a symbolic link may not be followed, or None for a link to a file in `tree`
    (which is where `folder` truly is)."""
    try:
        target = link.resolve()
    except RuntimeError:  # Python 3.11 and 3.12 say so of a loop of links
        return "is a link that leads back to itself; remove the link or fix its target"
    if target.is_dir():
        return ("is a link to a folder; links to folders are not followed — move or copy "
                "the folder here instead")
    if not target.exists():
        return "is a link to a file that does not exist; remove the link or fix its target"
    if not target.is_relative_to(tree):
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
