"""The in-memory site: every page's URL, template and data, and where it is written.

Building the list of pages is pure: content, history and "today" in; `Page` records out.
The URL scheme lives here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content.config import SiteConfig
from ..content.load import Content
from ..content.models import Convening, Fellow, Plan
from ..engine.cache import Keys
from ..errors import ContentError, Problem
from ..history.reading import Revision
from .charts import line_chart
from .figures import cost_estimate, goal_rows, next_election, review_due, series

#: Top-level names that generated pages use; a free page may not take them.
RESERVED = frozenset({"plans", "fellows", "convenings", "search", "assets", "feed.xml",
                      "sitemap.xml", "robots.txt", "plans.json", "404.html", "index.html"})


@dataclass(frozen=True)
class Page:
    """One output file: HTML from a template, or ready-made bytes (JSON, CSV, XML)."""

    url: str
    title: str = ""
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    description: str = ""
    lastmod: dt.date | None = None
    in_sitemap: bool = True
    served_anywhere: bool = False  # the 404 page: shown at any address, so links from the root
    searchable: bool = False  # in the search index: current content only, never archived pages
    cache_key: str = ""  # set on pages of past revisions, which never change once rendered
    make: Callable[[], Page] | None = None  # makes the whole page, when it must be rendered


@dataclass(frozen=True)
class SiteData:
    """Everything a page may draw on."""

    config: SiteConfig
    content: Content
    today: dt.date
    last_modified: Mapping[str, dt.datetime]
    history_state: str = "absent"
    revisions: Mapping[str, tuple[Revision, ...]] = field(default_factory=dict)  # by plan path

    @functools.cached_property
    def chrome(self) -> dict[str, Any]:
        """What the header and footer of every page show besides the site's settings: a
        few words, never a list that grows with the site."""
        pages = self.content.pages
        return {"footer_pages": [(p.slug, p.title) for p in pages if p.footer],
                "has_about": any(p.slug == "about" for p in pages)}


def plan_url(slug: str) -> str:
    return f"/plans/{slug}/"


#: Characters of the commit id in a revision's URL: unique in any real repository.
ID_LENGTH = 12


def history_url(plan: str) -> str:
    return f"/plans/{plan}/history/"


def revision_url(plan: str, commit: str) -> str:
    """A revision's permanent address: made of its commit id, so later commits never move it."""
    return f"/plans/{plan}/revisions/{commit[:ID_LENGTH]}/"


def changes_url(plan: str, commit: str) -> str:
    return f"{revision_url(plan, commit)}changes/"


def update_url(plan: str, slug: str) -> str:
    return f"/plans/{plan}/updates/{slug}/"


def fellow_url(slug: str) -> str:
    return f"/fellows/{slug}/"


def convening_url(slug: str) -> str:
    return f"/convenings/{slug}/"


def calendar_url(slug: str) -> str:
    return f"/convenings/{slug}/{slug}.ics"


#: The search page, and where the build puts Pagefind's index and UI (beside the page, so
#: the page loads them by relative URLs under any sub-path).
SEARCH_URL = "/search/"
SEARCH_BUNDLE = "search/pagefind"


def data_file(url: str, keys: Keys, write: Callable[..., bytes], *value: Any) -> Page:
    """A file of data (JSON, CSV, XML) written by `write(*value)` only when it must be:
    keyed by the value itself, which is far cheaper to compare than to serialize."""
    key = keys.of("data", url, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return Page(url, in_sitemap=False, cache_key=key,
                make=lambda: Page(url, data=write(*value), in_sitemap=False))


def output_file(url: str) -> str:
    """Where a URL is written inside the output folder: '/plans/x/' → 'plans/x/index.html'."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def lastmod(site: SiteData, *paths: str) -> dt.date | None:
    dates = [site.last_modified[p].date() for p in paths if p in site.last_modified]
    return max(dates) if dates else None


def plan_view(site: SiteData, plan: Plan, updates_until: dt.date | None = None
              ) -> dict[str, Any]:
    """Everything the plan page shows; an archived revision sees only earlier updates."""
    updates = [u for u in site.content.updates.get(plan.slug, [])
               if updates_until is None or u.date <= updates_until]
    values = series(plan, updates)
    charts = []
    for goal in plan.goals:
        if goal.indicator and values.get(goal.indicator):
            chart = line_chart(values[goal.indicator],
                               goal.baseline.value if goal.baseline else None,
                               goal.target.value if goal.target else None)
            charts.append({"goal": goal, "points": values[goal.indicator], "chart": chart})
    paths = [plan.path] + [u.path for u in updates]
    return {
        "plan": plan,
        "updates": updates,
        "latest_update": updates[-1] if updates else None,
        "goal_rows": goal_rows(plan, updates, site.today),
        "charts": charts,
        "cost": cost_estimate(plan, site.today),
        "review": review_due(plan, updates, site.today),
        "election": next_election(plan, site.today),
        "last_revised": lastmod(site, plan.path),
        "last_changed": lastmod(site, *paths),
    }


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
