"""Revisions placed in time politically: each names who held office that day on the history,
revision and changes pages and in history.json, and the plan page says who held office
when it was adopted and last revised, and how many changes of office holder it outlived."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.content.config import Administration
from site_builder.site.administrations import changes_of_holder, holders_on
from tests.support.fixtures import ColdDigest, Soup, TreeDigest
from tests.support.git import commit, log_follow, make_repo
from tests.support.sites import FULL_PLAN, LOWER_TARGET, SITE_YAML, built, living_plan

PLAN = "content/plans/riverton/plan.md"
#: Riverton changes mayor on 2 January 2023, between the plan's adoption and its revision;
#: Lakeside's mayor is no one's in Riverton; a county executive (no city) is everyone's.
TERMS = SITE_YAML + (
    "administrations:\n"
    "  - {office: Mayor, name: Ana Ortiz, city: Riverton, start: 2019-01-07, end: 2023-01-02}\n"
    "  - {office: Mayor, name: Bo Li, city: riverton, start: 2023-01-02}\n"
    "  - {office: Mayor, name: Cy Dee, city: Lakeside, start: 2019-01-01}\n"
    "  - {office: County Executive, name: Dana Wu, start: 2020-01-01}\n"
)
BEFORE = "Mayor Ana Ortiz and County Executive Dana Wu"
AFTER = "Mayor Bo Li and County Executive Dana Wu"


def two_mayors(root: Path, site_yaml: str = TERMS) -> Path:
    """The plan adopted under one mayor (2022) and revised under the next (2023)."""
    make_repo(root)
    commit(
        root,
        {"site.yaml": site_yaml, PLAN: FULL_PLAN},
        "Adopt the plan",
        date="2022-03-01T18:30:00+00:00",
    )
    commit(
        root,
        {PLAN: LOWER_TARGET},
        "Lower the 2030 shooting target",
        date="2023-04-15T12:00:00-04:00",
    )
    return root


@pytest.fixture(scope="module")
def built_two_mayors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`two_mayors`, built once for the tests that only read its pages."""
    site = two_mayors(tmp_path_factory.mktemp("administrations") / "site")
    built(site)
    return site


def test_each_revision_names_who_held_office_that_day(built_two_mayors: Path, soup: Soup) -> None:
    site = built_two_mayors
    here = site / "output/plans/riverton"
    adopted, lowered = reversed(log_follow(site, PLAN))
    history = [
        m.get_text(" ", strip=True)
        for m in soup(here / "history/index.html").select(".revision__meta")
    ]
    assert history == [
        f"Revision 2 · 15 April 2023 · by Test Author · under {AFTER}",
        f"Revision 1 · 1 March 2022 · by Test Author · under {BEFORE}",
    ]
    for commit_id, holders in ((adopted, BEFORE), (lowered, AFTER)):
        revision = soup(here / f"revisions/{commit_id[:12]}/index.html")
        banner = revision.select_one(".banner--archive p").get_text(" ", strip=True)
        assert banner.endswith(f"by Test Author ), under {holders}. It may have changed since.")
        changes = soup(here / f"revisions/{commit_id[:12]}/changes/index.html")
        meta = changes.select_one(".revision__meta").get_text(" ", strip=True)
        assert meta.endswith(f"· by Test Author · under {holders}")
    entries = json.loads((here / "history.json").read_text(encoding="utf-8"))
    assert [e["office_holders"] for e in entries] == [
        [
            {"office": "Mayor", "name": "Ana Ortiz"},
            {"office": "County Executive", "name": "Dana Wu"},
        ],
        [{"office": "Mayor", "name": "Bo Li"}, {"office": "County Executive", "name": "Dana Wu"}],
    ]


def test_the_plan_page_says_who_adopted_and_revised_it_and_what_it_outlived(
    built_two_mayors: Path, soup: Soup
) -> None:
    site = built_two_mayors
    here = site / "output/plans/riverton"
    assert office_holders(soup(here / "index.html")) == (
        f"Adopted under {BEFORE}; last revised under {AFTER} on 15 April 2023. "
        "This plan has outlived 1 change of office holder."
    )
    # An archived revision says the same as of its day, and no more: it is not in force.
    first = log_follow(site, PLAN)[-1][:12]
    assert office_holders(soup(here / f"revisions/{first}/index.html")) == (
        f"Adopted under {BEFORE}; last revised under {BEFORE} on 1 March 2022."
    )


def office_holders(page: BeautifulSoup) -> str:
    """What a plan page says of the people in office, beside its status."""
    [term] = [t for t in page.select(".plan-facts dt") if t.get_text() == "Office holders"]
    return term.find_next("dd").get_text(" ", strip=True)


def test_changes_of_holder_are_counted_from_the_plan_s_first_day_to_today(
    tmp_path: Path, soup: Soup
) -> None:
    # The living plan's first revision is on 10 January 2022; "today" is its last commit,
    # 20 July 2024. Two changes fall between: a new mayor and a new governor.
    terms = SITE_YAML + (
        "administrations:\n"
        "  - {office: Mayor, name: Al Aho, city: Riverton, start: 2014-01-06, end: 2018-01-01}\n"
        "  - {office: Mayor, name: Ana Ortiz, city: Riverton, start: 2018-01-01, end: 2022-02-01}\n"
        "  - {office: Mayor, name: Bo Li, city: Riverton, start: 2022-02-01, end: 2024-01-01}\n"
        "  - {office: Mayor, name: Bo Li, city: Riverton, start: 2024-01-01, end: 2025-01-06}\n"
        "  - {office: Mayor, name: Cy Dee, city: Riverton, start: 2025-01-06}\n"
        "  - {office: Governor, name: Gil Hart, start: 2019-01-14, end: 2023-01-09}\n"
        "  - {office: Governor, name: Hal Ives, start: 2023-01-09}\n"
        "  - {office: Mayor, name: Lou Ma, city: Lakeside, start: 2019-01-01, end: 2023-01-02}\n"
        "  - {office: Mayor, name: Mo Ng, city: Lakeside, start: 2023-01-02}\n"
    )
    site = living_plan(tmp_path / "site")
    commit(site, {"site.yaml": terms}, "Who held office when", date="2024-07-20T09:00:00+00:00")
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    # The handover before the plan began, a second term and one to come are not changes.
    assert "This plan has outlived 2 changes of office holder." in page.get_text(" ", strip=True)


def test_a_plan_adopted_before_its_first_revision_counts_from_its_adoption(
    tmp_path: Path, soup: Soup
) -> None:
    site = make_repo(tmp_path / "site")
    commit(  # adopted on 1 March 2022 (FULL_PLAN), first committed in 2024
        site, {"site.yaml": TERMS, PLAN: FULL_PLAN}, "Publish", date="2024-05-06T10:00:00+00:00"
    )
    built(site)
    text = soup(site / "output/plans/riverton/index.html").get_text(" ", strip=True)
    assert (
        f"Adopted under {BEFORE}; last revised under {AFTER} on 6 May 2024. "
        "This plan has outlived 1 change of office holder."
    ) in text


def test_without_administrations_no_revision_is_labelled(tmp_path: Path, soup: Soup) -> None:
    site = two_mayors(tmp_path / "site", SITE_YAML)
    built(site)
    here = site / "output/plans/riverton"
    entries = json.loads((here / "history.json").read_text(encoding="utf-8"))
    assert [e["office_holders"] for e in entries] == [[], []]
    for page in [
        here / "index.html",
        here / "history/index.html",
        *here.glob("revisions/*/**/*.html"),
    ]:
        text = soup(page).get_text(" ", strip=True)
        assert " under " not in text and "Office holders" not in text and "outlived" not in text


def test_a_plan_of_a_new_city_relabels_every_revision_as_a_build_from_nothing_does(
    tmp_path: Path, soup: Soup, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    site = two_mayors(tmp_path / "site")
    built(site)
    commit(
        site,
        {PLAN: LOWER_TARGET.replace("city: Riverton", "city: Lakeside")},
        "The plan moves to Lakeside",
        date="2024-01-10T10:00:00+00:00",
    )
    built(site)  # the pages of the first two revisions are kept from the last build, or not
    first = log_follow(site, PLAN)[-1][:12]
    page = soup(site / f"output/plans/riverton/revisions/{first}/changes/index.html")
    assert (
        page.select_one(".revision__meta")
        .get_text(" ", strip=True)
        .endswith("· under Mayor Cy Dee and County Executive Dana Wu")
    )
    assert tree_digest(site / "output") == cold_digest(site)


def test_on_a_handover_day_the_new_holder_is_in_office() -> None:
    terms = (
        Administration(
            office="Mayor", name="Ana Ortiz", start=dt.date(2019, 1, 7), end=dt.date(2023, 1, 2)
        ),
        Administration(office="Mayor", name="Bo Li", start=dt.date(2023, 1, 2)),
    )
    assert [t.name for t in holders_on(terms, dt.date(2023, 1, 1))] == ["Ana Ortiz"]
    assert [t.name for t in holders_on(terms, dt.date(2023, 1, 2))] == ["Bo Li"]
    assert holders_on(terms, dt.date(2019, 1, 6)) == ()
    # A plan that began on the handover day began under the new holder: nothing outlived.
    assert changes_of_holder(terms, dt.date(2023, 1, 2), dt.date(2024, 1, 1)) == 0
    assert changes_of_holder(terms, dt.date(2023, 1, 1), dt.date(2024, 1, 1)) == 1
