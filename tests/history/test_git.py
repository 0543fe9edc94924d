"""`history.git`, the one runner of git: every command of the history reading, `publish`
and the preview runs in the site's own repository, with what git prints pinned."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.commands.publish import publish_folder
from site_builder.commands.serve import Preview
from site_builder.history.git import PINNED, Git
from site_builder.history.reading import read_history
from tests.support.fixtures import MakeSite
from tests.support.git import commit, git, make_repo
from tests.support.sites import MINIMAL_PLAN

PLAN = "content/plans/testville/plan.md"
MOVED = "content/plans/riverton/plan.md"


pytestmark = pytest.mark.usefixtures("fixed_git")


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A committed site whose plan was moved once, by an author with a non-ASCII name."""
    root = make_site(
        {PLAN: MINIMAL_PLAN, ".gitignore": "/output/\n/.output.*\n/.site-builder-cache/\n"}
    )
    make_repo(root)
    commit(
        root,
        {},
        "Start the plan",
        author=("Zoë Ngụyễn", "zoe@example.org"),
        date="2024-01-02T10:00:00+02:00",
    )
    commit(
        root,
        {PLAN: None, MOVED: MINIMAL_PLAN + "Moved.\n"},
        "Move the plan",
        date="2024-02-03T10:00:00+02:00",
    )
    return root


def another_repository(tmp_path: Path) -> Path:
    """A repository of its own history, with an uncommitted edit of a plan."""
    other = make_repo(tmp_path / "other")
    commit(other, {MOVED: MINIMAL_PLAN + "Another repository.\n"}, "Another repository's plan")
    (other / MOVED).write_text("Not committed.\n")
    return other


def in_a_hook(monkeypatch: pytest.MonkeyPatch, other: Path) -> None:
    """What a git hook of `other` (say, post-commit running a build) sets for its repository."""
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git/index"))
    monkeypatch.setenv("GIT_PREFIX", "")


def test_a_hook_environment_never_sends_the_history_reading_to_another_repository(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read_history(site, [MOVED])
    in_a_hook(monkeypatch, another_repository(tmp_path))

    history = read_history(site, [MOVED])

    assert history == expected and history.state == "full"
    assert [r.subject for r in history.revisions[MOVED]] == ["Start the plan", "Move the plan"]


def test_a_hook_environment_never_sends_the_preview_banner_to_another_repository(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_a_hook(monkeypatch, another_repository(tmp_path))  # whose plan is not committed
    preview = Preview(site, tmp_path / "preview")

    preview.rebuild()
    assert (preview.problems, preview.failure, preview.unpublished) == ([], "", False)

    (site / MOVED).write_text(MINIMAL_PLAN + "Edited, not committed.\n")
    preview.rebuild()
    assert preview.unpublished


def test_the_machines_git_config_changes_nothing_the_history_reads(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings that would change paths, names, encodings and which commits are listed."""
    expected = read_history(site, [MOVED])
    mailmap = tmp_path / "mailmap"
    mailmap.write_text("Someone Else <zoe@example.org>\n")
    config = tmp_path / "gitconfig"
    config.write_text(
        f"[core]\n\tquotepath = true\n[diff]\n\trelative = true\n"
        "[log]\n\tfollow = true\n\tshowRoot = false\n\tshowSignature = true\n"
        f"[i18n]\n\tlogOutputEncoding = ISO-8859-1\n[mailmap]\n\tfile = {mailmap}\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))

    history = read_history(site, [MOVED])

    assert history == expected
    assert [r.author for r in history.revisions[MOVED]] == ["Zoë Ngụyễn", "Test Author"]


def test_every_git_command_runs_with_the_pinned_settings(
    site: Path, tmp_path: Path, git_calls: Path
) -> None:
    Preview(site, tmp_path / "preview").rebuild()  # a build, then `status` for the banner
    publish_folder(site, tmp_path / "preview")

    pinned = " ".join(f"-c {setting}" for setting in PINNED) + " "
    commands = git_calls.read_text(encoding="utf-8").splitlines()
    assert all(command.startswith(pinned) for command in commands), commands
    ran = {command.removeprefix(pinned).split(" ")[0] for command in commands}
    assert ran == {
        "rev-parse",
        "log",
        "cat-file",
        "status",
        "worktree",
        "hash-object",
        "update-index",
        "write-tree",
        "config",
        "commit-tree",
        "update-ref",
    }


def test_a_command_started_in_the_background_never_waits_for_a_reader(repo: Path) -> None:
    """Its output goes to a file: a pipe nobody reads yet would stop it once full."""
    data = "".join(f"line {number} of a long file\n" for number in range(100_000))
    commit(repo, {"long.txt": data}, "A long file")
    runner = Git(repo)

    running = runner.start("cat-file", "blob", git(repo, "rev-parse", "HEAD:long.txt").strip())
    running.process.wait(timeout=60)

    assert running.result().stdout == data.encode() and runner.processes == 1
