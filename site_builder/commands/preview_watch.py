"""What the preview watches: the files a build reads, and the git files a commit, a
checkout or a branch switch changes, so that history pages and the "not yet published"
banner follow git as they follow a save.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from livereload.watcher import Watcher
from tornado.ioloop import PeriodicCallback

from ..history.git import Git
from .publish import BUILT_FROM

#: Polled every 0.15 s instead of livereload's 0.8 s.
POLL_MS = 150


class QuickWatcher(Watcher):
    """livereload's watcher, polling every 0.15 s, blind to git's lock files (a commit
    writes `HEAD.lock` first: the change is the rename that follows)."""

    def start(self, callback: Callable[[], None]) -> bool:
        PeriodicCallback(callback, POLL_MS).start()
        return True

    def ignore(self, filename: str) -> bool:
        return filename.endswith(".lock") or super().ignore(filename)


def watched(source: Path) -> list[Path]:
    """What a build reads (`BUILT_FROM`, where it exists) and what git moves on a commit or
    checkout (`git_watched`)."""
    return [source / name for name in BUILT_FROM if (source / name).exists()] + git_watched(source)


def git_watched(source: Path) -> list[Path]:
    """HEAD (of this worktree: a linked worktree has its own), and the refs and
    packed-refs shared by every worktree; none when `source` is in no repository."""
    try:
        found = Git(source).run(
            "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"
        )
    except OSError:  # git is not installed
        return []
    if found.returncode != 0:
        return []
    git_dir, common = (Path(line) for line in os.fsdecode(found.stdout).splitlines()[:2])
    return [git_dir / "HEAD", common / "refs", common / "packed-refs"]
