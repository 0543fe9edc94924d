"""Who held office when: the terms of `site.yaml`'s `administrations` that concern a plan,
who held each office on a day, and how many changes of office holder a plan has outlived.

A plan meant to outlive any one mayor is read against the people in office as it
changed: each revision names them, and the plan page counts the handovers since it began.
Pure: terms, a city and days in; terms and counts out.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..content.config import Administration, folded
from .formats import ENGLISH, Formats

#: The terms of one plan's offices, in the order `site.yaml` lists them.
Terms = tuple[Administration, ...]


@dataclass(frozen=True)
class OfficeFacts:
    """What the plan page says of the people in office: who held office when the plan
    was adopted and when it was last revised, and the changes of holder it has outlived
    (None on an archived revision, which is not the plan still in force)."""

    adopted: Terms
    revised: Terms
    revised_on: dt.date | None
    outlived: int | None

    def __bool__(self) -> bool:
        return bool(self.adopted or self.revised or self.outlived)


def terms_for(administrations: Iterable[Administration], city: str) -> Terms:
    """The terms that concern a plan of `city`: its own, and those of no city."""
    return tuple(term for term in administrations if term.concerns(city))


def holders_by_day(terms: Terms) -> Callable[[dt.date], Terms]:
    """`holders_on` for one plan's terms, each day worked out once: a long history has
    many revisions a day, and is listed at every build."""
    return functools.cache(functools.partial(holders_on, terms))


def holders_on(terms: Terms, day: dt.date) -> Terms:
    """Who held each office on `day`, an office each, in the order offices first appear.
    On a handover day (one term ends as the next starts) the new holder is in office."""
    holding: dict[str, Administration] = {}
    for term in terms:
        if term.held_on(day):
            office = _office(term)
            if office not in holding or term.start > holding[office].start:
                holding[office] = term
    order = list(dict.fromkeys(_office(term) for term in terms))
    return tuple(holding[office] for office in order if office in holding)


def changes_of_holder(terms: Terms, since: dt.date, until: dt.date) -> int:
    """How many times a new holder took an office after `since`, up to `until`: a term
    that follows another of its office held by someone else. The first term listed of an
    office is no change (who held it before is not known), nor a second term in a row."""
    offices: dict[str, list[Administration]] = {}
    for term in terms:
        offices.setdefault(_office(term), []).append(term)
    changes = 0
    for held in offices.values():
        held.sort(key=lambda term: term.start)
        for before, term in itertools.pairwise(held):
            if folded(term.name) != folded(before.name) and since < term.start <= until:
                changes += 1
    return changes


def office_facts(
    terms: Terms,
    adopted: dt.date | None,
    revised_on: dt.date | None,
    began: dt.date | None,
    today: dt.date | None,
) -> OfficeFacts:
    """The office holders at the plan's adoption and last revision, and the changes of
    holder between the day it `began` (its first revision, or its adoption when earlier)
    and `today` (None on an archived revision: nothing outlived is counted)."""
    outlived = None
    if began is not None and today is not None:
        outlived = changes_of_holder(terms, began, today)
    return OfficeFacts(
        holders_on(terms, adopted) if adopted else (),
        holders_on(terms, revised_on) if revised_on else (),
        revised_on,
        outlived,
    )


def holders_text(holders: Terms, formats: Formats = ENGLISH) -> str:
    """'Mayor Ana Ortiz and County Executive Bo Li': who held office, in words."""
    return formats.listed([f"{term.office} {term.name}" for term in holders])


def holders_data(holders: Terms) -> list[dict[str, str]]:
    """Who held office, as open data: `[{office, name}]`."""
    return [{"office": term.office, "name": term.name} for term in holders]


def _office(term: Administration) -> str:
    return folded(term.office)
