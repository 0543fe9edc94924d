"""What a search result says of its page besides its title and excerpt: the page's type,
city and date, which residents also narrow results by.

Pure, and the same for every kind: the type is the kind's name in the table of kinds, the
city the item's own (or its plan's, for what belongs to a plan), the date the item's own
(an update's, a convening's first day) or else the day its file last changed (a plan's
last revision, a profile's last edit: shown as "Updated"). The base template writes these
as Pagefind's metadata and filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..content.kinds import Kind
from ..content.models import city_name
from .interface import ENGLISH, Interface

#: The fields of a record that say when it happened, in the order they are looked for.
_DATE_FIELDS = ("date", "start")


@dataclass(frozen=True)
class SearchFacts:
    """A searchable page's type, city and date, as its search result shows them."""

    type: str  # 'Plan', 'Outcome update': the kind as residents read it
    city: str | None  # 'Halverton, OH'; None for a page of no city (About)
    date: dt.date | None  # None when neither the item nor git gives one
    date_name: str = "date"  # "updated" when the date is the file's last change
    weight: float = 1.0  # how much its words count against other pages' (`Kind.search_weight`)


def search_facts(
    kind: Kind,
    item: Any,
    changed: dt.date | None,
    plan_cities: Mapping[str, str],
    interface: Interface = ENGLISH,
) -> SearchFacts:
    """The facts of `item`'s page: `changed` is when its file last changed, and
    `plan_cities` each plan's city by its slug (an update is in its plan's city); its
    type in `interface`'s words."""
    if hasattr(item, "city"):
        city: str | None = city_name(item)
    else:
        city = plan_cities.get(item.plan) if kind.in_plan else None
    dates = [getattr(item, name) for name in _DATE_FIELDS if hasattr(item, name)]
    own = next((d for d in dates if isinstance(d, dt.date)), None)
    return SearchFacts(
        interface.gettext(kind.shown_as),
        city,
        own or changed,
        "date" if own else "updated",
        kind.search_weight,
    )
