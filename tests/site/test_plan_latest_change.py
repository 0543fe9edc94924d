"""The plan page leads with its latest change and offers the plan's feed."""

from __future__ import annotations

from pathlib import Path

import feedparser

from tests.support.fixtures import MakeSite, Soup
from tests.support.git import commit, log_follow, make_repo
from tests.support.sites import FULL_PLAN, SITE_YAML, built, living_plan


def test_plan_page_leads_with_its_latest_change_and_its_feed(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    latest = page.select_one(".latest-change")
    assert latest.find_previous("h1")  # at the top, under the plan's title
    assert latest.find_next("dl", class_="summary-list")
    note = latest.select_one("p a")
    # The newest revision is a minor edit: the page leads with the one before it.
    lowered = log_follow(site, "content/plans/riverton/plan.md")[1]
    assert note.get_text() == "Lower the 2030 shooting target after the spring review"
    here = site / "output/plans/riverton"
    changes = (here / note["href"] / "index.html").resolve()
    assert changes == here / f"revisions/{lowered[:12]}/changes/index.html"
    assert changes.is_file()
    assert latest.time.get_text() == "15 April 2023"
    assert latest.time["datetime"] == "2023-04-15T12:00:00-04:00"
    [feed] = [a for a in latest.find_all("a") if a.get_text() == "Get updates about this plan"]
    assert (here / feed["href"]).resolve() == here / "feed.xml"
    assert feedparser.parse((here / "feed.xml").read_bytes()).bozo == 0


def test_a_new_change_changes_the_plan_page(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    built(site)
    commit(
        site,
        {"content/plans/riverton/plan.md": FULL_PLAN.replace("Riverton", "Riverton City")},
        "Name the city in full",
        date="2025-02-03T10:00:00+00:00",
    )
    built(site)
    note = soup(site / "output/plans/riverton/index.html").select_one(".latest-change p a")
    assert note.get_text() == "Name the city in full"


def test_one_revision_leads_with_it(tmp_path: Path, soup: Soup) -> None:
    site = make_repo(tmp_path / "site")
    commit(
        site,
        {"site.yaml": SITE_YAML, "content/plans/riverton/plan.md": FULL_PLAN},
        "Publish the plan",
        date="2024-05-06T10:00:00+00:00",
    )
    built(site)
    latest = soup(site / "output/plans/riverton/index.html").select_one(".latest-change")
    assert latest.get_text(" ", strip=True).startswith(
        "Latest change, 6 May 2024 : Publish the plan"
    )


def test_without_history_only_the_feed_is_offered(make_site: MakeSite, soup: Soup) -> None:
    site = make_site({"content/plans/riverton/plan.md": FULL_PLAN})
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    latest = page.select_one(".latest-change")
    assert latest.get_text(" ", strip=True).startswith("Get updates about this plan")
    assert "Latest change" not in page.get_text()
    assert "Not yet recorded" in page.get_text()  # "Last revised", as before


def test_an_archived_revision_does_not_lead_with_a_later_change(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    built(site)
    first = log_follow(site, "content/plans/riverton/plan.md")[-1]
    archived = soup(site / f"output/plans/riverton/revisions/{first[:12]}/index.html")
    assert archived.select_one(".latest-change") is None
