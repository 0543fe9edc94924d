"""Links between kinds that name each other without saying so: a convening's speakers who
are fellows, a plan's city and the fellows who live there; and a convening's agenda by day.

Pure: records in, what the templates show out. Names are matched as people write them
(case and spacing aside), since no field links a speaker to a fellow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content import kinds
from ..content.models import Convening, Fellow, Plan, Session
from .urls import item_url


@dataclass(frozen=True)
class Speaker:
    """A speaker as the agenda names them: the name, linked when a fellow has it, and the
    rest of what the agenda says ("Port Delmar youth workgroup")."""

    name: str
    url: str | None
    rest: str


@dataclass(frozen=True)
class AgendaSession:
    time: str | None
    title: str
    speakers: tuple[Speaker, ...]


def name_key(name: str) -> str:
    """A name as it is matched: 'amara  Boudreaux' and 'Amara Boudreaux' are one person."""
    return " ".join(name.split()).casefold()


def fellow_urls(fellows: Sequence[Fellow]) -> dict[str, str]:
    """Each fellow's profile by `name_key`; a name two fellows share links to neither, since
    the agenda cannot say which of them speaks."""
    kind = kinds.named("fellow")
    found: dict[str, str] = {}
    shared = set()
    for fellow in fellows:
        key = name_key(fellow.name)
        if key in found:
            shared.add(key)
        found[key] = item_url(kind, fellow)
    return {key: url for key, url in found.items() if key not in shared}


def speaker(text: str, profiles: Mapping[str, str]) -> Speaker:
    """'Amara Boudreaux, Port Delmar youth workgroup' → the name (the part before the first
    comma) linked to her profile, if a fellow has that name."""
    name, comma, rest = text.partition(",")
    return Speaker(name.strip(), profiles.get(name_key(name)), rest.strip() if comma else "")


def agenda_days(
    convening: Convening, profiles: Mapping[str, str]
) -> list[tuple[dt.date | None, list[AgendaSession]]]:
    """The agenda by day, days and sessions in the order the file gives them; sessions
    without a day are grouped under None."""
    days: dict[dt.date | None, list[AgendaSession]] = {}
    for session in convening.agenda:
        days.setdefault(session.date, []).append(agenda_session(session, profiles))
    return list(days.items())


def agenda_session(session: Session, profiles: Mapping[str, str]) -> AgendaSession:
    return AgendaSession(
        session.time, session.title, tuple(speaker(s, profiles) for s in session.speakers)
    )


FellowLink = tuple[str, str, int]  # name, profile URL, cohort


def fellows_by_city(fellows: Sequence[Fellow]) -> dict[str, list[tuple[Fellow, FellowLink]]]:
    """The fellows of each city (by `name_key`), newest cohort first: made once, so that
    finding a plan's fellows costs its city's fellows, not every fellow."""
    kind = kinds.named("fellow")
    cities: dict[str, list[tuple[Fellow, FellowLink]]] = {}
    for fellow in sorted(fellows, key=lambda f: (-f.cohort, f.name)):
        link = (fellow.name, item_url(kind, fellow), fellow.cohort)
        cities.setdefault(name_key(fellow.city), []).append((fellow, link))
    return cities


def city_fellows(
    plan: Plan, cities: Mapping[str, list[tuple[Fellow, FellowLink]]]
) -> list[FellowLink]:
    """The fellows of the plan's city: the same city, and the same state where both name
    one (two Springfields are two cities)."""
    return [
        link
        for fellow, link in cities.get(name_key(plan.city), [])
        if not (plan.state and fellow.state) or name_key(plan.state) == name_key(fellow.state)
    ]
