"""Plan history pages: the history list, one permanent page per revision, its changes, its
comparison with the current plan (`compare_pages`) and its data (`revision_data`).

A revision page's URL is made of the commit id, so later commits never move it. Every
past revision goes through the same loading and rendering as the current plan; one that
no longer loads (it was broken when committed, or the content model has changed) is still
published, as its source text, with the reason. So is one that is binary, too large, or
breaks the code that reads or compares it: history cannot be corrected, so no revision
may stop a build. Pages the output already holds are neither loaded, diffed nor rendered
again.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..content.load import UNREADABLE
from ..content.models import Plan
from ..engine.cache import Keys
from ..history.reading import Revision, SiteHistory
from .administrations import Terms, holders_by_day, terms_for
from .change_summary import note_of
from .compare_pages import changes_page, compare_page
from .interface import Interface
from .language_pages import Alternate, past_alternates
from .page import Page, PageGroup, SiteData, revisions_digest, updates_digest
from .plan_view import plan_view
from .revision_data import RevisionJson, history_data_page, plan_data, revision_data_page
from .revision_loading import (
    LoadedRevision,
    LoadRevision,
    RevisionView,
    revision_reader,
    unreadable,
)
from .urls import (
    ID_LENGTH,
    changes_url,
    compare_url,
    history_url,
    revision_url,
    revisions_folder,
)

log = logging.getLogger(__name__)


def history_pages(
    site: SiteData, history: SiteHistory, keys: Keys
) -> tuple[list[Page], list[PageGroup]]:
    """The history page of every plan, and the group of its archived revisions' pages
    (revision, changes, compare and data: side by side, as they read the same revisions),
    with its history.json beside. Pages of past revisions are made (loaded, diffed) only
    if they must be rendered; the group is listed only if it must be staged."""
    pages: list[Page] = []
    groups: list[PageGroup] = []
    for plan in site.content.plans:
        terms = terms_for(site.config.administrations, plan.city)
        revisions = history.revisions.get(plan.path, ())
        views = functools.cache(functools.partial(_views, site, revisions, holders_by_day(terms)))
        # The plan's history in the languages it is translated into (`language_history`).
        told = site.language_histories.get(plan.path, {})
        shown_in = {
            language: {entry.revision.commit for entry in found.revisions}
            for language, found in told.items()
        }
        alternates = _alternates(site, history_url(plan.slug), list(told))
        # Made of the plan's slug and title, its revisions, who held office and the
        # languages it has a history in: keyed by them, so that a long history is not
        # compared page by page at every build.
        key = keys.of(
            "history",
            plan.slug,
            plan.title,
            history.state,
            repr(terms),
            revisions_digest(revisions),
            repr(alternates),
        )
        pages.append(
            Page(
                history_url(plan.slug),
                context={"alternates": alternates},  # for the sitemap, before it is made
                cache_key=key,
                make=functools.partial(history_page, site, plan, views, history.state, alternates),
            )
        )
        updates = updates_digest(site, plan)
        load = revision_reader(plan.slug, site.read_revisions)
        data = plan_data(site, plan, load)
        # Every key of the group's pages is made of these (and of the salt): so is its own.
        group = keys.of(
            "archived",
            plan.slug,
            plan.title,
            updates,
            repr(terms),
            revisions_digest(revisions),
            repr(sorted((language, sorted(commits)) for language, commits in shown_in.items())),
        )
        archived = functools.partial(
            _archived_pages, site, plan, views, shown_in, updates, load, data, keys
        )
        groups.append(
            PageGroup(
                revisions_folder(plan.slug),
                group,
                archived,
                (history_data_page(site, plan, history, data, keys),),
            )
        )
    return pages, groups


def _views(
    site: SiteData, revisions: tuple[Revision, ...], holders_on: Callable[[dt.date], Terms]
) -> list[RevisionView]:
    """A plan's revisions as its history pages show them: numbered, each with its change
    note and who held office that day."""
    return [
        RevisionView(r, n, note_of(site.notes, r), holders_on(r.date.date()))
        for n, r in enumerate(revisions, start=1)
    ]


def _archived_pages(
    site: SiteData,
    plan: Plan,
    views: Callable[[], list[RevisionView]],
    shown_in: dict[str, set[str]],
    updates: str,
    load: LoadRevision,
    data: RevisionJson,
    keys: Keys,
) -> list[Page]:
    """The revision, changes, compare and data pages of each revision of `plan`."""
    pages: list[Page] = []
    previous: RevisionView | None = None
    listed = views()
    for view in listed:
        commit = view.revision.commit
        # Who held office is named on both pages: from the current plan's city.
        holders = repr(view.holders)
        url = revision_url(plan.slug, commit)
        alternates = _alternates(site, url, [n for n, at in shown_in.items() if commit in at])
        key = keys.of(
            "revision",
            plan.slug,
            plan.title,
            commit,
            view.revision.blob,
            updates,
            holders,
            repr(alternates),
        )
        pages.append(
            _archived(
                url, key, functools.partial(_revision_page, site, plan, view, load, alternates)
            )
        )
        key = keys.of(
            "changes",
            plan.slug,
            plan.title,
            commit,
            view.revision.blob,
            previous.revision.blob if previous else "",
            holders,
        )
        pages.append(
            _archived(
                changes_url(plan.slug, commit),
                key,
                functools.partial(_changes_page, plan, view, previous, load, site.interface),
            )
        )
        # Keyed by the two blobs compared: one edit of a plan makes each of its compare
        # pages again (and only those), a commit that leaves the plan as it was none.
        latest = listed[-1]
        key = keys.of(
            "compare", plan.slug, plan.title, commit, view.revision.blob, latest.revision.blob
        )
        pages.append(
            _archived(
                compare_url(plan.slug, commit),
                key,
                functools.partial(_compare_page, plan, view, latest, load, site.interface),
            )
        )
        pages.append(revision_data_page(site, plan, view.revision, data, updates, keys))
        previous = view
    return pages


def history_page(
    site: SiteData,
    plan: Plan,
    views: Callable[[], list[RevisionView]],
    state: str,
    alternates: tuple[Alternate, ...] = (),
) -> Page:
    """Every revision of a plan (`views` lists them), newest first, each with its change
    note; `alternates`, the same history in other languages."""
    timeline = site.timelines.get(plan.path)
    _ = site.interface.gettext
    return Page(
        history_url(plan.slug),
        _("History of %(title)s", title=plan.title),
        "history.html",
        {
            "plan": plan,
            "revisions": list(reversed(views())),
            "state": state,
            "review_only": timeline.review_only if timeline else frozenset(),
            "earlier": 0,
            "alternates": alternates,
        },
        description=_(
            "Every revision of %(title)s: what changed, when, by whom and why.", title=plan.title
        ),
    )


def _archived(url: str, key: str, make: Callable[[], Page]) -> Page:
    """A page of a past revision: never in the sitemap, made only when it must be rendered."""
    return Page(url, in_sitemap=False, cache_key=key, make=make)


def _alternates(site: SiteData, url: str, languages: list[str]) -> tuple[Alternate, ...]:
    """The switcher of a page of a plan's history at `url` that has a twin in `languages`."""
    if not languages:
        return ()  # most revisions of most plans: a switcher needs two languages
    default = site.config.languages[0] if site.config.languages else ""
    urls = {default: url} | {language: f"/{language}{url}" for language in languages}
    return past_alternates(site, urls)


def _revision_page(
    site: SiteData,
    plan: Plan,
    view: RevisionView,
    load: LoadRevision,
    alternates: tuple[Alternate, ...],
) -> Page:
    page = past_page(
        plan,
        view,
        lambda: revision_page(site, plan, view, load(view.revision)),
        lambda reason: revision_page(site, plan, view, unreadable(view.revision, reason)),
    )
    return replace(page, context={**page.context, "alternates": alternates})


def _changes_page(
    plan: Plan,
    view: RevisionView,
    previous: RevisionView | None,
    load: LoadRevision,
    interface: Interface,
) -> Page:
    before = (lambda: load(previous.revision)) if previous else (lambda: None)
    return past_page(
        plan,
        view,
        lambda: changes_page(plan, view, load(view.revision), previous, before(), interface),
        lambda reason: changes_page(
            plan, view, unreadable(view.revision, reason), previous, None, interface
        ),
    )


def _compare_page(
    plan: Plan,
    view: RevisionView,
    latest: RevisionView,
    load: LoadRevision,
    interface: Interface,
) -> Page:
    return past_page(
        plan,
        view,
        lambda: compare_page(
            plan, view, load(view.revision), latest, load(latest.revision), interface
        ),
        lambda reason: compare_page(
            plan, view, unreadable(view.revision, reason), latest, load(latest.revision), interface
        ),
    )


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
        as_then = SiteData(
            site.config, site.content, day, {}, site.history_state, {}, interface=site.interface
        )
        context |= plan_view(as_then, loaded.plan, updates_until=day)
    return Page(
        revision_url(current.slug, view.revision.commit),
        site.interface.gettext("%(title)s as of %(day)s", title=current.title, day=day.isoformat()),
        "revision.html",
        context,
        description=site.interface.gettext(
            "Archived version of %(title)s from %(day)s.", title=current.title, day=day.isoformat()
        ),
        in_sitemap=False,
    )


def past_page(
    plan: Plan, view: RevisionView, make: Callable[[], Page], instead: Callable[[str], Page]
) -> Page:
    """The page `make` makes of a past revision or, if the revision's data breaks the code
    that reads, compares or lays it out, the page `instead` makes of the reason."""
    try:
        return make()
    except UNREADABLE as error:
        # History cannot be corrected: a revision committed once is read by every later
        # build, so one that breaks this code may not stop them all. It is published as its
        # text, with a reason that is the same whichever process makes the page.
        log.warning(
            "revision %s of %s could not be read (%s); it is published as its text",
            view.revision.commit[:ID_LENGTH],
            plan.path,
            type(error).__name__,
        )
        return instead(reason_of(error))


def reason_of(error: Exception) -> str:
    """Why a revision is published as its text, the same whichever process makes the page."""
    if isinstance(error, RecursionError):
        return "its data is nested too deeply to be read or compared"
    return f"site-builder could not read or compare it ({type(error).__name__})"
