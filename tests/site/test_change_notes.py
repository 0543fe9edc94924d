"""Change notes that are never boilerplate: a commit noted "Update plan.md" (or not at all)
is shown with a note the site writes from the diff, marked as such, and `check` warns."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from site_builder.commands.build import build
from site_builder.history.change_notes import says_nothing
from site_builder.site.change_summary import summary
from site_builder.site.revision_loading import LoadedRevision
from tests.support.browser import (
    accessibility_problems,
    nu_html_errors,
    require_browser_tools,
    require_nu_html_checker,
)
from tests.support.fixtures import ColdDigest, Soup, TreeDigest
from tests.support.git import commit, log_follow, make_repo
from tests.support.sites import (
    BASE_URL,
    FULL_PLAN,
    LOWER_TARGET,
    SITE_YAML,
    UPDATE,
    built,
    run_cli,
)

PLAN = "content/plans/riverton/plan.md"
EDITED = LOWER_TARGET.replace(
    "is [about](/about/) people.",
    "is [about](/about/) people.\n\nOutreach workers meet young people where they are.",
)


@pytest.mark.parametrize(
    "subject",
    [
        "",
        "Update plan.md",
        "Create content/plans/riverton/plan.md",
        "Edit plan.md",
        "Updated plan.md.",
        "Update file plan.md",
        "Add files via upload",
        "Rename riverton.md to riverton/plan.md",
        "Delete 2024-h1.md",
        "plan.md edited online with Bitbucket",
        "Update Plans “riverton”",
        "Update from TinaCMS",
        "update",
        "WIP",
        "...",
    ],
)
def test_defaults_of_web_editors_and_tools_say_nothing(subject: str) -> None:
    assert says_nothing(subject)


@pytest.mark.parametrize(
    "subject",
    [
        "Lower the 2030 shooting target after the spring review",
        "Update plan.md: lower the target to 40",
        "Update the outreach section",
        "Fix a typo",
        "Halverton mid-2026 update: 57 people shot, not 55",
    ],
)
def test_a_note_of_the_writer_is_kept(subject: str) -> None:
    assert not says_nothing(subject)


def boilerplate_history(root: Path) -> Path:
    """A plan created and edited through a web editor, with its default notes."""
    make_repo(root)
    commit(
        root,
        {"site.yaml": SITE_YAML, "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n"},
        "Set up the site",
        date="2022-01-01T09:00:00+00:00",
    )
    commit(root, {PLAN: FULL_PLAN}, "Create plan.md", date="2022-03-01T09:00:00+00:00")
    commit(root, {PLAN: EDITED}, "Update plan.md", date="2023-04-15T09:00:00+00:00")
    return root


GENERATED = "Goal “Fewer people shot” › Target: 40 by 2030, was 50 by 2030; 1 paragraph added"


def test_history_changes_plan_and_home_pages_show_a_note_written_from_the_diff(
    tmp_path: Path, soup: Soup
) -> None:
    site = boilerplate_history(tmp_path / "site")
    built(site)
    edited, created = log_follow(site, PLAN)[:2]
    out = site / "output"
    titles = [
        h.get_text(" ", strip=True)
        for h in soup(out / "plans/riverton/history/index.html").select(".revision__title")
    ]
    marked = "(summary written by the site from the changes; the commit's note was “{}”)"
    assert titles == [
        f"{GENERATED} {marked.format('Update plan.md')}",
        f"First recorded version of the plan {marked.format('Create plan.md')}",
    ]
    changes = soup(out / f"plans/riverton/revisions/{edited[:12]}/changes/index.html")
    note = changes.select_one(".card p")
    assert note.get_text(" ", strip=True) == f"{GENERATED} {marked.format('Update plan.md')}"
    assert note.strong.get_text() == GENERATED
    assert note.select_one(".change-note__generated")  # marked, not passed off as the writer's
    latest = soup(out / "plans/riverton/index.html").select_one(".latest-change p a")
    assert latest.get_text(" ", strip=True).startswith(GENERATED)
    home = soup(out / "index.html").get_text(" ", strip=True)
    assert f"{GENERATED} (summary written by the site)" in home
    assert "Update plan.md" not in home
    assert created  # the first version's page exists too
    entries = json.loads((out / "plans/riverton/history.json").read_text())
    assert [e["message"] for e in entries] == ["Create plan.md", "Update plan.md"]
    assert entries[-1]["generated_note"] == GENERATED


def test_feeds_show_the_written_note_and_say_so(tmp_path: Path) -> None:
    site = boilerplate_history(tmp_path / "site")
    built(site)
    feed = feedparser.parse((site / "output/plans/riverton/feed.xml").read_bytes())
    newest = feed.entries[0]
    assert newest.title == f"Safer Riverton 2030 revised: {GENERATED} (summary written by the site)"
    assert "the commit's note was “Update plan.md”" in newest.summary


def test_a_note_of_the_writer_is_shown_as_written(tmp_path: Path, soup: Soup) -> None:
    site = boilerplate_history(tmp_path / "site")
    commit(site, {PLAN: FULL_PLAN}, "Restore the 50 target", date="2024-01-01T09:00:00+00:00")
    built(site)
    page = soup(site / "output/plans/riverton/history/index.html")
    newest = page.select(".revision__title")[0]
    assert newest.get_text(" ", strip=True) == "Restore the 50 target"
    assert newest.select_one(".change-note__generated") is None


def test_check_warns_on_the_latest_commit_that_says_nothing(tmp_path: Path) -> None:
    site = boilerplate_history(tmp_path / "site")
    commit(
        site,
        {"content/plans/riverton/updates/2024-h1.md": UPDATE},
        "Add files via upload",
        date="2024-07-20T08:00:00+00:00",
    )
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    update = log_follow(site, "content/plans/riverton/updates/2024-h1.md")[0]
    edited = log_follow(site, PLAN)[0]
    assert warnings == [
        f"warning: {PLAN}: commit {edited[:7]} of 2023-04-15 has the change note “Update "
        "plan.md”, which tells residents nothing, so the site shows a summary it wrote "
        "instead; say what changed and why (git commit --amend, if it is not pushed yet)",
        f"warning: content/plans/riverton/updates/2024-h1.md: commit {update[:7]} of "
        "2024-07-20 has the change note “Add files via upload”, which tells residents "
        "nothing, so the site shows a summary it wrote instead; say what changed and why "
        "(git commit --amend, if it is not pushed yet)",
    ]
    commit(site, {PLAN: LOWER_TARGET}, "Drop the outreach sentence", date="2024-08-01T08:00:00")
    commit(
        site,
        {"content/plans/riverton/updates/2024-h1.md": UPDATE.replace("90", "92")},
        "Correct the people shot in the first half of 2024: 92, not 90",
        date="2024-08-02T08:00:00+00:00",
    )
    result = run_cli("check", "--source", str(site))
    assert "warning" not in result.stderr  # older commits cannot be mended: not warned again


def test_a_correction_that_says_nothing_gets_a_written_note(tmp_path: Path, soup: Soup) -> None:
    site = boilerplate_history(tmp_path / "site")
    path = "content/plans/riverton/updates/2024-h1.md"
    commit(site, {path: UPDATE}, "Publish the first half of 2024", date="2024-07-20T08:00:00")
    commit(site, {path: UPDATE.replace("90", "92")}, "Update 2024-h1.md", date="2024-08-02T08:00")
    built(site)
    page = soup(site / "output/plans/riverton/updates/2024-h1/index.html")
    section = page.find(id="update-corrections").find_parent("section")
    assert "1 figure corrected (summary written by the site from the changes; the commit's " in (
        section.get_text(" ", strip=True)
    )


def test_written_notes_are_kept_for_the_next_builds_and_match_a_cold_build(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    site = boilerplate_history(tmp_path / "site")
    built(site)
    cached = sorted((site / ".site-builder-cache").rglob("notes.pickle"))
    assert cached  # written once, read by the next builds
    commit(site, {PLAN: FULL_PLAN}, "Update plan.md", date="2024-01-01T09:00:00+00:00")
    built(site)  # one note more, the others from the cache
    assert tree_digest(site / "output") == cold_digest(site)


def test_pages_with_written_notes_pass_the_nu_html_checker_and_axe(tmp_path: Path) -> None:
    """The history, changes, plan, home and update pages, with notes the site wrote."""
    require_browser_tools()
    require_nu_html_checker()
    site = boilerplate_history(tmp_path / "site")
    path = "content/plans/riverton/updates/2024-h1.md"
    commit(site, {path: UPDATE}, "Add files via upload", date="2024-07-20T08:00:00+00:00")
    commit(site, {path: UPDATE.replace("90", "92")}, "Update 2024-h1.md", date="2024-08-02T08:00")
    output = tmp_path / "output"
    build(site, output, base_url=BASE_URL)
    edited = log_follow(site, PLAN)[0]
    paths = [
        "",
        "plans/riverton/",
        "plans/riverton/history/",
        f"plans/riverton/revisions/{edited[:12]}/changes/",
        "plans/riverton/updates/2024-h1/",
    ]
    assert nu_html_errors(*(str(output / p / "index.html") for p in paths)) == []
    assert accessibility_problems(output, paths) == []


def test_a_written_note_counts_a_paragraph_moved_and_changed_as_such() -> None:
    def side(body: str) -> LoadedRevision:
        return LoadedRevision(None, {"title": "T"}, body, ())

    old = "Alpha.\n\nThe city will hire forty outreach workers.\n\nBeta.\n\nGamma.\n"
    moved = "Alpha.\n\nBeta.\n\nGamma.\n\nThe city will hire forty outreach workers.\n"
    edited = moved.replace("forty", "twenty")
    assert summary(side(old), side(moved)) == "1 paragraph moved"
    assert summary(side(old), side(edited)) == "1 paragraph moved and changed"
