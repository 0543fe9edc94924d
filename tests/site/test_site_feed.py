"""The site's feed holds the newest entries of all its plans, and tells only the plans that
can have one among them: a network of 200 plans with long histories tells a few."""

from __future__ import annotations

import datetime as dt
import random

from site_builder.site.atom import FeedEntry
from site_builder.site.feeds import LIMIT, PlanEntries, newest, newest_across

START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def entry(day: int, url: str) -> FeedEntry:
    return FeedEntry(START + dt.timedelta(days=day), f"Entry {url}", url, "", "Staff")


def plan(entries: list[FeedEntry]) -> PlanEntries:
    """A plan's entries, placed as high as its highest."""
    return PlanEntries(max(((e.updated, e.url) for e in entries), default=None), lambda: entries)


def never_told() -> list[FeedEntry]:
    raise AssertionError("a plan too old for the feed was told")


def test_the_newest_across_plans_are_the_newest_of_all_their_entries() -> None:
    shuffle = random.Random(7)
    plans = [
        [entry(shuffle.randrange(400), f"/plans/p{n}/e{k}/") for k in range(shuffle.randrange(60))]
        for n in range(40)
    ]
    convenings = [entry(shuffle.randrange(400), f"/convenings/c{n}/") for n in range(5)]
    everything = [e for entries in plans for e in entries] + convenings
    assert newest_across([plan(entries) for entries in plans], convenings) == newest(everything)


def test_a_plan_that_cannot_reach_the_newest_is_not_told() -> None:
    recent = [entry(100 + k, f"/plans/recent/e{k}/") for k in range(LIMIT)]
    old = PlanEntries((START + dt.timedelta(days=99), "/plans/zz/"), never_told)
    assert newest_across([old, plan(recent)], []) == newest(recent)


def test_a_plan_whose_newest_ties_the_last_chosen_is_told() -> None:
    """Entries of one date are ordered by address, so a tie may still win a place."""
    recent = [entry(100, f"/plans/b/e{k:02}/") for k in range(LIMIT)]
    tied = [entry(100, "/plans/z/")]
    chosen = newest_across([plan(recent), plan(tied)], [])
    assert chosen[0].url == "/plans/z/" and len(chosen) == LIMIT


def test_a_plan_of_the_same_date_whose_addresses_sort_below_is_not_told() -> None:
    """1,000 updates committed at once share a date: the addresses decide, and a plan
    whose addresses come after the last chosen (in the feed's order) is not told."""
    recent = [entry(100, f"/plans/b/e{k:02}/") for k in range(LIMIT)]
    below = PlanEntries((START + dt.timedelta(days=100), "/plans/a/"), never_told)
    assert newest_across([plan(recent), below], []) == newest(recent)
