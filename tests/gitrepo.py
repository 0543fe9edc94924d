"""Real git repositories for tests, with fixed dates and identities."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git_env(author: tuple[str, str], date: str) -> dict[str, str]:
    """An environment that makes commits reproducible and ignores the user's git config."""
    name, email = author
    return dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
                GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=date,
                GIT_COMMITTER_DATE=date, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    env = env or git_env(("Test", "test@example.org"), "2024-01-01T00:00:00+00:00")
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env,
                            check=True)
    return result.stdout


def make_repo(path: Path) -> Path:
    """An empty repository on branch main."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(repo: Path, files: dict[str, str | None], message: str,
           author: tuple[str, str] = ("Test Author", "test@example.org"),
           date: str = "2024-01-02T10:00:00+00:00") -> str:
    """Write (or, for None, delete) files, stage everything and commit; return the id."""
    for relative, text in files.items():
        path = repo / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    env = git_env(author, date)
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "--allow-empty", "--allow-empty-message", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env).strip()
