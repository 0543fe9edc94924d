"""A plan's archived revisions are kept as one group: a build after an edit of one plan
neither lists nor keys the thousands of archived pages of the others, and still makes the
same bytes as a build from nothing, whatever happened to the group's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.commands.build import build
from site_builder.output.marker import MARKER
from site_builder.site import revision_pages
from tests.support.fixtures import ColdDigest, TreeDigest
from tests.support.git import commit, log_follow
from tests.support.sites import MINIMAL_PLAN, living_plan

RIVERTON, TESTVILLE = "plans/riverton/revisions", "plans/testville/revisions"


def two_plans(root: Path) -> Path:
    """Riverton's history (`living_plan`) and a second plan with two revisions."""
    site = living_plan(root)
    commit(site, {"content/plans/testville/plan.md": MINIMAL_PLAN}, "Draft Testville")
    commit(
        site,
        {"content/plans/testville/plan.md": MINIMAL_PLAN.replace("prose", "first prose")},
        "Reword Testville",
        date="2024-08-01T10:00:00+00:00",
    )
    return site


def groups_of(folder: Path) -> dict[str, str]:
    """The groups a site's marker names: folder -> key."""
    groups: dict[str, str] = json.loads((folder / MARKER).read_text()).get("groups", {})
    return groups


def listed_plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans whose archived pages the builds from now on list, in order."""
    listed: list[str] = []
    real = revision_pages._archived_pages

    def listing(site: object, plan: revision_pages.Plan, *rest: object) -> object:
        listed.append(plan.slug)
        return real(site, plan, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(revision_pages, "_archived_pages", listing)
    return listed


def test_an_edit_of_one_plan_lists_the_archive_of_that_plan_alone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tree_digest: TreeDigest,
    cold_digest: ColdDigest,
) -> None:
    site = two_plans(tmp_path / "site")
    first = build(site)
    before = groups_of(site / "output")
    assert set(before) == {RIVERTON, TESTVILLE}
    listed = listed_plans(monkeypatch)
    commit(
        site,
        {"content/plans/testville/plan.md": MINIMAL_PLAN.replace("prose", "second prose")},
        "Reword Testville again",
        date="2024-09-01T10:00:00+00:00",
    )
    edited = build(site)
    assert listed == ["testville"]
    after = groups_of(site / "output")
    assert after[RIVERTON] == before[RIVERTON] and after[TESTVILLE] != before[TESTVILLE]
    assert edited.pages == first.pages + 4  # a revision's page, changes, compare and data
    assert tree_digest(site / "output") == cold_digest(site)


@pytest.mark.parametrize("change", ["deleted", "edited in place"])
def test_a_group_changed_by_hand_is_made_again(
    tmp_path: Path,
    change: str,
    monkeypatch: pytest.MonkeyPatch,
    tree_digest: TreeDigest,
    cold_digest: ColdDigest,
) -> None:
    """One archived page changed in the published site (and so in the staging folder, which
    shares its files by hard links): the group is not kept as one, that page is made
    again, and the rest of the group is still kept file by file."""
    site = two_plans(tmp_path / "site")
    build(site)
    build(site, base_url="https://example.org/b/")  # the staging folder holds a site too
    build(site)
    revision = log_follow(site, "content/plans/riverton/plan.md")[0][:12]
    page = site / "output" / RIVERTON / revision / "changes/index.html"
    if change == "deleted":
        page.unlink()
    else:
        page.write_text("changed by hand\n")
    listed = listed_plans(monkeypatch)
    again = build(site)
    assert listed == ["riverton"]
    assert again.pages - again.cached_pages == 1
    assert tree_digest(site / "output") == cold_digest(site)


def test_links_into_a_kept_group_are_still_checked(tmp_path: Path) -> None:
    """A link from the content to an archived revision leads somewhere, and one to a
    revision that never was is said, at every build, whether the group is made or kept."""
    site = two_plans(tmp_path / "site")
    revision = log_follow(site, "content/plans/riverton/plan.md")[0][:12]
    about = (
        "---\ntitle: About\n---\n"
        f"[As adopted](/plans/riverton/revisions/{revision}/) and "
        "[never adopted](/plans/riverton/revisions/000000000000/).\n"
    )
    commit(site, {"content/pages/about.md": about}, "Link the adopted plan")
    made = build(site).warnings
    commit(site, {"content/pages/about.md": about + "\nMore.\n"}, "Say more")
    kept = build(site).warnings
    assert groups_of(site / "output")[RIVERTON]
    for said in (made, kept):
        assert [w for w in said if "/revisions/" in w] == [
            w for w in said if "/revisions/000000000000/" in w
        ]
        assert len([w for w in said if "000000000000" in w]) == 1
