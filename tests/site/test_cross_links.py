"""Cross-links and small things of issue 18, point 7 (and the agenda of point 3): fellows
on their city's plan page, speakers linked to fellows of the same name, the agenda by day,
compact date ranges, a favicon."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from site_builder.site.formats import date_range
from tests.support.html import page, said
from tests.support.sites import FULL_PLAN, built, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
CONVENING = """\
---
title: Riverton Convening
city: Riverton
state: OH
start: 2026-09-30
end: 2026-10-02
agenda:
  - date: 2026-09-30
    time: "09:00"
    title: Opening
    speakers: ["Ana  ruiz, Riverton Youth Alliance", Sam Lee]
  - {date: 2026-09-30, time: "14:00", title: Workshops}
  - {date: 2026-10-01, time: "09:30", title: "Budgets, line by line", speakers: [Jo Park]}
---
Three days.
"""


def fellow(name: str, city: str, cohort: int, state: str = "OH") -> str:
    return f"---\nname: {name}\ncohort: {cohort}\ncity: {city}\nstate: {state}\n---\nBio.\n"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(
        tmp_path_factory.mktemp("links") / "site",
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/fellows/ana-ruiz.md": fellow("Ana Ruiz", "Riverton", 2024),
            "content/fellows/bo-chan.md": fellow("Bo Chan", "Riverton", 2025),
            "content/fellows/cy-dee.md": fellow("Cy Dee", "Riverton", 2025, state="TX"),
            "content/fellows/jo-park.md": fellow("Jo Park", "Elmvale", 2024),
            "content/fellows/jo-park-2.md": fellow("Jo Park", "Oakdale", 2025),
            "content/convenings/2026-riverton.md": CONVENING,
        },
    )
    built(site)
    return site / "output"


@pytest.mark.parametrize(
    ("start", "end", "said_as"),
    [
        ("2023-10-25", "2023-10-26", "25–26 October 2023"),
        ("2024-09-30", "2024-10-02", "30 September – 2 October 2024"),
        ("2024-12-30", "2025-01-02", "30 December 2024 – 2 January 2025"),
        ("2024-05-18", "2024-05-18", "18 May 2024"),
        ("2024-05-18", None, "18 May 2024"),
    ],
)
def test_a_date_range_says_what_its_dates_share_once(
    start: str, end: str | None, said_as: str
) -> None:
    last = dt.date.fromisoformat(end) if end else None
    assert date_range(dt.date.fromisoformat(start), last) == said_as


def test_convening_dates_are_a_compact_range_on_its_pages_and_in_the_feed(output: Path) -> None:
    when = "30 September – 2 October 2026"
    convening = page(output, "convenings/2026-riverton")
    assert said(convening.select_one(".summary-list div")) == f"When {when}"
    assert when in said(page(output, "convenings"))
    feed = ET.parse(output / "feed.xml").getroot()
    summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
    assert f"Riverton, {when}" in summaries


def test_the_agenda_is_grouped_by_day_with_times_in_one_column(output: Path) -> None:
    html = page(output, "convenings/2026-riverton")
    days = [said(h3) for h3 in html.select("h2#agenda ~ h3")]
    assert days == ["Day 1: 30 September 2026", "Day 2: 1 October 2026"]
    tables = html.select("table.agenda")
    assert [[said(td) for td in t.select("tbody td.agenda__time")] for t in tables] == [
        ["09:00", "14:00"],
        ["09:30"],
    ]
    assert [said(th) for th in tables[0].select("tbody th")] == ["Opening", "Workshops"]


def test_speakers_link_to_the_fellow_of_their_name_and_only_one(output: Path) -> None:
    html = page(output, "convenings/2026-riverton")
    opening, _, budgets = html.select("table.agenda tbody tr")
    links = {said(a): a["href"] for a in opening.select("a")}
    assert links == {"Ana ruiz": "../../fellows/ana-ruiz/"}  # case and spacing aside
    speakers = opening.select("td")[-1].get_text()
    assert " ".join(speakers.split()) == "Ana ruiz, Riverton Youth Alliance; Sam Lee"
    assert budgets.select("a") == []  # two fellows are named Jo Park: which one speaks?


def test_a_plan_page_lists_its_city_fellows_newest_cohort_first(output: Path) -> None:
    html = page(output, "plans/riverton")
    heading = html.select_one("#plan-fellows")
    assert heading is not None and said(heading) == "Young Leader Fellows in Riverton"
    listed = heading.find_next("ul")
    assert [said(li) for li in listed.select("li")] == [
        "Bo Chan cohort of 2025",  # Cy Dee lives in another state's Riverton
        "Ana Ruiz cohort of 2024",
    ]
    assert listed.select_one("a")["href"] == "../../fellows/bo-chan/"


def test_every_page_names_the_favicon_and_the_build_writes_it(output: Path) -> None:
    for path in ("", "plans/riverton", "convenings/2026-riverton"):
        icon = page(output, path).select_one('link[rel="icon"]')
        assert icon is not None and icon["type"] == "image/svg+xml"
        assert (output / path / icon["href"]).resolve() == (output / "assets/favicon.svg")
    svg = ET.parse(output / "assets/favicon.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    ("opens", "button", "said_as"),
    [
        ("2026-07-01", False, "Registration opens on 1 July 2026."),  # still to come
        ("2026-01-05", True, None),  # open already
    ],
)
def test_register_shows_only_once_registration_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opens: str, button: bool, said_as: str | None
) -> None:
    convening = CONVENING.replace(
        "agenda:", f"registration_url: https://example.org/r\nregistration_opens: {opens}\nagenda:"
    )
    site = write_site(tmp_path / "site", {"content/convenings/2026-riverton.md": convening})
    today = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)  # "today" of the build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(today.timestamp())))
    built(site)
    shown = page(site / "output", "convenings/2026-riverton")
    assert (shown.find("a", string="Register") is not None) is button
    assert (said_as in said(shown)) if said_as else "Registration opens" not in said(shown)
