"""A page of the site as data: its URL, template and context, or ready-made bytes, and
what every page may draw on (`SiteData`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import pickle
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..content.config import SiteConfig
from ..content.kinds import Content
from ..content.models import Plan
from ..engine.cache import Keys
from ..history.change_notes import ChangeNote
from ..history.reading import Revision
from .interface import ENGLISH, Interface
from .language_revisions import LanguageHistories
from .revision_loading import ReadRevisions
from .search_facts import SearchFacts
from .translation_state import TranslationStates
from .update_history import UpdateHistory, update_histories

T = TypeVar("T")

if TYPE_CHECKING:  # promises read revisions as pages do, so they import from here
    from .promise_story import PlanPromises
    from .promises import PlanTimeline


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
    search: SearchFacts | None = None  # what its search result shows; None: not indexed
    cache_key: str = ""  # set on pages of past revisions, which never change once rendered
    make: Callable[[], Page] | None = None  # makes the whole page, when it must be rendered
    interface: Interface | None = None  # told in another language than the site's first

    @property
    def searchable(self) -> bool:
        """Whether Pagefind indexes the page: never an archived revision or a list."""
        return self.search is not None


@dataclass(frozen=True)
class PageGroup:
    """Pages kept or made again as one: every file under `folder` of the site (a plan's
    archived revisions), all made of what `key` names. A build whose previous site holds
    the group made of the same key keeps its files without listing its pages (`pages`);
    else it stages them, then `beside` (pages made of the same revisions, which one process
    then reads once). No other page is under `folder`."""

    folder: str
    key: str
    pages: Callable[[], list[Page]]
    beside: tuple[Page, ...] = ()


class FooterLink(NamedTuple):
    """A page the footer links: its words and its path, for `source_lang` to mark a title
    left untranslated (the page's text is not kept: the chrome is in every key's salt)."""

    slug: str
    title: str
    path: str


@dataclass(frozen=True)
class SiteData:
    """Everything a page may draw on."""

    config: SiteConfig
    content: Content
    today: dt.date
    last_modified: Mapping[str, dt.datetime]
    history_state: str = "absent"
    revisions: Mapping[str, tuple[Revision, ...]] = field(default_factory=dict)  # by file path
    notes: Mapping[str, ChangeNote] = field(default_factory=dict)  # see `change_summary`
    timelines: Mapping[str, PlanTimeline] = field(default_factory=dict)  # by plan path
    promises: Mapping[str, PlanPromises] = field(default_factory=dict)  # by plan slug
    #: How fresh each translation is, by its source's path, then language.
    translation_states: TranslationStates = field(default_factory=dict)
    interface: Interface = ENGLISH  # the strings and formats pages are told in
    #: The interfaces of the site's other languages, by language (see `language_pages`).
    interfaces: Mapping[str, Interface] = field(default_factory=dict)
    #: Each translated plan's history in each language, by its path (`language_history`).
    language_histories: LanguageHistories = field(default_factory=dict)
    #: The revisions this build has read as plans already (`revision_loading`).
    read_revisions: ReadRevisions = field(default_factory=dict)

    @functools.cached_property
    def updates_digests(self) -> dict[str, str]:
        """`updates_digest` of each plan asked for, by its slug."""
        return {}

    @functools.cached_property
    def chrome(self) -> dict[str, Any]:
        """What the header and footer of every page show besides the site's settings: a
        few words, never a list that grows with the site."""
        pages = self.content.pages
        return {
            "footer_pages": [FooterLink(p.slug, p.title, p.path) for p in pages if p.footer],
            "has_about": any(p.slug == "about" for p in pages),
        }

    @functools.cached_property
    def update_histories(self) -> Mapping[str, UpdateHistory]:
        """The corrections and restated figures of each corrected update, by its path: read
        once, for its page, its plan's page and the plan's metrics.csv."""
        return update_histories(self.content.of("update"), self.revisions, self.interface)


def data_file(url: str, keys: Keys, write: Callable[..., bytes], *value: Any) -> Page:
    """A file of data (JSON, CSV, XML) written by `write(*value)` only when it must be:
    keyed by the value itself, which is far cheaper to compare than to serialize."""
    key = keys.of("data", url, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return Page(
        url,
        in_sitemap=False,
        cache_key=key,
        make=lambda: Page(url, data=write(*value), in_sitemap=False),
    )


def updates_digest(site: SiteData, plan: Plan) -> str:
    """What pages made from a plan's history take from its updates (their values and
    statuses), for their keys; worked out once per plan, whose history pages, promise
    pages and feeds each ask."""
    made = site.updates_digests
    if plan.slug not in made:
        digest = hashlib.sha256()
        for update in site.content.updates.get(plan.slug, []):
            digest.update(repr(update).encode())
        made[plan.slug] = digest.hexdigest()
    return made[plan.slug]


def revisions_digest(revisions: tuple[Revision, ...]) -> str:
    """What the pages listing a plan's revisions show of them (the history page and
    history.json), for their keys: a commit names its date, message and kind, its author
    is named as the mailmap says, and the blobs name the notes written from a diff and the
    revisions that only moved the review date."""
    digest = hashlib.sha256()
    for r in revisions:
        digest.update(f"{r.commit}:{r.path}:{r.blob}:{r.author}\0".encode())
    return digest.hexdigest()


def lastmod(site: SiteData, *paths: str) -> dt.date | None:
    dates = [site.last_modified[p].date() for p in paths if p in site.last_modified]
    return max(dates) if dates else None


class Lazy(Mapping[str, T]):
    """A mapping whose value for each key is made the first time it is asked for: the
    preview makes only what the page asked for draws on."""

    def __init__(self, keys: Collection[str], make: Callable[[str], T]) -> None:
        self._keys = keys
        self._make = make
        self._made: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        if key not in self._made:
            if key not in self._keys:
                raise KeyError(key)
            self._made[key] = self._make(key)
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
