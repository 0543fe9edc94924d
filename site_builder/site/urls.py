"""Every URL of the site, and where each is written in the output folder: the one
home of the URL scheme.

URLs are site paths (`/plans/riverton/`); `SiteConfig.absolute` makes full ones and
`render` makes them relative to the page that links them. An item's URL is its kind's
pattern in the kinds table, filled here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..content import kinds
from ..content.kinds import Kind

#: Top-level names of what the site makes besides the kinds' pages.
_GENERATED = frozenset(
    {
        "search",
        "assets",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "plans.json",
        "404.html",
        "index.html",
        "commitments",
    }
)
_FIELD = re.compile(r"\{\w+\}")


def item_url(kind: Kind, item: Any) -> str:
    """The URL of an item's page: its kind's pattern, filled from the record's fields."""
    return kind.url.format_map(_Fields(item))


class _Fields:
    """A record's fields by name, as `str.format_map` asks for them."""

    def __init__(self, item: Any) -> None:
        self.item = item

    def __getitem__(self, name: str) -> Any:
        return getattr(self.item, name)


def plan_url(slug: str) -> str:
    """A plan's address; asked for by each of its history's pages (tens of thousands on a
    long history), so each is made once per table of kinds."""
    made = _plan_urls()
    if slug not in made:
        made[slug] = kinds.named("plan").url.format(slug=slug)
    return made[slug]


_plan_urls: Callable[[], dict[str, str]] = kinds.of_the_table(lambda _: {})


#: Characters of the commit id in a revision's URL: unique in any real repository.
ID_LENGTH = 12


def history_url(plan: str) -> str:
    return f"{plan_url(plan)}history/"


def plan_feed_url(plan: str) -> str:
    """The plan's Atom feed: its revisions and outcome updates."""
    return f"{plan_url(plan)}feed.xml"


def revision_url(plan: str, commit: str) -> str:
    """A revision's permanent address: made of its commit id, so later commits never move it."""
    return f"{plan_url(plan)}revisions/{commit[:ID_LENGTH]}/"


def revisions_folder(plan: str) -> str:
    """The folder of the site that holds a plan's archived revisions (their pages and data)
    and nothing else: they are kept or made again as one (`page.PageGroup`)."""
    return output_file(f"{plan_url(plan)}revisions/").removesuffix("/index.html")


def changes_url(plan: str, commit: str) -> str:
    return f"{revision_url(plan, commit)}changes/"


def compare_url(plan: str, commit: str) -> str:
    """Everything that changed from a revision to the current plan: a fixed address whose
    page changes with the plan."""
    return f"{revision_url(plan, commit)}compare/"


def tracker_url(plan: str) -> str:
    """A plan's promise tracker: every commitment and what became of it."""
    return f"{plan_url(plan)}commitments/"


def commitment_url(plan: str, id: str) -> str:
    return f"{tracker_url(plan)}{id}/"


def goal_url(plan: str, id: str) -> str:
    return f"{plan_url(plan)}goals/{id}/"


#: Every commitment of every plan.
NETWORK_TRACKER_URL = "/commitments/"


def update_url(plan: str, slug: str) -> str:
    return kinds.named("update").url.format(plan=plan, slug=slug)


def convening_url(slug: str) -> str:
    return kinds.named("convening").url.format(slug=slug)


def calendar_url(slug: str) -> str:
    return f"{convening_url(slug)}{slug}.ics"


def convening_plans_url(slug: str) -> str:
    """Every plan as it stood on a convening's first day."""
    return f"{convening_url(slug)}plans/"


#: The search page, and where the build puts Pagefind's index and UI (beside the page, so
#: the page loads them by relative URLs under any sub-path).
SEARCH_URL = "/search/"


SEARCH_BUNDLE = "search/pagefind"


def output_file(url: str) -> str:
    """Where a URL is written inside the output folder: '/plans/x/' → 'plans/x/index.html'."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def searched_files() -> tuple[str, ...]:
    """Where the pages of the searchable kinds are written, as patterns of the output
    folder ('fellows/*/index.html'): the files the search indexer needs to read."""
    return tuple(output_file(_FIELD.sub("*", kind.url)) for kind in kinds.KINDS if kind.searchable)


def reserved_names() -> frozenset[str]:
    """Top-level names no item may take: the kinds' own folders ('plans') and what the
    site makes itself ('search', 'sitemap.xml')."""
    folders = {kind.url.split("/")[1] for kind in kinds.KINDS}
    return _GENERATED | {folder for folder in folders if not _FIELD.search(folder)}


def revision_data_url(plan: str, commit: str) -> str:
    """A revision's structured data (its plan.json), beside its page."""
    return f"{revision_url(plan, commit)}plan.json"
