"""Promises and goals over time: each commitment's and goal's life across real git
histories, on its own page, in the trackers, in commitments.json and goals.json and in the
plan's feed."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import os
import time
from pathlib import Path

import feedparser
import pytest

from site_builder.commands.build import build
from site_builder.history.reading import Revision
from site_builder.site.promises import plan_timeline
from tests.support.browser import (
    accessibility_problems,
    nu_html_errors,
    require_browser_tools,
    require_nu_html_checker,
)
from tests.support.fixtures import ColdDigest, TreeDigest
from tests.support.git import commit, make_repo
from tests.support.html import page, said
from tests.support.sites import BASE_URL, FULL_PLAN, SITE_YAML, UPDATE, built, run_cli

SITE_URL = BASE_URL.rstrip("/")

PLAN = "content/plans/riverton/plan.md"
PROMISE = """\
commitments:
  - id: hire-workers
    kind: pledge
    title: Hire ten outreach workers
    by: Mayor's office
    status: promised
    due: 2024-12-31
    owner: Riverton Youth Alliance
"""
OLD_COMMITMENTS = FULL_PLAN[FULL_PLAN.index("commitments:") : FULL_PLAN.index("budget:")]
ADOPTED = FULL_PLAN.replace(OLD_COMMITMENTS, PROMISE)
STARTED = ADOPTED.replace("status: promised", "status: in-progress")
REWORDED = STARTED.replace("Hire ten outreach", "Hire twelve outreach")
LATER = REWORDED.replace("due: 2024-12-31", "due: 2025-06-30")
LOWERED = LATER.replace("target: {value: 50, year: 2030}", "target: {value: 45, year: 2030}")
REVIEWED = LOWERED.replace("review: semiannual\n", "review: semiannual\nreviewed: 2024-10-01\n")
DROPPED = REVIEWED.replace(
    REVIEWED[REVIEWED.index("commitments:") : REVIEWED.index("budget:")], ""
).replace("target: {value: 45, year: 2030}", "target: {value: 40, year: 2030}")
STEPS = (
    (ADOPTED, "Adopt the plan", "2024-01-10T10:00:00+00:00"),
    (STARTED, "Start hiring outreach workers", "2024-03-01T10:00:00+00:00"),
    (REWORDED, "Twelve workers, not ten, after the budget", "2024-05-01T10:00:00+00:00"),
    (LATER, "Give the hiring until June", "2024-07-01T10:00:00+00:00"),
    (LOWERED, "Lower the shooting target after the spring review", "2024-09-01T10:00:00+00:00"),
    (REVIEWED, "Autumn review: the plan stands", "2024-10-01T10:00:00+00:00"),
    (DROPPED, "Lower the target again", "2025-01-15T10:00:00+00:00"),
)
OLD_HEADER = "---\ntitle: T\ncity: Riverton\nstatus: draft\n"
TRACKER = "plans/riverton/commitments/"
COMMITMENT = "plans/riverton/commitments/hire-workers/"
GOAL = "plans/riverton/goals/shootings/"


def promise_history(site: Path) -> list[str]:
    """The plan above, commit by commit, with an outcome update; the commit ids."""
    make_repo(site)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    ids = [commit(site, {PLAN: text}, note, date=date) for text, note, date in STEPS]
    commit(
        site,
        {"content/plans/riverton/updates/2024-h1.md": UPDATE},
        "First outcome update",
        date="2024-07-20T10:00:00+00:00",
    )
    return ids


@pytest.fixture(scope="module")
def promised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    site = tmp_path_factory.mktemp("promises") / "site"
    ids = promise_history(site)
    build(site, base_url=BASE_URL)
    return site / "output", ids


def test_a_commitment_page_tells_every_change_in_order_with_dates_and_notes(
    promised: tuple[Path, list[str]],
) -> None:
    output, ids = promised
    soup = page(output, COMMITMENT)
    events = [said(li) for li in soup.select("ol.events > li")]
    assert len(events) == 5
    assert events[0].startswith("Added to the plan : “Hire ten outreach workers” 10 January 2024")
    assert "change note: Adopt the plan" in events[0]
    assert events[1].startswith("Status changed to in progress, was promised 1 March 2024")
    assert "Start hiring outreach workers" in events[1]
    reworded = soup.select("ol.events > li")[2]
    assert reworded.find("del").get_text() == "Hire ten outreach workers"
    assert reworded.find("ins").get_text() == "Hire twelve outreach workers"
    assert "Twelve workers, not ten, after the budget" in events[2]
    assert events[3].startswith(
        "Due date moved later: 30 June 2025, was 31 December 2024 1 July 2024"
    )
    assert events[4].startswith(
        "Dropped: taken out of the plan without being marked withdrawn 15 January 2025"
    )
    assert "Lower the target again" in events[4]
    # each change links to its revision's changes page, and has an anchor of its own
    links = [li.select("a")[0]["href"] for li in soup.select("ol.events > li")]
    assert [link.split("/")[-3] for link in links] == [
        ids[0][:12],
        ids[1][:12],
        ids[2][:12],
        ids[3][:12],
        ids[6][:12],
    ]
    assert said(soup.select_one(".summary-list dd")) == "Dropped (the plan last said in progress)"
    assert said(soup.select_one(".banner")).startswith("Dropped without a word.")
    assert "15 January 2025" in said(soup.select_one(".banner"))
    spans = [said(row) for row in soup.select("#time-in-status ~ div tbody tr")]
    assert spans == [
        "Promised 10 January 2024 1 March 2024 51 days",
        "In progress 1 March 2024 15 January 2025 10 months",
    ]


def test_the_trackers_file_a_dropped_and_reworded_commitment_where_residents_look(
    promised: tuple[Path, list[str]],
) -> None:
    output, _ = promised
    for path in (TRACKER, "commitments/"):
        soup = page(output, path)
        for section in ("dropped", "reworded", "all"):
            titles = [a.get_text() for a in soup.select(f"#{section} ~ div tbody th a")]
            assert titles == ["Hire twelve outreach workers"], (path, section)
        assert soup.select("#kept ~ div tbody th") == []
        assert "No commitment is marked kept yet." in said(soup.find(id="kept").parent)
    plan_page = page(output, "plans/riverton/")
    counts = said(plan_page.select_one("#plan-commitments ~ .counts"))
    assert "1 dropped without a word" in counts
    assert plan_page.select_one("#plan-commitments ~ .counts a")["href"].endswith(
        "plans/riverton/commitments/"
    )
    plans = page(output, "plans/")
    assert "1 dropped" in said(plans.select_one("tbody"))


def test_a_goal_page_shows_its_target_lowered_twice_and_the_target_at_each_update(
    promised: tuple[Path, list[str]],
) -> None:
    output, _ = promised
    soup = page(output, GOAL)
    events = [said(li) for li in soup.select("ol.events > li")]
    assert events[0].startswith("Goal set : “Fewer people shot” 10 January 2024")
    assert events[1].startswith("Target lowered from 50 by 2030 to 45 by 2030 1 September 2024")
    assert "Lower the shooting target after the spring review" in events[1]
    assert events[2].startswith("Target lowered from 45 by 2030 to 40 by 2030 15 January 2025")
    assert len(events) == 3
    # the update of July 2024 was measured against the target of then: 50
    row = said(soup.select_one("#goal-updates ~ div tbody tr"))
    assert row == "First half of 2024 15 July 2024 90 50 On track"
    # a plan that gives its population: counts of people also read as rates
    assert "per 100,000" not in said(soup.find("main"))
    assert soup.select_one("path.chart__steps") is not None
    plan_page = page(output, "plans/riverton/")
    goal_link = plan_page.select_one("#plan-goals ~ div tbody th a")
    assert goal_link["href"].endswith("plans/riverton/goals/shootings/")


def test_a_revision_that_only_moves_the_review_date_reads_reviewed_no_change(
    promised: tuple[Path, list[str]],
) -> None:
    output, ids = promised
    soup = page(output, "plans/riverton/history/")
    titles = [said(h2) for h2 in soup.select(".revision__title")]
    assert titles.count("Reviewed, no change") == 1
    entry = soup.select(".revisions > li")[len(STEPS) - 6 - 1 + 1]  # newest first
    assert said(entry.select_one(".revision__title")) == "Reviewed, no change"
    assert ids[5][:12] in entry.select_one(".revision__title a")["href"]
    assert "Autumn review: the plan stands" in said(entry)


def test_commitments_and_goals_json_carry_the_same_dated_history(
    promised: tuple[Path, list[str]],
) -> None:
    output, ids = promised
    data = json.loads((output / "plans/riverton/commitments.json").read_text(encoding="utf-8"))
    (hire,) = data["commitments"]
    assert hire["id"] == "hire-workers"
    assert hire["status"] == "dropped" and hire["in_plan"] is False
    assert hire["url"] == f"{SITE_URL}/plans/riverton/commitments/hire-workers/"
    history = hire["history"]
    assert [h["change"] for h in history] == ["promised", "status", "reworded", "due", "removed"]
    assert [h["commit"] for h in history] == [ids[0], ids[1], ids[2], ids[3], ids[6]]
    assert history[1]["old"] == "promised" and history[1]["new"] == "in-progress"
    assert history[3]["old"] == "2024-12-31" and history[3]["new"] == "2025-06-30"
    assert history[3]["date"] == "2024-07-01T10:00:00+00:00"
    assert history[3]["note"] == "Give the hiring until June"
    goals = json.loads((output / "plans/riverton/goals.json").read_text(encoding="utf-8"))
    shootings = next(g for g in goals["goals"] if g["id"] == "shootings")
    targets = [(h["old"], h["new"], h["commit"]) for h in shootings["history"][1:]]
    assert targets == [
        ({"value": 50, "year": 2030}, {"value": 45, "year": 2030}, ids[4]),
        ({"value": 45, "year": 2030}, {"value": 40, "year": 2030}, ids[6]),
    ]
    assert shootings["statuses"] == [{"update": "2024-h1", "status": "on-track", "note": None}]


def test_the_plan_feed_carries_promise_events_linking_to_their_pages(
    promised: tuple[Path, list[str]],
) -> None:
    output, ids = promised
    feed = feedparser.parse((output / "plans/riverton/feed.xml").read_bytes())
    events = {e.title: e.link for e in feed.entries if "“" in e.title}
    page_url = f"{SITE_URL}/plans/riverton/commitments/hire-workers/"
    assert (
        events[
            "Riverton: commitment “Hire twelve outreach workers”: status changed to in progress, "
            "was promised"
        ]
        == f"{page_url}#{ids[1][:12]}-status"
    )
    assert (
        events[
            "Riverton: commitment “Hire twelve outreach workers”: dropped: taken out of the plan "
            "without being marked withdrawn"
        ]
        == f"{page_url}#{ids[6][:12]}-removed"
    )
    assert (
        events["Riverton: goal “Fewer people shot”: target lowered from 50 by 2030 to 45 by 2030"]
        == f"{SITE_URL}/plans/riverton/goals/shootings/#{ids[4][:12]}-target"
    )
    # the first revision made them all at once: no entry each
    assert not any("added to the plan" in title for title in events)
    ids_in_feed = [e.id for e in feed.entries]
    assert len(ids_in_feed) == len(set(ids_in_feed))


def test_a_long_history_of_status_changes_is_told_change_by_change(tmp_path: Path) -> None:
    """Statuses changed over many commits, as a plan tracked in front matter is: the page
    lists every status change git shows, in order, and a revision broken in between (it
    does not load) neither drops the commitment nor brings it back."""
    site = make_repo(tmp_path / "site")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    cycle = ["promised", "in-progress", "promised", "in-progress", "missed", "in-progress"]
    statuses = cycle * 4 + ["kept"]
    for day, status in enumerate(statuses, start=1):
        text = ADOPTED.replace("status: promised", f"status: {status}")
        commit(site, {PLAN: text}, f"Status {status}", date=f"2024-02-{day:02d}T09:00:00+00:00")
        if day == 10:
            commit(site, {PLAN: "---\ntitle: [broken\n"}, "A broken save", date="2024-02-10T12:00")
    built(site)
    soup = page(site / "output", COMMITMENT)
    changes = [said(li) for li in soup.select("ol.events > li")]
    expected = [
        f"Status changed to {new.replace('-', ' ')}, was {old.replace('-', ' ')}"
        for old, new in itertools.pairwise(statuses)
        if old != new
    ]
    assert [c.split(" 2024")[0].rsplit(" ", 2)[0] for c in changes[1:]] == expected
    assert not any("Dropped" in c or "Back in the plan" in c for c in changes)
    assert said(soup.select_one(".summary-list dd")).startswith("Kept")


def test_without_git_history_commitment_pages_still_build_and_say_so(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (site / PLAN).parent.mkdir(parents=True)
    (site / PLAN).write_text(ADOPTED, encoding="utf-8")
    built(site)
    soup = page(site / "output", COMMITMENT)
    assert "not in the plan's recorded history yet" in said(soup.find("main"))
    tracker = page(site / "output", TRACKER)
    assert [a.get_text() for a in tracker.select("#all ~ div tbody th a")] == [
        "Hire ten outreach workers"
    ]


def test_timelines_are_kept_for_the_next_build_and_match_a_cold_build(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    site = tmp_path / "site"
    promise_history(site)
    built(site)
    assert sorted((site / ".site-builder-cache").rglob("timelines.pickle"))
    commit(site, {PLAN: REVIEWED}, "Bring the commitment back", date="2025-02-01T10:00:00+00:00")
    built(site)
    assert tree_digest(site / "output") == cold_digest(site)
    soup = page(site / "output", COMMITMENT)
    assert said(soup.select("ol.events > li")[-1]).startswith("Back in the plan 1 February 2025")


def test_promise_pages_pass_the_nu_html_checker_and_axe(
    promised: tuple[Path, list[str]],
) -> None:
    require_browser_tools()
    require_nu_html_checker()
    output, _ = promised
    paths = [COMMITMENT, GOAL, TRACKER, "commitments/", "plans/riverton/history/"]
    assert nu_html_errors(*(str(output / p / "index.html") for p in paths)) == []
    assert accessibility_problems(output, paths) == []


def test_thousands_of_alike_commitments_are_followed_in_time_that_grows_with_their_number() -> None:
    """Items are looked up by id and wording, never compared each with every other: N
    commitments of one wording, twice over, then all reworded, then all taken out. Eight
    times as many take about eight times as long (a pairwise pass: sixty-four); measured
    as a ratio of the best of two runs, so that a busy machine slows both alike."""

    def plan(title: str, count: int) -> bytes:
        items = "".join(
            f"  - kind: pledge\n    title: {title}\n    status: promised\n" for _ in range(count)
        )
        return (OLD_HEADER + ("commitments:\n" + items if count else "") + "---\nText.\n").encode()

    def history_of(many: int) -> list[Revision]:
        versions = [plan("To be decided", many), plan("To be decided", many)]
        versions += [plan("Decided later", many), plan("Decided later", 0)]
        return [
            Revision(
                f"{n:040x}",
                dt.datetime(2024, 1, n, tzinfo=dt.UTC),
                "A",
                "Edit",
                "",
                False,
                PLAN,
                f"{n:040x}",
                raw,
            )
            for n, raw in enumerate(versions, start=1)
        ]

    def seconds(history: list[Revision]) -> float:
        # The collector paused, as a build pauses it: late in a long test run its passes
        # over everything the earlier tests left would be timed along, more for more items.
        best = float("inf")
        gc.collect()
        gc.disable()
        try:
            for _ in range(2):
                started = time.perf_counter()
                plan_timeline("riverton", history)
                best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
        return best

    few, many = history_of(500), history_of(4_000)
    assert seconds(many) / seconds(few) < 20  # linear: about 8; pairwise: about 64
    timeline = plan_timeline("riverton", many)
    assert len(timeline.commitments) == 2 * 4_000  # reworded without an id: new ones
    first = timeline.commitments[0]
    assert [c.what for c in first.changes] == ["promised", "removed"]
    assert [c.number for c in first.changes] == [1, 3]
    assert len({life.id for life in timeline.commitments}) == 2 * 4_000


def test_a_goal_counted_in_people_reads_per_100000_residents_on_its_page(
    tmp_path: Path,
) -> None:
    site = make_repo(tmp_path / "site")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    counted = ADOPTED.replace(
        "review: semiannual\n", "review: semiannual\npopulation: {value: 50000, year: 2020}\n"
    )
    commit(site, {PLAN: counted}, "Adopt the plan", date="2024-01-10T10:00:00+00:00")
    commit(
        site,
        {"content/plans/riverton/updates/2024-h1.md": UPDATE},
        "First update",
        date="2024-07-20T10:00:00+00:00",
    )
    built(site)
    soup = page(site / "output", GOAL)
    facts = said(soup.select_one(".summary-list"))
    assert "50 people by 2030 (100 per 100,000 residents)" in facts
    assert "100 in 2020 (200 per 100,000 residents)" in facts
    row = said(soup.select_one("#goal-updates ~ div tbody tr"))
    assert "90 180 per 100,000" in row


def test_a_past_revision_that_breaks_todays_rules_still_builds_each_page_once(
    tmp_path: Path,
) -> None:
    """Two commitments of one id, committed before the check refused it, and a revision
    nested too deep to read: history cannot be corrected, so the build goes on."""
    site = make_repo(tmp_path / "site")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    twice = ADOPTED.replace(PROMISE, PROMISE + PROMISE.replace("commitments:\n", ""))
    commit(site, {PLAN: twice}, "Two of one id", date="2024-01-10T10:00:00+00:00")
    deep = ADOPTED.replace("summary:", "notes: " + "[" * 5000 + "]" * 5000 + "\nsummary:")
    commit(site, {PLAN: deep}, "Deep", date="2024-02-10T10:00:00+00:00")
    commit(site, {PLAN: ADOPTED}, "Mend", date="2024-03-10T10:00:00+00:00")
    built(site)
    tracker = page(site / "output", TRACKER)
    links = [a["href"] for a in tracker.select("#all ~ div tbody th a")]
    assert len(links) == len(set(links)) == 2
    assert links[0].endswith("commitments/hire-workers/")


def test_a_new_day_renders_again_only_the_pages_whose_words_it_changes(tmp_path: Path) -> None:
    """Ages and overdue marks change with "today", as their pages say them: the next day
    says "4 months" as the day before did, and makes no page again; the day the commitment
    falls overdue makes its tracker, its page and commitments.json again, never a goal's
    page, goals.json or the plan's feed."""
    site = tmp_path / "site"
    make_repo(site)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    commit(site, {PLAN: ADOPTED}, "Adopt the plan", date="2024-01-10T10:00:00+00:00")
    output = tmp_path / "output"
    steady = [GOAL, "plans/riverton/goals.json", "plans/riverton/feed.xml"]
    changing = [TRACKER, COMMITMENT, "plans/riverton/commitments.json"]

    def files(paths: list[str]) -> list[Path]:
        return [output / p / "index.html" if p.endswith("/") else output / p for p in paths]

    inodes = []
    for day in ("1717200000", "1717286400", "1735776000"):  # 1, 2 June 2024; 2 January 2025
        environ = dict(os.environ, SOURCE_DATE_EPOCH=day)
        result = run_cli("build", "--source", str(site), "--output", str(output), env=environ)
        assert result.returncode == 0, result.stderr
        inodes.append([path.stat().st_ino for path in files(steady + changing)])
    june, next_day, overdue = inodes
    assert june == next_day
    assert june[: len(steady)] == overdue[: len(steady)]
    assert all(a != b for a, b in zip(june[len(steady) :], overdue[len(steady) :], strict=True))
    assert "past due and not kept" in said(page(output, COMMITMENT))
