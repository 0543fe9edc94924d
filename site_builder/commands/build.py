"""`build(source) -> BuildResult`: the whole pipeline, top to bottom.

discover and load content → read git history → decide "today" → list pages → render →
write to staging → index for search → swap in. Every stage is timed for the summary line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from ..content.config import load_config
from ..content.load import load_content
from ..engine.cache import CACHE_FOLDER, Keys, Memo, cache_folder, code_files, file_digests, salt_of
from ..errors import OutputError
from ..history.reading import HistoryReading, SiteHistory
from ..output.search import read_by_pagefind
from ..output.staging import SearchIndexing, stage_pages
from ..output.writer import OutputWriter
from ..render.templates import depth_root, make_environment, render_page
from ..render.theme import assets, template_files
from ..site.content_pages import check_urls, content_pages
from ..site.feeds import feed_pages
from ..site.opendata import data_pages, sitemap
from ..site.page import Page, SiteData
from ..site.revision_pages import history_pages
from ..site.urls import SEARCH_BUNDLE, output_file


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    seconds: float
    history: str
    git_processes: int
    cached_pages: int = 0
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Prepared:
    """A site read and planned, page by page, before anything is rendered or written."""

    source: Path
    site: SiteData
    history: SiteHistory
    pages: list[Page]
    env: Environment
    keys: Keys
    memo: Memo
    timings: dict[str, float]

    def key(self, page: Page) -> str:
        """What a page is made of, as a key: the same key, the same bytes.

        Pages of past revisions come keyed by their commit and blob ids (their data is not
        even loaded unless they must be rendered); any other page by itself, its own data
        included: the rest of its template context (settings, header and footer) is in the
        salt of every key. So a page is rendered again exactly when something it shows has
        changed.
        """
        if page.cache_key:
            return page.cache_key
        if page.data is not None:
            return self.keys.of("data", page.data)
        return self.keys.of("page", page.template or "",
                            pickle.dumps(page, pickle.HIGHEST_PROTOCOL))

    def add_generated_pages(self) -> None:
        """History, revision and changes pages, open data, feeds and the sitemap."""
        mark = time.perf_counter()
        site, history, keys = self.site, self.history, self.keys
        self.pages += (history_pages(site, history, keys) + data_pages(site, history, keys)
                       + feed_pages(site, history, keys))
        self.pages.append(sitemap(site, self.pages))
        check_urls(self.pages, site.content)
        self.timings["plan"] += time.perf_counter() - mark

    def render(self, page: Page) -> bytes:
        """A page's bytes: ready-made, or rendered from its template."""
        if page.make is not None:
            page = page.make()
        if page.data is not None:
            return page.data
        return render_page(self.env, page.template or "", page_context(self.site, page))


def prepare(source: Path, base_url: str | None = None, write_cache: bool = True) -> Prepared:
    """Load, validate and read history; list every page. Writes nothing but the cache of
    content and history already read (unless `write_cache` is False)."""
    prepared = prepare_content(source, base_url, write_cache)
    prepared.add_generated_pages()
    return prepared


def prepare_content(source: Path, base_url: str | None = None, write_cache: bool = True
                    ) -> Prepared:
    """`prepare`, but listing only the pages of the current content: a build lists the
    rest (history, data, feeds) while Pagefind indexes these."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    config = load_config(source, base_url)
    code = salt_of(code_files(), "")
    memo = Memo(source / CACHE_FOLDER, code, writable=write_cache)
    reading = HistoryReading(source, memo)  # git reads the log while the content loads
    content = load_content(source, memo, config.theme)
    timings["load"] = time.perf_counter() - mark

    mark = time.perf_counter()
    history = reading.finish([plan.path for plan in content.plans])
    timings["history"] = time.perf_counter() - mark

    mark = time.perf_counter()
    site = SiteData(config, content, build_today(history), history.last_modified, history.state,
                    history.revisions)
    keys = Keys(salt_of(template_files(source, config.theme), repr((code, config, site.chrome))))
    pages = content_pages(site)
    check_urls(pages, content)
    timings["plan"] = time.perf_counter() - mark
    compiled = cache_folder(source, "templates") if write_cache else None
    env = make_environment(source, config.theme, compiled)
    return Prepared(source, site, history, pages, env, keys, memo, timings)


def build(source: Path, output: Path | None = None, base_url: str | None = None,
          progress: Callable[[int, int], None] | None = None, jobs: int | None = None
          ) -> BuildResult:
    """Build the site in `source` into `output` (default `source/output`).

    `progress(done, total)` is called as pages are written, for a display on a terminal.
    With search on, the current pages are staged first, before the history pages are even
    listed: `total` counts those alone at first, then every page.
    `jobs` processes render pages (default: one per core, for a site large enough).
    `output` is resolved first (see `real_output`).
    """
    started = time.perf_counter()
    source = source.resolve()
    output = real_output(source, output or source / "output")
    refuse_unsafe_output(source, output)
    writer = OutputWriter(output)
    try:
        with contextlib.suppress(OutputError):  # said below, after the content's mistakes
            writer.open()  # so that the staging folder is made while the content loads
        prepared = prepare_content(source, base_url)
        timings = prepared.timings
        mark = time.perf_counter()
        writer.open()
        search = prepared.site.config.search
        if not search:  # no index to start early: every page is listed and staged at once
            prepared.add_generated_pages()

        def first(page: Page) -> bool:
            return page.searchable or not search

        leading = [page for page in prepared.pages if first(page)]
        stage_pages(prepared, writer, leading, progress, jobs)  # out of these alone, at first
        current = {output_file(page.url) for page in prepared.pages}
        writer.drop(path for path in writer.staged  # a page deleted must not be indexed
                    if path not in current and read_by_pagefind(path))
        indexing = SearchIndexing(prepared, writer)  # beside the rest of the build
        listed = len(prepared.pages)
        if search:
            prepared.add_generated_pages()
        others = [page for page in prepared.pages[:listed] if not first(page)]
        others += prepared.pages[listed:]
        theme = prepared.site.config.theme
        files = [(f"assets/{relative}", path)
                 for relative, path in sorted(assets(source, theme).items())]
        files += [(path.lstrip("/"), source / "static" / path.lstrip("/"))
                  for path in sorted(prepared.site.content.static)]
        paths = (current | {output_file(page.url) for page in prepared.pages[listed:]}
                 | dict(files).keys())
        writer.drop(path for path in writer.staged  # so that a page may become a folder
                    if path not in paths and not path.startswith(SEARCH_BUNDLE + "/"))
        stage_pages(prepared, writer, others, _offset(progress, len(leading),
                                                      len(prepared.pages)), jobs)
        unchanged = writer.kept
        digests = file_digests((path for _, path in files), prepared.memo)
        for (relative, path), digest in zip(files, digests, strict=True):
            key = prepared.keys.of("file", digest)
            if not writer.keep(relative, key):
                writer.copy(path, relative, key)
        timings["render"] = time.perf_counter() - mark
        mark = time.perf_counter()
        search_warning = indexing.finish()
        timings["search"] = time.perf_counter() - mark
        mark = time.perf_counter()
        writer.commit()
        timings["swap"] = time.perf_counter() - mark
    finally:
        writer.close()
    history = prepared.history
    warnings = history_warnings(history) + ((search_warning,) if search_warning else ())
    return BuildResult(output, len(prepared.pages), time.perf_counter() - started,
                       history.state, history.git_processes, unchanged, warnings, timings)


def _offset(progress: Callable[[int, int], None] | None, before: int, total: int
            ) -> Callable[[int, int], None] | None:
    """Progress of the last part of the pages, shown as progress over all of them."""
    if progress is None:
        return None
    return lambda done, _: progress(before + done, total)


def page_context(site: SiteData, page: Page) -> dict[str, object]:
    """What every template sees, plus the page's own data: `root` (the way back to the
    site root), `canonical` (the page's full URL) and `section` (the first part of its
    path, 'plans' for /plans/riverton/, for the menu to mark)."""
    root = site.config.base_path if page.served_anywhere else depth_root(page.url)
    return {"site": site.config, "page": page, "root": root,
            "canonical": site.config.absolute(page.url), "section": page.url.split("/")[1],
            **site.chrome, **page.context}


def build_today(history: SiteHistory) -> dt.date:
    """"Today" for upcoming/past and overdue: SOURCE_DATE_EPOCH, else the last commit."""
    if history.head_date is not None:
        return source_date() or history.head_date.date()
    return source_date() or dt.date.today()


def source_date() -> dt.date | None:
    """The date of SOURCE_DATE_EPOCH (reproducible builds), when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None


def history_warnings(history: SiteHistory) -> tuple[str, ...]:
    if history.state == "shallow":
        return ("this is a shallow clone, so plan histories are incomplete; fetch the full "
                "history (git fetch --unshallow, or in GitHub Actions "
                "actions/checkout with 'fetch-depth: 0') and build again",)
    if history.state == "absent":
        return (f"no git history ({history.reason}); the site is built without plan "
                "histories",)
    return ()


def real_output(source: Path, output: Path) -> Path:
    """The folder `output` names, every link on its way resolved, so that one folder has
    one lock and one staging folder whatever path names it; but a link inside the site
    folder is refused, not followed: a commit can put one there (`output -> /elsewhere`),
    and a commit must not choose where a build writes."""
    real, pending, links = Path("/"), list(Path.cwd().joinpath(output).parts), 0
    while pending:
        part = pending.pop(0)
        step = Path(part) if part == "/" else real.parent if part == ".." else real / part
        if not step.is_symlink():
            real = step
            continue
        if step.is_relative_to(source):
            raise OutputError(f"{step} is a symbolic link inside the site folder, and a build "
                              "never writes through one; delete it, or give --output the "
                              "folder it points to")
        links += 1
        if links > 40:
            raise OutputError(f"--output {output} leads through too many symbolic links")
        pending[:0] = Path(os.readlink(step)).parts  # from the link's folder, or from "/"
    return real


def refuse_unsafe_output(source: Path, output: Path) -> None:
    """The output may not be the source, contain it, or sit inside content it copies."""
    resolved = output.resolve()
    if resolved == source or source.is_relative_to(resolved):
        raise OutputError(f"--output {output} is or contains the site folder; building there "
                          "would delete your content — choose a folder such as "
                          f"{source / 'output'}")
    for folder in ("content", "static", "themes"):
        if resolved.is_relative_to(source / folder):
            raise OutputError(f"--output {output} is inside {folder}/; choose a folder outside "
                              "it, such as the default 'output'")

