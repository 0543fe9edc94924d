"""A plan's history in each of the site's other languages: its own history page and a page
per revision, under `/<language>/plans/<plan>/`.

Its history is every commit that changed the plan or its translation, from the one that
added the translation on (`language_revisions`): each revision is the plan as it stood
then, laid over by the translation as it stood then. Its note is the commit's own in that
language where the message has one (a `Change-Note-es:` trailer), the first language's
otherwise, marked as such. The plan's revisions before the translation are the first
language's alone, and the history page links them. The changes of a revision, and
everything since, are the first language's pages: what a plan promises is the same in
every language.

Pure: the site's data in, `Page` records out.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..content.frontmatter import parse_content
from ..content.load import UNREADABLE
from ..content.models import Plan
from ..content.text import decode
from ..content.translations import read_translation, translated
from ..engine.cache import Keys
from ..engine.errors import ContentError, Problem
from ..history.change_notes import ChangeNote, note_in
from .administrations import Terms, holders_by_day, terms_for
from .change_summary import note_of
from .language_pages import named_in, past_alternates, translated_content
from .language_revisions import LanguageHistory, LanguageRevision
from .page import Page, SiteData
from .revision_loading import LoadedRevision, RevisionView, load_revision, unreadable
from .revision_pages import past_page, revision_page
from .urls import history_url, plan_feed_url, revision_url


def language_history_urls(site: SiteData, language: str) -> frozenset[str]:
    """The addresses of the pages of plans' histories that `language` has, and of their
    feeds (in the first language's terms: '/plans/x/history/'), for links to lead to
    them."""
    urls: set[str] = set()
    for plan in site.content.plans:
        told = site.language_histories.get(plan.path, {}).get(language)
        if told is not None:
            urls.update((history_url(plan.slug), plan_feed_url(plan.slug)))
            urls.update(revision_url(plan.slug, r.revision.commit) for r in told.revisions)
    return frozenset(urls)


def language_history_pages(site: SiteData, keys: Keys) -> list[Page]:
    """The history page and revision pages of every translated plan in each language it is
    translated into; those of revisions made only if they must be rendered."""
    pages: list[Page] = []
    default = site.config.languages[0] if site.config.languages else ""
    told_in: dict[str, SiteData] = {}  # the site as each language tells it, made once
    for plan in site.content.plans:
        for language, told in site.language_histories.get(plan.path, {}).items():
            if language not in told_in:
                told_in[language] = replace(
                    site,
                    interface=site.interfaces[language],
                    content=translated_content(site.content, language)[0],
                )
            pages += _pages_of(told_in[language], site, plan, told, default, keys)
    return pages


def _pages_of(
    told_site: SiteData,
    site: SiteData,
    plan: Plan,
    told: LanguageHistory,
    default: str,
    keys: Keys,
) -> list[Page]:
    """The history page of `plan` in `told`'s language, and a page per revision of it;
    `told_site` is the site told in that language."""
    language = told.language
    interface = told_site.interface
    current = translated(plan, site.content.translations[plan.path][language])
    holders_on = holders_by_day(terms_for(site.config.administrations, plan.city))
    views = [
        (entry, _view(site, entry, number, language, default, holders_on))
        for number, entry in enumerate(told.revisions, start=1)
    ]
    shared = {
        "original_lang": default,
        "original_language": named_in(default, language),
        **told_site.chrome,  # the footer's pages, translated
    }
    prefix = f"/{language}"
    history = {
        "plan": current,
        "revisions": [view for _, view in reversed(views)],
        "state": site.history_state,
        "review_only": _reviewed_only(site, plan, told),
        "earlier": told.earlier,
        "alternates": past_alternates(
            site, {default: history_url(plan.slug), language: prefix + history_url(plan.slug)}
        ),
        **shared,
    }
    key = keys.of("language-history", language, plan.slug, repr(current), repr(history))
    pages = [
        Page(
            prefix + history_url(plan.slug),
            interface.gettext("History of %(title)s", title=current.title),
            "history.html",
            history,
            description=interface.gettext(
                "Every revision of %(title)s: what changed, when, by whom and why.",
                title=current.title,
            ),
            cache_key=key,
            interface=interface,
        )
    ]
    for entry, view in views:
        commit = entry.revision.commit
        context = {
            **shared,
            "source_id": RevisionView(entry.source, 0, view.note).id,
            "alternates": past_alternates(
                site,
                {
                    default: revision_url(plan.slug, entry.source.commit),
                    language: prefix + revision_url(plan.slug, commit),
                },
            ),
        }
        key = keys.of(
            "language-revision",
            language,
            plan.slug,
            current.title,
            commit,
            entry.source.blob,
            entry.translation.blob,
            repr(view),
            repr(context),
        )
        pages.append(
            Page(
                prefix + revision_url(plan.slug, commit),
                in_sitemap=False,
                cache_key=key,
                make=functools.partial(
                    _revision_page, told_site, current, view, entry, language, context, prefix
                ),
            )
        )
    return pages


def _reviewed_only(site: SiteData, plan: Plan, told: LanguageHistory) -> frozenset[int]:
    """The revisions of `told` that only moved the plan's review date: those the first
    language's history marks so (`PlanTimeline.review_only`), the translation unchanged."""
    timeline = site.timelines.get(plan.path)
    if timeline is None or not timeline.review_only:
        return frozenset()
    number_of = {r.commit: n for n, r in enumerate(site.revisions.get(plan.path, ()), start=1)}
    return frozenset(
        number
        for number, entry in enumerate(told.revisions, start=1)
        if entry.changed == "source" and number_of.get(entry.source.commit) in timeline.review_only
    )


def _view(
    site: SiteData,
    entry: LanguageRevision,
    number: int,
    language: str,
    default: str,
    holders_on: Callable[[dt.date], Terms],
) -> RevisionView:
    """A revision as the history in `language` lists it: its note in that language when
    the commit gives one, the first language's (so marked) otherwise."""
    own = note_in(entry.revision.body, language)
    note = (
        ChangeNote(own)
        if own
        else note_of(site.notes, entry.revision)
        if entry.changed != "translation"
        else ChangeNote(entry.revision.subject)
    )
    return RevisionView(
        entry.revision,
        number,
        note,
        holders_on(entry.revision.date.date()),
        note_language="" if own else default,
        changed=entry.changed,
    )


def _revision_page(
    site: SiteData,
    current: Plan,
    view: RevisionView,
    entry: LanguageRevision,
    language: str,
    context: dict[str, Any],
    prefix: str,
) -> Page:
    """The plan in `language` as it stood at one commit."""

    def made(loaded: LoadedRevision, told: bool = True) -> Page:
        page = revision_page(site, current, view, loaded)
        # A plan shown without its translation of then is in the first language: so marked.
        untold = {} if told or loaded.plan is None else {"untold_lang": context["original_lang"]}
        return replace(
            page,
            url=prefix + page.url,
            context={**page.context, **context, **untold},
            interface=site.interface,
        )

    return past_page(
        current,
        view,
        lambda: made(*_translated(current.slug, entry, language)),
        lambda reason: made(unreadable(entry.source, reason)),
    )


def _translated(slug: str, entry: LanguageRevision, language: str) -> tuple[LoadedRevision, bool]:
    """The plan as it stood at `entry`, laid over by its translation as it stood then, and
    True; the plan alone and False when the translation of then cannot be read."""
    loaded = load_revision(slug, entry.source)
    if loaded.plan is None:
        return loaded, True
    raw, path = entry.translation.raw, entry.translation.path
    problems: list[Problem] = []
    try:
        doc = parse_content(decode(raw, path), path)
        found = read_translation(doc, language, entry.source.path, Plan, loaded.plan, problems)
    except (ContentError, *UNREADABLE):
        found = None
    if found is None:
        return loaded, False
    return replace(loaded, plan=translated(loaded.plan, found)), True
