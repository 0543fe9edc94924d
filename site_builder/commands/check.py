"""`check(source)`: validate the content and check the links written in it, writing nothing.

The first steps of a build (load, history, plan), then every page with a link to check
rendered in memory, never staged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content.kinds import Content
from ..engine.cache import Keys, cache_folder
from ..engine.errors import ContentError
from ..history.reading import SiteHistory
from ..render.links import broken_links
from ..render.templates import page_renderer
from ..site.listing import site_pages
from ..site.page import Page, SiteData
from .build import load, plan_site


def check(source: Path) -> Content:
    """The content of the site in `source`, once it is valid and every internal link
    written in it leads to a page (and a heading) that exists; else a `ContentError`
    with every problem. Not even the cache is written."""
    planned = prepare(source, write_cache=False)
    problems = broken_links(planned.pages, planned.render, planned.site.content)
    if problems:
        raise ContentError(problems)
    return planned.site.content


@dataclass(frozen=True)
class Planned:
    """A site read and every page listed, before anything is rendered or written."""

    site: SiteData
    history: SiteHistory
    keys: Keys
    pages: list[Page]
    render: Callable[[Page], bytes]  # a page's bytes


def prepare(source: Path, write_cache: bool = True) -> Planned:
    """Load, validate and read history; list every page. Writes nothing but the cache of
    what it read (unless `write_cache` is False)."""
    config, content, memo, reading = load(source, write_cache=write_cache)
    history = reading.finish([item.path for item in (*content.plans, *content.of("update"))])
    site, keys = plan_site(source, config, content, history, memo)
    compiled = cache_folder(source, "templates") if write_cache else None
    return Planned(
        site, history, keys, site_pages(site, history, keys), page_renderer(source, site, compiled)
    )
