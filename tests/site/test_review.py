"""The next public review is counted from the latest time the plan was looked at in public:
its last outcome update, its last review (`reviewed`) or its adoption."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.content.models import Plan
from site_builder.site.figures import review_due
from tests.support.fixtures import Soup
from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, SITE_YAML, UPDATE, built

PLAN = "content/plans/riverton/plan.md"


def reviewed_on(day: str) -> str:
    """The full plan (adopted 1 March 2022, reviewed every six months), last reviewed `day`."""
    return FULL_PLAN.replace("review: semiannual\n", f"review: semiannual\nreviewed: {day}\n")


def plan_page(root: Path, plan: str, soup: Soup) -> str:
    """The plan page's text, built on 1 March 2025 with the update of 15 July 2024."""
    site = make_repo(root)
    files = {
        "site.yaml": SITE_YAML,
        PLAN: plan,
        "content/plans/riverton/updates/2024-h1.md": UPDATE,
    }
    commit(site, files, "Publish the plan", date="2025-03-01T10:00:00+00:00")
    built(site)
    return soup(site / "output/plans/riverton/index.html").get_text(" ", strip=True)


def test_a_review_after_the_last_update_moves_the_next_one(tmp_path: Path, soup: Soup) -> None:
    text = plan_page(tmp_path / "site", reviewed_on("2024-11-20"), soup)
    assert "Public review Next due 20 May 2025" in text
    assert "Last reviewed 20 November 2024" in text


def test_a_review_before_the_last_update_leaves_the_update_to_count(
    tmp_path: Path, soup: Soup
) -> None:
    text = plan_page(tmp_path / "site", reviewed_on("2024-01-10"), soup)
    assert "Public review Overdue since 15 January 2025" in text  # six months after the update
    assert "Last reviewed 10 January 2024" in text


@pytest.mark.parametrize(
    ("adopted", "reviewed", "due"),
    [
        (dt.date(2022, 3, 1), dt.date(2023, 9, 30), dt.date(2024, 3, 30)),  # reviewed since
        (dt.date(2023, 9, 30), dt.date(2022, 3, 1), dt.date(2024, 3, 30)),  # adopted since
        (None, dt.date(2023, 9, 30), dt.date(2024, 3, 30)),  # a draft, reviewed in public
    ],
)
def test_without_updates_the_later_of_review_and_adoption_counts(
    adopted: dt.date | None, reviewed: dt.date, due: dt.date
) -> None:
    plan = Plan(
        title="Plan",
        city="Riverton",
        status="adopted" if adopted else "draft",
        adopted=adopted,
        review="semiannual",
        reviewed=reviewed,
    )
    found = review_due(plan, [], dt.date(2024, 1, 1))
    assert found is not None and (found.last, found.due, found.overdue) == (
        max(d for d in (adopted, reviewed) if d),
        due,
        False,
    )
