"""The site's feeds: the site's, and one per plan with its revisions, what happened to
its promises and its outcome updates, each entry told in the site's interface and keyed by
what it is made of (written as Atom by `atom`).

Minor revisions (commit trailer `Change-Type: minor`) stay in the history but not in feeds;
dates come from content and git only, so the same commit gives the same feed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from ..content.models import Plan
from ..engine.cache import Keys
from ..history.change_notes import ChangeNote, note_in, told
from ..history.reading import SiteHistory
from .atom import Feed, FeedEntry, atom, midnight
from .change_summary import note_of
from .interface import ENGLISH, Interface
from .page import Page, SiteData, revisions_digest
from .promise_pages import promises_key
from .promise_story import GoalStory, PlanPromises, Promise
from .update_context import goals_by_indicator, plan_update_contexts, update_summary
from .urls import changes_url, convening_url, plan_feed_url, plan_url, update_url

LIMIT = 50


def feed_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """`/feed.xml` for the whole site and `/plans/<plan>/feed.xml` for each plan, each keyed
    by what its entries are made of and written only when that changed: a plan's long
    history is not told again at every build to find that its feed is the same."""
    pages = []
    told: list[PlanEntries] = []
    for plan in site.content.plans:
        entries = functools.cache(functools.partial(newest_of_plan, site, plan, history))
        told.append(PlanEntries(newest_possible(site, plan, history), entries))
        url = plan_feed_url(plan.slug)
        key = plan_feed_key(site, plan, history, keys)
        pages.append(feed_page(url, key, functools.partial(plan_feed, site, plan, entries)))
    convenings = convening_entries(site)
    key = keys.of(
        "site-feed",
        "" if convenings else site.today.isoformat(),  # a feed with no entry says today
        repr(convenings),
        *(page.cache_key for page in pages),
    )
    make = functools.partial(site_feed, site, told, convenings)
    pages.append(feed_page("/feed.xml", key, make))
    return pages


#: A plan's newest feed entries, told when a feed must be written.
Told = Callable[[], list[FeedEntry]]
#: Where an entry sorts in a feed (`newest`): by its date, then its address.
Place = tuple[dt.datetime, str]
#: Above every address: where an entry's address is not known before it is told.
_ANY_ADDRESS = "\U0010ffff"


class PlanEntries(NamedTuple):
    """A plan's entries for the site's feed: the highest place in it one can take (None:
    it has none), so that a plan that cannot reach the feed's newest is never told."""

    newest: Place | None
    told: Told


def newest_possible(site: SiteData, plan: Plan, history: SiteHistory) -> Place | None:
    """The highest place an entry of the plan's feed can take: its newest update's, or its
    latest revision's, at any address (a revision's entries, its note and what it did to
    the plan's promises, are addressed as they are told)."""
    places = [(revision.date, _ANY_ADDRESS) for revision in history.revisions.get(plan.path, ())]
    places += [
        (
            site.last_modified.get(update.path) or midnight(update.date),
            in_language(site, update_url(plan.slug, update.slug)),
        )
        for update in site.content.updates.get(plan.slug, [])
    ]
    return max(places, default=None)


def convening_entries(site: SiteData, lang: Callable[[Any], str] = lambda _: "") -> list[FeedEntry]:
    """An entry per convening; `lang` gives the language of one's words, when it is not
    the feed's."""
    _, when = site.interface.gettext, site.interface.formats.date_range
    return [
        FeedEntry(
            site.last_modified.get(convening.path) or midnight(convening.start),
            _("Convening: %(title)s", title=convening.title),
            in_language(site, convening_url(convening.slug)),
            f"{convening.city}, {when(convening.start, convening.end)}",
            site.config.organization or site.config.title,
            lang(convening),
        )
        for convening in site.content.convenings
    ]


def in_language(site: SiteData, url: str) -> str:
    """The address of a page that has a twin in every language, in the site's telling."""
    told_in = site.interface.language
    return url if told_in == site.config.language else f"/{told_in}{url}"


def plan_feed_key(site: SiteData, plan: Plan, history: SiteHistory, keys: Keys) -> str:
    """What a plan's feed is made of: its revisions (their notes, authors and what they
    did to its promises), what the plan holds now, its updates and when they were
    committed; "today" too when the feed may have no entry (it then says today)."""
    revisions = history.revisions.get(plan.path, ())
    updates = site.content.updates.get(plan.slug, [])
    surely_told = bool(updates) or any(not r.minor for r in revisions)
    return keys.of(
        "feed",
        plan.slug,
        "" if surely_told else site.today.isoformat(),
        promises_key(site, plan, keys),
        revisions_digest(revisions),
        *(str(site.last_modified.get(update.path)) for update in updates),
    )


def newest_of_plan(
    site: SiteData, plan: Plan, history: SiteHistory, lang: Callable[[Any], str] = lambda _: ""
) -> list[FeedEntry]:
    return newest(plan_entries(site, plan, history, lang))


def feed_page(url: str, key: str, make: Callable[[], bytes]) -> Page:
    return Page(
        url, in_sitemap=False, cache_key=key, make=lambda: Page(url, data=make(), in_sitemap=False)
    )


def plan_feed(site: SiteData, plan: Plan, entries: Told) -> bytes:
    """A plan's feed, in the site's telling (its language's addresses)."""
    title = site.interface.gettext("%(title)s: revisions and updates", title=plan.title)
    url, page = in_language(site, plan_feed_url(plan.slug)), in_language(site, plan_url(plan.slug))
    return _feed(site, title, url, page, entries())


def site_feed(site: SiteData, told: list[PlanEntries], convenings: list[FeedEntry]) -> bytes:
    """The site's feed, in the site's telling: the newest of its plans' and convenings."""
    entries = newest_across(told, convenings)
    return _feed(
        site, site.config.title, in_language(site, "/feed.xml"), in_language(site, "/"), entries
    )


def _feed(site: SiteData, title: str, url: str, page: str, entries: list[FeedEntry]) -> bytes:
    told_in = site.interface.language
    language = "" if told_in == site.config.language else told_in
    about = Feed(site.config, None if entries else site.today, title, url, page, language)
    return atom(about, entries)


def feed_note(note: ChangeNote, short: bool = False, interface: Interface = ENGLISH) -> str:
    """A change note as a feed shows it: saying that the site wrote it, if it did (and
    why, unless `short`)."""
    if not note.generated:
        return note.text
    _ = interface.gettext
    if short:
        why = _("summary written by the site")
    elif note.original.strip():
        why = _(
            "summary written by the site from the changes; the commit's note was “%(original)s”",
            original=note.original,
        )
    else:
        why = _("summary written by the site from the changes; the commit had no note")
    return f"{note.text} ({why})"


def plan_entries(
    site: SiteData, plan: Plan, history: SiteHistory, lang: Callable[[Any], str] = lambda _: ""
) -> list[FeedEntry]:
    """A plan's revisions, the changes of its promises and its outcome updates, told in
    the site's interface; `lang` gives the language of an update's words, when it is not
    the feed's. In another language than the first, a revision's note is the commit's
    own in that language (`Change-Note-es:`), or the first language's, marked."""
    _ = site.interface.gettext
    told_in, default = site.interface.language, site.config.language
    entries = []
    for r in history.revisions.get(plan.path, ()):
        if r.minor:
            continue
        own = note_in(r.body, told_in) if told_in != default else None
        note = ChangeNote(own) if own else note_of(site.notes, r)
        entries.append(
            FeedEntry(
                r.date,
                _(
                    "%(title)s revised: %(note)s",
                    title=plan.title,
                    note=feed_note(note, True, site.interface),
                ),
                changes_url(plan.slug, r.commit),
                own or told(r.body) or feed_note(note, interface=site.interface),
                r.author,
                "" if own or told_in == default else default,
            )
        )
    entries += promise_entries(plan, site.promises.get(plan.slug), site.interface)
    updates = site.content.updates.get(plan.slug, [])
    contexts = plan_update_contexts(goals_by_indicator(plan), updates, site.interface)
    goals = {goal.id: goal for goal in plan.goals}
    dated = [
        (site.last_modified.get(u.path) or midnight(u.date), update_url(plan.slug, u.slug), u)
        for u in updates
    ]
    # No feed shows more than the newest `LIMIT`: only their summaries are written.
    for updated, url, update in sorted(dated, key=lambda d: d[:2], reverse=True)[:LIMIT]:
        entries.append(
            FeedEntry(
                updated,
                _("%(city)s outcome update: %(title)s", city=plan.city, title=update.title),
                in_language(site, url),
                update_summary(update, contexts[update.slug], goals, site.interface),
                site.config.organization or site.config.title,
                lang(update),
            )
        )
    return entries


#: The changes of a commitment a plan's feed tells: it was made, its status changed, it was
#: dropped or came back; of a goal, its target moved.
_TOLD: dict[type, tuple[str, ...]] = {
    Promise: ("promised", "status", "removed", "restored"),
    GoalStory: ("target",),
}


def promise_entries(
    plan: Plan, told: PlanPromises | None, interface: Interface = ENGLISH
) -> list[FeedEntry]:
    """What happened to the plan's commitments and goals after its first revision (which
    made them all at once), each entry linking to the change on the item's page; only the
    newest `LIMIT`, since no feed shows more (a goal whose target moves at every commit
    would add an entry per revision)."""
    if told is None:
        return []
    stories: list[Promise | GoalStory] = [*told.commitments, *told.goals]
    found = [
        (change.number, n, index)
        for n, story in enumerate(stories)
        for index, change in enumerate(story.changes)
        if change.number > 1 and change.what in _TOLD[type(story)]
    ]
    entries = []
    for _, n, index in sorted(found, reverse=True)[:LIMIT]:
        story = stories[n]
        event = story.event(index)
        if event is not None:
            said = {
                "city": plan.city,
                "title": story.item.title,
                "what": f"{event.words[0].lower()}{event.words[1:]}",
            }
            entries.append(
                FeedEntry(
                    event.when,
                    interface.gettext("%(city)s: commitment “%(title)s”: %(what)s", **said)
                    if isinstance(story, Promise)
                    else interface.gettext("%(city)s: goal “%(title)s”: %(what)s", **said),
                    f"{story.url}#{event.anchor}",
                    feed_note(event.note, interface=interface),
                    event.author,
                )
            )
    return entries


def newest_across(plans: list[PlanEntries], others: list[FeedEntry]) -> list[FeedEntry]:
    """The `newest` of the plans' entries and `others`, telling the plans newest first and
    only while one may still have an entry among them: a site's feed tells a few plans,
    not every plan's history."""
    chosen = newest(others)
    placed = [(plan.newest, plan.told) for plan in plans if plan.newest is not None]
    for place, entries in sorted(placed, key=lambda pair: pair[0], reverse=True):
        if len(chosen) == LIMIT and place < (chosen[-1].updated, chosen[-1].url):
            break  # this plan's entries, and every later one's, are below all chosen
        chosen = newest(chosen + entries())
    return chosen


def newest(entries: list[FeedEntry]) -> list[FeedEntry]:
    """The entries a feed shows, newest first: chosen before the feed is keyed, so that a
    plan's long history is not compared at every build, only what its feed holds."""
    return sorted(entries, key=lambda e: (e.updated, e.url), reverse=True)[:LIMIT]
