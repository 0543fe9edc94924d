"""The pages of the current content: home, the lists, and a page per item; and the rule
that no two pages share an address.

Pure: content, history and "today" in; `Page` records out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..content.load import Content
from ..content.models import Convening, Fellow, Plan
from ..errors import ContentError, Problem
from .page import Page, SiteData, lastmod
from .plan_view import plan_view
from .urls import (
    SEARCH_BUNDLE,
    SEARCH_URL,
    calendar_url,
    changes_url,
    convening_url,
    fellow_url,
    history_url,
    plan_url,
    update_url,
)

#: Top-level names that generated pages use; a free page may not take them.
RESERVED = frozenset({"plans", "fellows", "convenings", "search", "assets", "feed.xml",
                      "sitemap.xml", "robots.txt", "plans.json", "404.html", "index.html"})


def content_pages(site: SiteData) -> list[Page]:
    """The pages of the current content (history pages are added by `revisions`)."""
    content = site.content
    plans = [plan_view(site, plan) for plan in content.plans]
    upcoming = [c for c in content.convenings if c.last_day >= site.today]
    past = [c for c in reversed(content.convenings) if c.last_day < site.today]
    pages = [
        Page("/", site.config.title, "home.html",
             {"plans": plans, "upcoming": upcoming[:1], "fellows": content.fellows,
              "convenings": content.convenings, "recent": recent_changes(site)},
             description=site.config.description or ""),
        Page("/plans/", "Plans", "plans.html", {"plans": plans},
             description="Every public-safety plan in the network, with its status."),
        Page("/fellows/", "Young Leader Fellows", "fellows.html",
             {"by_cohort": group(content.fellows, lambda f: f.cohort, reverse=True),
              "by_city": group(content.fellows, lambda f: city_name(f))},
             description="Young Leader Fellows by cohort and by city."),
        Page("/convenings/", "Convenings", "convenings.html",
             {"upcoming": upcoming, "past": past},
             description="Upcoming and past annual convenings."),
        Page("/404.html", "Page not found", "404.html", in_sitemap=False,
             served_anywhere=True),
    ]
    if site.config.search:
        pages.append(Page(SEARCH_URL, "Search", "search.html", {"bundle": f"/{SEARCH_BUNDLE}/"},
                          description="Search the plans, outcome updates, fellows and "
                                      "convenings."))
    for view in plans:
        plan = view["plan"]
        links = {"history_url": history_url(plan.slug),
                 "feed_url": f"{plan_url(plan.slug)}feed.xml"}
        pages.append(Page(plan_url(plan.slug), plan.title, "plan.html", view | links,
                          description=plan.summary or f"{plan.title}, {plan.city}.",
                          lastmod=view["last_changed"], searchable=True))
        # Looked up by each figure and status of an update: made once, not searched for.
        goals = {g.id: g for g in plan.goals}
        indicators = {g.indicator: g for g in reversed(plan.goals) if g.indicator}  # the first
        for update in view["updates"]:
            pages.append(Page(update_url(plan.slug, update.slug), update.title, "update.html",
                              {"plan": plan, "update": update, "goals": goals,
                               "indicators": indicators},
                              description=f"{plan.city}: {update.title}",
                              lastmod=lastmod(site, update.path), searchable=True))
    for fellow in content.fellows:
        pages.append(Page(fellow_url(fellow.slug), fellow.name, "fellow.html",
                          {"fellow": fellow},
                          description=f"{fellow.name}, Young Leader Fellow ({fellow.cohort}), "
                                      f"{city_name(fellow)}.",
                          lastmod=lastmod(site, fellow.path), searchable=True))
    for convening in content.convenings:
        pages.append(Page(convening_url(convening.slug), convening.title, "convening.html",
                          {"convening": convening,
                           "upcoming": convening.last_day >= site.today,
                           "calendar": calendar_url(convening.slug)},
                          description=f"{convening.title}, {city_name(convening)}.",
                          lastmod=lastmod(site, convening.path), searchable=True))
    for page in content.pages:
        pages.append(Page(f"/{page.slug}/", page.title, "page.html", {"content_page": page},
                          description=page.description or "", lastmod=lastmod(site, page.path),
                          searchable=True))
    return pages


def check_urls(pages: Iterable[Page], content: Content) -> None:
    """Two pages at one address would overwrite each other: refuse."""
    problems = [Problem(page.path, 1, f"the page name '{page.slug}' is used by the site "
                        "itself; choose another file name")
                for page in content.pages if page.slug in RESERVED]
    seen: set[str] = set()
    for page in pages:
        if page.url in seen:
            problems.append(Problem("content", 1, f"two pages would be written to {page.url}"))
        seen.add(page.url)
    if problems:
        raise ContentError(problems)


@dataclass(frozen=True)
class Change:
    """One line of "recent changes": a plan revised, or an outcome update published."""

    date: dt.date
    plan: Plan
    title: str
    url: str
    kind: str  # "revision" or "update"


def recent_changes(site: SiteData, limit: int = 8) -> list[Change]:
    """The newest outcome updates and plan revisions (minor edits left out), newest first."""
    changes = []
    for plan in site.content.plans:
        for update in site.content.updates.get(plan.slug, []):
            changes.append(Change(update.date, plan, update.title,
                                  update_url(plan.slug, update.slug), "update"))
        for revision in site.revisions.get(plan.path, ()):
            if not revision.minor:
                changes.append(Change(revision.date.date(), plan, revision.subject,
                                      changes_url(plan.slug, revision.commit), "revision"))
    changes.sort(key=lambda c: (c.date, c.url), reverse=True)
    return changes[:limit]


def city_name(item: Fellow | Convening | Plan) -> str:
    return f"{item.city}, {item.state}" if item.state else item.city


def group(items: Iterable[Any], key: Callable[[Any], Any],
          reverse: bool = False) -> list[tuple[Any, list[Any]]]:
    """Items grouped by `key`, groups sorted, items by name within a group."""
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [(name, sorted(members, key=lambda m: (getattr(m, "name", ""), m.slug)))
            for name, members in sorted(groups.items(), reverse=reverse)]
