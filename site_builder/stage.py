"""Staging the pages: each one kept from the previous site, or rendered and written, across
all cores on a large site; and Pagefind's index, made only when a searchable page changed.

Workers are forked from the build, so they share the planned site without copying it; each
page's bytes are the same whichever process renders it, so the site is too.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING

from .search import finish_indexing, start_indexing
from .site import SEARCH_BUNDLE, Page, output_file
from .writer import OutputWriter

if TYPE_CHECKING:
    from .build import Prepared

#: Below this many pages, one process is faster than starting others.
PARALLEL_FROM = 1000
#: Pages per task: few enough to spread the work, many enough to keep a plan's revisions
#: (which share what they load) in one process.
CHUNK = 250

_job: tuple[Prepared, OutputWriter, list[Page]] | None = None  # what forked workers inherit


def stage_pages(prepared: Prepared, writer: OutputWriter, pages: list[Page],
                progress: Callable[[int, int], None] | None, jobs: int | None = None) -> None:
    """Stage `pages`: keep each one the staged or published site has, render the rest."""
    total = len(pages)
    workers = jobs or (len(os.sched_getaffinity(0)) if total >= PARALLEL_FROM else 1)
    if workers < 2 or total == 0:
        _stage(prepared, writer, pages, progress)
        return
    global _job
    _job = (prepared, writer, pages)
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) \
                as pool:
            chunks = [pool.submit(_stage_chunk, start, min(start + CHUNK, total))
                      for start in range(0, total, CHUNK)]
            for chunk in as_completed(chunks):
                entries, kept = chunk.result()
                writer.record(entries)
                writer.kept += kept
                done += len(entries)
                if progress is not None:
                    progress(done, total)
    finally:
        _job = None


def _stage_chunk(start: int, end: int) -> tuple[list[tuple[str, str]], int]:
    """In a worker: stage pages[start:end] and say what was staged."""
    assert _job is not None
    prepared, writer, pages = _job
    writer.manifest, writer.kept = {}, 0
    _stage(prepared, writer, pages[start:end], None)
    return list(writer.manifest.items()), writer.kept


def _stage(prepared: Prepared, writer: OutputWriter, pages: list[Page],
           progress: Callable[[int, int], None] | None) -> None:
    total = len(pages)
    for done, page in enumerate(pages, start=1):
        path, key = output_file(page.url), prepared.key(page)
        if writer.keep(path, key):
            writer.kept += 1
        else:
            writer.write(path, prepared.render(page), key)
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)


class SearchIndexing:
    """Pagefind's index of the searchable pages (staged before this starts): kept when
    none of them changed, else made again while the build stages the other pages."""

    def __init__(self, prepared: Prepared, writer: OutputWriter) -> None:
        self.writer = writer
        searchable = sorted(f"{writer.manifest[path]} {path}" for path in
                            (output_file(page.url) for page in prepared.pages
                             if page.searchable))
        self.key = prepared.keys.of("search", *searchable)
        self.running = None
        prefix = SEARCH_BUNDLE + "/"
        for held in (writer.staged, writer.published):
            bundle = [path for path in held if path.startswith(prefix)]
            if bundle and all(held[path] == self.key for path in bundle) \
                    and all(writer.keep(path, self.key) for path in bundle):
                return
            writer.clear(SEARCH_BUNDLE)
        self.running = start_indexing(writer.staging)

    def finish(self) -> str | None:
        """Wait for Pagefind; a warning when it is not installed."""
        if self.running is None:
            return None
        if isinstance(self.running, str):
            return self.running
        finish_indexing(self.running, self.writer.staging)
        bundle = self.writer.staging / SEARCH_BUNDLE
        self.writer.record((path.relative_to(self.writer.staging).as_posix(), self.key)
                           for path in sorted(bundle.rglob("*")) if path.is_file())
        return None
