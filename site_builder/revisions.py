"""Plan history pages: the history list, one permanent page per revision, its changes.

A revision page's URL is made of the commit id, so later commits never move it. Every
past revision goes through the same loading and rendering as the current plan; one that
no longer loads (it was broken when committed, or the content model has changed) is still
published, as its source text, with the reason. Pages the output already holds are
neither loaded, diffed nor rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cache import Keys
from .diff import Chunk, diff_stats, structured_diff, word_diff
from .errors import ContentError, Problem
from .frontmatter import decode, parse_content
from .history import Revision, SiteHistory
from .load import load_plan
from .models import Plan
from .site import (
    ID_LENGTH,
    Page,
    SiteData,
    changes_url,
    history_url,
    plan_view,
    revision_url,
)


@dataclass(frozen=True)
class RevisionView:
    """One revision of a plan and its place in the plan's history."""

    revision: Revision
    number: int

    @property
    def id(self) -> str:
        return self.revision.commit[:ID_LENGTH]


@dataclass(frozen=True)
class LoadedRevision:
    """A revision's text read as a plan (or the problems that stopped it)."""

    plan: Plan | None
    data: dict[str, Any]
    body: str
    problems: tuple[Problem, ...]


def load_revision(slug: str, revision: Revision) -> LoadedRevision:
    """Read one revision through the same code as the current plan; never fail the build."""
    problems: list[Problem] = []
    try:
        text = decode(revision.raw, revision.path)
        document = parse_content(text, revision.path)
    except ContentError as error:
        return LoadedRevision(None, {}, revision.raw.decode("utf-8", errors="replace"),
                              tuple(error.problems))
    plan = load_plan(text, revision.path, slug, problems)
    return LoadedRevision(plan if not problems else None, document.data, document.body,
                          tuple(problems))


def history_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """History, revision and changes pages of every plan; those of past revisions are made
    (loaded, diffed) only if they must be rendered."""
    pages: list[Page] = []
    for plan in site.content.plans:
        views = [RevisionView(r, n) for n, r in
                 enumerate(history.revisions.get(plan.path, ()), start=1)]
        pages.append(Page(history_url(plan.slug), f"History of {plan.title}", "history.html",
                          {"plan": plan, "revisions": list(reversed(views)),
                           "state": history.state},
                          description=f"Every revision of {plan.title}: what changed, when, "
                                      "by whom and why."))
        updates = _updates_digest(site, plan)
        loaded: dict[str, LoadedRevision] = {}

        def load(view: RevisionView, slug: str = plan.slug,
                 memo: dict[str, LoadedRevision] = loaded) -> LoadedRevision:
            if view.revision.commit not in memo:
                memo[view.revision.commit] = load_revision(slug, view.revision)
            return memo[view.revision.commit]

        previous: RevisionView | None = None
        for view in views:
            commit = view.revision.commit
            key = keys.of("revision", plan.slug, plan.title, commit, view.revision.blob,
                          updates)
            pages.append(Page(revision_url(plan.slug, commit), in_sitemap=False, cache_key=key,
                              make=functools.partial(_revision_page, site, plan, view, load)))
            key = keys.of("changes", plan.slug, plan.title, commit, view.revision.blob,
                          previous.revision.blob if previous else "")
            pages.append(Page(changes_url(plan.slug, commit), in_sitemap=False, cache_key=key,
                              make=functools.partial(_changes_page, plan, view, previous, load)))
            previous = view
    return pages


def _revision_page(site: SiteData, plan: Plan, view: RevisionView,
                   load: Callable[[RevisionView], LoadedRevision]) -> Page:
    return revision_page(site, plan, view, load(view))


def _changes_page(plan: Plan, view: RevisionView, previous: RevisionView | None,
                  load: Callable[[RevisionView], LoadedRevision]) -> Page:
    return changes_page(plan, view, load(view), previous, load(previous) if previous else None)


def revision_page(site: SiteData, current: Plan, view: RevisionView,
                  loaded: LoadedRevision) -> Page:
    """The plan as it stood at one commit, clearly labelled as an archived version."""
    day = view.revision.date.date()
    context: dict[str, Any] = {"current": current, "view": view, "loaded": loaded,
                               "revision_date": view.revision.date}
    if loaded.plan is not None:
        as_then = SiteData(site.config, site.content, day, {}, site.history_state, {})
        context |= plan_view(as_then, loaded.plan, updates_until=day)
        context["last_revised"] = day
    return Page(revision_url(current.slug, view.revision.commit),
                f"{current.title} as of {day.isoformat()}", "revision.html", context,
                description=f"Archived version of {current.title} from {day.isoformat()}.",
                in_sitemap=False)


def changes_page(plan: Plan, view: RevisionView, loaded: LoadedRevision,
                 previous: RevisionView | None, before: LoadedRevision | None) -> Page:
    """What one commit changed: fields one by one, prose word by word."""
    chunks = unwrap_lines(word_diff(before.body if before else "", loaded.body))
    fields = structured_diff(before.data if before else {}, loaded.data)
    added, removed = diff_stats(chunks)
    day = view.revision.date.date()
    return Page(changes_url(plan.slug, view.revision.commit),
                f"Changes to {plan.title} on {day.isoformat()}", "changes.html",
                {"plan": plan, "view": view, "previous": previous, "chunks": chunks,
                 "fields": fields, "words_added": added, "words_removed": removed,
                 "prose_changed": any(c.op != "equal" for c in chunks)},
                description=f"What changed in {plan.title} on {day.isoformat()}.",
                in_sitemap=False)


_BLOCK_START = re.compile(r"[ \t]*(?:[#>|*+-]|\d+[.)]|```|~~~|\n|$)")


def unwrap_lines(chunks: list[Chunk]) -> list[Chunk]:
    """Show hard-wrapped Markdown paragraphs as flowing text, as the plan page does.

    A line break inside a paragraph becomes a space; blank lines, headings, lists, tables,
    quotes and code keep theirs. Only the display changes, never the chunks' order.
    """
    stream = "".join(chunk.text for chunk in chunks)
    flowing = list(stream)
    for index, char in enumerate(stream):
        if char != "\n" or index == 0 or stream[index - 1] == "\n":
            continue
        if not _BLOCK_START.match(stream, index + 1):
            flowing[index] = " "
    text = "".join(flowing)
    result, position = [], 0
    for chunk in chunks:
        result.append(Chunk(chunk.op, text[position:position + len(chunk.text)]))
        position += len(chunk.text)
    return result


def _updates_digest(site: SiteData, plan: Plan) -> str:
    """What archived plan pages take from the updates (their values and statuses)."""
    digest = hashlib.sha256()
    for update in site.content.updates.get(plan.slug, []):
        digest.update(repr(update).encode())
    return digest.hexdigest()
