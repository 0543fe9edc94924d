"""A save is met from what the preview keeps loaded: only the saved file is read again,
git is not asked again for its history (a saved translation is current at once), and a
save that brings a mistake — one file or across files — still shows the error page. Real
files, a real repository, pages parsed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.commands.preview import Preview
from site_builder.commands.preview_draft import Drafting
from site_builder.content.load import RACY_NS
from site_builder.engine.errors import ContentError
from tests.support.git import commit, make_repo
from tests.support.sites import MINIMAL_PLAN, write_site
from tests.support.translated import PLAN as SOURCE
from tests.support.translated import SPANISH, SPANISH_PLAN, reword, translated_plan, with_mark

PLAN = "content/plans/testville/plan.md"
OTHER = "content/plans/otherville/plan.md"
PLAN_PARTS = ["plans", "testville"]


def two_plans(tmp_path: Path) -> Path:
    """Two committed plans, old enough that a stat says they are unchanged (`RACY_NS`)."""
    other = MINIMAL_PLAN.replace("Testville", "Otherville")
    site = write_site(tmp_path / "site", {PLAN: MINIMAL_PLAN, OTHER: other})
    make_repo(site)
    commit(site, {}, "Start", date="2026-01-01T00:00:00+00:00")
    settle()
    return site


def settle() -> None:
    time.sleep(2 * RACY_NS / 1e9)


def plan_page(drafting: Drafting) -> BeautifulSoup:
    page = drafting.draft().get("plans/testville/index.html")
    assert page is not None
    return BeautifulSoup(page, "html.parser")


def test_a_save_of_one_plan_reads_only_that_file_and_not_git(
    tmp_path: Path, git_calls: Path
) -> None:
    site = two_plans(tmp_path)
    drafting = Drafting(site)
    first = drafting.draft()
    other = first.site.content.plans[0]
    assert sorted(drafting.kept.parsed) == [OTHER, PLAN]  # the first load reads them all
    asked = git_calls.read_text().splitlines()

    (site / PLAN).write_text(MINIMAL_PLAN + "\nWords saved just now.\n")
    page = plan_page(drafting)

    assert "Words saved just now." in page.get_text()
    assert drafting.kept.parsed == [PLAN]
    assert drafting.draft().site.content.plans[0] is other  # the same record, kept
    assert git_calls.read_text().splitlines() == asked  # the history was not read again


def test_after_a_commit_the_history_is_read_again(tmp_path: Path) -> None:
    site = two_plans(tmp_path)
    drafting = Drafting(site)
    assert len(drafting.draft().site.revisions[PLAN]) == 1

    commit(site, {PLAN: MINIMAL_PLAN + "\nA second paragraph.\n"}, "Add a paragraph")
    drafting.git_moved = True  # as the watcher of git's files says

    assert len(drafting.draft().site.revisions[PLAN]) == 2


def test_a_page_of_a_plan_alone_is_the_page_the_lists_make(tmp_path: Path) -> None:
    draft = Drafting(two_plans(tmp_path)).draft()
    alone = draft.page("plans/testville/index.html")

    assert draft.holds("index.html")  # the lists are made now
    assert draft.page("plans/testville/index.html") == alone


def error_after_save(tmp_path: Path, files: dict[str, str]) -> BeautifulSoup:
    """The plan page the preview answers once `files` are saved over a good site."""
    site = two_plans(tmp_path)
    preview = Preview(site, tmp_path / "preview")
    assert preview.refresh()
    for path, text in files.items():
        (site / path).write_text(text)
    assert not preview.refresh()
    status, kind, body = preview.answer(PLAN_PARTS, "")
    assert (status, kind) == ("200 OK", "text/html; charset=utf-8")
    return BeautifulSoup(body, "html.parser")


def test_a_save_that_breaks_the_yaml_shows_the_error_page(tmp_path: Path) -> None:
    page = error_after_save(tmp_path, {PLAN: MINIMAL_PLAN.replace("city: Testville", "city: [")})

    assert "could not be rebuilt" in page.get_text()
    assert page.find("code").get_text().startswith(f"{PLAN}:3: ")


def test_a_save_that_takes_a_name_twice_shows_the_error_page(tmp_path: Path) -> None:
    page = error_after_save(tmp_path, {"content/plans/testville.md": MINIMAL_PLAN})

    assert "could not be rebuilt" in page.get_text()
    assert "testville" in page.find("code").get_text()


def test_a_saved_translation_is_current_at_once_and_git_is_not_asked_again(
    tmp_path: Path, git_calls: Path
) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    reword(site)
    settle()
    drafting = Drafting(site)
    assert drafting.draft().site.translation_states[SOURCE]["es"].outdated
    asked = git_calls.read_text().splitlines()

    (site / SPANISH_PLAN).write_text(SPANISH.replace("Menos personas", "La mitad de personas"))
    state = drafting.draft().site.translation_states[SOURCE]["es"]

    assert state.state == "current"
    assert git_calls.read_text().splitlines() == asked


def test_a_saved_translation_of_that_is_no_commit_of_the_source_is_a_mistake(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    drafting = Drafting(site)
    drafting.draft()

    (site / SPANISH_PLAN).write_text(with_mark("1234567"))

    with pytest.raises(ContentError) as raised:
        drafting.draft()
    assert [(p.path, p.line) for p in raised.value.problems] == [(SPANISH_PLAN, 7)]
