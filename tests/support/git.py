"""Real git repositories for tests: fixed dates and identities, and no user config.

    repo = make_repo(tmp_path / "site")  # or take the `repo` fixture
    commit(repo, {"content/plans/a.md": PLAN}, "Add plan A",
           author=("Zoë Ngụyễn", "zoe@example.org"), date="2024-01-02T10:00:00+02:00")
    commit(repo, {"content/plans/a.md": None, "content/plans/a/plan.md": PLAN}, "Move A")
    git(repo, "switch", "-q", "-c", "side")  # any other git command
    merge(repo, "side", "Merge side", files={"content/plans/a/plan.md": RESOLVED})

Renames need no special call: git finds them from the content when the log is read.
Every command runs without the user's and the system's git config, with HOME pointing
nowhere, and without inherited GIT_* variables (a git hook running the tests sets
GIT_DIR and GIT_INDEX_FILE, which would send these commands to the wrong repository).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

Author = tuple[str, str]  # name, e-mail address
DEFAULT_AUTHOR: Author = ("Test Author", "test@example.org")
DEFAULT_DATE = "2024-01-02T10:00:00+00:00"
#: The date the `fixed_git` fixture gives what git writes in the test's own process.
FIXED_DATE = "2024-03-04T05:06:07+02:00"


def git_env(author: Author = DEFAULT_AUTHOR, date: str = DEFAULT_DATE) -> dict[str, str]:
    """An environment where `author` commits at `date` (as author and committer)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    name, email = author
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_COMMITTER_DATE=date,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        HOME=os.devnull,
        XDG_CONFIG_HOME=os.devnull,
        LC_ALL="C",
    )
    return env


def git(
    repo: Path,
    *args: str,
    author: Author = DEFAULT_AUTHOR,
    date: str = DEFAULT_DATE,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> str:
    """Run one git command in `repo` and return its output (`env` replaces `git_env`)."""
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env or git_env(author, date),
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def make_repo(path: Path) -> Path:
    """An empty repository on branch main."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def write(repo: Path, files: dict[str, str | bytes | None]) -> None:
    """Write text (UTF-8) or bytes to each path, or delete it for None."""
    for relative, content in files.items():
        path = repo / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def commit(
    repo: Path,
    files: dict[str, str | bytes | None],
    message: str,
    author: Author = DEFAULT_AUTHOR,
    date: str = DEFAULT_DATE,
) -> str:
    """Write (or, for None, delete) files, stage everything and commit; return the id.

    Empty commits and empty messages are allowed, as on a git host's web editor.
    """
    write(repo, files)
    git(repo, "add", "-A", author=author, date=date)
    git(
        repo,
        "commit",
        "-q",
        "--allow-empty",
        "--allow-empty-message",
        "-m",
        message,
        author=author,
        date=date,
    )
    return head(repo)


def merge(
    repo: Path,
    branch: str,
    message: str,
    files: dict[str, str | bytes | None] | None = None,
    author: Author = DEFAULT_AUTHOR,
    date: str = DEFAULT_DATE,
) -> str:
    """Merge `branch` into the current branch with a merge commit; return its id.

    `files` resolve conflicts (or change the result of a clean merge) before committing.
    """
    git(
        repo, "merge", "-q", "--no-ff", "--no-commit", branch, author=author, date=date, check=False
    )  # a conflict exits with 1; `files` resolve it
    git(repo, "rev-parse", "-q", "--verify", "MERGE_HEAD")  # fails if git did not merge
    return commit(repo, files or {}, message, author=author, date=date)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def log_follow(repo: Path, path: str) -> list[str]:
    """What `git log --follow` lists for a file, newest first: the reference to match."""
    return git(repo, "log", "--follow", "--format=%H", "--", path).split()
