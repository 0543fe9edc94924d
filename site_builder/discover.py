"""Walk `content/` into sources: which file is which kind of item, under which slug."""

from __future__ import annotations

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
    content = root / "content"
    if not content.is_dir():
        return [], []
    for path in sorted(_walk(content, root.resolve())):
        relative = path.relative_to(root).as_posix()
        source = _classify(relative)
        if isinstance(source, Problem):
            problems.append(source)
        elif source is not None:
            sources.append(source)
    problems += _duplicates(sources)
    return sources, problems


def _walk(folder: Path, root: Path) -> Iterator[Path]:
    """Files under `folder`; links to folders, or to files outside the site, are skipped."""
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and (entry.is_dir() or not entry.resolve().is_relative_to(root)):
            continue
        if entry.is_dir():
            yield from _walk(entry, root)
        elif entry.is_file():
            yield entry


def _classify(relative: str) -> Source | Problem | None:
    parts = relative.split("/")[1:]  # drop "content"
    name = parts[-1]
    stem, dot, suffix = name.rpartition(".")
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
