"""Outcome update pages in context (issue 18, point 5): each figure beside the one reported
before it, the goal's baseline and target, the change in words; the updates before and
after linked; feed entries that say what an update reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.html import page, said
from tests.support.sites import FULL_PLAN, UPDATE, built, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
#: A goal with an indicator but neither baseline nor target yet.
PLAN = FULL_PLAN.replace(
    "commitments:\n",
    "  - {id: volunteering, title: More volunteers, indicator: volunteers}\ncommitments:\n",
)
LATER = """\
---
title: Second half of 2024
date: 2025-01-20
period: 2024 H2
metrics:
  people_shot: 102
  summer_jobs: 250
  volunteers: 14
goals:
  shootings: at-risk
  jobs: on-track
---
What happened next.
"""
LATEST = """\
---
title: First half of 2025
date: 2025-07-20
period: 2025 H1
metrics:
  people_shot: 80
---
Fewer again.
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(
        tmp_path_factory.mktemp("updates") / "site",
        {
            "content/plans/riverton/plan.md": PLAN,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
            "content/plans/riverton/updates/2024-h2.md": LATER,
            "content/plans/riverton/updates/2025-h1.md": LATEST,
        },
    )
    built(site)
    return site / "output"


def figures(html: BeautifulSoup) -> dict[str, dict[str, str]]:
    """Each row of the figures table, by indicator: its cells by column name."""
    table = html.select_one("table.figures-table")
    assert table is not None
    columns = [said(th) for th in table.select("thead th")]
    rows = {}
    for tr in table.select("tbody tr"):
        cells = [said(cell) for cell in tr.find_all(["th", "td"])]
        rows[cells[0]] = dict(zip(columns[1:], cells[1:], strict=True))
    return rows


def test_each_figure_stands_beside_the_one_before_its_baseline_and_target(output: Path) -> None:
    rows = figures(page(output, "plans/riverton/updates/2024-h2"))
    assert rows["Fewer people shot (people)"] == {
        "Reported": "102",
        "Before": "90 (2024 H1)",
        "Change": "up 12 from 2024 H1, away from the goal",
        "Baseline": "100 (2020)",
        "Target": "50 (by 2030)",
    }
    jobs = rows["More young people in summer jobs (people)"]
    assert jobs["Change"] == "unchanged from 2024 H1"
    assert rows["More volunteers"] == {  # a goal of no baseline or target
        "Reported": "14",
        "Before": "—",
        "Change": "first figure reported",
        "Baseline": "—",
        "Target": "—",
    }


def test_the_figure_before_is_the_last_one_reported_not_the_last_update(output: Path) -> None:
    rows = figures(page(output, "plans/riverton/updates/2025-h1"))
    assert rows["Fewer people shot (people)"]["Change"] == (
        "down 22 from 2024 H2, the way the goal aims"
    )
    first = figures(page(output, "plans/riverton/updates/2024-h1"))
    assert first["Fewer people shot (people)"]["Before"] == "—"


def test_each_update_links_to_the_updates_before_and_after_it(output: Path) -> None:
    def pager(path: str) -> dict[str, tuple[str, str]]:
        nav = page(output, path).select_one("nav.pager")
        assert nav is not None
        return {a["rel"][0]: (a["href"], said(a)) for a in nav.select("a")}

    assert pager("plans/riverton/updates/2024-h2") == {
        "prev": (
            "../../../../plans/riverton/updates/2024-h1/",
            "Previous update: First half of 2024 (2024 H1)",
        ),
        "next": (
            "../../../../plans/riverton/updates/2025-h1/",
            "Next update: First half of 2025 (2025 H1)",
        ),
    }
    assert set(pager("plans/riverton/updates/2024-h1")) == {"next"}
    assert set(pager("plans/riverton/updates/2025-h1")) == {"prev"}


def test_a_feed_entry_says_what_the_update_reports(output: Path) -> None:
    feed = ET.parse(output / "plans/riverton/feed.xml").getroot()
    summaries = {
        entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}summary")
        for entry in feed.iter(f"{ATOM}entry")
    }
    assert summaries["Riverton outcome update: Second half of 2024"] == (
        "2024 H2. Fewer people shot: 102, up 12 from 2024 H1, away from the goal; "
        "target 50 by 2030. More young people in summer jobs: 250, unchanged from 2024 H1; "
        "target 600 by 2030. More volunteers: 14, first figure reported. "
        "Goals: 1 on track and 1 at risk."
    )
