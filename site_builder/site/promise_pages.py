"""The pages of promises kept and broken: one per commitment and per goal, each plan's
promise tracker, and the network's (`/commitments/`).

A tracker's filters are sections of one static page (overdue, dropped, reworded, kept,
all), reached by the links at its top, so they work without JavaScript. Pure: the site's
plans and their stories (`promise_story`) in, pages out; `commitments.json` and
`goals.json` (`promise_data`) too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..content.config import SiteConfig
from ..content.models import Measure, OutcomeUpdate, Plan
from ..engine.cache import Keys
from .charts import line_chart
from .figures import counts_people, per_100k, series
from .interface import ENGLISH, Interface
from .opendata import to_json
from .page import Page, SiteData, updates_digest
from .promise_data import commitments_data, goals_data
from .promise_matching import promises
from .promise_story import GoalStory, PlanPromises, Promise, Telling, goal_stories
from .promises import PlanTimeline
from .urls import NETWORK_TRACKER_URL, commitment_url, plan_url, tracker_url


@dataclass(frozen=True)
class Filter:
    """One section of a tracker: its anchor, heading and the commitments in it."""

    id: str
    heading: str
    empty: str  # said when no commitment is in it
    promises: tuple[Promise, ...]


def plan_promises(site: SiteData) -> dict[str, PlanPromises]:
    """Every plan's commitments and goals with their stories, by the plan's slug."""
    return {plan.slug: plan_told(site, plan) for plan in site.content.plans}


def plan_told(site: SiteData, plan: Plan) -> PlanPromises:
    """One plan's commitments and goals with their stories (the preview tells only the
    plans of the pages asked for)."""
    timeline = site.timelines.get(plan.path, PlanTimeline())
    telling = Telling(
        plan, site.revisions.get(plan.path, ()), site.notes, site.today, site.interface
    )
    updates = site.content.updates.get(plan.slug, [])
    return PlanPromises(
        tuple(promises(telling, timeline)), tuple(goal_stories(telling, timeline, updates))
    )


def promise_pages(site: SiteData, keys: Keys) -> list[Page]:
    """Each plan's tracker, commitment and goal pages and its commitments.json and
    goals.json, then the network's tracker; each made only when it must be rendered, as
    its plan's key says (`_plan_key`)."""
    pages = []
    everyone: list[Promise] = []
    plan_keys = []
    for plan in site.content.plans:
        told = site.promises.get(plan.slug, PlanPromises())
        everyone += told.commitments
        key = promises_key(site, plan, keys)
        shown = tuple(_as_of_today(p, site.interface) for p in told.commitments)
        overdue = repr(tuple(p.overdue for p in told.commitments))
        plan_keys.append(keys.of(key, repr(shown)))
        # (url, what it shows of "today", how it is made): a tracker gives ages and marks
        # the overdue, an open commitment its days in each status, and its JSON the marks
        made: list[tuple[str, str, Callable[[], Page]]] = [
            (
                tracker_url(plan.slug),
                repr(shown),
                partial(tracker_page, plan, told, site.interface),
            ),
            *(
                (p.url, repr(facts), partial(commitment_page, plan, p, site.interface))
                for p, facts in zip(told.commitments, shown, strict=True)
            ),
            *((g.url, "", partial(goal_page, site, plan, g)) for g in told.goals),
        ]
        for name, data, dated in (
            ("commitments", commitments_data, overdue),
            ("goals", goals_data, ""),
        ):
            url = f"{plan_url(plan.slug)}{name}.json"
            made.append((url, dated, partial(_data_page, url, data, site.config, plan, told)))
        for url, dated, make in made:
            page_key = keys.of(key, url, dated)
            pages.append(_made(url, page_key, make, in_sitemap=not url.endswith(".json")))
    network = partial(tracker_page, None, PlanPromises(tuple(everyone)), site.interface)
    pages.append(_made(NETWORK_TRACKER_URL, keys.of("network", *plan_keys), network))
    return pages


def _as_of_today(promise: Promise, interface: Interface) -> tuple[object, ...]:
    """What a commitment's pages show of "today", as they say it: whether it is overdue,
    its age and the time it spent in each status. Their keys hold these words, not the
    day, so a new day renders again only the pages whose words it changes."""
    spans = tuple(interface.duration(span.days) for span in promise.spans)
    return promise.overdue, interface.duration(promise.age), spans


def promises_key(site: SiteData, plan: Plan, keys: Keys) -> str:
    """What a plan's promise pages are made of: its history (the digest of the revisions
    its timeline was read from), what the plan holds now and its updates; the pages that
    change with "today" add what they show of it (`_as_of_today`)."""
    timeline = site.timelines.get(plan.path)
    now = repr((plan.title, plan.city, plan.state, plan.commitments, plan.goals))
    return keys.of(
        "promises",
        plan.slug,
        timeline.source if timeline else "",
        now,
        updates_digest(site, plan),
    )


def _made(url: str, key: str, make: Callable[[], Page], in_sitemap: bool = True) -> Page:
    return Page(url, in_sitemap=in_sitemap, cache_key=key, make=make)


def _data_page(
    url: str,
    data: Callable[[SiteConfig, Plan, PlanPromises], Any],
    config: SiteConfig,
    plan: Plan,
    told: PlanPromises,
) -> Page:
    return Page(url, data=to_json(data(config, plan, told)), in_sitemap=False)


def tracker_page(plan: Plan | None, told: PlanPromises, interface: Interface = ENGLISH) -> Page:
    """A plan's tracker, or the network's (no `plan`)."""
    _ = interface.gettext
    context = {
        "plan": plan,
        "filters": filters(told.commitments, interface),
        "counts": told.counts(),
    }
    if plan is None:
        return Page(
            NETWORK_TRACKER_URL,
            _("Every commitment in the network"),
            "commitments.html",
            context,
            description=_(
                "Every commitment of every plan in the network: kept, open, "
                "overdue, reworded or dropped."
            ),
        )
    return Page(
        tracker_url(plan.slug),
        _("Commitments of %(title)s", title=plan.title),
        "commitments.html",
        context,
        description=_(
            "Every commitment of %(title)s: kept, open, overdue, reworded or dropped.",
            title=plan.title,
        ),
    )


def filters(promises: Sequence[Promise], interface: Interface = ENGLISH) -> list[Filter]:
    """A tracker's sections, the ones that most need an answer first."""
    _ = interface.gettext
    return [
        Filter(
            "overdue",
            interface.pgettext("commitments", "Overdue"),
            _("No commitment is past its due date."),
            tuple(p for p in promises if p.overdue),
        ),
        Filter(
            "dropped",
            interface.pgettext("commitments", "Dropped without a word"),
            _("No commitment was taken out of a plan without being marked withdrawn."),
            tuple(p for p in promises if p.end == "dropped"),
        ),
        Filter(
            "reworded",
            interface.pgettext("commitments", "Reworded"),
            _("No commitment was reworded."),
            tuple(p for p in promises if p.reworded),
        ),
        Filter(
            "kept",
            interface.pgettext("commitments", "Kept"),
            _("No commitment is marked kept yet."),
            tuple(p for p in promises if p.end == "kept"),
        ),
        Filter(
            "all",
            interface.pgettext("commitments", "Every commitment"),
            _("There are no commitments yet."),
            tuple(promises),
        ),
    ]


def commitment_page(plan: Plan, promise: Promise, interface: Interface = ENGLISH) -> Page:
    return Page(
        commitment_url(plan.slug, promise.id),
        f"{promise.item.title} — {plan.title}",
        "commitment.html",
        {"plan": plan, "promise": promise},
        description=interface.gettext(
            "What became of a commitment of %(title)s: %(commitment)s",
            title=plan.title,
            commitment=promise.item.title,
        ),
    )


@dataclass(frozen=True)
class UpdateRow:
    """A goal at one outcome update: the value reported, the target then, its status."""

    update: OutcomeUpdate
    value: float | None
    target: Measure | None
    status: str | None
    note: str | None
    rate: float | None = None  # the value per 100,000 residents, for a count of people


def goal_page(site: SiteData, plan: Plan, story: GoalStory) -> Page:
    """A goal's page: how its target, baseline and direction changed, and each report
    against the target the plan held then."""
    goal = story.item
    updates = site.content.updates.get(plan.slug, [])
    points = series(plan, updates).get(goal.indicator or "", []) if story.present else []
    targets = [story.target_on(p.date) for p in points]
    values = {p.update.slug: p.value for p in points}
    population = plan.population if counts_people(goal) else None

    def rate(value: float | None) -> float | None:
        return per_100k(value, population) if population else None

    rows = []
    for u in updates:
        if u.slug in values or u.slug in story.statuses:
            status, note = story.statuses.get(u.slug, (None, None))
            value = values.get(u.slug)
            rows.append(UpdateRow(u, value, story.target_on(u.date), status, note, rate(value)))
    context: dict[str, Any] = {
        "plan": plan,
        "story": story,
        "rates": {
            "target": rate(goal.target.value if goal.target else None),
            "baseline": rate(goal.baseline.value if goal.baseline else None),
        },
        "points": points,
        "targets": targets,
        "rows": rows,
        "goal_chart": None,
    }
    if points:
        context["goal_chart"] = line_chart(
            points, goal.baseline, goal.target, targets, site.interface
        )
    return Page(
        story.url,
        f"{goal.title} — {plan.title}",
        "goal.html",
        context,
        description=site.interface.gettext(
            "A goal of %(title)s over time: its target, baseline and status.", title=plan.title
        ),
    )
