"""Read every revision of every plan from git, with three git processes whatever the size.

`git rev-parse` gives the repository facts, one `git log` over `<site>/content/` lists
every commit with its changed files and blob ids, and one `git cat-file --batch` reads all
the blobs plus the HEAD commit. Eleventy's one `git log` per file (11ty/eleventy#4148) is
what this avoids. What was read is kept for the next build: with HEAD and the `.mailmap`
unchanged only `rev-parse` runs; after new commits on top, `git merge-base --is-ancestor`
checks that history was not rewritten, and `git log` and `cat-file` read only what is new
(four processes). Names come from the repository's `.mailmap` alone, whatever the
machine's git config says, so what is kept knows every input of what it holds.

Each plan is followed backwards the way `git log --follow -- <plan>` does it: the whole
history is walked (no merge simplification), merges themselves are never listed, and one
current name per plan is switched to the old name at a rename, in log order. Where this
differs on purpose: following stops at the commit that added the file (a deleted and
re-created plan does not inherit the old file's history), deletions are not revisions
(there is nothing to show), and copies are not followed (a plan started from another plan
is a new plan).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from ..engine.cache import Memo
from .git import Git, Running, parse_objects
from .publishable import display_name, split_message

log = logging.getLogger(__name__)

# %aN honours .mailmap, so a contributor can fix how their name is shown; the e-mail
# address is never asked for. %B comes last: it is the only field that may hold newlines.
_FORMAT = "%H%x00%at%x00%ad%x00%aN%x00%(trailers:key=Change-Type,valueonly,separator=%x1F)%x00%B"
_LOG_OPTIONS = (
    "log",
    "-M",
    "--raw",
    "--no-abbrev",
    "-z",
    "--no-merges",
    "--full-history",
    "--no-color",
    "--no-ext-diff",
    "--date=format:%z",
    f"--format={_FORMAT}",
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Revision:
    """One commit that changed a plan file."""

    commit: str
    date: dt.datetime
    author: str
    subject: str
    body: str
    minor: bool
    path: str
    blob: str
    raw: bytes = field(repr=False)


@dataclass(frozen=True)
class SiteHistory:
    """What git knows about the site, and how complete that knowledge is."""

    state: Literal["full", "shallow", "absent"]
    revisions: Mapping[str, tuple[Revision, ...]]
    last_modified: Mapping[str, dt.datetime]
    head_date: dt.datetime | None
    git_processes: int
    reason: str = ""


def read_history(
    site_root: Path, plan_paths: Sequence[str], memo: Memo | None = None
) -> SiteHistory:
    """Every revision of the given plans (paths relative to the site root), oldest first.

    Never raises for git's sake: no repository, no git, no commits, a shallow clone or an
    odd history all come back as data, with `state` and `reason` saying how complete it is.
    `memo` keeps what was read for the next build.
    """
    return HistoryReading(Path(site_root), memo).finish(plan_paths)


class HistoryReading:
    """A reading of the site's history, started before the plans are known: `git log`,
    the long part on a long history, runs while the build loads the content, and
    `finish` follows the plans through what it listed."""

    def __init__(self, site_root: Path, memo: Memo | None = None) -> None:
        self.git = Git(site_root)
        self.memo = memo
        self.state: Literal["full", "shallow", "absent"] = "absent"
        self.reason = ""
        self.head: str | None = None
        self.prefix = ""
        self.known: _Known | None = None
        self.mailmap = b""
        self.listing: Running | None = None
        try:
            self._start()
        except OSError as error:
            self.state, self.reason = "absent", self._no_git(error)

    def finish(self, plan_paths: Sequence[str]) -> SiteHistory:
        """Every revision of these plans (see `read_history`)."""
        plans = list(dict.fromkeys(plan_paths))
        if self.state != "absent" and self.head is not None:
            try:
                return self._finish(plans)
            except OSError as error:
                self.state, self.reason = "absent", self._no_git(error)
        return SiteHistory(
            self.state, {p: () for p in plans}, {}, None, self.git.processes, self.reason
        )

    def _start(self) -> None:
        git = self.git
        facts = git.run(
            "rev-parse", "--show-prefix", "--is-shallow-repository", "--verify", "--quiet", "HEAD"
        )
        if facts.returncode not in (0, 1):  # 1: --verify found no HEAD, i.e. no commits yet
            self.reason = _why_not(facts.stderr, git.folder)
            return
        lines = os.fsdecode(facts.stdout).split("\n")[:-1]
        self.head = head = lines.pop() if facts.returncode == 0 else None
        self.state = "shallow" if lines.pop() == "true" else "full"
        self.prefix = "\n".join(lines)  # what is left: the site folder, relative to the repository
        if head is None:
            return
        known: _Known | None = self.memo.load("history") if self.memo else None
        self.mailmap = self._mailmap() if self.memo else b""  # read before git reads it
        if known is not None and (known.prefix, known.state, known.mailmap) != (
            self.prefix,
            self.state,
            self.mailmap,
        ):
            known = None  # another folder, a clone deepened since, or names mapped anew
        if (
            known is not None
            and known.head != head
            and git.run("merge-base", "--is-ancestor", known.head, head).returncode != 0
        ):
            known = None  # history rewritten: read it all again
        self.known = known
        if known is None or known.head != head:
            since = ("^" + known.head,) if known else ()
            self.listing = git.start(*_LOG_OPTIONS, head, *since, "--", "content/")

    def _finish(self, plans: list[str]) -> SiteHistory:
        git, known, head = self.git, self.known, self.head
        assert head is not None
        commits = known.commits if known else []
        if self.listing is not None:
            listing = self.listing.result()
            if listing.returncode != 0:
                return SiteHistory(
                    "absent",
                    {p: () for p in plans},
                    {},
                    None,
                    git.processes,
                    _why_not(listing.stderr, git.folder),
                )
            if listing.stderr:  # e.g. rename detection skipped: history may stop at a move
                log.warning("git log: %s", listing.stderr.decode("utf-8", "replace").strip())
            commits = [*_parse_log(listing.stdout, self.prefix), *commits]
        found, last_modified = _follow(iter(commits), plans)

        blobs = list(dict.fromkeys(c.blob for entries in found.values() for _, c in entries))
        objects = {blob: known.objects[blob] for blob in blobs if known and blob in known.objects}
        head_date = known.head_date if known and known.head == head else None
        wanted = [blob for blob in blobs if blob not in objects]
        if wanted or head_date is None:
            read = _read_objects(git, [*wanted, head])
            kind, head_object = read.pop(head, ("", b""))
            head_date = _committer_date(head_object) if kind == "commit" else None
            objects.update((blob, data) for blob, (_, data) in read.items())
        revisions = {
            plan: tuple(
                _revision(commit, change, objects)
                for commit, change in reversed(entries)
                if change.blob in objects
            )
            for plan, entries in found.items()
        }
        if missing := len(blobs) - len(objects):
            log.warning(
                "%d of %d plan versions are missing from the repository (a partial "
                "clone?); their revisions are left out",
                missing,
                len(blobs),
            )
        if self.memo is not None and (known is None or known.head != head or wanted):
            self.memo.save(
                "history",
                _Known(head, self.prefix, self.state, commits, objects, head_date, self.mailmap),
            )
        return SiteHistory(self.state, revisions, last_modified, head_date, git.processes)

    def _mailmap(self) -> bytes:
        """A digest of the `.mailmap` that gives the authors' names: the one at the top of
        the repository (the site folder less its prefix), committed or not. Like git, a
        symbolic link there is not followed."""
        top = self.git.folder.resolve()
        levels = len(Path(self.prefix).parts)
        try:  # (not blocking either, should it be a named pipe)
            with open(
                os.open(
                    (top.parents[levels - 1] if levels else top) / ".mailmap",
                    os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK,
                ),
                "rb",
            ) as file:
                return hashlib.sha256(file.read()).digest()
        except OSError:
            return b""  # none, or not a file git reads

    def _no_git(self, error: OSError) -> str:
        if not self.git.folder.is_dir():
            return f"the site folder {self.git.folder} does not exist"
        if isinstance(error, FileNotFoundError):
            return "git is not installed (no `git` program on PATH)"
        return f"git could not be started ({error})"


class _Change(NamedTuple):
    status: str  # A, M, T, D, R (or C, should a config turn copies on)
    old_path: str
    path: str
    blob: str


@dataclass(frozen=True)
class _LoggedCommit:
    """A commit as `git log` listed it: what it says, and the files it changed."""

    commit: str
    date: dt.datetime
    author: str
    subject: str
    body: str
    minor: bool
    changes: list[_Change]


@dataclass
class _Known:
    """What an earlier build read, for the next one (see `Memo`)."""

    head: str
    prefix: str
    state: str
    commits: list[_LoggedCommit]  # newest first
    objects: dict[str, bytes]  # blob id -> content, of the plans' revisions
    head_date: dt.datetime | None
    mailmap: bytes  # digest of the `.mailmap` the authors' names were read with


def _why_not(stderr: bytes, folder: Path) -> str:
    """A plain sentence from git's complaint."""
    message = stderr.decode("utf-8", "replace").strip()
    if "not a git repository" in message:
        return f"no .git folder found in {folder} or any folder above it"
    first = message.splitlines()[0].removeprefix("fatal: ") if message else "no message"
    return f"git could not read the repository: {first}"


def _parse_log(output: bytes, prefix: str) -> Iterator[_LoggedCommit]:
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
            changes.append(_Change(status, paths[0], paths[-1], blob))
        subject, body = split_message(message.decode("utf-8", "replace"))
        yield _LoggedCommit(
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


def _follow(
    commits: Iterator[_LoggedCommit], plans: list[str]
) -> tuple[dict[str, list[tuple[_LoggedCommit, _Change]]], dict[str, dt.datetime]]:
    """Each plan's commits, newest first, following renames as `git log --follow` does.

    Like `--follow`, a plan has one name at a time, switched at the rename commit in log
    order (not per branch). Also the author date of each path's newest commit.
    """
    following: dict[str, list[str]] = {plan: [plan] for plan in plans}  # name -> plans
    found: dict[str, list[tuple[_LoggedCommit, _Change]]] = {plan: [] for plan in plans}
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


def _read_objects(git: Git, names: list[str]) -> dict[str, tuple[str, bytes]]:
    """Type and content of each object, through one `git cat-file --batch`; missing ones
    (a shallow or partial clone) are left out."""
    request = "".join(f"{name}\n" for name in names).encode()
    found = parse_objects(git.run("cat-file", "--batch", "--buffer", stdin=request).stdout)
    return {
        name: (entry[1], entry[2])
        for name, entry in zip(names, found, strict=False)
        if entry is not None
    }


def _revision(commit: _LoggedCommit, change: _Change, objects: dict[str, bytes]) -> Revision:
    return Revision(
        commit.commit,
        commit.date,
        commit.author,
        commit.subject,
        commit.body,
        commit.minor,
        change.path,
        change.blob,
        objects[change.blob],
    )


def _committer_date(commit_object: bytes) -> dt.datetime | None:
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
