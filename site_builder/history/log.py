"""What `git log` says: its command, its records parsed into commits and their changed
files, and each plan's commits followed through renames as `git log --follow` does.

Each plan is followed backwards: the whole history is walked (no merge simplification),
merges themselves are never listed, and one current name per plan is switched to the old
name at a rename, in log order. Where this differs from git on purpose: following stops at
the commit that added the file (a deleted and re-created plan does not inherit the old
file's history), deletions are not revisions (there is nothing to show), and copies are not
followed (a plan started from another plan is a new plan).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .publishable import display_name, split_message

# %aN honours .mailmap, so a contributor can fix how their name is shown; the e-mail
# address is never asked for. %B comes last: it is the only field that may hold newlines.
_FORMAT = "%H%x00%at%x00%ad%x00%aN%x00%(trailers:key=Change-Type,valueonly,separator=%x1F)%x00%B"


LOG_OPTIONS = (
    "log",
    "-M",
    "--raw",
    "--no-abbrev",
    "-z",
    "--no-merges",
    "--full-history",
    "--date-order",  # no commit before its children, whatever the dates say
    "--no-color",
    "--no-ext-diff",
    "--date=format:%z",
    f"--format={_FORMAT}",
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FileChange(NamedTuple):
    status: str  # A, M, T, D, R (or C, should a config turn copies on)
    old_path: str
    path: str
    blob: str


@dataclass(frozen=True)
class LoggedCommit:
    """A commit as `git log` listed it: what it says, and the files it changed."""

    commit: str
    date: dt.datetime
    author: str
    subject: str
    body: str
    minor: bool
    changes: list[FileChange]


def parse_log(output: bytes, prefix: str) -> Iterator[LoggedCommit]:
    """The `git log -z --raw` records, newest first.

    Each record is six NUL-terminated header fields, then raw entries: a `:modes ids status`
    token followed by one path, or two for a rename or copy.
    """
    tokens = output.split(b"\0")
    index = 0
    while index + 6 <= len(tokens) and tokens[index]:
        commit, seconds, offset, name, trailers, message = tokens[index : index + 6]
        index += 6
        changes = []
        while index < len(tokens) and tokens[index].lstrip(b"\n").startswith(b":"):
            meta = tokens[index].lstrip(b"\n").split(b" ")
            status, blob = meta[-1][:1].decode(), meta[3].decode()
            count = 2 if status in "RC" else 1
            paths = [_relative(p, prefix) for p in tokens[index + 1 : index + 1 + count]]
            index += 1 + count
            changes.append(FileChange(status, paths[0], paths[-1], blob))
        subject, body = split_message(message.decode("utf-8", "replace"))
        yield LoggedCommit(
            commit.decode(),
            _when(seconds.decode(), offset.decode()),
            display_name(name.decode("utf-8", "replace")),
            subject,
            body,
            any(
                v.strip().lower() == "minor"
                for v in trailers.decode("utf-8", "replace").split("\x1f")
            ),
            changes,
        )


def _relative(path: bytes, prefix: str) -> str:
    return os.fsdecode(path).removeprefix(prefix)


def follow(
    commits: Iterator[LoggedCommit], plans: list[str]
) -> tuple[dict[str, list[tuple[LoggedCommit, FileChange]]], dict[str, dt.datetime]]:
    """Each plan's commits, newest first, following renames as `git log --follow` does.

    Like `--follow`, a plan has one name at a time, switched at the rename commit in log
    order (not per branch). Also the author date of each path's newest commit.
    """
    following: dict[str, list[str]] = {plan: [plan] for plan in plans}  # name -> plans
    found: dict[str, list[tuple[LoggedCommit, FileChange]]] = {plan: [] for plan in plans}
    last_modified: dict[str, dt.datetime] = {}
    for commit in commits:
        for change in commit.changes:
            if change.status == "D":
                continue
            last_modified.setdefault(change.path, commit.date)
            followers = following.get(change.path)
            if not followers:
                continue
            for plan in followers:
                found[plan].append((commit, change))
            if change.status in "RCA":
                del following[change.path]
            if change.status in "RC":
                following.setdefault(change.old_path, []).extend(followers)
    return found, last_modified


def committer_date(commit_object: bytes) -> dt.datetime | None:
    """The committer date of a raw commit object: `committer Name <mail> 1700000000 +0200`."""
    for line in commit_object.split(b"\n\n", 1)[0].split(b"\n"):
        if line.startswith(b"committer "):
            *_, seconds, offset = line.decode("utf-8", "replace").rsplit(" ", 2)
            return _when(seconds, offset)
    return None


def _when(seconds: str, offset: str) -> dt.datetime:
    """A timestamp in its own UTC offset (`+0200`)."""
    try:
        return dt.datetime.fromtimestamp(int(seconds), _zone(offset))
    except (ValueError, OverflowError, OSError):
        return _EPOCH


@functools.cache
def _zone(offset: str) -> dt.tzinfo:
    """`+0200` as a time zone; UTC when git stored an impossible offset such as `+9959`."""
    try:
        delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        return dt.timezone(-delta if offset.startswith("-") else delta)
    except ValueError:
        return dt.UTC
