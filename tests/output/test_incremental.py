"""Incremental builds: a build that reuses the previous output writes the same bytes as a
build from nothing, and never changes a published file in place."""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import site_builder
from site_builder.commands.build import build
from site_builder.engine.cache import CACHE_FOLDER, Memo, code_files, salt_of
from site_builder.history import kept as history_kept
from site_builder.history.reading import read_history
from site_builder.output.marker import MARKER, read_manifest
from site_builder.output.writer import OutputWriter
from tests.support.cache import Planted
from tests.support.fixtures import ColdDigest, TreeDigest
from tests.support.git import commit, git
from tests.support.sites import FULL_PLAN, WITH_FAMILIES, living_plan, run_cli
from tests.support.translated import PLAN, SPANISH, SPANISH_PLAN, day, reword, translated_plan

FELLOW = "---\nname: Ana Ruiz\ncohort: 2024\ncity: Riverton\n---\nAna works on summer jobs.\n"


def test_warm_build_renders_nothing_and_is_identical(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    site = living_plan(tmp_path / "site")
    cold = build(site)
    before = tree_digest(site / "output")
    warm = build(site)
    assert cold.cached_pages == 0
    assert warm.cached_pages == warm.pages
    assert tree_digest(site / "output") == before == cold_digest(site)
    moved = build(site, base_url="https://example.org/other/")
    assert moved.cached_pages < moved.pages - 20  # the address is on every HTML page
    assert tree_digest(site / "output") == cold_digest(
        site, "--base-url", "https://example.org/other/"
    )


def test_every_build_equals_a_build_from_nothing(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """Edits, a new page, deleted pages and a rewritten commit, built one after another into
    the same output: each time the same bytes as a fresh clone built from nothing, and the
    previous output (now the staging folder) exactly as it was published, unless the build
    had nothing to do."""
    site = living_plan(tmp_path / "site")
    output, staging = site / "output", site / ".output.staging"
    build(site)
    steps = [
        (
            {
                "content/plans/riverton/plan.md": WITH_FAMILIES.replace(
                    "Fewer people", "Fewer residents"
                )
            },
            "Say residents",
        ),
        ({"content/fellows/ana-ruiz.md": FELLOW}, "Add a fellow"),
        (
            {"content/pages/about.md": None, "content/fellows/ana-ruiz.md": None},
            "Remove the about page and the fellow",
        ),
        ({}, "Nothing changed"),
    ]
    for files, message in steps:
        commit(site, files, message, date="2025-01-02T10:00:00+00:00")
        published = tree_digest(output)
        build(site)
        assert tree_digest(output) == cold_digest(site), message
        if files:  # a build with something to do swaps its site in
            assert tree_digest(staging) == published, message
        else:  # one with nothing to do leaves the published site as it is
            assert tree_digest(output) == published, message
    assert not (output / "about").exists() and not (output / "fellows/ana-ruiz").exists()
    git(site, "commit", "-q", "--amend", "-m", "Nothing changed, said again")
    build(site)
    assert tree_digest(output) == cold_digest(site)


def test_a_build_with_nothing_to_do_leaves_the_output_as_it_is(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    """When the content, its history, the settings, the theme and the day are those the
    last build made its site of, and the output still holds that site exactly, a build
    lists no page and swaps no folder; it says again what the last build said. A file of
    the output edited by hand, or added to it, makes it build again."""
    site = living_plan(tmp_path / "site")
    commit(site, {"content/pages/about.md": None}, "Remove the about page")  # a broken link
    output = site / "output"
    first = build(site)
    folder, published = os.stat(output).st_ino, tree_digest(output)
    again = build(site)
    assert "stage" not in again.timings and os.stat(output).st_ino == folder
    assert tree_digest(output) == published
    # The first build into a folder made no staging folder: this one leaves a trusted copy.
    staging = site / ".output.staging"
    assert read_manifest(staging) == read_manifest(output) and tree_digest(staging) == published
    assert (again.pages, again.cached_pages) == (first.pages, first.pages)
    assert again.warnings == first.warnings and "leads to no page" in again.warnings[0]
    for hand in ("index.html", "stray.html"):
        (output / hand).write_text("by hand")
        mended = build(site)
        assert "stage" in mended.timings, hand
        assert tree_digest(output) == published, hand
    assert "stage" not in build(site).timings


def test_parallel_rendering_writes_the_same_bytes(tmp_path: Path, tree_digest: TreeDigest) -> None:
    site = living_plan(tmp_path / "site")
    build(site, tmp_path / "one", jobs=1)
    build(site, tmp_path / "two", jobs=2)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_unfinished_staging_is_not_trusted(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """A build stopped after writing into the staging folder (killed, or a full disk) leaves
    a folder that lists nothing; the next build starts the staging folder again."""
    site = living_plan(tmp_path / "site")
    build(site)
    commit(site, {"content/pages/more.md": "---\ntitle: More\n---\nMore.\n"}, "Add a page")
    build(site)  # a build with something to do: the site before is now the staging folder
    assert read_manifest(site / ".output.staging")
    with OutputWriter(site / "output") as writer:
        writer.write("index.html", b"half a page", "not-a-key")
        writer.write("plans/riverton/index.html", b"half a page", "not-a-key")
    assert read_manifest(site / ".output.staging") is None
    assert (site / ".output.staging" / MARKER).is_file()
    build(site)
    assert tree_digest(site / "output") == cold_digest(site)


def test_files_are_replaced_never_changed_in_place(tmp_path: Path) -> None:
    """Staging starts from the previous site by hard links: a changed page must be a new
    file, or the published copy would change under the host."""
    site = living_plan(tmp_path / "site")
    build(site)
    build(site, base_url="https://example.org/moved/")  # output and staging differ now
    published = site / "output/plans/riverton/index.html"
    text = published.read_bytes()
    commit(site, {"content/plans/riverton/plan.md": FULL_PLAN}, "Back to the adopted text")
    build(site)
    assert (site / ".output.staging/plans/riverton/index.html").read_bytes() == text
    assert os.stat(site / "output/index.html").st_nlink >= 1


def test_history_read_again_only_where_new(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    plans = ["content/plans/riverton/plan.md"]
    memo = Memo(site / CACHE_FOLDER, salt_of(code_files(), ""))
    first = read_history(site, plans, memo)
    same = read_history(site, plans, memo)
    assert (first.git_processes, same.git_processes) == (3, 1)
    assert replace(same, git_processes=3) == first
    commit(
        site,
        {"content/plans/riverton/plan.md": FULL_PLAN},
        "Back to the adopted text",
        date="2025-01-02T10:00:00+00:00",
    )
    newer = read_history(site, plans, memo)
    assert newer.git_processes == 4  # rev-parse, merge-base, log and cat-file of what is new
    assert replace(newer, git_processes=3) == read_history(site, plans)
    git(site, "reset", "-q", "--hard", "HEAD~2")
    commit(site, {"content/plans/riverton/plan.md": FULL_PLAN}, "Rewritten history")
    rewritten = read_history(site, plans, memo)
    assert replace(rewritten, git_processes=3) == read_history(site, plans)
    assert [r.subject for r in rewritten.revisions[plans[0]]][-1] == "Rewritten history"


def test_a_new_commit_keeps_only_what_it_adds_to_the_history_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history read is kept as a base and what later builds added: a commit on top
    writes the commits since the base, not every commit and blob again (16 MB on the
    network corpus, a tenth of a build after one edit); past `RECENT_AT_MOST` of them,
    the whole is the new base. Either way the next read is a fresh read's."""
    site = living_plan(tmp_path / "site")
    plans = ["content/plans/riverton/plan.md"]
    memo = Memo(site / CACHE_FOLDER, salt_of(code_files(), ""))
    base, recent = (
        site / CACHE_FOLDER / "history-base.pickle",
        site / CACHE_FOLDER / "history.pickle",
    )
    read_history(site, plans, memo)
    kept, small = base.read_bytes(), recent.stat().st_size
    for number, text in enumerate(("Fewer residents", "Fewer neighbours")):
        changed = WITH_FAMILIES.replace("Fewer people", text)
        commit(
            site,
            {plans[0]: changed},
            f"Edit {number}",
            date=f"2025-01-0{number + 2}T10:00:00+00:00",
        )
        newer = read_history(site, plans, memo)
        assert newer.git_processes == 4
        assert replace(newer, git_processes=3) == read_history(site, plans)
        assert base.read_bytes() == kept and recent.stat().st_size > small
    monkeypatch.setattr(history_kept, "RECENT_AT_MOST", 2)
    commit(site, {plans[0]: FULL_PLAN}, "Edit 2", date="2025-01-04T10:00:00+00:00")
    newest = read_history(site, plans, memo)
    assert base.read_bytes() != kept and recent.stat().st_size <= small
    assert replace(newest, git_processes=3) == read_history(site, plans)
    assert read_history(site, plans, memo).git_processes == 1


def test_translation_logs_kept_are_what_a_fresh_read_gives(tmp_path: Path) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    memo = Memo(site / CACHE_FOLDER, salt_of(code_files(), ""))
    first = read_history(site, [PLAN], memo, logged=[SPANISH_PLAN])
    same = read_history(site, [PLAN], memo, logged=[SPANISH_PLAN])
    assert (first.git_processes, same.git_processes) == (3, 1)
    assert replace(same, git_processes=3) == first
    reword(site)
    commit(site, {SPANISH_PLAN: SPANISH + "Más.\n"}, "More Spanish", date=day("2026-03-04"))
    newer = read_history(site, [PLAN], memo, logged=[SPANISH_PLAN])
    assert newer.git_processes == 4
    assert replace(newer, git_processes=3) == read_history(site, [PLAN], logged=[SPANISH_PLAN])
    assert newer.logs[SPANISH_PLAN].text == (SPANISH + "Más.\n").encode()


def test_cached_content_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    about = site / "content/pages/about.md"
    about.write_text("---\ntitle: About\nsumary: typo\n---\nAbout us.\n")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith("content/pages/about.md:3: ")
    about.write_text("---\ntitle: About the network\n---\nAbout us.\n")
    assert run_cli("build", "--source", str(site)).returncode == 0
    assert "About the network" in (site / "output/about/index.html").read_text()


def test_a_cache_file_from_the_repository_is_never_loaded(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """The cache sits in the site folder, so a commit can put files there; a file not
    signed with this user's key is ignored, so nothing planted runs."""
    site = living_plan(tmp_path / "site")
    proof = tmp_path / "planted-code-ran"
    planted = pickle.dumps(Planted(proof))
    cache = site / CACHE_FOLDER
    names = ("content.pickle", "content-recent.pickle", "history.pickle", "history-base.pickle")
    for name in names:
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_bytes(planted)
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    compiled = list((cache / "templates").iterdir())
    assert compiled  # the templates were compiled and kept
    for path in [*(cache / name for name in names), *compiled]:
        path.write_bytes(bytes(32) + planted)  # a signature that is not the key's
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert not proof.exists()
    assert tree_digest(site / "output") == cold_digest(site)


def test_a_file_the_writer_does_not_know_of_is_replaced_not_written_into(tmp_path: Path) -> None:
    """Whatever the staging folder holds, a write never goes through a hard link into the
    published site."""
    site = living_plan(tmp_path / "site")
    build(site)
    published = site / "output/index.html"
    before = published.read_bytes()
    with OutputWriter(site / "output") as writer:
        os.link(published, site / ".output.staging/stray.html")
        writer.write("stray.html", b"new page", "a-key")
        os.link(published, site / ".output.staging/stray.css")
        writer.copy(site / "site.yaml", "stray.css", "another-key")
    assert published.read_bytes() == before
    assert (site / ".output.staging/stray.html").read_bytes() == b"new page"


def test_a_published_file_deleted_by_hand_is_written_again(
    tmp_path: Path, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """The second build makes its staging folder from the published site; a file the
    output's marker lists but someone deleted is rendered, not promised."""
    site = living_plan(tmp_path / "site")
    build(site)
    assert not (site / ".output.staging").exists()  # the first build wrote one copy only
    (site / "output/plans/riverton/index.html").unlink()
    result = build(site)
    assert tree_digest(site / "output") == cold_digest(site)
    assert result.cached_pages == result.pages - 1


def test_the_code_salt_covers_every_module_wherever_it_sits(tmp_path: Path) -> None:
    """A module moved into a folder, or a new one, must change every key: a salt of the
    top-level modules alone would keep pages of the old code after an upgrade."""
    package = tmp_path / "site_builder"
    shutil.copytree(
        Path(site_builder.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )

    def salt() -> str:
        return salt_of(code_files(package), "")

    before = salt()
    (package / "layer").mkdir()
    (package / "cli.py").rename(package / "layer" / "cli.py")
    moved = salt()
    (package / "layer" / "new.py").write_text("")
    added = salt()
    (package / "layer" / "new.py").write_text("CHANGED = True\n")
    assert len({before, moved, added, salt()}) == 4
