"""The network as of each convening: every plan as it stood on a convening's first day
(its revision then, status, goals and commitments) and what changed since the convening
before, on real git histories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from site_builder.commands.build import build
from tests.support.browser import (
    accessibility_problems,
    nu_html_errors,
    require_browser_tools,
    require_nu_html_checker,
)
from tests.support.git import commit, make_repo
from tests.support.html import page, said
from tests.support.sites import BASE_URL, DRAFT, FULL_PLAN, MINIMAL_PLAN, SITE_YAML, UPDATE

PLAN = "content/plans/riverton/plan.md"
OTHER = "content/plans/testville/plan.md"
PROMISES = """\
commitments:
  - id: hire-workers
    kind: pledge
    title: Hire ten outreach workers
    status: promised
  - id: open-office
    kind: office
    title: Open an office of violence prevention
    status: promised
  - id: publish-data
    kind: announcement
    title: Publish shooting data every month
    status: promised
"""
HIRE = PROMISES[PROMISES.index("  - id: hire-workers") : PROMISES.index("  - id: open-office")]
YOUTH = "  - id: youth\n    title: Fewer young people hurt\n"


def with_promises(text: str) -> str:
    return text.replace(text[text.index("commitments:") : text.index("budget:")], PROMISES)


DRAFTED = with_promises(DRAFT)
ADOPTED = with_promises(FULL_PLAN).replace(
    "title: Open an office of violence prevention\n    status: promised",
    "title: Open an office of violence prevention\n    status: kept",
)
DROPPED = ADOPTED.replace(HIRE, "")
KEPT = DROPPED.replace(
    "title: Publish shooting data every month\n    status: promised",
    "title: Publish shooting data every month\n    status: kept",
)
IN_REVIEW = KEPT.replace("status: adopted", "status: in-review").replace(
    "commitments:", f"{YOUTH}commitments:"
)
RENAMED = IN_REVIEW.replace("title: Safer Riverton 2030", "title: Safer Riverton 2035")
STEPS = (
    (DRAFTED, "Draft the plan", "2024-01-10T10:00:00+00:00"),
    (ADOPTED, "Adopt the plan; the office opens", "2024-03-01T10:00:00+00:00"),
    (DROPPED, "Take out the hiring", "2024-06-01T10:00:00+00:00"),
    (KEPT, "Shooting data published every month", "2024-08-01T10:00:00+00:00"),
    (IN_REVIEW, "Open the review; a youth goal", "2025-01-15T10:00:00+00:00"),
    (RENAMED, "The plan now runs to 2035", "2025-03-01T10:00:00+00:00"),
)
SPRING = """\
---
title: Spring convening
city: Riverton
start: 2024-04-15
---
Where the network met in spring.
"""
AUTUMN = SPRING.replace("Spring", "Autumn").replace("2024-04-15", "2024-09-16\nend: 2024-09-17")
NEXT = SPRING.replace("Spring", "Next").replace("2024-04-15", "2027-05-01")
LATER = SPRING.replace("Spring", "Later").replace("2024-04-15", "2028-05-01")
UPDATES = {
    "content/plans/riverton/updates/2024-q1.md": """\
---
title: First quarter of 2024
date: 2024-03-20
period: 2024 Q1
metrics: {people_shot: 95}
goals: {shootings: at-risk}
---
Early days.
""",
    "content/plans/riverton/updates/2024-h1.md": UPDATE,  # 15 July 2024: on track
    "content/plans/riverton/updates/2024-h2.md": """\
---
title: Second half of 2024
date: 2024-12-01
period: 2024 H2
metrics: {people_shot: 80}
goals: {shootings: met}
---
A good year.
""",
}


def network(site: Path) -> list[str]:
    """Four convenings, the last two not yet begun, and two plans: Riverton revised before,
    between and after the first two, Testville first published between them; the ids of
    Riverton's revisions."""
    make_repo(site)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    convenings = {
        "content/convenings/2024-spring.md": SPRING,
        "content/convenings/2024-autumn.md": AUTUMN,
        "content/convenings/2027-next.md": NEXT,
        "content/convenings/2028-later.md": LATER,
    }
    ids = []
    for number, (text, note, date) in enumerate(STEPS):
        files = {PLAN: text, **(convenings if number == 0 else {})}
        ids.append(commit(site, files, note, date=date))
        if number == 2:
            commit(
                site,
                {OTHER: MINIMAL_PLAN},
                "Publish Testville's plan",
                date="2024-06-10T10:00:00+00:00",
            )
        if number == 4:
            commit(site, UPDATES, "Publish the updates of 2024", date="2025-01-20T10:00:00+00:00")
    return ids


@pytest.fixture(scope="module")
def convened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    site = tmp_path_factory.mktemp("convenings") / "site"
    ids = network(site)
    build(site, base_url=BASE_URL)
    return site / "output", ids


def rows(soup: BeautifulSoup, section: str) -> dict[str, Tag]:
    """The rows of a section's table, by the plan's name."""
    return {said(row.th): row for row in soup.select(f"#{section} ~ div tbody tr")}


def goals_then(row: Tag) -> list[str]:
    return [said(li) for li in row.select('td[data-label="Goals then"] li')]


def cell(row: Tag, label: str) -> str:
    found = row.find("td", attrs={"data-label": label})
    assert found is not None, label
    return said(found)


def test_a_plan_is_shown_as_it_stood_on_the_first_day(convened: tuple[Path, list[str]]) -> None:
    output, ids = convened
    soup = page(output, "convenings/2024-spring/plans/")
    assert said(soup.h1) == "Where every plan stood on 15 April 2024"
    riverton = rows(soup, "plans-then")["Safer Riverton 2035 then titled “Safer Riverton 2030”"]
    link = riverton.select_one('td[data-label="Revision in effect"] a')
    assert link["href"].endswith(f"/plans/riverton/revisions/{ids[1][:12]}/")
    assert said(link) == "Revision 2 of Safer Riverton 2035 , 1 March 2024"
    assert riverton.th.a["href"].endswith("/plans/riverton/")
    assert cell(riverton, "Status then") == "Adopted"
    # the last update before the day said at risk; the one of July is not counted yet
    assert goals_then(riverton) == [
        "Fewer people shot : At risk 95 people in 2024 Q1",
        "More young people in summer jobs : No data yet",
    ]
    assert riverton.select_one('td[data-label="Goals then"] a')["href"].endswith(
        "/plans/riverton/goals/shootings/"
    )
    assert cell(riverton, "Commitments then") == "1 kept · 2 open · 0 dropped"


def test_a_plan_not_yet_published_on_the_day_says_so(convened: tuple[Path, list[str]]) -> None:
    output, _ = convened
    soup = page(output, "convenings/2024-spring/plans/")
    testville = rows(soup, "plans-then")["Safer Testville"]
    assert cell(testville, "Revision in effect") == "Not yet published"
    assert said(soup.select_one(".counts")).startswith("1 of 2 plans published by then")
    assert "there is none before it" in said(soup.find(id="since-before").parent)


def test_the_next_convening_shows_each_plan_then_and_what_changed_since(
    convened: tuple[Path, list[str]],
) -> None:
    output, ids = convened
    soup = page(output, "convenings/2024-autumn/plans/")
    assert said(soup.h1) == "Where every plan stood on 16 September 2024"
    then = rows(soup, "plans-then")
    riverton = then["Safer Riverton 2035 then titled “Safer Riverton 2030”"]
    link = riverton.select_one('td[data-label="Revision in effect"] a')
    assert link["href"].endswith(f"/plans/riverton/revisions/{ids[3][:12]}/")
    assert goals_then(riverton) == [  # the youth goal came later
        "Fewer people shot : On track 90 people in 2024 H1",
        "More young people in summer jobs : At risk 250 people in 2024 H1, estimated from the "
        "numbers",
    ]
    assert cell(riverton, "Commitments then") == "2 kept · 0 open · 1 dropped"
    testville = then["Safer Testville"]
    assert cell(testville, "Status then") == "Draft"
    assert cell(testville, "Commitments then") == "0 kept · 0 open · 0 dropped"

    since = rows(soup, "since-before")
    assert cell(since["Safer Riverton 2035"], "Revisions").startswith("2 revisions")
    assert since["Safer Riverton 2035"].a["href"].endswith("/plans/riverton/")
    history = since["Safer Riverton 2035"].select_one('td[data-label="Revisions"] a')["href"]
    assert history.endswith("/plans/riverton/history/")
    assert cell(since["Safer Riverton 2035"], "Newly kept") == "1"
    assert cell(since["Safer Riverton 2035"], "Newly dropped") == "1"
    first = since["Safer Testville"].select_one('td[data-label="Revisions"] a')["href"]
    assert re.search(r"/plans/testville/revisions/[0-9a-f]{12}/changes/$", first)
    assert cell(since["Safer Testville"], "Newly kept") == "0"
    previous = soup.find(id="since-before").find_next("p")
    assert "From 15 April 2024, the first day of Spring convening" in said(previous)
    assert previous.select("a")[1]["href"].endswith("/convenings/2024-spring/plans/")


def test_a_convening_not_begun_shows_the_plans_as_of_today(
    convened: tuple[Path, list[str]],
) -> None:
    output, ids = convened
    soup = page(output, "convenings/2027-next/plans/")
    assert said(soup.h1) == "Where every plan stands today"
    lead = said(soup.select_one(".lead"))
    assert "begins on 1 May 2027" in lead and "as it stands today, 1 March 2025" in lead
    riverton = rows(soup, "plans-then")["Safer Riverton 2035"]
    assert cell(riverton, "Status then") == "In review"
    goals = goals_then(riverton)
    assert goals[0] == "Fewer people shot : Met 80 people in 2024 H2"
    assert goals[2] == "Fewer young people hurt : No data yet"
    since = rows(soup, "since-before")["Safer Riverton 2035"]
    # two revisions since, the last of them the plan now: the comparison shows them all
    assert since.select_one('td[data-label="Revisions"] a')["href"].endswith(
        f"/plans/riverton/revisions/{ids[3][:12]}/compare/"
    )
    assert cell(rows(soup, "since-before")["Safer Testville"], "Revisions") == "None"


def test_a_convening_after_the_next_one_leads_to_its_page(
    convened: tuple[Path, list[str]],
) -> None:
    """It would show the same plans on the same day, with nothing changed since the
    convening before; it says when it begins and where the plans are shown until then."""
    output, _ = convened
    soup = page(output, "convenings/2028-later/plans/")
    lead = " ".join(soup.select_one(".lead").get_text().split())
    assert lead.startswith("Later convening begins on 1 May 2028; from that day this page")
    assert lead.endswith(
        "is on the page of the next convening: Next convening, which begins on 1 May 2027."
    )
    assert [a["href"] for a in soup.select(".lead a")][-1].endswith("/convenings/2027-next/plans/")
    assert soup.select("table") == []
    assert "1 March 2025" not in said(soup.find("main"))  # nothing of today: made once
    listing = page(output, "convenings/")
    later = [li for li in listing.select("#upcoming ~ ul li") if "Later" in said(li)]
    assert later[0].select("a")[1]["href"].endswith("convenings/2028-later/plans/")


def test_the_convening_pages_link_to_where_every_plan_stood(
    convened: tuple[Path, list[str]],
) -> None:
    output, _ = convened
    spring = page(output, "convenings/2024-spring/")
    link = spring.find("a", string=re.compile("Where every plan stood"))
    assert said(link) == "Where every plan stood on 15 April 2024"
    assert link["href"].endswith("convenings/2024-spring/plans/")
    listing = page(output, "convenings/")
    past = [said(a) for a in listing.select("#past ~ ul a") if "plan" in said(a)]
    assert past == [
        "Where every plan stood on 16 September 2024",
        "Where every plan stood on 15 April 2024",
    ]
    upcoming = listing.select_one("#upcoming ~ ul li")
    assert "Where every plan stands today" in said(upcoming)
    assert upcoming.select("a")[1]["href"].endswith("convenings/2027-next/plans/")


def test_a_revision_in_effect_that_does_not_read_as_a_plan_says_so(tmp_path: Path) -> None:
    site = make_repo(tmp_path / "site")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    commit(site, {PLAN: FULL_PLAN, "content/convenings/2024-spring.md": SPRING}, "Adopt")
    broken = commit(
        site, {PLAN: "---\ntitle: [broken\n"}, "A broken save", date="2024-02-01T10:00:00+00:00"
    )
    commit(site, {PLAN: FULL_PLAN}, "Mend it", date="2025-01-01T10:00:00+00:00")
    build(site)
    riverton = rows(page(site / "output", "convenings/2024-spring/plans/"), "plans-then")
    row = riverton["Safer Riverton 2030"]
    assert row.select_one("td a")["href"].endswith(f"/revisions/{broken[:12]}/")
    assert "could not be read as a plan; what follows is from revision 1" in cell(
        row, "Revision in effect"
    )
    assert cell(row, "Status then") == "Adopted"


def test_without_git_history_the_page_says_so(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for relative, text in {PLAN: FULL_PLAN, "content/convenings/2024-spring.md": SPRING}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    build(site)
    soup = page(site / "output", "convenings/2024-spring/plans/")
    assert "No history is available." in said(soup.select_one(".banner"))
    assert soup.select("tbody") == []


def test_convening_plan_pages_pass_the_nu_html_checker_and_axe(
    convened: tuple[Path, list[str]],
) -> None:
    require_browser_tools()
    require_nu_html_checker()
    output, _ = convened
    paths = [
        "convenings/2024-spring/plans/",
        "convenings/2024-autumn/plans/",
        "convenings/2027-next/plans/",
        "convenings/2028-later/plans/",
        "convenings/2024-spring/",
        "convenings/",
    ]
    assert nu_html_errors(*(str(output / p / "index.html") for p in paths)) == []
    assert accessibility_problems(output, paths) == []
