"""The feeds of the site's other languages: the site's (`/es/feed.xml`) and one per plan
translated into the language (`/es/plans/<plan>/feed.xml`), as residents who read it
subscribe to them from its pages.

Each is its first-language feed told in the language: its words in the language's
interface, each plan, update and convening in its translation where it has one (an entry
without one says so with `xml:lang`), and each revision's note from the commit's
`Change-Note-<language>:` trailer where it has one. What happened to a plan's promises is
told in the first language's feeds alone: those entries are written in its words. Pure:
the site's data in, `Page` records out.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

from ..engine.cache import Keys
from ..history.reading import SiteHistory
from .feeds import (
    PlanEntries,
    convening_entries,
    feed_page,
    newest_of_plan,
    newest_possible,
    plan_feed,
    plan_feed_key,
    site_feed,
)
from .language_pages import translated_content
from .page import Page, SiteData
from .urls import plan_feed_url


def language_feed_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """The feeds of each other language of the site, each written only when what it is
    made of has changed."""
    pages: list[Page] = []
    for language in site.config.languages[1:]:
        content, done = translated_content(site.content, language)
        told = replace(site, content=content, interface=site.interfaces[language], promises={})
        lang = functools.partial(_language_of, site.config.language, done)
        plans: list[PlanEntries] = []
        plan_keys = []
        for plan in content.plans:
            entries = functools.cache(functools.partial(newest_of_plan, told, plan, history, lang))
            plans.append(PlanEntries(newest_possible(told, plan, history), entries))
            # The first language's key of the plan's feed, of the plan and updates as they
            # read in this language (which its translations give).
            key = keys.of("language-feed", language, plan_feed_key(told, plan, history, keys))
            plan_keys.append(key)
            if language in site.language_histories.get(plan.path, {}):
                pages.append(
                    feed_page(
                        f"/{language}{plan_feed_url(plan.slug)}",
                        key,
                        functools.partial(plan_feed, told, plan, entries),
                    )
                )
        convenings = convening_entries(told, lang)
        key = keys.of(
            "language-site-feed",
            language,
            "" if convenings else site.today.isoformat(),  # a feed with no entry says today
            repr(convenings),
            *plan_keys,
        )
        make = functools.partial(site_feed, told, plans, convenings)
        pages.append(feed_page(f"/{language}/feed.xml", key, make))
    return pages


def _language_of(default: str, translated: frozenset[str], item: Any) -> str:
    """The language of an item's words in a feed: its source's, when it has no translation."""
    return "" if item.path in translated else default
