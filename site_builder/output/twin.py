"""The twin: a child process that readies the staging folder beside the build.

The first build into a folder writes one copy of the site only. Every later build has a
child process ready the staging folder while it loads its content: it checks the previous
site there, or, finding no staging folder it can trust, makes it again by hard links to the
published site. The build may keep the files the child promised before the child is done,
and waits for it before it changes the folder. The child deletes from the staging folder
whatever is not the site's, such as a file added by hand or a link put in, so a settled
staging folder holds no link and nothing written into it lands outside.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from ..engine.errors import OutputError
from ..engine.parallel import end_with_parent
from .folders import entries_under, folders_above, folders_of, is_folder, make_folder
from .marker import MARKER, Seen, inside, marker_of, seen_at, write_marker

#: The task of a `Twin`: it says which listed files are left out, then finishes.
Task = Callable[[Callable[[list[str]], None]], None]


class Twin:
    """A child process that readies the staging folder beside the build, by `task`: it
    checks the previous site there against its records and deletes whatever is not that
    site's (`check_staging`), or it empties the folder and links every published file
    into it (`link_published`). As soon as it knows, it says which of the `listed` files
    it leaves out, so that the build can count on the others at once. A process, not a
    thread: it takes no turn from the build's Python code, and it dies with the build."""

    def __init__(self, listed: dict[str, str], seen: dict[str, Seen], task: Task) -> None:
        self.listed = listed
        self.seen = seen
        self._promised: dict[str, str] | None = None
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            _in_twin(task, write, parent)
        os.close(write)
        self._report = os.fdopen(read, "rb")

    def promised(self) -> dict[str, str]:
        """The files (path -> key) the folder will hold; waits until the child has said."""
        if self._promised is None:
            said = json.loads(self._report.readline() or "null")  # null: it failed first
            left_out = set(self.listed if said is None else said)
            self._promised = {
                path: key for path, key in self.listed.items() if path not in left_out
            }
        return self._promised

    def finish(self, staging: Path) -> None:
        """Wait for the child. If it did not do what it promised, the build cannot count on
        the folder: an error, or, when it failed before it promised any file, the folder
        emptied for the build to start it afresh."""
        promised = self.promised()
        failure = self._report.read().decode("utf-8", "replace").strip()
        self._report.close()
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            return
        if promised:  # files the build counts on may be missing
            raise OutputError(
                f"cannot ready the staging folder {staging}: "
                f"{failure or f'the process ended with status {status}'}"
            )
        shutil.rmtree(staging, ignore_errors=True)

    def stop(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._report.close()


def _in_twin(task: Task, report_fd: int, parent: int) -> NoReturn:
    """In the child of `Twin`: never returns."""
    status = 1
    try:
        end_with_parent(parent)
        with os.fdopen(report_fd, "wb") as report:
            said = False

            def say(left_out: list[str]) -> None:
                nonlocal said
                report.write(json.dumps(left_out).encode() + b"\n")
                report.flush()
                said = True

            try:
                task(say)
                status = 0
            except OSError as error:  # before it said anything, it promises no file
                report.write(
                    (b"" if said else b"null\n") + f"{error.strerror} ({error.filename})".encode()
                )
    finally:
        os._exit(status)


def check_staging(
    staging: str, listed: dict[str, str], seen: dict[str, Seen], say: Callable[[list[str]], None]
) -> None:
    """In the twin: say which listed files are not there as recorded (or sit below a
    folder that is a link); then, in one walk of the folder that never enters a link,
    delete whatever else is there — a file not listed or changed, a link, a folder no
    listed file is in. The build counts on the files at once and waits for the walk only
    before it changes the folder."""
    folders = folders_above(listed)
    linked = {folder for folder in folders if not is_folder(f"{staging}/{folder}")}
    there = {
        path
        for path in listed
        if seen_at(f"{staging}/{path}") == seen[path]
        and not (linked and linked.intersection(folders_of(path)))
    }
    say([path for path in listed if path not in there])
    for relative, entry in entries_under(staging, folders):
        if entry.is_dir(follow_symlinks=False):
            if relative not in folders:
                shutil.rmtree(entry.path)
        elif relative not in there and relative != MARKER:
            os.unlink(entry.path)


def link_published(
    staging: str,
    output: str,
    published: dict[str, str],
    seen: dict[str, Seen],
    say: Callable[[list[str]], None],
) -> None:
    """In the twin: empty the staging folder, then link into it every published file
    that is still as recorded — none where the disk cannot link."""
    shutil.rmtree(staging, ignore_errors=True)
    os.mkdir(staging)
    write_marker(staging, marker_of({}))
    there = [path for path in published if seen_at(inside(output, path)) == seen[path]]
    if there and not _can_link(output, staging, there[0]):
        there = []  # a disk without hard links: the build writes every file
    present = set(there)
    say([path for path in published if path not in present])
    for folder in sorted(folders_above(there)):  # parents first
        make_folder(inside(staging, folder))
    for relative in there[1:]:
        os.link(inside(output, relative), inside(staging, relative), follow_symlinks=False)


def _can_link(output: str, staging: str, relative: str) -> bool:
    """Link one file, to learn whether this disk has hard links at all."""
    target = inside(staging, relative)
    try:
        make_folder(os.path.dirname(target))
        os.link(inside(output, relative), target, follow_symlinks=False)
    except OSError:
        return False
    return True
