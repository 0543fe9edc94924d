"""`publish_folder`: the built site committed to a branch with plumbing, checkout untouched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.publish import FALLBACK_EMAIL, publish_folder

PLAN = "---\ntitle: Safer X\ncity: X\nstatus: draft\n---\nThe plan.\n"
SOURCE_DATE = "2024-03-04T05:06:07+02:00"


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                            input=stdin, check=True)
    return result.stdout


@pytest.fixture(autouse=True)
def fixed_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fixed identities and dates, and none of the machine's git configuration."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Author")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")
        monkeypatch.setenv(f"GIT_{role}_DATE", SOURCE_DATE)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A minimal site in a repository on `main`, committed and built into output/."""
    root = tmp_path / "site"
    (root / "content/plans/x").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\n")
    (root / "content/plans/x/plan.md").write_text(PLAN)
    (root / ".gitignore").write_text("/output/\n/.output.*\n/.site-builder-cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Start the plan for X")
    build(root)
    return root


def checkout_state(repo: Path) -> tuple[str, str, bytes, str]:
    """Everything publishing must leave alone: branch, HEAD, index bytes, status."""
    return (git(repo, "symbolic-ref", "HEAD"), git(repo, "rev-parse", "HEAD"),
            (repo / ".git/index").read_bytes(), git(repo, "status", "--porcelain", "-uall"))


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
    assert git(site, "cat-file", "-p", "gh-pages:index.html") == \
        (site / "output/index.html").read_text()
    message = git(site, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith(f"Publish site from {head[:7]}: Start the plan for X\n")
    assert f"Source-Commit: {head}" in message
    assert git(site, "log", "-1", "--format=%P", "gh-pages").strip() == ""
    dates = git(site, "log", "-1", "--format=%aI %cI", "gh-pages").split()
    assert dates == [SOURCE_DATE, SOURCE_DATE]


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


def test_push_to_a_bare_repository(site: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(site, "remote", "add", "origin", str(remote))

    result = publish_folder(site, site / "output", branch="pages", push="origin")

    assert result.pushed
    assert git(remote, "rev-parse", "pages").strip() == result.commit
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_a_failed_push_changes_nothing_and_says_what_to_do(site: Path) -> None:
    with pytest.raises(SiteError, match=r"could not push gh-pages to 'nowhere' \(git: 'nowhere' "
                                        r"does not appear to be a git repository\)"):
        publish_folder(site, site / "output", push="nowhere")
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_fresh_clone_extends_the_remote_branch(site: Path, tmp_path: Path) -> None:
    """The CI case: no local gh-pages, but the remote has one from an earlier publish."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(site, "remote", "add", "origin", str(remote))
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


def test_a_stale_remote_branch_is_rejected_until_fetched(site: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "-q", "origin", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    publish_folder(site, site / "output", push="origin")  # published from elsewhere
    build(clone)
    (clone / "output/extra.txt").write_text("new\n")

    with pytest.raises(SiteError, match="git fetch origin"):
        publish_folder(clone, clone / "output", push="origin")
    assert git(clone, "branch", "--list", "gh-pages") == ""
    git(clone, "fetch", "-q", "origin")
    assert publish_folder(clone, clone / "output", push="origin").pushed


def test_identity_falls_back_to_config_then_to_an_address_that_cannot_exist(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    publish_folder(site, site / "output")
    assert git(site, "log", "-1", "--format=%an <%ae>", "gh-pages").strip() == \
        f"site-builder <{FALLBACK_EMAIL}>"

    git(site, "config", "user.name", "Comms Team")
    git(site, "config", "user.email", "comms@example.org")
    (site / "output/extra.txt").write_text("more\n")
    publish_folder(site, site / "output")
    assert git(site, "log", "-1", "--format=%an <%ae> %cn", "gh-pages").strip() == \
        "Comms Team <comms@example.org> Comms Team"


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
