"""Staging the pages: each one kept from the previous site, or rendered and written, across
all cores on a large site; and Pagefind's index, made only when a searchable page changed.

Workers are forked from the build, so they share the planned site without copying it; each
page's bytes are the same whichever process renders it, so the site is too.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..engine.parallel import cores, forked
from .search import finish_indexing, start_indexing
from ..site.page import Page
from ..site.urls import SEARCH_BUNDLE, output_file
from .writer import OutputWriter, Seen

if TYPE_CHECKING:
    from ..commands.build import Prepared

#: Below this many pages to render, one process is faster than starting others.
PARALLEL_FROM = 300
#: Pages per task: few enough to spread the work, many enough to keep a plan's revisions
#: (which share what they load) in one process.
CHUNK = 200


def stage_pages(prepared: Prepared, writer: OutputWriter, pages: list[Page],
                progress: Callable[[int, int], None] | None, jobs: int | None = None) -> None:
    """Stage `pages`: keep each one the staged or published site has, render the rest."""
    total = len(pages)
    missing: list[tuple[Page, str, str | None]] = []
    for page in pages:
        path = output_file(page.url)
        if not writer.holds(path):  # its key is asked where it is rendered, maybe a worker
            missing.append((page, path, None))
            continue
        key = prepared.key(page)
        if writer.keep(path, key):
            writer.kept += 1
        else:
            missing.append((page, path, key))
    kept = total - len(missing)
    workers = jobs or (cores() if len(missing) >= PARALLEL_FROM else 1)
    if workers < 2 or not missing:
        _render(prepared, writer, missing, progress, kept, total)
        return
    writer.settle()  # the workers write into the staging folder as it stands now

    def render_slice(start: int, end: int) -> list[tuple[str, str, Seen]]:
        """In a worker: render and write missing[start:end]; say what was written."""
        writer.forget_made()
        _render(prepared, writer, missing[start:end], None, 0, 0)
        return writer.made()

    done = kept
    for entries in forked(render_slice, len(missing), CHUNK, workers):
        writer.record(entries)
        done += len(entries)
        if progress is not None:
            progress(done, total)


def _render(prepared: Prepared, writer: OutputWriter,
            missing: list[tuple[Page, str, str | None]],
            progress: Callable[[int, int], None] | None, kept: int, total: int) -> None:
    for done, (page, path, key) in enumerate(missing, start=kept + 1):
        writer.write(path, prepared.render(page), key or prepared.key(page))
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    if progress is not None and not missing and total:
        progress(total, total)


class SearchIndexing:
    """Pagefind's index of the searchable pages (staged before this starts): kept when
    none of them changed, else made again while the build stages the other pages."""

    def __init__(self, prepared: Prepared, writer: OutputWriter) -> None:
        self.writer = writer
        self.running: subprocess.Popen[str] | str | None = None
        if not prepared.site.config.search:
            return
        searchable = sorted(f"{writer.manifest[path]} {path}" for path in
                            (output_file(page.url) for page in prepared.pages
                             if page.searchable))
        self.key = prepared.keys.of("search", *searchable)
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
