"""Load content files into models and check what spans files (updates against their plan).

`load_plan` takes text, not a path on disk, so the same code loads the current plan and
every past revision read from git.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..engine.cache import Memo
from ..engine.characters import shown
from ..engine.parallel import cores, forked
from ..errors import ContentError, Problem
from ..render.theme import theme_problems
from .discover import Source, discover, static_paths
from .frontmatter import Document, decode, parse_content
from .models import Convening, Fellow, OutcomeUpdate, Page, Plan
from .schema import Converter

T = TypeVar("T")
#: Files below which one process reads them faster than forked workers would.
PARALLEL_FROM = 1000
#: Files per task.
CHUNK = 250
_KINDS: dict[str, type] = {"plan": Plan, "update": OutcomeUpdate, "fellow": Fellow,
                           "convening": Convening, "page": Page}


@dataclass
class Content:
    """Everything under `content/`, validated, sorted by slug."""

    plans: list[Plan] = field(default_factory=list)
    updates: dict[str, list[OutcomeUpdate]] = field(default_factory=dict)  # by plan, by date
    fellows: list[Fellow] = field(default_factory=list)
    convenings: list[Convening] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)  # of plans and updates, by path
    static: frozenset[str] = frozenset()  # site paths of the files static/ publishes


def load_item(cls: type[T], doc: Document, problems: list[Problem],
              static: Collection[str] | None = None, **derived: Any) -> T | None:
    """Build one record from a parsed file, adding its slug, path and body; `static` lists
    the files a site path may name."""
    return Converter(doc, problems, static).record(
        cls, doc.data, path=doc.path, body=doc.body, body_line=doc.body_line, **derived
    )


def load_plan(text: str, path: str, slug: str, problems: list[Problem]) -> Plan | None:
    """A plan from the text of its file, as it is now or as it was at any revision."""
    try:
        doc = parse_content(text, path)
    except ContentError as error:
        problems.extend(error.problems)
        return None
    plan = load_item(Plan, doc, problems, slug=slug)
    if plan is not None:
        problems.extend(check_plan(plan, doc))
    return plan


def check_plan(plan: Plan, doc: Document) -> list[Problem]:
    """Rules across a plan's fields: adopted date, unique goal ids, sane period."""
    problems = []
    if plan.status == "adopted" and plan.adopted is None:
        problems.append(Problem(doc.path, doc.line(("status",)), "an adopted plan needs the "
                                "date it was adopted — add a line 'adopted: YYYY-MM-DD'"))
    seen: set[str] = set()
    for index, goal in enumerate(plan.goals):
        if goal.id in seen:
            problems.append(Problem(doc.path, doc.line(("goals", index, "id")),
                                    f"two goals have the id '{goal.id}'; give each its own"))
        seen.add(goal.id)
    if plan.period and plan.period.end < plan.period.start:
        problems.append(Problem(doc.path, doc.line(("period", "end")),
                                "the period ends before it starts; check the two years"))
    return problems


def check_convening(convening: Convening, doc: Document) -> list[Problem]:
    """A convening cannot end before it starts."""
    if convening.end is None or convening.end >= convening.start:
        return []
    return [Problem(doc.path, doc.line(("end",)), f"the convening ends ({convening.end}) before "
                    f"it starts ({convening.start}); correct one of the dates, or leave 'end' "
                    "out for a one-day convening")]


#: The rules across one file's fields, by kind.
_CHECKS: dict[str, Callable[[Any, Document], list[Problem]]] = {
    "plan": check_plan, "convening": check_convening}


def check_update(update: OutcomeUpdate, doc: Document, plan: Plan) -> list[Problem]:
    """An update may only report the plan's indicators and goal ids."""
    problems = []
    indicators = {goal.indicator for goal in plan.goals if goal.indicator}
    goal_ids = {goal.id for goal in plan.goals}
    for name in update.metrics:
        if name not in indicators:
            problems.append(Problem(doc.path, doc.line(("metrics", name)),
                                    f"'{shown(name)}' is not an indicator of the plan in "
                                    f"{plan.path}; use one of: "
                                    f"{', '.join(sorted(indicators)) or '(none)'}"))
    for goal_id in update.goals:
        if goal_id not in goal_ids:
            problems.append(Problem(doc.path, doc.line(("goals", goal_id)),
                                    f"'{shown(goal_id)}' is not a goal id of the plan in "
                                    f"{plan.path}; use one of: "
                                    f"{', '.join(sorted(goal_ids)) or '(none)'}"))
    return problems


def load_content(root: Path, memo: Memo | None = None, theme: str = "default") -> Content:
    """Discover, parse and validate every content file; raise with all problems at once.

    A file read by an earlier build with the same bytes (and the same files in static/,
    which photos name) is taken from `memo` as it was parsed then; what spans files
    (updates against their plan) is always checked again.
    """
    sources, problems = discover(root)
    static, link_problems = static_paths(root)
    problems += link_problems + theme_problems(root, theme)
    content = Content(static=static)
    known: dict[str, Entry] = (memo.load("content") if memo else None) or {}
    reader = _FileReader(root, static, known)
    loaded: dict[str, list[tuple[Source, Any]]] = defaultdict(list)
    kept: dict[str, Entry] = {}
    for source, (entry, file_problems) in zip(sources, reader.read_all(sources), strict=True):
        problems.extend(file_problems)
        if entry is None:
            continue
        kept[source.path] = entry
        _, doc, item = entry
        if doc is not None:
            content.documents[source.path] = doc
        loaded[source.kind].append((source, item))
    changed = kept.keys() != known.keys() or any(known[path][0] != entry[0]
                                                 for path, entry in kept.items())
    if memo is not None and not problems and changed:
        memo.save("content", kept)
    plans = {item.slug: item for _, item in loaded["plan"]}
    for source, update in loaded["update"]:
        plan = plans.get(source.plan)
        if plan is None:
            if not any(s.kind == "plan" and s.slug == source.plan for s in sources):
                problems.append(Problem(source.path, 1, f"there is no plan '{source.plan}' for "
                                        f"this update; add content/plans/{source.plan}/plan.md"))
            continue
        problems.extend(check_update(update, content.documents[source.path], plan))
        content.updates.setdefault(source.plan, []).append(update)
    if problems:
        raise ContentError(problems)
    content.plans = sorted(plans.values(), key=lambda p: p.slug)
    for updates in content.updates.values():
        updates.sort(key=lambda u: (u.date, u.slug))
    content.fellows = [item for _, item in loaded["fellow"]]
    content.convenings = sorted((item for _, item in loaded["convening"]),
                                key=lambda c: (c.start, c.slug))
    content.pages = [item for _, item in loaded["page"]]
    return content


def read_bytes(path: str) -> bytes:
    """A file's bytes, by the system calls alone: Python's `open` adds a buffer, a seek, a
    status and a terminal check to every file, which costs half the time of a small one."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


Entry = tuple[bytes, Document | None, Any]  # a file's stamp, parsed file and record
#: Kinds whose parsed file outlives loading: a plan's fields as written go into its open
#: data, and plans and updates are checked against each other on every build.
_DOCUMENTS_KEPT = ("plan", "update")
Shipped = tuple[Entry | bytes | None, list[Problem]]  # from a worker: the stamp of a known file


class _FileReader:
    """Reads, parses and validates content files, each on its own, so that a large site's
    files are shared out among forked processes."""

    def __init__(self, root: Path, static: frozenset[str], known: dict[str, Entry]) -> None:
        self.root = root
        self.static = static
        self.static_digest = hashlib.sha256("\0".join(sorted(static)).encode()).digest()
        self.known = known

    def read_all(self, sources: list[Source]) -> list[tuple[Entry | None, list[Problem]]]:
        """Each file's entry (None when it has problems) and problems, in order."""
        workers = cores()
        if len(sources) < PARALLEL_FROM or workers < 2:
            return [self.read(source) for source in sources]

        def read_slice(start: int, end: int) -> tuple[int, list[Shipped]]:
            return start, [self._shipped(source) for source in sources[start:end]]

        results: list[tuple[Entry | None, list[Problem]]] = []
        for start, shipped in sorted(forked(read_slice, len(sources), CHUNK, workers),
                                     key=lambda part: part[0]):
            results += [self._received(source, *result)
                        for source, result in zip(sources[start:start + len(shipped)],
                                                  shipped, strict=True)]
        return results

    def read(self, source: Source) -> tuple[Entry | None, list[Problem]]:
        """One file: from `known` when its stamp is unchanged, else parsed again."""
        try:
            raw = read_bytes(os.path.join(self.root, source.path))
        except OSError as error:
            return None, [Problem(source.path, 1, f"cannot be read: {error.strerror}")]
        derived = {"slug": source.slug} | ({"plan": source.plan} if source.plan else {})
        stamp = hashlib.sha256(f"{source.kind}\0{source.slug}\0{source.plan}\0".encode()
                               + self.static_digest + raw).digest()
        if source.path in self.known and self.known[source.path][0] == stamp:
            return self.known[source.path], []
        problems: list[Problem] = []
        try:
            doc = parse_content(decode(raw, source.path), source.path)
        except ContentError as error:
            return None, error.problems
        item = load_item(_KINDS[source.kind], doc, problems, self.static, **derived)
        if item is None:
            return None, problems
        if source.kind in _CHECKS:
            problems += _CHECKS[source.kind](item, doc)
        return (stamp, doc if source.kind in _DOCUMENTS_KEPT else None, item), problems

    def _shipped(self, source: Source) -> Shipped:
        """In a worker: what `read` found, as the stamp alone when the parent knows it."""
        entry, problems = self.read(source)
        if entry is not None and self.known.get(source.path) is entry:
            return entry[0], problems
        return entry, problems

    def _received(self, source: Source, entry: Entry | bytes | None, problems: list[Problem]
                  ) -> tuple[Entry | None, list[Problem]]:
        if isinstance(entry, bytes):
            return self.known[source.path], problems
        return entry, problems
