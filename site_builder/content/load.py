"""Load content files into records, each kind's into its own (by the kinds table), and
check what spans files (updates against their plan, `rules.py`; translations against
their source, `translations.py`).

`load_plan` takes text, not a path on disk, so the same code loads the current plan and
every past revision read from git.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..engine.cache import Memo
from ..engine.errors import ContentError, Problem
from ..engine.parallel import cores, forked
from . import kinds
from .discover import ContentFile, discover, static_paths
from .frontmatter import Document, parse_content
from .kinds import Content
from .models import Plan
from .rules import RULES, check_plan, check_updates
from .schema import Converter
from .text import decode
from .theme import theme_problems
from .translations import Translation, read_translation

T = TypeVar("T")
#: Files below which one process reads them faster than forked workers would.
PARALLEL_FROM = 1000
#: Files per task.
CHUNK = 250

#: What reading a file of the past (a revision in git), or laying it out, raises on data
#: that no check foresaw: nested deeper than Python's recursion limit, a value of an
#: unexpected type or size. Any other exception is a bug of site-builder's and still stops
#: the build.
UNREADABLE = (RecursionError, ValueError, TypeError, LookupError, ArithmeticError)


def load_item(
    cls: type[T],
    doc: Document,
    problems: list[Problem],
    static: Collection[str] | None = None,
    **derived: Any,
) -> T | None:
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
    return plan_of(doc, slug, problems)


def plan_of(doc: Document, slug: str, problems: list[Problem]) -> Plan | None:
    """A plan from its parsed file, checked as every plan is."""
    plan = load_item(Plan, doc, problems, slug=slug)
    if plan is not None:
        problems.extend(check_plan(plan, doc))
    return plan


def load_content(
    root: Path,
    memo: Memo | None = None,
    theme: str = "default",
    kept: KeptContent | None = None,
    languages: Sequence[str] = (),
) -> Content:
    """Discover, parse and validate every content file; raise with all problems at once.

    A file read by an earlier build with the same bytes (and the same files in static/,
    which photos name) is taken from `memo` as it was parsed then, or from `kept` without
    even being read when its size and time of change are as they were; what spans files
    (duplicate names, updates against their plan, translations against their source) is
    always checked again. `languages` are the site's, the default first.
    """
    content, problems = read_content(root, memo, theme, kept, languages)
    if problems:
        raise ContentError(problems)
    return content


def read_content(
    root: Path,
    memo: Memo | None = None,
    theme: str = "default",
    kept: KeptContent | None = None,
    languages: Sequence[str] = (),
) -> tuple[Content, list[Problem]]:
    """What `load_content` loads and every problem it finds: the content holds each item
    that could be read, those with mistakes too (so `check` can go on to their links)."""
    files, problems = discover(root, languages)
    static, link_problems = static_paths(root)
    problems += link_problems + theme_problems(root, theme)
    table = kinds.KINDS
    seen = kept.stats(root, files) if kept is not None else {}  # before reading: see `Stat`
    known: dict[str, LoadedFile] = (
        (kept.files if kept is not None else None)
        or (memo.load_map("content") if memo else None)
        or {}
    )
    reader = _FileReader(root, static, known, {kind.name: kind.record for kind in table})
    if kept is not None:
        reader.unchanged = kept.unchanged(seen, reader.static_digest)
    loaded: dict[str, list[Any]] = {kind.name: [] for kind in table}
    documents: dict[str, Document] = {}
    loaded_files: dict[str, LoadedFile] = {}
    for file, (entry, file_problems) in zip(files, reader.read_all(files), strict=True):
        problems.extend(file_problems)
        if entry is None:
            continue
        loaded_files[file.path] = entry
        _, doc, item = entry
        if doc is not None:
            documents[file.path] = doc
        if not file.language:  # a translation is read once its source is
            loaded[file.kind].append(item)
    changed = loaded_files.keys() != known.keys() or any(
        known[path][0] != entry[0] for path, entry in loaded_files.items()
    )
    if memo is not None and not problems and changed:
        memo.save_map("content", loaded_files)
    if kept is not None:
        kept.parsed = reader.parsed
        if not problems:  # as `memo` is: what has a mistake is read again next time
            kept.files, kept.seen, kept.static_digest = loaded_files, seen, reader.static_digest
    problems += check_updates(
        loaded.get("update", []),
        loaded.get("plan", []),
        documents,
        {file.slug for file in files if file.kind == "plan"},
    )
    translations = _translations(files, documents, loaded, problems)
    content = Content(
        {
            kind.name: sorted(loaded[kind.name], key=kind.order)
            if kind.order
            else loaded[kind.name]
            for kind in table
        },
        documents,
        static,
        translations,
        _made_of(loaded_files, static),
    )
    return content, problems


def _made_of(files: Mapping[str, LoadedFile], static: frozenset[str]) -> str:
    """What `Content.made_of` says: the stamps of the files in order, and the static files."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path][0])
    for path in sorted(static):
        digest.update(b"\1" + path.encode())
    return digest.hexdigest()


def _translations(
    files: list[ContentFile],
    documents: Mapping[str, Document],
    loaded: Mapping[str, list[Any]],
    problems: list[Problem],
) -> dict[str, dict[str, Translation]]:
    """Each translation read against its source's record (when that could be read), by
    the source's path, then by language."""
    records = {kind.name: kind.record for kind in kinds.KINDS}
    items = {item.path: item for found in loaded.values() for item in found}
    by_source: dict[str, dict[str, Translation]] = {}
    for file in files:
        if file.language and file.path in documents:
            translation = read_translation(
                documents[file.path],
                file.language,
                file.source,
                records[file.kind],
                items.get(file.source),
                problems,
            )
            if translation is not None:
                by_source.setdefault(file.source, {})[file.language] = translation
    return by_source


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


#: A file's stamp, parsed file and record. The parsed file outlives loading: a plan's fields
#: as written go into its open data, plans and updates are checked against each other, and
#: every file for the example text a starter left in it, on every build.
LoadedFile = tuple[bytes, Document | None, Any]
#: From a worker: what `read` found, or only the stamp of a file the parent knows.
Shipped = tuple[LoadedFile | bytes | None, list[Problem]]


class _FileReader:
    """Reads, parses and validates content files, each on its own, so that a large site's
    files are shared out among forked processes."""

    def __init__(
        self,
        root: Path,
        static: frozenset[str],
        known: dict[str, LoadedFile],
        records: dict[str, type],
    ) -> None:
        self.root = root
        self.records = records  # the record of each kind, by name
        self.static = static
        self.static_digest = hashlib.sha256("\0".join(sorted(static)).encode()).digest()
        self.known = known
        self.unchanged: frozenset[str] = frozenset()  # known, and not even to be read
        self.parsed: list[str] = []  # the files parsed in this process

    def read_all(self, files: list[ContentFile]) -> list[tuple[LoadedFile | None, list[Problem]]]:
        """Each file as loaded (None when it has problems) and its problems, in order."""
        workers = cores()
        if len(files) - len(self.unchanged) < PARALLEL_FROM or workers < 2:
            return [self.read(file) for file in files]

        def read_slice(start: int, end: int) -> tuple[int, list[Shipped]]:
            return start, [self._shipped(file) for file in files[start:end]]

        results: list[tuple[LoadedFile | None, list[Problem]]] = []
        for start, shipped in sorted(
            forked(read_slice, len(files), CHUNK, workers), key=lambda part: part[0]
        ):
            results += [
                self._received(file, *result)
                for file, result in zip(files[start : start + len(shipped)], shipped, strict=True)
            ]
        return results

    def read(self, file: ContentFile) -> tuple[LoadedFile | None, list[Problem]]:
        """One file: from `known` when it is unchanged or its stamp is, else parsed again."""
        if file.path in self.unchanged:
            return self.known[file.path], []
        try:
            raw = read_bytes(os.path.join(self.root, file.path))
        except OSError as error:
            return None, [Problem(file.path, 1, f"cannot be read: {error.strerror}")]
        derived = {"slug": file.slug} | ({"plan": file.plan} if file.plan else {})
        stamp = hashlib.sha256(
            f"{file.kind}\0{file.slug}\0{file.plan}\0{file.language}\0".encode()
            + self.static_digest
            + raw
        ).digest()
        if file.path in self.known and self.known[file.path][0] == stamp:
            return self.known[file.path], []
        problems: list[Problem] = []
        self.parsed.append(file.path)
        try:
            doc = parse_content(decode(raw, file.path), file.path)
        except ContentError as error:
            return None, error.problems
        if file.language:  # checked against its source once every source is read
            return (stamp, doc, None), problems
        item = load_item(self.records[file.kind], doc, problems, self.static, **derived)
        if item is None:
            return None, problems
        if file.kind in RULES:
            problems += RULES[file.kind](item, doc)
        return (stamp, doc, item), problems

    def _shipped(self, file: ContentFile) -> Shipped:
        """In a worker: what `read` found, as the stamp alone when the parent knows it."""
        entry, problems = self.read(file)
        if entry is not None and self.known.get(file.path) is entry:
            return entry[0], problems
        return entry, problems

    def _received(
        self, file: ContentFile, entry: LoadedFile | bytes | None, problems: list[Problem]
    ) -> tuple[LoadedFile | None, list[Problem]]:
        if isinstance(entry, bytes):
            return self.known[file.path], problems
        return entry, problems


#: What says a file has not changed since it was read: its time of change, size and inode.
Stat = tuple[int, int, int]
#: A file changed this recently may change again within the same tick of the clock that
#: stamps it, its size the same: it is read again next time.
RACY_NS = 100_000_000


class KeptContent:
    """The content files as last loaded without a mistake, kept by a process that loads the
    content again on every save (the preview): a file whose time of change, size and
    inode are as they were then, with the same files in static/, is not even read again."""

    def __init__(self) -> None:
        self.files: dict[str, LoadedFile] = {}
        self.seen: dict[str, Stat] = {}
        self.static_digest = b""
        self.parsed: list[str] = []  # the files the last load parsed: what a save cost

    def stats(self, root: Path, files: list[ContentFile]) -> dict[str, Stat]:
        """Each file's stat now (a file gone or changed just now is left out)."""
        stats = {}
        recent = time.time_ns() - RACY_NS
        for file in files:
            try:
                found = os.stat(os.path.join(root, file.path))
            except OSError:
                continue
            if found.st_mtime_ns < recent:
                stats[file.path] = (found.st_mtime_ns, found.st_size, found.st_ino)
        return stats

    def unchanged(self, stats: dict[str, Stat], static_digest: bytes) -> frozenset[str]:
        """The files as they were when kept."""
        if static_digest != self.static_digest:
            return frozenset()
        return frozenset(
            path
            for path, stat in stats.items()
            if path in self.files and self.seen.get(path) == stat
        )
