"""Every page of the site, and the key naming what each page is made of.

The pages of the current content come first (`current_pages`: cheap, and all that search
indexes), then the pages made from history and from them (`generated_pages`): a build
stages the first while it lists the others. Pure: settings, content, history and "today"
in; `Page` records and keys out.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from ..engine.cache import Keys
from ..history.reading import SiteHistory
from .content_pages import check_urls, content_pages
from .feeds import feed_pages
from .language_feeds import language_feed_pages
from .language_history import language_history_pages
from .language_pages import language_pages
from .opendata import data_pages, sitemap
from .page import Page, PageGroup, SiteData
from .promise_pages import promise_pages
from .revision_pages import history_pages


@dataclass(frozen=True)
class Generated:
    """The pages made from history and from the current pages: those listed, and the
    groups of pages listed only if a build must stage them (`PageGroup`, each with the
    pages listed beside it, always staged)."""

    pages: list[Page]
    groups: list[PageGroup]

    def listed(self) -> list[Page]:
        """Every page but those of the groups."""
        return self.pages + [page for group in self.groups for page in group.beside]

    def every_page(self) -> list[Page]:
        """Every page, those of the groups listed too."""
        return self.listed() + [page for group in self.groups for page in group.pages()]


def site_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """Every page of the site; a `ContentError` when two would share an address."""
    current = current_pages(site)
    pages = current + generated_pages(site, history, keys, current).every_page()
    check_urls(pages, site.content)
    return pages


def current_pages(site: SiteData) -> list[Page]:
    """The pages of the current content: home, the lists, a page per item, in each of the
    site's languages; refused when two would share an address."""
    pages = language_pages(site, content_pages(site))
    check_urls(pages, site.content)
    return pages


def generated_pages(
    site: SiteData, history: SiteHistory, keys: Keys, current: list[Page]
) -> Generated:
    """The pages made from history and from the `current` pages: history, revision and
    changes pages (each made only when it must be rendered, and listed in groups only when
    they must be staged), the pages of promises kept and broken, open data (each
    revision's too), feeds and the sitemap; refused when two pages of the site would
    share an address (two pages of one group: when it is listed)."""
    listed, groups = history_pages(site, history, keys)
    pages = (
        listed
        + language_history_pages(site, keys)
        + promise_pages(site, keys)
        + data_pages(site, history, keys)
        + feed_pages(site, history, keys)
        + language_feed_pages(site, history, keys)
    )
    beside = [page for group in groups for page in group.beside]
    pages.append(sitemap(site, current + pages + beside))  # no archived revision is in it
    check_urls(current + pages + beside, site.content)
    return Generated(pages, groups)


def page_key(page: Page, keys: Keys) -> str:
    """What a page is made of, as a key: the same key, the same bytes.

    Pages of past revisions come keyed by their commit and blob ids (their data is not
    even loaded unless they must be rendered); any other page by itself, its own data
    included: the rest of its template context (settings, header and footer) is in the
    salt of every key. So a page is rendered again exactly when something it shows has
    changed.
    """
    if page.cache_key:
        return page.cache_key
    if page.data is not None:
        return keys.of("data", page.data)
    return keys.of("page", page.template or "", pickle.dumps(page, pickle.HIGHEST_PROTOCOL))


def site_key(site: SiteData, history: SiteHistory, keys: Keys, *also: str) -> str:
    """What the whole site is made of, as a key: the same key, the same site. Every page is
    made of the content, the history and "today" (the rest of what it draws on is in the
    salt of every key), and the files copied in of what `also` names (their keys). Empty
    when the content or the history cannot say what it was read from."""
    if not (site.content.made_of and history.made_of):
        return ""
    return keys.of("site", site.today.isoformat(), site.content.made_of, history.made_of, *also)
