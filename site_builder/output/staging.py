"""Staging the whole site: each page kept from the previous site, or rendered and written
(across all cores on a large site), then the theme's assets and the static files; and
Pagefind's index, made again only when a searchable page changed, while the build lists
and stages the other pages.

Workers are forked from the build, so they share the planned site without copying it; each
page's bytes are the same whichever process renders it, so the site is too.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..engine.cache import Keys
from ..engine.parallel import cores, forked
from ..site.listing import Generated, page_key
from ..site.page import Page, PageGroup
from ..site.urls import SEARCH_BUNDLE, output_file
from .marker import Seen
from .search import finish_indexing, pagefind_identity, read_by_pagefind, start_indexing
from .writer import OutputWriter

#: Below this many pages to render, one process is faster than starting others.
PARALLEL_FROM = 300
#: Pages per task: few enough to spread the work, many enough to keep a plan's revisions
#: (which share what they load) in one process.
CHUNK = 200

#: Told (done, total) as pages are staged, for a display on a terminal.
Progress = Callable[[int, int], None]


class Render(Protocol):
    """Makes a page's bytes; and hands what making them found out, which the build asks
    again later (the links of the Markdown it rendered), from a worker to the build:
    `found()` there, `take(found)` here."""

    def __call__(self, page: Page) -> bytes: ...

    def found(self) -> Any: ...

    def take(self, found: Any) -> None: ...


#: A file copied into the site: where it goes in the site, where it is, and its key.
SiteFile = tuple[str, Path, str]


@dataclass(frozen=True)
class Staged:
    """What `stage_site` staged."""

    pages: int
    kept: int  # pages the previous site had, left or linked rather than rendered
    warnings: tuple[str, ...]  # Pagefind not installed, so the site has no search


def stage_site(
    writer: OutputWriter,
    current: list[Page],
    rest: Callable[[], Generated],
    files: list[SiteFile],
    render: Render,
    keys: Keys,
    *,
    search: bool,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Staged:
    """Stage every page of the site, then `files`.

    `current` are the pages of the current content and `rest()` lists the others: with
    `search` on, while Pagefind indexes the searchable pages of `current`, staged first
    (and `progress` is told a total of those alone at first, then of every page). `jobs`
    processes render pages (default: one per core, for a site large enough).
    """
    writer.open()  # a problem with the output folder is said now, after the content's
    grouped = Grouped(writer)
    if search:
        first = [page for page in current if page.searchable]
        others = [page for page in current if not page.searchable]
    else:  # no index to start early: every page is listed and staged at once
        first, others = current + grouped.unfold(rest()), []
    kept = _stage_pages(writer, first, render, keys, progress, jobs)
    paths = {output_file(page.url) for pages in (first, others) for page in pages}
    writer.drop_previous(
        lambda path: (
            path not in paths  # a page deleted is not indexed
            and read_by_pagefind(path)
        )
    )
    indexing = SearchIndexing(writer, keys, first) if search else None
    listed_later = grouped.unfold(rest()) if search else []
    others += listed_later
    paths |= {output_file(page.url) for page in listed_later}
    paths |= {relative for relative, _, _ in files}
    writer.drop_previous(
        lambda path: (
            path not in paths  # so that a page may become a folder (kept groups are kept)
            and not path.startswith(SEARCH_BUNDLE + "/")
        )
    )
    total = len(first) + len(others) + grouped.kept
    kept += grouped.kept
    progressed = _offset(progress, len(first) + grouped.kept, total)
    kept += _stage_pages(writer, others, render, keys, progressed, jobs)
    grouped.record()
    for relative, path, key in files:
        if not writer.keep(relative, key):
            writer.copy(path, relative, key)
    warning = indexing.finish() if indexing else None
    return Staged(total, kept, (warning,) if warning else ())


class Grouped:
    """The groups of pages of a site (`PageGroup`): each kept as one where the previous
    site holds it made of the same key, else listed, staged and then recorded as made."""

    def __init__(self, writer: OutputWriter) -> None:
        self.writer = writer
        self.kept = 0  # files of the groups kept
        self.listed: list[PageGroup] = []

    def unfold(self, generated: Generated) -> list[Page]:
        """The pages of `generated` to stage: its groups' only where they are not kept."""
        pages = list(generated.pages)
        for group in generated.groups:
            held = self.writer.keep_group(group.folder, group.key)
            if held:
                self.kept += held
            else:
                pages += group.pages()
                self.listed.append(group)
            pages += group.beside
        return pages

    def record(self) -> None:
        """Once their pages are staged: the groups listed, recorded as made."""
        for group in self.listed:
            self.writer.record_group(group.folder, group.key)


def _stage_pages(
    writer: OutputWriter,
    pages: list[Page],
    render: Render,
    keys: Keys,
    progress: Progress | None,
    jobs: int | None,
) -> int:
    """Stage `pages`: keep each one the staged or published site has, render the rest.
    Returns how many were kept."""
    total = len(pages)
    missing: list[tuple[Page, str, str | None]] = []
    for page in pages:
        path = output_file(page.url)
        if not writer.holds(path):  # its key is asked where it is rendered, maybe a worker
            missing.append((page, path, None))
            continue
        key = page_key(page, keys)
        if not writer.keep(path, key):
            missing.append((page, path, key))
    kept = total - len(missing)
    workers = jobs or (cores() if len(missing) >= PARALLEL_FROM else 1)
    if workers < 2 or not missing:
        _render(writer, render, keys, missing, progress, kept, total)
        return kept
    writer.settle()  # the workers write into the staging folder as it stands now

    def render_slice(start: int, end: int) -> tuple[list[tuple[str, str, Seen]], Any]:
        """In a worker: render and write missing[start:end]; say what was written, and
        what rendering found out (not what the build knew when it forked)."""
        writer.forget_made()
        render.found()
        _render(writer, render, keys, missing[start:end], None, 0, 0)
        return writer.made(), render.found()

    done = kept
    for entries, found in forked(render_slice, len(missing), CHUNK, workers):
        writer.record(entries)
        render.take(found)
        done += len(entries)
        if progress is not None:
            progress(done, total)
    return kept


def _render(
    writer: OutputWriter,
    render: Render,
    keys: Keys,
    missing: list[tuple[Page, str, str | None]],
    progress: Progress | None,
    kept: int,
    total: int,
) -> None:
    for done, (page, path, key) in enumerate(missing, start=kept + 1):
        writer.write(path, render(page), key or page_key(page, keys))
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    if progress is not None and not missing and total:
        progress(total, total)


def _offset(progress: Progress | None, before: int, total: int) -> Progress | None:
    """Progress of the last part of the pages, shown as progress over all of them."""
    if progress is None:
        return None
    return lambda done, _: progress(before + done, total)


class SearchIndexing:
    """Pagefind's index of the searchable pages (staged before this starts): kept when
    none of them changed, else made again while the build stages the other pages."""

    def __init__(self, writer: OutputWriter, keys: Keys, searchable: list[Page]) -> None:
        self.writer = writer
        self.running: subprocess.Popen[str] | str | None = None
        staged = sorted(
            f"{writer.key_of(path)} {path}"
            for path in (output_file(page.url) for page in searchable)
        )
        self.key = keys.of("search", pagefind_identity(), *staged)
        if not writer.keep_folder(SEARCH_BUNDLE, self.key):
            self.running = start_indexing(writer.staging)

    def finish(self) -> str | None:
        """Wait for Pagefind; a warning when it is not installed."""
        if self.running is None:
            return None
        if isinstance(self.running, str):
            return self.running
        finish_indexing(self.running, self.writer.staging)
        self.writer.record_folder(SEARCH_BUNDLE, self.key)
        return None
