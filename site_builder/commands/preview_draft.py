"""The pages of the newest content, made again on every save from what the preview keeps
loaded: only the saved files are read again, git's history is read again only when git
moved (a commit, a checkout, a branch switch) or a file whose history the site reads
(a plan, an update, a translation or its source) came or went, and a
page is made and rendered when a browser asks for it — an item's page alone, without the
lists, which wait until they are asked for.

Every page of one `Draft` comes from one `SiteData`, and every rule across files (names
taken twice, an update of an unknown plan, pages at one address) runs on every save, so a
save that brings a mistake shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..content import kinds
from ..content.config import load_config
from ..content.kinds import Kind
from ..content.load import KeptContent, load_content
from ..content.theme import assets
from ..engine.cache import CACHE_FOLDER, Memo, cache_folder, code_files, salt_of
from ..engine.errors import ContentError
from ..history.change_notes import ChangeNote
from ..history.reading import HistoryReading, SiteHistory
from ..render.templates import page_renderer
from ..site.change_summary import change_notes
from ..site.content_pages import check_urls, item_page_alone
from ..site.interface import ENGLISH
from ..site.listing import current_pages
from ..site.page import Lazy, Page, SiteData
from ..site.promise_pages import plan_told
from ..site.promises import PlanTimeline
from ..site.timelines import promise_timelines
from ..site.translation_state import history_paths, problems_of
from ..site.urls import item_url, output_file
from .build import interface_of, other_interfaces, site_data


class Drafting:
    """What the preview keeps loaded from one save to the next."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.kept = KeptContent()
        self.salt = salt_of(code_files(), "")  # of the code running, which a save leaves as is
        self.git_moved = True  # the history must be read (again)
        self._paths: tuple[list[str], list[str]] = ([], [])  # what the history was read for
        self._read: tuple[SiteHistory, Mapping[str, ChangeNote], Mapping[str, PlanTimeline]]
        self._told_in = ENGLISH  # the interface the notes of `_read` are written in

    def draft(self) -> Draft:
        """The newest content's pages; a `ContentError` with every mistake it has."""
        source = self.source
        config = load_config(source, "/")
        memo = Memo(source / CACHE_FOLDER, self.salt, writable=False)
        reading = HistoryReading(source, memo) if self.git_moved else None  # while loading
        content = load_content(source, memo, config.theme, self.kept, config.languages)
        paths = history_paths(content)
        if reading is None and paths != self._paths:
            reading = HistoryReading(source, memo)
        interface = interface_of(source, config)
        if reading is not None:
            history = reading.finish(*paths)
            self._read = (
                history,
                change_notes(content, history.revisions, memo, interface),
                promise_timelines(content, history.revisions, memo),
            )
            self._paths, self.git_moved, self._told_in = paths, False, interface
        elif interface != self._told_in:  # a catalog or the language changed: notes anew
            history, _, timelines = self._read
            self._read = (
                history,
                change_notes(content, history.revisions, memo, interface),
                timelines,
            )
            self._told_in = interface
        site = site_data(config, content, *self._read, interface, other_interfaces(source, config))
        if mistakes := problems_of(site.translation_states):
            raise ContentError(mistakes)
        plans = {plan.slug: plan for plan in content.plans}
        told = site  # the promises told from the rest of the site, each when first asked for
        site = replace(site, promises=Lazy(plans, lambda slug: plan_told(told, plans[slug])))
        return Draft(source, site)


class Draft:
    """The current pages of one state of the content, each made and rendered the first
    time it is asked for, and the theme's assets and static files as they are on disk."""

    def __init__(self, source: Path, site: SiteData) -> None:
        self.site = site
        self.theme = site.config.theme
        located = [
            (item_url(kind, item), kind, item)
            for kind in kinds.KINDS
            for item in site.content.of(kind.name)
        ]
        check_urls([Page(url) for url, _, _ in located], site.content)
        self.items: dict[str, tuple[Kind, Any]] = {
            output_file(url): (kind, item) for url, kind, item in located
        }
        self.files = {f"assets/{name}": path for name, path in assets(source, self.theme).items()}
        self.files |= {
            path.lstrip("/"): source / "static" / path.lstrip("/") for path in site.content.static
        }
        self._render = page_renderer(source, site, cache_folder(source, "templates"))
        self._pages: dict[str, Page] | None = None  # every current page, once one is not an item's
        self._rendered: dict[str, bytes] = {}

    def holds(self, relative: str) -> bool:
        if relative in self.items or relative in self.files:
            return True
        return relative.endswith(".html") and relative in self.pages()

    def get(self, relative: str) -> bytes | None:
        """The bytes of a site file, or None when it is not a current page or file."""
        if relative not in self._rendered:
            page = self.page(relative)
            if page is not None:
                self._rendered[relative] = self._render(page)
            elif relative in self.files and self.files[relative].is_file():
                return self.files[relative].read_bytes()
            else:
                return None
        return self._rendered[relative]

    def page(self, relative: str) -> Page | None:
        """The current page written to `relative`: an item's made alone until the lists are
        asked for, and then as they make it."""
        if self._pages is None and relative in self.items:
            return item_page_alone(self.site, *self.items[relative])
        if not relative.endswith(".html"):
            return None
        return self.pages().get(relative)

    def pages(self) -> dict[str, Page]:
        if self._pages is None:
            self._pages = {output_file(page.url): page for page in current_pages(self.site)}
        return self._pages
