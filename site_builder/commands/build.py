"""`build(source) -> BuildResult`: the whole pipeline, top to bottom.

load the settings and the content → read the git history → plan the pages → stage the site
(Pagefind indexes it beside) → check the links → swap it in. Every step is timed for the
summary line; the first ones are shared with `check`.

What is not finished — example text a starter file left, a link that leads nowhere — is a
warning, which a build with `strict` (and so `publish`) refuses before the swap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.catalogs import read_catalogs
from ..content.config import SiteConfig, load_config
from ..content.kinds import Content
from ..content.load import load_content, read_content
from ..content.rules import unfinished
from ..content.theme import assets, template_files
from ..engine import collector
from ..engine.cache import CACHE_FOLDER, Keys, Memo, cache_folder, code_files, file_digests, salt_of
from ..engine.errors import ContentError, Problem
from ..history.change_notes import ChangeNote
from ..history.reading import HistoryReading, SiteHistory
from ..output.folders import real_output, refuse_unsafe_output
from ..output.search import pagefind_available, pagefind_identity
from ..output.staging import Progress, SiteFile, stage_site
from ..output.writer import OutputWriter
from ..render.links import broken_links, content_bodies
from ..render.templates import page_renderer
from ..site.change_summary import change_notes
from ..site.interface import ENGLISH, Interface, interface
from ..site.language_revisions import language_histories
from ..site.listing import Generated, current_pages, generated_pages, page_key, site_key
from ..site.page import PageGroup, SiteData
from ..site.promise_pages import plan_promises
from ..site.promises import PlanTimeline
from ..site.revision_loading import KeptRevisions
from ..site.timelines import promise_timelines
from ..site.translation_state import history_paths, problems_of, translation_states


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


def build(
    source: Path,
    output: Path | None = None,
    base_url: str | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    strict: bool = False,
) -> BuildResult:
    """Build the site in `source` into `output` (default `source/output`, resolved first:
    see `real_output`). `progress(done, total)` is told as pages are staged, for a display
    on a terminal; `jobs` processes render them (see `stage_site`). With `strict`, example
    text left by a starter and broken links are a `ContentError`, the output untouched."""
    clock = Stopwatch()
    source = source.resolve()
    output = real_output(source, output or source / "output")
    refuse_unsafe_output(source, output)
    with contextlib.closing(OutputWriter(output)) as writer, collector.set_aside() as keep:
        writer.start()  # the staging folder is readied while the content loads
        config, content, memo, reading = load(source, base_url)
        problems = unfinished(content.documents.values())
        clock.lap("load")
        history = reading.finish(*history_paths(content))
        clock.lap("history")
        site, keys = plan_site(source, config, content, history, memo)
        if mistakes := problems_of(site.translation_states):  # `translation_of` named no revision
            raise ContentError(mistakes)
        keep()  # what every page draws on, out of the collector's way until the end
        files = site_files(source, site, memo, keys)
        made_of = site_key(site, history, keys, *_indexed(config), *(k for _, _, k in files))
        last = memo.load("built")
        if (
            not strict
            and made_of
            and isinstance(last, Built)
            and last.site == made_of
            and writer.publishes(last.output)  # the site as the last build left it
        ):
            writer.leave()
            clock.lap("plan")
            return _result(output, history, clock, last)
        pages = current_pages(site)  # the rest are listed while Pagefind indexes these
        clock.lap("plan")
        render = page_renderer(source, site, cache_folder(source, "templates"))
        listed = list(pages)
        groups: list[PageGroup] = []

        def rest() -> Generated:
            generated = generated_pages(site, history, keys, pages)
            listed.extend(generated.listed())
            groups.extend(generated.groups)
            return generated

        staged = stage_site(
            writer,
            pages,
            rest,
            files,
            render,
            keys,
            search=config.search,
            progress=progress,
            jobs=jobs,
        )
        clock.lap("stage")
        problems += broken_links(
            listed,
            render,
            content_bodies(content),
            content.static,
            memo=memo,
            key=lambda page: page_key(page, keys),
            groups=groups,
        )
        if strict and problems:
            raise ContentError(problems)
        clock.lap("links")
        writer.commit()
        clock.lap("swap")
        said = tuple(str(problem) for problem in sorted(problems))
        built = Built(made_of, writer.committed or b"", staged.pages, said, staged.warnings)
        memo.save("built", built)
    return _result(output, history, clock, built, staged.kept)


@dataclass(frozen=True)
class Built:
    """What a build left, for the next to know when it has nothing to do: the key of the
    site (`site_key`), the identity of the output folder it swapped in, its pages, and the
    problems and warnings it told."""

    site: str
    output: bytes
    pages: int
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def _result(
    output: Path, history: SiteHistory, clock: Stopwatch, built: Built, kept: int | None = None
) -> BuildResult:
    """The summary of a build that made `built` (`kept` of its pages left from before: all
    of them when the build found the site made already)."""
    return BuildResult(
        output,
        built.pages,
        clock.total(),
        history.state,
        history.git_processes,
        built.pages if kept is None else kept,
        built.problems + history_warnings(history) + built.warnings,
        clock.laps,
    )


def _indexed(config: SiteConfig) -> tuple[str, ...]:
    """Whether the site is indexed for search, and by which Pagefind: Pagefind, once
    installed, must index a site made before it was, and another one index it again."""
    return ("search", pagefind_identity()) if config.search and pagefind_available() else ()


class Stopwatch:
    """The seconds of each step of a build, and of the whole."""

    def __init__(self) -> None:
        self.started = self.mark = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, step: str) -> None:
        """`step` ends now."""
        now = time.perf_counter()
        self.laps[step], self.mark = now - self.mark, now

    def total(self) -> float:
        return time.perf_counter() - self.started


def load(
    source: Path,
    base_url: str | None = None,
    write_cache: bool = True,
    mistakes: list[Problem] | None = None,
) -> tuple[SiteConfig, Content, Memo, HistoryReading]:
    """The settings and the content, validated, and the reading of the git history, which
    git does meanwhile (`finish` it with `history_paths`). Writes nothing but
    the cache of what it read (unless `write_cache` is False). Given `mistakes`, content
    mistakes go there, and the content is what could be read."""
    config = load_config(source, base_url)
    memo = Memo(source / CACHE_FOLDER, salt_of(code_files(), ""), writable=write_cache)
    reading = HistoryReading(source, memo)  # git reads the log while the content loads
    if mistakes is None:
        content = load_content(source, memo, config.theme, languages=config.languages)
        return config, content, memo, reading
    content, found = read_content(source, memo, config.theme, languages=config.languages)
    mistakes += found
    return config, content, memo, reading


def plan_site(
    source: Path, config: SiteConfig, content: Content, history: SiteHistory, memo: Memo
) -> tuple[SiteData, Keys]:
    """What every page draws on, "today" decided, and the interface of the site's language;
    and the keys of the site's files, salted with what every page depends on: the code (the
    salt of `memo`), the theme's templates and catalogs, the settings and what the header
    and footer of every page show."""
    interface = interface_of(source, config)
    read: KeptRevisions = {}  # the revisions the timelines read, for their pages
    site = site_data(
        config,
        content,
        history,
        change_notes(content, history.revisions, memo, interface),
        promise_timelines(content, history.revisions, memo, read),
        interface,
        other_interfaces(source, config),
    )
    site = replace(site, promises=plan_promises(site), read_revisions=read)
    salt = salt_of(template_files(source, config.theme), repr((memo.salt, config, site.chrome)))
    return site, Keys(salt)


def site_data(
    config: SiteConfig,
    content: Content,
    history: SiteHistory,
    notes: Mapping[str, ChangeNote],
    timelines: Mapping[str, PlanTimeline],
    interface: Interface = ENGLISH,
    interfaces: Mapping[str, Interface] | None = None,
) -> SiteData:
    """What every page draws on but the promises told (`plan_promises`), "today" decided:
    the preview makes it again on a save with the notes and timelines it has."""
    return SiteData(
        config,
        content,
        build_today(history),
        history.last_modified,
        history.state,
        history.revisions,
        notes,
        timelines,
        translation_states=translation_states(content, history),
        interface=interface,
        interfaces=interfaces or {},
        language_histories=language_histories(content, history),
    )


def interface_of(source: Path, config: SiteConfig, language: str | None = None) -> Interface:
    """The interface of the site's language (or of `language`), from its themes'
    catalogs; a `ContentError` when a catalog cannot be read (its strings would silently
    be said in English)."""
    language = language or config.language
    catalogs = read_catalogs(source, config.theme, language)
    if catalogs.problems:
        raise ContentError(list(catalogs.problems))
    return interface(language, catalogs.compiled())


def other_interfaces(source: Path, config: SiteConfig) -> dict[str, Interface]:
    """The interfaces of the site's other languages, by language."""
    return {language: interface_of(source, config, language) for language in config.languages[1:]}


def site_files(source: Path, site: SiteData, memo: Memo, keys: Keys) -> list[SiteFile]:
    """The theme's assets and the site's static files, each with its key (the digest of
    its bytes, read again only when the file has changed)."""
    files = [
        (f"assets/{relative}", path)
        for relative, path in sorted(assets(source, site.config.theme).items())
    ]
    files += [
        (path.lstrip("/"), source / "static" / path.lstrip("/"))
        for path in sorted(site.content.static)
    ]
    digests = file_digests((path for _, path in files), memo)
    return [
        (relative, path, keys.of("file", digest))
        for (relative, path), digest in zip(files, digests, strict=True)
    ]


def build_today(history: SiteHistory) -> dt.date:
    """ "Today" for upcoming/past and overdue: SOURCE_DATE_EPOCH, else the last commit."""
    if history.head_date is not None:
        return source_date() or history.head_date.date()
    return source_date() or dt.date.today()


def source_date() -> dt.date | None:
    """The date of SOURCE_DATE_EPOCH (reproducible builds), when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None


def history_warnings(history: SiteHistory) -> tuple[str, ...]:
    if history.state == "shallow":
        return (
            "this is a shallow clone, so plan histories are incomplete; fetch the full "
            "history (git fetch --unshallow, or in GitHub Actions "
            "actions/checkout with 'fetch-depth: 0') and build again",
        )
    if history.state == "absent":
        return (f"no git history ({history.reason}); the site is built without plan histories",)
    return ()
