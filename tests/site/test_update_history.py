"""Outcome updates get history: corrections listed, restated figures shown on the update
page, in the plan's chart table and in restatements.csv, from real git histories."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from site_builder.commands.build import build
from tests.support.fixtures import Soup
from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, SITE_YAML, UPDATE

PLAN = "content/plans/riverton/plan.md"
H2 = "content/plans/riverton/updates/2024-h2.md"
H1 = "content/plans/riverton/updates/2024-h1.md"
SECOND_HALF = (
    UPDATE.replace("First half of 2024", "Second half of 2024")
    .replace("2024-07-15", "2025-01-10")
    .replace("2024 H1", "2024 H2")
    .replace("people_shot: 90", "people_shot: 150")
)
CLERK = ("Ana Ruiz", "ana@example.org")
ANALYST = ("Sam Okafor", "sam@example.org")


def corrected_site(root: Path) -> Path:
    """An H2 update first published with 150 people shot, restated 158 then 162 (with an
    unreadable version between), and renamed; an H1 update never corrected."""
    make_repo(root)
    commit(
        root,
        {"site.yaml": SITE_YAML, PLAN: FULL_PLAN, H1: UPDATE},
        "Publish the plan and the first update",
        date="2024-07-20T09:00:00+00:00",
    )
    commit(
        root, {H2: SECOND_HALF}, "Publish the 2024 H2 update", CLERK, "2025-01-12T09:00:00+00:00"
    )
    commit(
        root,
        {H2: SECOND_HALF.replace("people_shot: 150", "people_shot: 158")},
        "Count eight more people shot in December",
        ANALYST,
        "2025-02-03T09:00:00+00:00",
    )
    commit(
        root,
        {H2: SECOND_HALF.replace("people_shot: 150", "people_shot: [158")},
        "Half an edit",
        ANALYST,
        "2025-02-10T09:00:00+00:00",
    )
    renamed = "content/plans/riverton/updates/second-half-2024.md"
    commit(
        root,
        {H2: None, renamed: SECOND_HALF.replace("people_shot: 150", "people_shot: 162")},
        "Final hospital figures; rename the update",
        CLERK,
        "2025-03-03T09:00:00+00:00",
    )
    return root


def test_a_figure_corrected_twice_is_shown_as_restated(
    tmp_path: Path, soup: Soup, fixed_git: None
) -> None:
    site = corrected_site(tmp_path / "site")
    result = build(site)
    assert result.git_processes == 3, "update files are read in the same git pass as plans"
    page = soup(site / "output/plans/riverton/updates/second-half-2024/index.html")
    restated = page.select_one("ul.restated")
    assert restated is not None
    assert " ".join(restated.get_text().split()) == (
        "Fewer people shot, 2024 H2: first reported 150 on 12 January 2025, restated 158 on "
        "3 February 2025, restated 162 on 3 March 2025."
    )
    assert [a.get_text() for a in page.select("td a.tag")] == ["Restated"]
    corrections = page.select("#update-corrections ~ ol.revisions > li")
    notes = [li.find_all("p")[1].get_text() for li in corrections]
    assert notes == [
        "Count eight more people shot in December",
        "Half an edit",
        "Final hospital figures; rename the update",
    ]
    texts = [li.get_text(" ", strip=True) for li in corrections]
    assert texts[0].startswith("3 February 2025 · by Sam Okafor")
    assert "Fewer people shot: changed from 150 to 158" in texts[0]
    assert "could not be read" in texts[1]  # unreadable: listed, its figures not used
    assert "Fewer people shot: changed from 158 to 162" in texts[2]

    plan_page = soup(site / "output/plans/riverton/index.html")
    cells = [td.get_text(" ", strip=True) for td in plan_page.select(".chart__table td")]
    assert (
        "162 First reported 150 on 12 January 2025, restated 158 on 3 February 2025, "
        "restated 162 on 3 March 2025" in cells
    )
    assert "90" in cells  # the H1 figure, never corrected, has no note


def test_an_update_never_corrected_shows_nothing_more(
    tmp_path: Path, soup: Soup, fixed_git: None
) -> None:
    site = corrected_site(tmp_path / "site")
    build(site)
    page = soup(site / "output/plans/riverton/updates/2024-h1/index.html")
    assert page.select_one("#update-corrections") is None
    assert page.select_one("ul.restated") is None
    assert "Restated" not in page.get_text()
    heading = page.select_one(".page-heading")
    assert heading is not None and "corrected" not in heading.get_text()


def test_restatements_csv_parses_back(tmp_path: Path, fixed_git: None) -> None:
    site = corrected_site(tmp_path / "site")
    build(site)
    data = (site / "output/plans/riverton/restatements.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert [(r["published"], r["indicator"], float(r["value"]), r["report"]) for r in rows] == [
        ("2025-01-12", "people_shot", 150.0, "first reported"),
        ("2025-02-03", "people_shot", 158.0, "restated"),
        ("2025-03-03", "people_shot", 162.0, "restated"),
    ]
    assert {(r["update"], r["period"]) for r in rows} == {("second-half-2024", "2024 H2")}
    metrics = (site / "output/plans/riverton/metrics.csv").read_text(encoding="utf-8")
    assert '"people_shot",162' in metrics  # metrics.csv holds today's figures


def test_restated_periods_cannot_start_a_formula(tmp_path: Path, fixed_git: None) -> None:
    site = make_repo(tmp_path / "site")
    hostile = UPDATE.replace("period: 2024 H1", "period: '=HYPERLINK(\"x\")'")
    commit(site, {"site.yaml": SITE_YAML, PLAN: FULL_PLAN, H1: hostile}, "Publish")
    commit(site, {H1: hostile.replace("people_shot: 90", "people_shot: 95")}, "Correct")
    build(site)
    data = (site / "output/plans/riverton/restatements.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert [row[1] for row in rows[1:]] == ['\'=HYPERLINK("x")'] * 2
