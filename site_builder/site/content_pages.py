"""The pages of the current content: home, the lists, and a page per item of every kind;
and the rule that no two pages share an address.

Pure: content, history and "today" in; `Page` records out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..content import kinds
from ..content.kinds import Content, Kind
from ..content.models import Convening, OutcomeUpdate, Plan, city_name
from ..engine.errors import ContentError, Problem
from ..history.change_notes import note_in
from .change_summary import note_of
from .convening_plans import Stood, convening_plans_pages, plans_stood
from .cross_links import agenda_days, city_fellows, fellow_urls, fellows_by_city
from .page import Lazy, Page, SiteData, lastmod
from .plan_view import plan_view
from .promise_story import PromiseLinks
from .search_facts import search_facts
from .update_context import UpdateContext, goals_by_indicator, plan_update_contexts
from .update_history import restated_figures
from .urls import (
    SEARCH_BUNDLE,
    SEARCH_URL,
    calendar_url,
    changes_url,
    history_url,
    item_url,
    plan_feed_url,
    reserved_names,
    tracker_url,
    update_url,
)

#: What an item's page shows beyond the item: it refines the page `item_page` made.
_Refine = Callable[[Page, Any], Page]


def content_pages(site: SiteData) -> list[Page]:
    """The pages of the current content (history pages are added by `revisions`)."""
    content = site.content
    views = {plan.slug: plan_view(site, plan) for plan in content.plans}
    plans = list(views.values())
    promise_links = {slug: told.links() for slug, told in site.promises.items()}
    upcoming = [c for c in content.convenings if c.last_day >= site.today]
    past = [c for c in reversed(content.convenings) if c.last_day < site.today]
    stood = plans_stood(site)
    _ = site.interface.gettext
    pages = [
        Page(
            "/",
            site.config.title,
            "home.html",
            {
                "plans": plans,
                "upcoming": upcoming[:1],
                "fellows": content.fellows,
                "convenings": content.convenings,
                "recent": recent_changes(site),
            },
            description=site.config.description or "",
        ),
        Page(
            "/plans/",
            _("Plans"),
            "plans.html",
            {"plans": plans, "told": promise_links},
            description=_("Every public-safety plan in the network, with its status."),
        ),
        Page(
            "/fellows/",
            _("Young Leader Fellows"),
            "fellows.html",
            {
                "by_cohort": group(content.fellows, lambda f: f.cohort, reverse=True),
                "by_city": group(content.fellows, lambda f: city_name(f)),
            },
            description=_("Young Leader Fellows by cohort and by city."),
        ),
        Page(
            "/convenings/",
            _("Convenings"),
            "convenings.html",
            {"upcoming": upcoming, "past": past, "stood": stood},
            description=_("Upcoming and past annual convenings."),
        ),
        Page("/404.html", _("Page not found"), "404.html", in_sitemap=False, served_anywhere=True),
    ]
    if site.config.search:
        pages.append(
            Page(
                SEARCH_URL,
                _("Search"),
                "search.html",
                {"bundle": f"/{SEARCH_BUNDLE}/"},
                description=_("Search the plans, outcome updates, fellows and convenings."),
            )
        )
    refinements = _refinements(site, views, promise_links, stood)
    cities = plan_cities(content)
    for kind in kinds.KINDS:
        refine = refinements.get(kind.name)
        for item in content.of(kind.name):
            page = item_page(site, kind, item, cities)
            pages.append(refine(page, item) if refine else page)
    return pages + convening_plans_pages(site)


def item_page(site: SiteData, kind: Kind, item: Any, plan_cities: Mapping[str, str]) -> Page:
    """An item's page: its kind's URL and template, showing the item alone; `plan_cities`
    tells its search result the city of an item that belongs to a plan."""
    changed = lastmod(site, item.path)
    return Page(
        item_url(kind, item),
        item.title,
        kind.template,
        {kind.variable: item},
        description=item.description or "",
        lastmod=changed,
        search=(
            search_facts(kind, item, changed, plan_cities, site.interface)
            if kind.searchable
            else None
        ),
    )


def item_page_alone(site: SiteData, kind: Kind, item: Any) -> Page:
    """An item's page as `content_pages` makes it, made alone, with only the plan views
    and promises it shows: the preview shows a saved item's page first."""
    plans = {plan.slug: plan for plan in site.content.plans}
    views = Lazy(plans, lambda slug: plan_view(site, plans[slug]))
    links = Lazy(site.promises, lambda slug: site.promises[slug].links())
    refine = _refinements(site, views, links, plans_stood(site)).get(kind.name)
    page = item_page(site, kind, item, plan_cities(site.content))
    return refine(page, item) if refine else page


def plan_cities(content: Content) -> dict[str, str]:
    """Each plan's city by its slug: the city of a search result that belongs to a plan."""
    return {plan.slug: city_name(plan) for plan in content.plans}


def _refinements(
    site: SiteData,
    views: Mapping[str, dict[str, Any]],
    promise_links: Mapping[str, PromiseLinks],
    stood: Mapping[str, Stood],
) -> dict[str, _Refine]:
    """What the pages of plans, updates and convenings show beyond their item, by kind;
    `views` holds each plan's view, made once for the lists and the plan's pages,
    `promise_links` what it shows of its commitments and goals, and `stood` each
    convening's link to every plan as it stood then."""
    plan_lookups: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, UpdateContext]]] = {}
    cities = fellows_by_city(site.content.fellows)
    profiles = fellow_urls(site.content.fellows)

    def plan_page(page: Page, plan: Plan) -> Page:
        view = views[plan.slug]
        links = {
            "history_url": history_url(plan.slug),
            "feed_url": plan_feed_url(plan.slug),
            "restated": restated_figures(site.update_histories, view["updates"]),
            "told": promise_links.get(plan.slug),
            "tracker_url": tracker_url(plan.slug),
            "city_fellows": city_fellows(plan, cities),
        }
        return replace(page, context=view | links, lastmod=view["last_changed"])

    def update_page(page: Page, update: OutcomeUpdate) -> Page:
        plan = views[update.plan]["plan"]
        if plan.slug not in plan_lookups:  # looked up by each update of the plan: made once
            updates = site.content.updates.get(plan.slug, [])
            indicators = goals_by_indicator(plan)
            plan_lookups[plan.slug] = (
                {g.id: g for g in plan.goals},
                indicators,
                plan_update_contexts(indicators, updates, site.interface),
            )
        goals, indicators, contexts = plan_lookups[plan.slug]
        in_context = contexts[update.slug]
        return replace(
            page,
            context={
                "plan": plan,
                **page.context,
                "goals": goals,
                "indicators": indicators,
                "figures": in_context.figures,
                "previous_update": neighbour(plan, in_context.previous),
                "next_update": neighbour(plan, in_context.next),
                "history": site.update_histories.get(update.path),
            },
            description=f"{plan.city}: {page.description}",
        )

    def convening_page(page: Page, convening: Convening) -> Page:
        return replace(
            page,
            context={
                **page.context,
                "upcoming": convening.last_day >= site.today,
                "registration_opens": registration_opens(convening, site.today),
                "calendar": calendar_url(convening.slug),
                "stood": stood[convening.slug],
                "agenda_days": agenda_days(convening, profiles),
            },
        )

    return {"plan": plan_page, "update": update_page, "convening": convening_page}


def registration_opens(convening: Convening, today: dt.date) -> dt.date | None:
    """The day registration opens, while it is still to come: the page says so instead
    of offering a Register button that leads nowhere yet."""
    opens = convening.registration_opens
    return opens if opens is not None and opens > today else None


def neighbour(plan: Plan, update: OutcomeUpdate | None) -> dict[str, str] | None:
    """What an update page shows of the update before or after it: only its link's words,
    so that its page is not made again when that update's text changes."""
    if update is None:
        return None
    return {
        "url": update_url(plan.slug, update.slug),
        "title": update.title,
        "when": update.period or update.date.isoformat(),
    }


def check_urls(pages: Iterable[Page], content: Content) -> None:
    """Two pages at one address would overwrite each other, and an item at the top of the
    site may not take a name the site uses itself: refuse."""
    reserved = reserved_names()
    problems = []
    for kind in kinds.KINDS:
        if kind.url.startswith("/{"):
            for item in content.of(kind.name):
                name = item_url(kind, item).split("/")[1]
                if name in reserved:
                    problems.append(
                        Problem(
                            item.path,
                            1,
                            f"the page name '{name}' is used by "
                            "the site itself; choose another file name",
                        )
                    )
    seen: set[str] = set()
    for page in pages:
        if page.url in seen:
            problems.append(Problem("content", 1, f"two pages would be written to {page.url}"))
        seen.add(page.url)
    if problems:
        raise ContentError(problems)


@dataclass(frozen=True)
class RecentChange:
    """One line of "recent changes": a plan revised, or an outcome update published."""

    date: dt.date
    plan: Plan
    title: str
    url: str
    kind: str  # "revision" or "update"
    generated: bool = False  # the title is a summary the site wrote (`change_summary`)
    lang: str = ""  # the title's language, when it is not the page's (not translated)


def recent_changes(site: SiteData, limit: int = 8) -> list[RecentChange]:
    """The newest outcome updates and plan revisions (minor edits left out), newest first;
    in another language than the first, each in its words where it has them (a translated
    update, a commit's `Change-Note-<language>:` trailer)."""
    default, told_in = site.config.language, site.interface.language
    translations = site.content.translations
    changes = []
    for plan in site.content.plans:
        for update in site.content.updates.get(plan.slug, []):
            told = told_in == default or told_in in translations.get(update.path, {})
            changes.append(
                RecentChange(
                    update.date,
                    plan,
                    update.title,
                    update_url(plan.slug, update.slug),
                    "update",
                    lang="" if told else default,
                )
            )
        for revision in site.revisions.get(plan.path, ()):
            if not revision.minor:
                note = note_of(site.notes, revision)
                own = note_in(revision.body, told_in) if told_in != default else None
                changes.append(
                    RecentChange(
                        revision.date.date(),
                        plan,
                        own or note.text,
                        changes_url(plan.slug, revision.commit),
                        "revision",
                        note.generated and not own,
                        lang="" if own or told_in == default else default,
                    )
                )
    changes.sort(key=lambda c: (c.date, c.url), reverse=True)
    return changes[:limit]


def group(
    items: Iterable[Any], key: Callable[[Any], Any], reverse: bool = False
) -> list[tuple[Any, list[Any]]]:
    """Items grouped by `key`, groups sorted, items by name within a group."""
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [
        (name, sorted(members, key=lambda m: (getattr(m, "name", ""), m.slug)))
        for name, members in sorted(groups.items(), reverse=reverse)
    ]
