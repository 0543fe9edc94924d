"""Internal links written in content: does each lead to a page (and a heading) that exists?

Used by `site-builder check`. Pages are rendered in memory and their `id`s read with
BeautifulSoup, so a link to `/plans/riverton/#plan-goals` is checked against the real page.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from ..commands.build import Prepared
from ..errors import Problem
from ..site.urls import convening_url, fellow_url, plan_url, update_url
from .markdown import links_in


def broken_links(prepared: Prepared) -> list[Problem]:
    """Every internal link or `#anchor` in Markdown that points nowhere, with its line."""
    pages = {page.url: page for page in prepared.pages}
    known = set(pages) | prepared.site.content.static
    ids: dict[str, frozenset[str]] = {}

    def anchors(url: str) -> frozenset[str]:
        if url not in ids:
            html = prepared.render(pages[url]).decode("utf-8")
            soup = BeautifulSoup(html, "html.parser")
            ids[url] = frozenset(str(tag["id"]) for tag in soup.find_all(id=True))
        return ids[url]

    problems = []
    for path, page_url, body, body_line in _bodies(prepared):
        for href, offset in links_in(body):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = page_url if not parts.path else (
                _resolve(page_url, unquote(parts.path)))
            line = body_line + offset
            if target not in known:
                problems.append(Problem(path, line, _missing(href, target, known)))
            elif parts.fragment and target in pages and pages[target].template and \
                    parts.fragment not in anchors(target):
                problems.append(Problem(path, line, f"the link '{href}' points to "
                                        f"'#{parts.fragment}', which is not a heading or "
                                        f"section of {target}; check the part after '#'"))
    return problems


def _bodies(prepared: Prepared) -> Iterator[tuple[str, str, str, int]]:
    """(file, page URL, Markdown, first line) of every item with prose."""
    content = prepared.site.content
    for plan in content.plans:
        yield plan.path, plan_url(plan.slug), plan.body, plan.body_line
        for update in content.updates.get(plan.slug, []):
            yield update.path, update_url(plan.slug, update.slug), update.body, update.body_line
    for fellow in content.fellows:
        yield fellow.path, fellow_url(fellow.slug), fellow.body, fellow.body_line
    for convening in content.convenings:
        yield (convening.path, convening_url(convening.slug), convening.body,
               convening.body_line)
    for page in content.pages:
        yield page.path, f"/{page.slug}/", page.body, page.body_line


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
