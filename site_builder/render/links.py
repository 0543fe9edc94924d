"""Internal links written in content: does each lead to a page (and a heading) that exists?

Used by `site-builder check`. Pages are rendered in memory and their `id`s read with
BeautifulSoup, so a link to `/plans/riverton/#plan-goals` is checked against the real page.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from ..content import kinds
from ..content.kinds import Content
from ..engine.errors import Problem
from ..site.page import Page
from ..site.urls import item_url
from .markdown import links_in


def broken_links(
    site_pages: list[Page], render: Callable[[Page], bytes], content: Content
) -> list[Problem]:
    """Every internal link or `#anchor` in the Markdown of `content` that points nowhere,
    with its line: to none of `site_pages`, or to a heading the page `render` makes lacks."""
    pages = {page.url: page for page in site_pages}
    known = set(pages) | content.static
    ids: dict[str, frozenset[str]] = {}

    def anchors(url: str) -> frozenset[str]:
        if url not in ids:
            html = render(pages[url]).decode("utf-8")
            soup = BeautifulSoup(html, "html.parser")
            ids[url] = frozenset(str(tag["id"]) for tag in soup.find_all(id=True))
        return ids[url]

    problems = []
    for path, page_url, body, body_line in _bodies(content):
        for href, offset in links_in(body):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = page_url if not parts.path else (_resolve(page_url, unquote(parts.path)))
            line = body_line + offset
            if target not in known:
                problems.append(Problem(path, line, _missing(href, target, known)))
            elif (
                parts.fragment
                and target in pages
                and pages[target].template
                and parts.fragment not in anchors(target)
            ):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"the link '{href}' points to "
                        f"'#{parts.fragment}', which is not a heading or "
                        f"section of {target}; check the part after '#'",
                    )
                )
    return problems


def _bodies(content: Content) -> Iterator[tuple[str, str, str, int]]:
    """(file, page URL, Markdown, first line) of every item with prose."""
    for kind in kinds.KINDS:
        for item in content.of(kind.name):
            yield item.path, item_url(kind, item), item.body, item.body_line


def _resolve(page_url: str, path: str) -> str:
    if not path.startswith("/"):
        path = posixpath.join(page_url, path)
    resolved = posixpath.normpath(path)
    return resolved + "/" if path.endswith("/") and resolved != "/" else resolved


def _missing(href: str, target: str, known: set[str]) -> str:
    if target + "/" in known:
        return f"the link '{href}' needs a '/' at the end: '{href.split('#')[0]}/'"
    close = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.7)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    return f"the link '{href}' leads to no page on this site{hint}"
