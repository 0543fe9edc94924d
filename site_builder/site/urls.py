"""Every URL of the site, and where each is written in the output folder: the one
home of the URL scheme.

URLs are site paths (`/plans/riverton/`); `SiteConfig.absolute` makes full ones and
`render` makes them relative to the page that links them.
"""

from __future__ import annotations


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


def output_file(url: str) -> str:
    """Where a URL is written inside the output folder: '/plans/x/' → 'plans/x/index.html'."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative
