"""`publish_folder`: the built site committed to a branch with plumbing, checkout untouched."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.commands.build import build
from site_builder.commands.publish import publish_folder
from site_builder.engine.errors import SiteError
from site_builder.output.branch import FALLBACK_EMAIL
from tests.support.fixtures import MakeSite
from tests.support.git import FIXED_DATE
from tests.support.sites import run_cli

PLAN = "---\ntitle: Safer X\ncity: X\nstatus: draft\n---\nThe plan.\n"
pytestmark = pytest.mark.usefixtures("fixed_git")


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    """Git as the code under test runs it: in this process's environment (`fixed_git`)."""
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, input=stdin, check=True
    )
    return result.stdout


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A minimal site in a repository on `main`, committed and built into output/."""
    root = make_site(
        {
            "content/plans/x/plan.md": PLAN,
            ".gitignore": "/output/\n/.output.*\n/.site-builder-cache/\n",
        },
        "title: T\n",
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Start the plan for X")
    build(root)
    return root


@pytest.fixture
def remote(site: Path, tmp_path: Path) -> Path:
    """A bare repository, the site's `origin`."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(site, "remote", "add", "origin", str(remote))
    return remote


@pytest.fixture
def stale_clone(site: Path, remote: Path, tmp_path: Path) -> Path:
    """A clone of `origin`, built with a file more, behind the gh-pages the site has pushed
    there since (a publish from elsewhere)."""
    git(site, "push", "-q", "origin", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    publish_folder(site, site / "output", push="origin")
    build(clone)
    (clone / "output/extra.txt").write_text("new\n")
    return clone


def checkout_state(repo: Path) -> tuple[str, str, bytes, str]:
    """Everything publishing must leave alone: branch, HEAD, index bytes, status."""
    return (
        git(repo, "symbolic-ref", "HEAD"),
        git(repo, "rev-parse", "HEAD"),
        (repo / ".git/index").read_bytes(),
        git(repo, "status", "--porcelain", "-uall"),
    )


def branch_files(repo: Path, branch: str = "gh-pages") -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", branch).splitlines()


def test_publish_creates_the_branch_and_leaves_the_checkout_alone(site: Path) -> None:
    (site / "content/plans/x/plan.md").write_text(PLAN + "Not committed yet.\n")
    git(site, "add", "content/plans/x/plan.md")  # a staged change must stay staged
    before = checkout_state(site)
    head = git(site, "rev-parse", "HEAD").strip()

    result = publish_folder(site, site / "output")

    assert checkout_state(site) == before
    assert result.branch == "gh-pages" and result.source_commit == head and not result.pushed
    assert result.commit == git(site, "rev-parse", "gh-pages").strip()
    files = branch_files(site)
    assert ".nojekyll" in files and "index.html" in files and "plans/x/index.html" in files
    assert ".site-builder-output" not in files
    assert not (site / "output/.nojekyll").exists()
    assert (
        git(site, "cat-file", "-p", "gh-pages:index.html")
        == (site / "output/index.html").read_text()
    )
    message = git(site, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith(f"Publish site from {head[:7]}: Start the plan for X\n")
    assert f"Source-Commit: {head}" in message
    assert git(site, "log", "-1", "--format=%P", "gh-pages").strip() == ""
    dates = git(site, "log", "-1", "--format=%aI %cI", "gh-pages").split()
    assert dates == [FIXED_DATE, FIXED_DATE]


def test_publishing_twice_makes_one_commit(site: Path) -> None:
    first = publish_folder(site, site / "output")
    again = publish_folder(site, site / "output")
    assert first.commit is not None and again.commit is None
    assert git(site, "rev-list", "--count", "gh-pages").strip() == "1"


def test_a_changed_site_is_committed_on_top_of_the_last_publish(site: Path) -> None:
    first = publish_folder(site, site / "output")
    (site / "content/plans/x/plan.md").write_text(PLAN.replace("Safer X", "Safer X 2030"))
    git(site, "commit", "-q", "-am", "Rename the plan")
    build(site)

    second = publish_folder(site, site / "output")

    assert second.commit is not None and second.commit != first.commit
    assert git(site, "rev-parse", f"{second.commit}^").strip() == first.commit
    assert "Safer X 2030" in git(site, "cat-file", "-p", "gh-pages:plans/x/index.html")
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_the_same_source_publishes_to_the_same_commit_id(site: Path, tmp_path: Path) -> None:
    first = publish_folder(site, site / "output")
    git(site, "update-ref", "-d", "refs/heads/gh-pages")
    assert publish_folder(site, site / "output").commit == first.commit


def test_push_to_a_bare_repository(site: Path, remote: Path) -> None:

    result = publish_folder(site, site / "output", branch="pages", push="origin")

    assert result.pushed
    assert git(remote, "rev-parse", "pages").strip() == result.commit
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_a_failed_push_changes_nothing_and_says_what_to_do(site: Path) -> None:
    with pytest.raises(
        SiteError,
        match=r"could not push gh-pages to 'nowhere' \(git: 'nowhere' "
        r"does not appear to be a git repository\)",
    ):
        publish_folder(site, site / "output", push="nowhere")
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_fresh_clone_extends_the_remote_branch(site: Path, remote: Path, tmp_path: Path) -> None:
    """The CI case: no local gh-pages, but the remote has one from an earlier publish."""
    git(site, "push", "-q", "origin", "main")
    first = publish_folder(site, site / "output", push="origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    (clone / "content/plans/x/plan.md").write_text(PLAN + "More.\n")
    git(clone, "commit", "-q", "-am", "More prose")
    build(clone)

    second = publish_folder(clone, clone / "output", push="origin")

    assert git(remote, "rev-parse", "gh-pages^").strip() == first.commit
    assert git(remote, "rev-parse", "gh-pages").strip() == second.commit
    assert git(clone, "rev-parse", "gh-pages").strip() == second.commit


def test_a_stale_remote_branch_is_rejected_until_fetched(stale_clone: Path) -> None:
    with pytest.raises(SiteError, match="git fetch origin"):
        publish_folder(stale_clone, stale_clone / "output", push="origin")
    assert git(stale_clone, "branch", "--list", "gh-pages") == ""
    git(stale_clone, "fetch", "-q", "origin")
    assert publish_folder(stale_clone, stale_clone / "output", push="origin").pushed


def test_identity_falls_back_to_config_then_to_an_address_that_cannot_exist(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    publish_folder(site, site / "output")
    assert (
        git(site, "log", "-1", "--format=%an <%ae>", "gh-pages").strip()
        == f"site-builder <{FALLBACK_EMAIL}>"
    )

    git(site, "config", "user.name", "Comms Team")
    git(site, "config", "user.email", "comms@example.org")
    (site / "output/extra.txt").write_text("more\n")
    publish_folder(site, site / "output")
    assert (
        git(site, "log", "-1", "--format=%an <%ae> %cn", "gh-pages").strip()
        == "Comms Team <comms@example.org> Comms Team"
    )


@pytest.mark.parametrize("branch", ["main", "bad..name", "-x", "with space", ""])
def test_refuses_the_checked_out_branch_and_bad_names(site: Path, branch: str) -> None:
    before = checkout_state(site)
    with pytest.raises(SiteError, match="branch"):
        publish_folder(site, site / "output", branch=branch)
    assert checkout_state(site) == before


def test_errors_say_what_to_do(tmp_path: Path, site: Path) -> None:
    with pytest.raises(SiteError, match="build first"):
        publish_folder(site, site / "missing")
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose/index.html").write_text("hi")
    with pytest.raises(SiteError, match="not made by site-builder"):
        publish_folder(site, tmp_path / "loose")

    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(SiteError, match="not in a git repository"):
        publish_folder(plain, site / "output")
    git(plain, "init", "-q", "-b", "main")
    with pytest.raises(SiteError, match="no commits yet"):
        publish_folder(plain, site / "output")


# --- Only what was committed is published; the branch is a publish branch ------------------

DIRTY_TRAILER = "(dirty: uncommitted changes were published)"


def publish_cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("publish", "--source", str(site), *args)


def test_publish_refuses_uncommitted_content_before_building(site: Path) -> None:
    shutil.rmtree(site / "output")
    (site / "content/plans/x/plan.md").write_text(PLAN + "Not committed yet.\n")
    (site / "static").mkdir()
    (site / "static/new.txt").write_text("never added\n")
    (site / "site.yaml").write_text("title: T2\n")
    git(site, "add", "site.yaml")  # staged is not committed either

    result = publish_cli(site)

    assert result.returncode == 1, result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    for name in ("content/plans/x/plan.md", "static/new.txt (untracked)", "site.yaml"):
        assert name in message
    assert "--allow-dirty" in message
    assert not (site / "output").exists()  # refused before anything was built
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_files_ignored_by_git_under_content_are_not_committed_content(site: Path) -> None:
    (site / ".gitignore").write_text(
        "/output/\n/.output.*\n/.site-builder-cache/\ncontent/pages/\n.DS_Store\n"
    )
    git(site, "commit", "-qam", "Ignore drafts")
    (site / "content/pages").mkdir()
    (site / "content/pages/draft.md").write_text("---\ntitle: Draft\n---\nSecret.\n")
    (site / "content/.DS_Store").write_bytes(b"\0")  # hidden: the build leaves it out

    result = publish_cli(site)

    assert result.returncode == 1
    assert "content/pages/draft.md (ignored by git)" in result.stderr
    assert ".DS_Store" not in result.stderr


def test_allow_dirty_publishes_and_marks_the_commit_dirty(site: Path) -> None:
    (site / "content/plans/x/plan.md").write_text(PLAN + "Not committed yet.\n")
    head = git(site, "rev-parse", "HEAD").strip()

    result = publish_cli(site, "--allow-dirty")

    assert result.returncode == 0, result.stderr
    assert "uncommitted" in result.stderr and "content/plans/x/plan.md" in result.stderr
    assert "with uncommitted changes" in result.stdout
    message = git(site, "log", "-1", "--format=%B", "gh-pages")
    assert f"Source-Commit: {head} {DIRTY_TRAILER}\n" in message
    assert "Not committed yet." in git(site, "cat-file", "-p", "gh-pages:plans/x/index.html")


def test_a_clean_site_in_a_sub_folder_publishes_whatever_the_rest_of_the_repository_holds(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    (repo / "site/content/plans/x").mkdir(parents=True)
    (repo / "site/site.yaml").write_text("title: T\n")
    (repo / "site/content/plans/x/plan.md").write_text(PLAN)
    (repo / "README.md").write_text("The city's repository.\n")
    (repo / ".gitignore").write_text("output/\n.output.*\n.site-builder-cache/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start")
    (repo / "README.md").write_text("Edited, not committed: not part of the site.\n")
    (repo / "notes.txt").write_text("untracked, outside the site\n")

    assert publish_cli(repo / "site").returncode == 0

    (repo / "site/content/plans/x/plan.md").write_text(PLAN + "More.\n")
    result = publish_cli(repo / "site")
    assert result.returncode == 1
    assert "site/content/plans/x/plan.md" in result.stderr
    assert "README.md" not in result.stderr and "notes.txt" not in result.stderr


def test_publish_refuses_a_branch_checked_out_in_another_worktree(
    site: Path, tmp_path: Path
) -> None:
    publish_folder(site, site / "output")
    git(site, "worktree", "add", "-q", str(tmp_path / "pages"), "gh-pages")
    (site / "output/extra.txt").write_text("more\n")
    tip = git(site, "rev-parse", "gh-pages")

    with pytest.raises(SiteError, match=r"gh-pages is checked out in .*pages"):
        publish_folder(site, site / "output", force=True)  # --force does not override this
    assert git(site, "rev-parse", "gh-pages") == tip


def test_publish_refuses_a_source_branch_unless_forced(site: Path) -> None:
    git(site, "switch", "-q", "-c", "draft")
    (site / "content/plans/x/plan.md").write_text(PLAN + "A draft.\n")
    git(site, "commit", "-qam", "Draft")  # ahead of main, so only site.yaml gives it away
    git(site, "switch", "-q", "main")
    tip = git(site, "rev-parse", "draft")

    with pytest.raises(SiteError, match=r"draft holds site\.yaml.*--force"):
        publish_folder(site, site / "output", branch="draft")
    assert git(site, "rev-parse", "draft") == tip
    assert publish_folder(site, site / "output", branch="draft", force=True).commit


def test_publish_refuses_a_branch_whose_tip_is_in_the_source_history(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("Plans, soon.\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start")
    git(repo, "branch", "old")  # no site.yaml yet, but part of the source's history
    (repo / "content/plans/x").mkdir(parents=True)
    (repo / "site.yaml").write_text("title: T\n")
    (repo / "content/plans/x/plan.md").write_text(PLAN)
    (repo / ".gitignore").write_text("/output/\n/.output.*\n/.site-builder-cache/\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add the site")
    build(repo)
    tip = git(repo, "rev-parse", "old")

    with pytest.raises(SiteError, match=r"old .*ancestor of HEAD.*--force"):
        publish_folder(repo, repo / "output", branch="old")
    assert git(repo, "rev-parse", "old") == tip
    forced = publish_folder(repo, repo / "output", branch="old", force=True)
    assert git(repo, "rev-parse", f"{forced.commit}^") == tip


def test_a_rejected_push_keeps_the_remote_reason(site: Path, remote: Path) -> None:
    hook = remote / "hooks/pre-receive"
    hook.write_text(
        "#!/bin/sh\necho 'GH006: Protected branch update failed for "
        "refs/heads/gh-pages.' >&2\nexit 1\n"
    )
    hook.chmod(0o755)

    with pytest.raises(SiteError) as refused:
        publish_folder(site, site / "output", push="origin")

    message = str(refused.value)
    assert "\n" not in message
    assert "[remote rejected]" in message and "pre-receive hook declined" in message
    assert "GH006: Protected branch update failed" in message


def test_a_push_behind_the_remote_says_what_git_said(stale_clone: Path) -> None:
    with pytest.raises(SiteError) as refused:
        publish_folder(stale_clone, stale_clone / "output", push="origin")

    message = str(refused.value)
    assert "\n" not in message
    assert re.search(r"\[rejected\] \w+ -> gh-pages \(fetch first\)", message)
    assert "Updates were rejected because the remote contains work" in message
    assert "git fetch origin" in message


def test_commit_gpgsign_signs_the_publish_commit(site: Path, tmp_path: Path) -> None:
    key = tmp_path / "signing-key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "publisher", "-f", str(key)],
        check=True,
    )
    for setting, value in (
        ("gpg.format", "ssh"),
        ("user.signingKey", str(key)),
        ("commit.gpgSign", "true"),
    ):
        git(site, "config", setting, value)

    result = publish_folder(site, site / "output")

    commit = git(site, "cat-file", "commit", result.commit or "")
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in commit


def test_a_signing_failure_is_one_clear_line(site: Path) -> None:
    git(site, "config", "commit.gpgSign", "yes")
    git(site, "config", "gpg.program", "no-such-gpg-program")

    with pytest.raises(SiteError) as refused:
        publish_folder(site, site / "output")

    message = str(refused.value)
    assert "\n" not in message
    assert "could not sign the publish commit" in message and "commit.gpgSign" in message
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_hook_environment_does_not_send_publish_to_another_repository(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git hook (say, post-commit running publish) sets these for its own repository."""
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    git(other, "commit", "-q", "--allow-empty", "-m", "Another repository")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git/index"))
    monkeypatch.setenv("GIT_PREFIX", "")

    result = publish_folder(site, site / "output")

    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"):
        monkeypatch.delenv(name)
    assert git(site, "rev-parse", "gh-pages").strip() == result.commit
    assert git(other, "branch", "--list", "gh-pages") == ""


def subcommands(calls: Path) -> list[str]:
    """The git command of each logged command line, past its `-c name=value` settings."""
    found = []
    for line in calls.read_text().splitlines():
        words = line.split(" ")
        while words[0] == "-c":
            words = words[2:]
        found.append(words[0])
    return found


def test_publish_runs_the_git_processes_its_docstring_counts(site: Path, git_calls: Path) -> None:
    publish_folder(site, site / "output")  # a new branch
    first = subcommands(git_calls)
    git_calls.unlink()
    (site / "output/extra.txt").write_text("more\n")
    publish_folder(site, site / "output")  # on top of it
    second = subcommands(git_calls)

    assert first == [
        "cat-file",
        "worktree",
        "hash-object",
        "update-index",
        "write-tree",
        "config",
        "commit-tree",
        "update-ref",
    ]
    assert second == [
        "cat-file",
        "worktree",
        "for-each-ref",
        "hash-object",
        "update-index",
        "write-tree",
        "config",
        "commit-tree",
        "update-ref",
    ]
