"""A page per convening of every plan as it stood on the convening's first day
(`/convenings/<c>/plans/`), and what changed in each since the convening before: the
revisions committed in between, and the commitments newly kept or dropped.

The next convening not yet begun shows the plans as of today, and says so. One after it
says when it begins and leads to the next one's page: it would show the same plans on
the same day, with nothing changed since the convening before (and be made again at each
edit of any plan). Pure: the site's plans, revisions and timelines in (`as_of` says where
one plan stood on one day), pages out; no revision is read here.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.models import Convening, Plan
from ..history.reading import Revision
from .as_of import STATES, PlanThen, commitment_states, plan_then, revision_dates, revision_on
from .page import Page, SiteData
from .promises import PlanTimeline
from .urls import changes_url, compare_url, convening_plans_url, history_url


@dataclass(frozen=True)
class Since:
    """What changed in a plan from the previous convening's day to this one's."""

    revisions: int  # committed after the previous day, up to and including this one
    url: str | None  # where to see them: the one revision's changes, a comparison, the history
    link: str  # which of those `url` is: "changes", "compare" or "history"
    kept: int  # commitments kept by this day that were not by the previous one
    dropped: int  # commitments dropped by this day that were not by the previous one


@dataclass(frozen=True)
class Row:
    """One plan on a convening's page."""

    then: PlanThen
    since: Since | None  # None on the first convening's page


def as_of_day(convening: Convening, today: dt.date) -> dt.date:
    """The day a convening's page shows the plans on: its first day, or today before then."""
    return min(convening.start, today)


#: A convening's link to every plan as it stood: the page's URL, its day, and whether that
#: day is today, the convening not having begun.
Stood = tuple[str, dt.date, bool]


def plans_stood(site: SiteData) -> dict[str, Stood]:
    """Each convening's link to its page of every plan as it stood, by its slug."""
    stood = {}
    for convening in site.content.convenings:
        day = as_of_day(convening, site.today)
        stood[convening.slug] = (convening_plans_url(convening.slug), day, day < convening.start)
    return stood


def convening_plans_pages(site: SiteData) -> list[Page]:
    """Every convening's page of the plans as of its first day, oldest convening first;
    those after the next convening not yet begun lead to its page (`waiting_page`)."""
    convenings = site.content.convenings
    shown = next((n + 1 for n, c in enumerate(convenings) if c.start > site.today), len(convenings))
    days = [as_of_day(c, site.today) for c in convenings[:shown]]
    rows: list[list[Row]] = [[] for _ in days]
    for plan in site.content.plans:
        for index, row in enumerate(plan_rows(site, plan, days)):
            rows[index].append(row)
    pages = []
    previous: tuple[Convening, dt.date] | None = None
    for convening, day, held in zip(convenings[:shown], days, rows, strict=True):
        pages.append(convening_plans_page(site, convening, day, held, previous))
        previous = (convening, day)
    pages += [waiting_page(site, later, convenings[shown - 1]) for later in convenings[shown:]]
    return pages


def plan_rows(site: SiteData, plan: Plan, days: Sequence[dt.date]) -> list[Row]:
    """`plan` on each of `days` (oldest first), each with what changed since the day before.

    A day on which the plan had the same revision in effect and the same updates as on
    the day before finds it standing as it did then (many convenings come before a plan's
    first revision, or after its last)."""
    revisions = site.revisions.get(plan.path, ())
    dates = revision_dates(revisions)
    timeline = site.timelines.get(plan.path, PlanTimeline())
    updates = site.content.updates.get(plan.slug, [])
    update_dates = [update.date for update in updates]  # by date, as `Content` keeps them
    told = site.promises.get(plan.slug)
    goal_pages = frozenset(story.id for story in told.goals) if told else frozenset()
    rows: list[Row] = []
    seen: tuple[int, int] | None = None
    before: tuple[int, Mapping[str, str]] = (0, {})
    for day, between in zip(days, revisions_between(dates, days), strict=True):
        number = revision_on(dates, day)
        if seen != (number, bisect.bisect_right(update_dates, day)):
            seen = number, bisect.bisect_right(update_dates, day)
            states = commitment_states(timeline, number)
            then = plan_then(plan, revisions, number, timeline, updates, day, states, goal_pages)
        since = since_then(plan, revisions, between, before, (number, states)) if rows else None
        rows.append(Row(then, since))
        before = (number, states)
    return rows


def revisions_between(dates: Sequence[dt.date], days: Sequence[dt.date]) -> list[list[int]]:
    """For each of `days` (in order), the numbers of the revisions committed after the day
    before it and on or before it (none for the first day), from the revisions' dates."""
    between: list[list[int]] = [[] for _ in days]
    for number, date in enumerate(dates, start=1):
        index = bisect.bisect_left(days, date)  # the first day on or after the revision
        if 0 < index < len(days):
            between[index].append(number)
    return between


def since_then(
    plan: Plan,
    revisions: Sequence[Revision],
    between: Sequence[int],
    before: tuple[int, Mapping[str, str]],
    now: tuple[int, Mapping[str, str]],
) -> Since:
    """What changed in `plan` from one day to the next: the revisions committed `between`
    them, and its commitments newly kept or dropped, from the revision in effect on each
    day and its commitments' states then."""
    (old, was), (new, is_now) = before, now
    url: str | None = None
    link = ""
    if len(between) == 1:
        url, link = changes_url(plan.slug, revisions[between[0] - 1].commit), "changes"
    elif between and old and new == len(revisions) and old != new:
        # the compare page of a revision shows everything from it to the latest one
        url, link = compare_url(plan.slug, revisions[old - 1].commit), "compare"
    elif between:
        url, link = history_url(plan.slug), "history"
    kept = dropped = 0
    if old != new:
        for name, state in is_now.items():
            kept += state == "kept" and was.get(name) != "kept"
            dropped += state == "dropped" and was.get(name) != "dropped"
    return Since(len(between), url, link, kept, dropped)


def convening_plans_page(
    site: SiteData,
    convening: Convening,
    day: dt.date,
    rows: Sequence[Row],
    previous: tuple[Convening, dt.date] | None,
) -> Page:
    """One convening's page of every plan as of `day`."""
    totals = dict.fromkeys(STATES, 0)
    for row in rows:
        for state, count in (row.then.commitments or {}).items():
            totals[state] += count
    published = sum(row.then.published for row in rows)
    _, said = site.interface.gettext, {"day": site.interface.formats.long_date(day)}
    said["title"] = convening.title
    return Page(
        convening_plans_url(convening.slug),
        _("Every plan on %(day)s: %(title)s", **said),
        "convening_plans.html",
        {
            "convening": convening,
            "upcoming": None,  # this page shows the plans (see `waiting_page`)
            "day": day,
            "before_start": day < convening.start,
            "previous": previous,
            "previous_url": convening_plans_url(previous[0].slug) if previous else None,
            "rows": tuple(rows),
            "published": published,
            "totals": totals,
            "state": site.history_state,
        },
        description=_(
            "Every plan in the network as it stood on %(day)s (before %(title)s), "
            "and what changed since the convening before.",
            **said,
        )
        if day < convening.start
        else _(
            "Every plan in the network as it stood on %(day)s (the first day of %(title)s), "
            "and what changed since the convening before.",
            **said,
        ),
    )


def waiting_page(site: SiteData, convening: Convening, upcoming: Convening) -> Page:
    """The page of a convening that another not yet begun comes before: when it begins,
    and the `upcoming` one's page, which shows every plan as it stands today. It says
    nothing of today, so an edit or a new day leaves it as it was."""
    _, said = site.interface.gettext, {"day": site.interface.formats.long_date(convening.start)}
    said["title"] = convening.title
    return Page(
        convening_plans_url(convening.slug),
        _("Every plan on %(day)s: %(title)s", **said),
        "convening_plans.html",
        {"convening": convening, "upcoming": upcoming},
        description=_(
            "From %(day)s, the first day of %(title)s, every plan in the network as it "
            "stood then; until then, the page of the next convening shows them as they "
            "stand today.",
            **said,
        ),
    )
