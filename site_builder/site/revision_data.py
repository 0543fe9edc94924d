"""History as data: each revision's plan.json, and history.json linking every revision to it.

A revision's plan.json has the shape of the current plan's (`opendata.plan_data`), as the
plan stood at that commit, with the outcome updates published by then, as its revision
page shows them. Both files are made lazily and keyed by commit and blob ids: whether a
revision's data can be read is only known by reading it, which a build does once for a
revision, never again while its pages stand. A revision whose data cannot be read has
`data_url: null` in history.json, and its plan.json says only that and why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..content.load import UNREADABLE
from ..content.models import Plan
from ..engine.cache import Keys
from ..history.reading import Revision, SiteHistory
from .administrations import terms_for
from .opendata import at_a_glance, history_entries, plan_record, to_json
from .page import Page, SiteData, revisions_digest
from .revision_loading import LoadRevision
from .urls import plan_url, revision_data_url, revision_url

#: What a revision's data is: its plan.json, or None when it cannot be read.
RevisionJson = Callable[[Revision], bytes | None]


def plan_data(site: SiteData, plan: Plan, load: LoadRevision) -> RevisionJson:
    """The plan.json of each revision of `plan`, each made once however many pages ask."""
    return functools.cache(functools.partial(revision_json, site, plan, load))


def history_data_page(
    site: SiteData, plan: Plan, history: SiteHistory, data: RevisionJson, keys: Keys
) -> Page:
    """A plan's history.json: every revision, linked to its plan.json when it has one."""
    revisions = history.revisions.get(plan.path, ())
    url = f"{plan_url(plan.slug)}history.json"
    terms = terms_for(site.config.administrations, plan.city)  # who held office, each day
    return Page(
        url,
        in_sitemap=False,
        cache_key=keys.of("history-data", url, repr(terms), revisions_digest(revisions)),
        make=functools.partial(_history_json, site, plan, history, url, data),
    )


def revision_data_page(
    site: SiteData, plan: Plan, revision: Revision, data: RevisionJson, updates: str, keys: Keys
) -> Page:
    """One revision's plan.json, keyed by its commit, its blob and the plan's `updates`
    (a digest of them: the data lists those published by the revision's date)."""
    return Page(
        revision_data_url(plan.slug, revision.commit),
        in_sitemap=False,
        cache_key=keys.of("revision-data", plan.slug, revision.commit, revision.blob, updates),
        make=functools.partial(_revision_json, site, plan, revision, data),
    )


def _history_json(
    site: SiteData, plan: Plan, history: SiteHistory, url: str, data: RevisionJson
) -> Page:
    entries = history_entries(site, plan, history)
    revisions = history.revisions.get(plan.path, ())
    linked = [
        entry | {"data_url": entry["data_url"] if data(revision) is not None else None}
        for entry, revision in zip(entries, revisions, strict=True)
    ]
    return Page(url, data=to_json(linked), in_sitemap=False)


def _revision_json(site: SiteData, plan: Plan, revision: Revision, data: RevisionJson) -> Page:
    made = data(revision)
    if made is None:
        made = to_json(
            {
                "commit": revision.commit,
                "readable": False,
                "reason": "this revision's data cannot be read as a plan; its page shows it "
                "as text, with the reason",
                "url": site.config.absolute(revision_url(plan.slug, revision.commit)),
            }
        )
    return Page(revision_data_url(plan.slug, revision.commit), data=made, in_sitemap=False)


def revision_json(
    site: SiteData, current: Plan, load: LoadRevision, revision: Revision
) -> bytes | None:
    """A revision's plan.json, or None when its data cannot be read as a plan."""
    try:
        loaded = load(revision)
        if loaded.plan is None or loaded.data is None:
            return None
        day = revision.date.date()
        updates = [u for u in site.content.updates.get(current.slug, []) if u.date <= day]
        return to_json(
            plan_record(
                site,
                loaded.plan,
                loaded.data,
                updates,
                url=revision_url(current.slug, revision.commit),
                data_url=revision_data_url(current.slug, revision.commit),
                last_revised=day,
                glance=at_a_glance(site, loaded.plan, updates, day),
            )
        )
    except UNREADABLE:  # data no check foresaw, in a revision that cannot be corrected
        return None
