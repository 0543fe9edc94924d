"""`check(source)`: validate the content and check the links written in it, writing nothing.

The first steps of a build (load, history, plan), then every page with a link to check
rendered in memory, never staged; and the interface strings the site language's catalogs
do not translate, as a warning. Every problem is said in one run: when some files have
mistakes, the site is planned without them (and without the updates of a plan left out),
and the links of every file that could be read are checked against it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content import kinds
from ..content.catalogs import read_catalogs
from ..content.config import SiteConfig
from ..content.discover import ContentFile, discover
from ..content.frontmatter import split_front_matter
from ..content.kinds import Content
from ..content.rules import unfinished
from ..content.text import decode
from ..content.translations import TRANSLATION_OF
from ..engine.cache import Keys, Memo, cache_folder
from ..engine.errors import ContentError, Problem
from ..history.change_notes import says_nothing
from ..history.reading import HistoryReading, Revision, SiteHistory
from ..render.links import Body, broken_links, content_bodies
from ..render.strings import site_strings, untranslated
from ..render.templates import page_renderer
from ..site.commitment_history import likely_renames
from ..site.formats import long_date
from ..site.listing import site_pages
from ..site.page import Page, SiteData
from ..site.revision_loading import load_revision
from ..site.translation_state import (
    SourceRevision,
    TranslationState,
    TranslationStates,
    history_paths,
    outdated,
    problems_of,
)
from ..site.urls import item_url
from .build import load, plan_site


@dataclass(frozen=True)
class Checked:
    """A site found valid, and what is worth mending that does not stop a build."""

    content: Content
    warnings: tuple[str, ...]


def check(source: Path) -> Checked:
    """The content of the site in `source`, once it is valid, holds no example text a
    starter file left, and every internal link written in it leads to a page (and a
    heading) that exists; else a `ContentError` with every problem. Not even the cache is
    written."""
    problems: list[Problem] = []
    config, content, memo, reading = load(source, write_cache=False, mistakes=problems)
    problems += unfinished(content.documents.values())
    listed = without_mistakes(content, {problem.path for problem in problems})
    files = discover(source, config.languages)[0]
    try:
        planned = _planned(source, config, listed, memo, reading, write_cache=False)
        problems += problems_of(planned.site.translation_states)
        problems += broken_links(
            planned.pages,
            planned.render,
            [*content_bodies(content), *_unread_bodies(source, content, files)],
            content.static,
            unlisted={item_url(kinds.named(file.kind), file) for file in files},
        )
    except ContentError as error:  # the site cannot be planned: two pages at one URL, say
        problems += error.problems
    if problems:
        raise ContentError(problems)
    return Checked(
        content,
        note_warnings(planned.history, content)
        + rename_warnings(content, planned.history)
        + translation_warnings(planned.site.translation_states)
        + string_warnings(source, config),
    )


def string_warnings(source: Path, config: SiteConfig) -> tuple[str, ...]:
    """A warning naming the interface strings that the catalogs of the site's language
    leave untranslated: pages say them in English."""
    catalogs = read_catalogs(source, config.theme, config.language)
    strings = site_strings(source, config.theme)
    return tuple(untranslated(config.theme, catalogs, strings))


def without_mistakes(content: Content, paths: Collection[str]) -> Content:
    """`content` without the items of the files in `paths`, nor the updates of a plan left
    out: a site that can be planned, to check the links of what could be read."""
    if not paths:
        return content
    kept = {
        kind: [item for item in items if item.path not in paths]
        for kind, items in content.items.items()
    }
    plans = {plan.slug for plan in kept.get("plan", [])}
    kept["update"] = [update for update in kept.get("update", []) if update.plan in plans]
    return Content(kept, content.documents, content.static, content.translations)


def _unread_bodies(source: Path, content: Content, files: list[ContentFile]) -> Iterator[Body]:
    """The prose of each file that has no item in `content` (a field has a mistake), read
    from the file as it is, so that its links are checked all the same; a translation's
    are not, having no page yet."""
    loaded = {item.path for items in content.items.values() for item in items}
    for file in files:
        if file.path in loaded or file.language:
            continue
        try:
            text = decode((source / file.path).read_bytes(), file.path)
            _, body, line = split_front_matter(text, file.path)
        except (OSError, ContentError):
            continue  # said already; a .yaml file's prose is a field, left unread
        yield file.path, item_url(kinds.named(file.kind), file), body, line


def rename_warnings(content: Content, history: SiteHistory) -> tuple[str, ...]:
    """A warning for each commitment whose id seems renamed since the last commit (or, with
    nothing changed since, by the last commit): its history would start again."""
    warnings = []
    for plan in content.plans:
        revisions = history.revisions.get(plan.path, ())[-2:]
        loaded = [load_revision(plan.slug, r).plan for r in reversed(revisions)]
        before = next((p for p in loaded if p is not None and p != plan), None)
        if before is None:
            continue
        doc = content.documents[plan.path]
        for rename in likely_renames(before, plan):
            warnings.append(
                f"{plan.path}:{doc.line(('commitments', rename.index, 'id'))}: the commitment "
                f"id '{rename.old_id}' is gone and '{rename.new_id}' (“{rename.title}”) is "
                f"new; if it is the same promise, keep the id '{rename.old_id}', so that its "
                "history goes on"
            )
    return tuple(warnings)


def note_warnings(history: SiteHistory, content: Content) -> tuple[str, ...]:
    """A warning for each commit that is the latest of a plan or update file and whose note
    says nothing ("Update plan.md"): residents read it as the change's headline. Older
    commits cannot be mended, so they are not warned about again."""
    files: dict[str, list[str]] = {}  # commit → the files it is the latest commit of
    latest: dict[str, Revision] = {}
    shown = {item.path for item in (*content.plans, *content.of("update"))}
    for path, revisions in sorted(history.revisions.items()):
        if path in shown and revisions and says_nothing(revisions[-1].subject):
            files.setdefault(revisions[-1].commit, []).append(path)
            latest[revisions[-1].commit] = revisions[-1]
    warnings = []
    for commit, paths in files.items():
        revision = latest[commit]
        said = (
            f"the change note “{revision.subject}”"
            if revision.subject.strip()
            else "no change note"
        )
        also = f" (and {len(paths) - 1} more files)" if len(paths) > 1 else ""
        warnings.append(
            f"{paths[0]}{also}: commit {commit[:7]} of {revision.date.date().isoformat()} has "
            f"{said}, which tells residents nothing, so the site shows a summary it wrote "
            "instead; say what changed and why (git commit --amend, if it is not pushed yet)"
        )
    return tuple(warnings)


def translation_warnings(states: TranslationStates) -> tuple[str, ...]:
    """A line for each translation whose source's words changed after the revision it
    reflects: not a mistake (the site shows the translation, with a notice), but work."""
    return tuple(
        f"{state.path}: outdated — {_since(state)}; update it, or set {TRANSLATION_OF}: "
        f"{state.latest.short if state.latest else '<commit>'} once reviewed"
        for state in outdated(states)
    )


def _since(state: TranslationState) -> str:
    """How the source of an outdated translation has changed since."""
    changed, source = state.changed, state.source
    if state.reflects is None:  # the source's first revision is newer than the translation
        started = f" ({_named(changed)})" if changed else ""
        return f"{source} was started anew{started} after this translation last changed"
    if changed is None:
        said = "has changes not yet committed"
    else:
        note = f" (“{changed.subject}”)" if changed.subject.strip() else ""
        said = f"changed on {long_date(changed.date)}{note}"
    return (
        f"{source} {said} after the revision this translation reflects ({_named(state.reflects)})"
    )


def _named(revision: SourceRevision) -> str:
    return f"{revision.short}, {long_date(revision.date)}"


@dataclass(frozen=True)
class Planned:
    """A site read and every page listed, before anything is rendered or written."""

    site: SiteData
    history: SiteHistory
    keys: Keys
    pages: list[Page]
    render: Callable[[Page], bytes]  # a page's bytes


def prepare(source: Path, write_cache: bool = True) -> Planned:
    """Load, validate and read history; list every page. Writes nothing but the cache of
    what it read (unless `write_cache` is False)."""
    return _planned(source, *load(source, write_cache=write_cache), write_cache=write_cache)


def _planned(
    source: Path,
    config: SiteConfig,
    content: Content,
    memo: Memo,
    reading: HistoryReading,
    write_cache: bool,
) -> Planned:
    """The site of `content`, its history read and every page listed."""
    history = reading.finish(*history_paths(content))
    site, keys = plan_site(source, config, content, history, memo)
    compiled = cache_folder(source, "templates") if write_cache else None
    return Planned(
        site, history, keys, site_pages(site, history, keys), page_renderer(source, site, compiled)
    )
