"""The one table of content kinds, and `Content`: every item loaded, by kind.

A row says what differs between kinds: where its files are, the record they load into,
the URL and template of an item's page, whether it is searched, and how
`site-builder new` starts one. Discovery, loading, scaffolding, the command line, link
checking, search and the page list all iterate `KINDS`, reading it when they run (so a
test may swap the table). Adding a kind is its record, one row here and its template.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from .frontmatter import Document
from .models import Convening, Fellow, FreePage, OutcomeUpdate, Plan
from .starter import EDIT_ME
from .translations import Translation

T = TypeVar("T")

#: The endings of content files; `.*` in a file pattern stands for any of them.
CONTENT_SUFFIXES = (".md", ".yaml", ".yml")


@dataclass(frozen=True)
class Kind:
    """One kind of content: a row of `KINDS`."""

    #: The word of `site-builder new <name>`, and the key of its items in `Content`.
    name: str
    #: The record its files load into (a dataclass of `models.py`, with a `title`, a
    #: `description`, and the derived `slug`, `path`, `body` and `body_line`).
    record: type
    #: Where its files are under content/, the newest layout first: `{slug}` is the item's
    #: name and `{plan}` the plan it belongs to; a name ending in `.*` may be any of
    #: `CONTENT_SUFFIXES`.
    files: tuple[str, ...]
    #: The URL of an item's page, filled from the record's fields.
    url: str
    template: str
    #: The name its template knows the item by.
    variable: str
    #: Whether its pages are in the search index.
    searchable: bool = True
    #: What residents call one, in search results and their filters; "" for the name,
    #: capitalized.
    label: str = ""
    #: How much its words count in search against other kinds' (Pagefind's weight, 1 as
    #: usual): a plan is long, and would otherwise rank below a short page that names it.
    search_weight: float = 1.0
    #: The sort key of its items; None keeps them in the order of their files.
    order: Callable[[Any], Any] | None = None
    #: The prose of a new item's file; None: `site-builder new` cannot start one.
    starter: str | None = None

    @property
    def in_plan(self) -> bool:
        """Whether an item belongs to a plan (its files are in the plan's folder)."""
        return "{plan}" in self.files[0]

    @property
    def shown_as(self) -> str:
        """The kind as residents read it: 'Plan', 'Outcome update'."""
        return self.label or self.name.capitalize()

    @property
    def indefinite(self) -> str:
        """The kind's name with its article, for messages: 'a plan', 'an update'."""
        return f"{'an' if self.name[0] in 'aeiou' else 'a'} {self.name}"


KINDS: tuple[Kind, ...] = (
    Kind(
        "plan",
        Plan,
        ("plans/{slug}/plan.md", "plans/{slug}.md"),
        "/plans/{slug}/",
        "plan.html",
        "plan",
        order=attrgetter("slug"),
        search_weight=3.0,
        starter=f"## Why this plan\n\n{EDIT_ME} What is happening in the city, who is hurt, "
        "and why the city and its partners are writing this plan now.\n\n"
        f"## What we will do\n\n{EDIT_ME} The strategies, who leads each one, and "
        "how residents can take part.\n\n## How we will know it works\n\n"
        f"{EDIT_ME} What is measured, and when the plan is reviewed in public.\n",
    ),
    Kind(
        "update",
        OutcomeUpdate,
        ("plans/{plan}/updates/{slug}.*",),
        "/plans/{plan}/updates/{slug}/",
        "update.html",
        "update",
        order=attrgetter("plan", "date", "slug"),
        label="Outcome update",
        starter=f"{EDIT_ME} What happened in this period: what worked, what did not, and "
        "what changes next.\n",
    ),
    Kind(
        "fellow",
        Fellow,
        ("fellows/{slug}.*",),
        "/fellows/{slug}/",
        "fellow.html",
        "fellow",
        starter=f"{EDIT_ME} A short bio: where they are from, what they work on and what "
        "they want to change.\n",
    ),
    Kind(
        "convening",
        Convening,
        ("convenings/{slug}.*",),
        "/convenings/{slug}/",
        "convening.html",
        "convening",
        order=attrgetter("start", "slug"),
        starter=f"{EDIT_ME} What the convening is for, who should come and what to expect.\n",
    ),
    Kind("page", FreePage, ("pages/{slug}.*",), "/{slug}/", "page.html", "content_page"),
)


def of_the_table(make: Callable[[tuple[Kind, ...]], T]) -> Callable[[], T]:
    """`make(KINDS)`, made again only when the table has been swapped: what is derived
    from the table costs nothing more per page than a lookup."""
    made: list[tuple[tuple[Kind, ...], T]] = []

    def derived() -> T:
        if not made or made[0][0] is not KINDS:
            made[:] = [(KINDS, make(KINDS))]
        return made[0][1]

    return derived


_by_name = of_the_table(lambda table: {kind.name: kind for kind in table})


def named(name: str) -> Kind:
    """The kind called `name` in `KINDS` as it is now."""
    return _by_name()[name]


@dataclass(frozen=True)
class Content:
    """Everything under `content/`, validated: the items of each kind, in the kind's order,
    and their translations."""

    items: Mapping[str, list[Any]] = field(default_factory=dict)  # by kind name
    documents: Mapping[str, Document] = field(default_factory=dict)  # by path
    static: frozenset[str] = frozenset()  # site paths of the files static/ publishes
    #: Each item's translations: by its file's path, then by language.
    translations: Mapping[str, Mapping[str, Translation]] = field(default_factory=dict)
    #: A digest of what it was read from (every file's stamp, the static files' names): the
    #: same for the same files in any process; empty when not read from files.
    made_of: str = ""

    def of(self, kind: str) -> list[Any]:
        return self.items.get(kind, [])

    @property
    def plans(self) -> list[Plan]:
        return self.of("plan")

    @functools.cached_property
    def updates(self) -> dict[str, list[OutcomeUpdate]]:
        """Each plan's updates, by its slug, by date."""
        by_plan: dict[str, list[OutcomeUpdate]] = {}
        for update in self.of("update"):
            by_plan.setdefault(update.plan, []).append(update)
        return by_plan

    @property
    def fellows(self) -> list[Fellow]:
        return self.of("fellow")

    @property
    def convenings(self) -> list[Convening]:
        return self.of("convening")

    @property
    def pages(self) -> list[FreePage]:
        return self.of("page")
