"""Internal links written in content: does each lead to a page (and a heading) that exists?

Used by `check`, by every build and so by the preview. The ids of a page that an `#anchor`
names are read with BeautifulSoup from the page rendered in memory, so a link to
`/plans/riverton/#plan-goals` is checked against the real page.

A warm build checks every link again at the cost of a few lookups: what each text links
to is kept by the text's digest, and the ids of a page by the page's key, so only a text
that changed is parsed and only a page that changed is rendered for its ids. A text whose
page was rendered in this build is not parsed again: its rendering noted its links (see
`noted_links`). The others, when many, are parsed across the cores.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from urllib.parse import unquote, urlsplit

from ..content import kinds
from ..content.kinds import Content
from ..engine.cache import Memo
from ..engine.errors import Problem
from ..engine.parallel import cores, forked
from ..site.page import Page, PageGroup
from ..site.urls import item_url, output_file
from .markdown import links_in
from .noted_links import Links, text_digest, was_rendered

#: Where links are written: (file, page URL, Markdown, the file line it starts on).
Body = tuple[str, str, str, int]

#: Texts to parse below which one process finds their links sooner than forked workers.
PARALLEL_FROM = 500
#: Texts per task of a worker.
CHUNK = 250


def broken_links(
    site_pages: list[Page],
    render: Callable[[Page], bytes],
    bodies: Iterable[Body],
    static: Collection[str],
    *,
    memo: Memo | None = None,
    key: Callable[[Page], str] | None = None,
    unlisted: Collection[str] = (),
    groups: Sequence[PageGroup] = (),
) -> list[Problem]:
    """Every internal link or `#anchor` in `bodies` that points nowhere, with its own line:
    to none of `site_pages` (nor of the `groups`, listed when a link leads into one), the
    `static` files or the `unlisted` URLs (pages of items with mistakes, whose headings
    are not known), or to a heading the page `render` makes lacks. With `memo`, links and
    (by the page's `key`) ids found before are reused."""
    found = _Found(memo, key)
    bodies = list(bodies)
    found.parse([body for _, _, body, _ in bodies])
    linked = [
        (path, page_url, body_line, links)
        for path, page_url, body, body_line in bodies
        if (links := found.links(body))
    ]
    pages = {page.url: page for page in site_pages} if linked else {}
    known = set(pages) | set(static) | set(unlisted)
    problems = []
    for path, page_url, body_line, links in linked:
        for href, offset in links:
            parts = urlsplit(href)
            target = page_url if not parts.path else (_resolve(page_url, unquote(parts.path)))
            line = body_line + offset
            if target not in known and (group := _group_of(target, groups)) is not None:
                for page in group.pages():
                    pages[page.url] = page
                    known.add(page.url)
                groups = [other for other in groups if other is not group]
            if target not in known:
                problems.append(Problem(path, line, _missing(href, target, known)))
            elif (
                parts.fragment
                and target in pages
                and pages[target].template
                and parts.fragment not in found.ids(pages[target], render)
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
    found.save()
    return problems


def _group_of(url: str, groups: Sequence[PageGroup]) -> PageGroup | None:
    """The group whose folder `url` is in, if any."""
    path = output_file(url)
    return next((group for group in groups if path.startswith(group.folder + "/")), None)


class _Found:
    """The internal links of each text and the ids of each page, kept in `memo`."""

    def __init__(self, memo: Memo | None, key: Callable[[Page], str] | None) -> None:
        self.memo = memo if key is not None else None
        self.key = key
        kept = self.memo.load("links") if self.memo else None
        self.kept_links: dict[bytes, Links] = kept[0] if kept else {}
        self.kept_ids: dict[str, frozenset[str]] = kept[1] if kept else {}
        self.parsed_links: dict[bytes, Links] = {}
        self.used_links: dict[bytes, Links] = {}
        self.used_ids: dict[str, frozenset[str]] = {}

    def parse(self, bodies: Sequence[str]) -> None:
        """Find the links of those `bodies` neither kept nor rendered, across the cores
        when there are many: parsing a text for its links takes most of the time its page
        takes to render."""
        unknown = {
            digest: body
            for body in bodies
            if (digest := text_digest(body)) not in self.kept_links and not was_rendered(digest)
        }
        workers = cores()
        if len(unknown) < PARALLEL_FROM or workers < 2:
            return  # each is parsed as it is asked for
        digests, texts = list(unknown), list(unknown.values())

        def parse_slice(start: int, end: int) -> list[tuple[bytes, Links]]:
            return [(digests[index], internal_links(texts[index])) for index in range(start, end)]

        for parsed in forked(parse_slice, len(texts), CHUNK, workers):
            self.parsed_links.update(parsed)

    def links(self, body: str) -> Links:
        """The internal links of `body`: those without a scheme or a host."""
        digest = text_digest(body)
        if digest not in self.used_links:
            links = self.kept_links.get(digest)
            if links is None:
                links = self.parsed_links.get(digest)
            if links is None:
                links = internal_links(body, digest)
            self.used_links[digest] = links
        return self.used_links[digest]

    def ids(self, page: Page, render: Callable[[Page], bytes]) -> frozenset[str]:
        """The ids of the elements of `page`, as `render` makes it."""
        name = self.key(page) if self.key is not None else page.url
        if name not in self.used_ids:
            ids = self.kept_ids.get(name)
            if ids is None:
                # Imported here: it takes a tenth of a second, and a warm build that
                # renders no page for its ids never pays it.
                from bs4 import BeautifulSoup

                soup = BeautifulSoup(render(page).decode("utf-8"), "html.parser")
                ids = frozenset(str(tag["id"]) for tag in soup.find_all(id=True))
            self.used_ids[name] = ids
        return self.used_ids[name]

    def save(self) -> None:
        """Keep what this check used, when it differs from what was kept."""
        if self.memo and (self.used_links, self.used_ids) != (self.kept_links, self.kept_ids):
            self.memo.save("links", (self.used_links, self.used_ids))


def internal_links(body: str, digest: bytes | None = None) -> Links:
    """The links of a Markdown text that lead within the site: no scheme, no host."""
    return tuple(
        (href, line)
        for href, line in links_in(body, digest)
        if not (urlsplit(href).scheme or urlsplit(href).netloc)
    )


def content_bodies(content: Content) -> Iterator[Body]:
    """The prose of every item that may hold a link, and where it is: a link (or the
    definition a reference link needs) has a '[', an autolink a '<'; a warm build of a
    large site pays for the others one scan of their text."""
    for kind in kinds.KINDS:
        for item in content.of(kind.name):
            if "[" in item.body or "<" in item.body:
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
