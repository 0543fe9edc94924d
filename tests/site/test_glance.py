"""A plan at a glance: its goals and commitments counted by status, its public review, its
next election and its latest change, the same on the home card, the plans list, the top of
the plan page and in plans.json; and a plan page ordered by a resident's questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.git import commit, make_repo
from tests.support.html import page, said
from tests.support.sites import FULL_PLAN, SITE_YAML, UPDATE, built

PLAN = "content/plans/riverton/plan.md"

#: One commitment in each state, the first proclamation (kept) already in FULL_PLAN.
COMMITMENTS = """\
  - {id: office, kind: office, title: An office, status: in-progress, due: 2024-12-31}
  - {id: pledge, kind: pledge, title: Fifty summer jobs, status: in-progress, due: 2026-06-30}
  - {id: ordinance, kind: ordinance, title: A safe-storage ordinance, status: missed}
  - {id: budget, kind: budget, title: A line in the budget, status: withdrawn}
"""
#: A goal with no indicator: nothing can ever say how it is going.
NO_DATA_GOAL = """\
  - id: trust
    title: More trust between residents and the city
"""
#: Taken out later without a word: "dropped".
DROPPED = "  - {id: mural, kind: announcement, title: A mural for the park, status: promised}\n"

KNOWN = (
    FULL_PLAN.replace("commitments:\n", "commitments:\n" + COMMITMENTS)
    .replace("commitments:\n", NO_DATA_GOAL + "commitments:\n", 1)
    .replace("status: adopted\n", "status: in-review\n")
)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built on 1 March 2025 whose one plan has goals and commitments of known status:
    on track (reported), at risk (computed: 250 of 200 → 600 by 2030), no data; kept, in
    progress, overdue, missed, withdrawn, and one dropped from the plan without a word."""
    site = make_repo(tmp_path_factory.mktemp("glance") / "site")
    first = KNOWN.replace("commitments:\n", "commitments:\n" + DROPPED)
    commit(site, {"site.yaml": SITE_YAML, PLAN: first}, "Adopt", date="2024-06-01T10:00:00+00:00")
    files = {PLAN: KNOWN, "content/plans/riverton/updates/2024-h1.md": UPDATE}
    commit(site, files, "Drop the mural; publish the update", date="2025-03-01T10:00:00+00:00")
    built(site)
    return site / "output"


GOALS = {"met": 0, "on-track": 1, "at-risk": 1, "off-track": 0, "no-data": 1}
COMMITMENT_STATES = {
    "kept": 1,
    "in-progress": 1,
    "overdue": 1,
    "missed": 1,
    "withdrawn": 1,
    "dropped": 1,
}
GOAL_WORDS = "1 of 3 goals met or on track 1 on track 1 at risk 1 with no data yet"
COMMITMENT_WORDS = "1 kept 1 in progress 1 overdue 1 missed 1 withdrawn 1 dropped without a word"


def facts(block: BeautifulSoup) -> dict[str, str]:
    """Each fact of a glance, its term to its words."""
    return {said(dt): said(dt.find_next("dd")) for dt in block.find_all("dt")}


def test_the_plan_page_leads_with_the_plan_at_a_glance(output: Path) -> None:
    plan = page(output, "plans/riverton/")
    glance = plan.select_one("section.glance")
    assert glance.find_previous("h1") and said(glance.find("h2")) == "At a glance"
    said_there = facts(glance.select_one("dl.glance__facts"))
    assert said_there["Status"] == "In review — adopted 1 March 2022"
    assert said_there["Goals"] == GOAL_WORDS
    assert said_there["Commitments"] == "6 commitments " + COMMITMENT_WORDS
    # six months after the update of 15 July 2024, and said apart from the plan's status
    assert said_there["Public review"] == "Overdue since 15 January 2025"
    assert said_there["Next election"] == "Mayor, 2 November 2027"
    assert "Drop the mural; publish the update" in said(glance.select_one(".latest-change"))
    cadence = facts(glance.select_one("dl.plan-facts"))["Outcome updates"]
    assert cadence.startswith("Twice a year; the latest: First half of 2024")
    # words first: each count's colour is a class beside words that say it
    marks = [li["class"][1] for li in glance.select(".glance-count")]
    assert marks[:3] == ["glance-count--on-track", "glance-count--at-risk", "glance-count--no-data"]


def test_the_home_card_and_the_plans_list_say_the_same(output: Path) -> None:
    card = facts(page(output, "").select_one(".plan-card dl"))
    row = page(output, "plans/").select_one("table tbody tr")
    cells = {td["data-label"]: said(td) for td in row.find_all("td")}
    # a link among the list's links: its hidden words name the plan
    named = "in Safer Riverton 2030 "
    for shown, name in ((card, ""), (cells, named)):
        assert shown["Status"] == "In review"
        assert shown["Goals"] == GOAL_WORDS
        assert shown["Commitments"] == "6 commitments " + name + COMMITMENT_WORDS
        assert shown["Public review"] == "Overdue since 15 January 2025"
        assert shown["Next election"] == "Mayor, 2 November 2027"
        assert "Drop the mural; publish the update" in shown["Latest change"]
    tracker = row.find("td", attrs={"data-label": "Commitments"}).find("a")["href"]
    assert tracker.endswith("plans/riverton/commitments/")


def test_plans_json_carries_the_same_figures(output: Path) -> None:
    [plan] = json.loads((output / "plans.json").read_text(encoding="utf-8"))
    glance = plan["at_a_glance"]
    assert glance["goals"] == GOALS
    assert glance["commitments"] == COMMITMENT_STATES
    assert glance["review"] == {"cadence": "semiannual", "due": "2025-01-15", "overdue": True}
    assert glance["next_election"] == {"date": "2027-11-02", "office": "Mayor"}
    change = glance["latest_change"]
    assert change["note"] == "Drop the mural; publish the update"
    assert change["date"].startswith("2025-03-01") and "/changes/" in change["url"]
    current = json.loads((output / "plans/riverton/plan.json").read_text(encoding="utf-8"))
    assert current["at_a_glance"] == glance


def test_a_revision_s_data_is_at_a_glance_as_it_stood(output: Path) -> None:
    """Counted from the revision alone on its own day, so its file never changes: the
    mural still in it and promised, no update yet, no review due yet."""
    history = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    data_path = history[0]["data_url"].split("/plans/", 1)[1]
    first = json.loads((output / "plans" / data_path).read_text(encoding="utf-8"))
    glance = first["at_a_glance"]
    # the office not overdue yet, the pledge, the mural
    assert glance["commitments"] == COMMITMENT_STATES | {
        "in-progress": 3,
        "overdue": 0,
        "dropped": 0,
    }
    assert glance["goals"]["no-data"] == 3  # no update yet
    assert glance["review"]["overdue"] is True  # adopted 2022, six months gone by June 2024
    assert glance["latest_change"] is None


def test_the_plan_page_follows_a_resident_s_questions(output: Path) -> None:
    plan = page(output, "plans/riverton/")
    headings = [h["id"] for h in plan.select("main h2[id]")]
    assert headings == [
        "plan-glance",
        "plan-goals",
        "plan-commitments",
        "plan-updates",
        "plan-budget",
        "plan-governance",
        "plan-readiness",
        "plan-text",
        "plan-history",
    ]
    contents = [a["href"] for a in plan.select("nav.contents a")]
    assert contents == [f"#{h}" for h in headings[1:]]
    history = plan.find(id="plan-history").find_parent("section")
    assert "Every revision of this plan" in said(history)


def test_long_sections_fold_what_the_page_says_already(output: Path) -> None:
    """On the plan page each goal's values table folds under the chart (the goals table
    above lists them), and each table's list of members under its count; the goal's own
    page shows its values open."""
    plan = page(output, "plans/riverton/")
    tables = plan.select("figure.chart .chart__table")
    assert tables and all(t.find_parent("details", class_="chart__data") for t in tables)
    assert plan.select_one("details.chart__data > summary").get_text() == "Values by period"
    goal_url = plan.select_one("#plan-goals ~ div table a[href*='/goals/']")["href"]
    goal = BeautifulSoup(
        (output / "plans/riverton" / goal_url.split("riverton/")[-1] / "index.html").read_text(),
        "html.parser",
    )
    assert goal.select(".chart__table") and not goal.select("details.chart__data")
    [members] = plan.select("#plan-governance ~ .cards details.members")
    assert members.summary.get_text() == "2 members"
    assert [li.get_text() for li in members.select("li")] == ["Mayor's office", "Police chief"]
