"""Plan history pages: the history list, one permanent page per revision, its changes.

A revision page's URL is made of the commit id, so later commits never move it. Every
past revision goes through the same loading and rendering as the current plan; one that
no longer loads (it was broken when committed, or the content model has changed) is still
published, as its source text, with the reason. So is one that is binary, too large, or
breaks the code that reads or compares it: history cannot be corrected, so no revision
may stop a build. Pages the output already holds are neither loaded, diffed nor rendered
again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..content.frontmatter import parse_content
from ..content.load import load_plan
from ..content.models import Plan
from ..content.text import decode
from ..engine.cache import Keys
from ..engine.characters import visible
from ..engine.errors import ContentError, Problem
from ..history.field_diff import FieldChange
from ..history.prose_diff import Chunk, diff_stats, unwrap_lines, word_diff
from ..history.reading import Revision, SiteHistory
from .field_changes import field_changes
from .page import Page, SiteData
from .plan_view import plan_view
from .urls import ID_LENGTH, changes_url, history_url, revision_url

log = logging.getLogger(__name__)

#: A past revision larger than this is not read as a plan nor compared: a long plan is
#: 100 KB, and the cost and size of its pages grow with it (git hosts accept 100 MB files).
MAX_REVISION_BYTES = 4_000_000
#: How much of a revision's text its page shows when the revision is not read as a plan.
SHOWN_CHARACTERS = 1_000_000
#: Git's test for a binary file: a NUL byte in its first 8,000.
_BINARY_PROBE = 8_000
#: What reading, comparing or laying out a past revision raises on data that no check
#: foresaw: nested deeper than Python's recursion limit, a value of an unexpected type or
#: size. Any other exception is a bug of site-builder's and still stops the build.
_UNREADABLE = (RecursionError, ValueError, TypeError, LookupError, ArithmeticError)


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
    data: dict[str, Any] | None  # None: its fields could not be read
    body: str
    problems: tuple[Problem, ...]
    source: str = ""  # what its page shows when it is not a plan: its text, cut and visible
    comparable: bool = True  # False: binary, too large or breaking the code, not compared


def load_revision(slug: str, revision: Revision) -> LoadedRevision:
    """Read one revision through the same code as the current plan; never fail the build."""
    raw, path = revision.raw, revision.path
    if len(raw) > MAX_REVISION_BYTES:
        return _unreadable(
            revision,
            f"this version is {len(raw) / 1e6:.1f} MB, more than the "
            f"{MAX_REVISION_BYTES / 1e6:.0f} MB a plan's page shows, so it is "
            "not read as a plan",
        )
    if b"\0" in raw[:_BINARY_PROBE]:
        return _unreadable(
            revision,
            "this version is not UTF-8 text but a binary file (a "
            "picture saved in the plan's place, or text saved as UTF-16), so "
            "it cannot be shown",
        )
    problems: list[Problem] = []
    try:
        text = decode(raw, path)
        document = parse_content(text, path)
    except ContentError as error:
        text = raw.decode("utf-8", errors="replace")
        return _as_text(revision, text, error.problems, None, text)
    plan = load_plan(text, path, slug, problems)
    if problems or plan is None:
        return _as_text(revision, text, problems, document.data, document.body)
    return LoadedRevision(plan, document.data, document.body, ())


def _unreadable(revision: Revision, reason: str) -> LoadedRevision:
    """A revision that is neither read as a plan nor compared: its text (none, if it is
    binary) and the reason."""
    raw = revision.raw[: SHOWN_CHARACTERS * 4 + 4]  # enough bytes for the characters shown
    text = "" if b"\0" in raw[:_BINARY_PROBE] else raw.decode("utf-8", errors="replace")
    return _as_text(revision, text, [Problem(revision.path, 1, reason)], None, "", comparable=False)


def _as_text(
    revision: Revision,
    text: str,
    problems: Iterable[Problem],
    data: dict[str, Any] | None,
    body: str,
    comparable: bool = True,
) -> LoadedRevision:
    """A revision published as its text with the problems that stopped it: cut at
    `SHOWN_CHARACTERS`, so a huge revision makes no huge page, and with every character a
    page may not carry written out (`visible`), problems too, which may quote the text."""
    reasons = list(problems)
    if len(text) > SHOWN_CHARACTERS:
        reasons.append(
            Problem(
                revision.path,
                0,
                f"only its first {SHOWN_CHARACTERS:,} "
                "characters are shown here; the whole of it is in the "
                f"repository, at commit {revision.commit[:ID_LENGTH]}",
            )
        )
    shown = tuple(Problem(p.path, p.line, visible(p.message)) for p in reasons)
    return LoadedRevision(None, data, body, shown, visible(text[:SHOWN_CHARACTERS]), comparable)


def history_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """History, revision and changes pages of every plan; those of past revisions are made
    (loaded, diffed) only if they must be rendered."""
    pages: list[Page] = []
    for plan in site.content.plans:
        views = [
            RevisionView(r, n) for n, r in enumerate(history.revisions.get(plan.path, ()), start=1)
        ]
        pages.append(
            Page(
                history_url(plan.slug),
                f"History of {plan.title}",
                "history.html",
                {"plan": plan, "revisions": list(reversed(views)), "state": history.state},
                description=f"Every revision of {plan.title}: what changed, when, by whom and why.",
            )
        )
        updates = _updates_digest(site, plan)
        loaded: dict[str, LoadedRevision] = {}

        def load(
            view: RevisionView, slug: str = plan.slug, memo: dict[str, LoadedRevision] = loaded
        ) -> LoadedRevision:
            if view.revision.commit not in memo:
                memo[view.revision.commit] = load_revision(slug, view.revision)
            return memo[view.revision.commit]

        previous: RevisionView | None = None
        for view in views:
            commit = view.revision.commit
            key = keys.of("revision", plan.slug, plan.title, commit, view.revision.blob, updates)
            pages.append(
                Page(
                    revision_url(plan.slug, commit),
                    in_sitemap=False,
                    cache_key=key,
                    make=functools.partial(_revision_page, site, plan, view, load),
                )
            )
            key = keys.of(
                "changes",
                plan.slug,
                plan.title,
                commit,
                view.revision.blob,
                previous.revision.blob if previous else "",
            )
            pages.append(
                Page(
                    changes_url(plan.slug, commit),
                    in_sitemap=False,
                    cache_key=key,
                    make=functools.partial(_changes_page, plan, view, previous, load),
                )
            )
            previous = view
    return pages


def _revision_page(
    site: SiteData, plan: Plan, view: RevisionView, load: Callable[[RevisionView], LoadedRevision]
) -> Page:
    return _past_page(
        plan,
        view,
        lambda: revision_page(site, plan, view, load(view)),
        lambda reason: revision_page(site, plan, view, _unreadable(view.revision, reason)),
    )


def _changes_page(
    plan: Plan,
    view: RevisionView,
    previous: RevisionView | None,
    load: Callable[[RevisionView], LoadedRevision],
) -> Page:
    return _past_page(
        plan,
        view,
        lambda: changes_page(
            plan, view, load(view), previous, load(previous) if previous else None
        ),
        lambda reason: changes_page(plan, view, _unreadable(view.revision, reason), previous, None),
    )


def _past_page(
    plan: Plan, view: RevisionView, make: Callable[[], Page], instead: Callable[[str], Page]
) -> Page:
    """The page `make` makes of a past revision or, if the revision's data breaks the code
    that reads, compares or lays it out, the page `instead` makes of the reason."""
    try:
        return make()
    except _UNREADABLE as error:
        # History cannot be corrected: a revision committed once is read by every later
        # build, so one that breaks this code may not stop them all. It is published as its
        # text, with a reason that is the same whichever process makes the page.
        log.warning(
            "revision %s of %s could not be read (%s); it is published as its text",
            view.revision.commit[:ID_LENGTH],
            plan.path,
            type(error).__name__,
        )
        return instead(_reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "its data is nested too deeply to be read or compared"
    return f"site-builder could not read or compare it ({type(error).__name__})"


def revision_page(
    site: SiteData, current: Plan, view: RevisionView, loaded: LoadedRevision
) -> Page:
    """The plan as it stood at one commit, clearly labelled as an archived version."""
    day = view.revision.date.date()
    context: dict[str, Any] = {
        "current": current,
        "view": view,
        "loaded": loaded,
        "revision_date": view.revision.date,
    }
    if loaded.plan is not None:
        as_then = SiteData(site.config, site.content, day, {}, site.history_state, {})
        context |= plan_view(as_then, loaded.plan, updates_until=day)
        context["last_revised"] = day
    return Page(
        revision_url(current.slug, view.revision.commit),
        f"{current.title} as of {day.isoformat()}",
        "revision.html",
        context,
        description=f"Archived version of {current.title} from {day.isoformat()}.",
        in_sitemap=False,
    )


def changes_page(
    plan: Plan,
    view: RevisionView,
    loaded: LoadedRevision,
    previous: RevisionView | None,
    before: LoadedRevision | None,
) -> Page:
    """What one commit changed: fields one by one, prose word by word, or why it cannot
    be compared (a side binary, too large, or unreadable)."""
    sides = ((previous, before), (view, loaded)) if previous and before else ((view, loaded),)
    not_compared = [
        f"revision {seen.number}: {side.problems[0].message}"  # the reason
        for seen, side in sides
        if not side.comparable
    ]
    fields: list[FieldChange] | None = None  # None: the fields of a side could not be read
    chunks: list[Chunk] = []
    if all(side.comparable for _, side in sides):
        chunks = unwrap_lines(word_diff(before.body if before else "", loaded.body))
        earlier = before.data if before else {}
        if loaded.data is not None and earlier is not None:
            fields = field_changes(earlier, loaded.data)
    added, removed = diff_stats(chunks)
    chunks = [Chunk(c.op, visible(c.text)) for c in chunks]  # the text cannot be corrected
    day = view.revision.date.date()
    return Page(
        changes_url(plan.slug, view.revision.commit),
        f"Changes to {plan.title} on {day.isoformat()}",
        "changes.html",
        {
            "plan": plan,
            "view": view,
            "previous": previous,
            "chunks": chunks,
            "fields": fields,
            "words_added": added,
            "words_removed": removed,
            "prose_changed": any(c.op != "equal" for c in chunks),
            "unreadable": not_compared,
        },
        description=f"What changed in {plan.title} on {day.isoformat()}.",
        in_sitemap=False,
    )


def _updates_digest(site: SiteData, plan: Plan) -> str:
    """What archived plan pages take from the updates (their values and statuses)."""
    digest = hashlib.sha256()
    for update in site.content.updates.get(plan.slug, []):
        digest.update(repr(update).encode())
    return digest.hexdigest()
