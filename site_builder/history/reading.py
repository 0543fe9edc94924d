"""Read every revision of every plan from git, with three git processes whatever the size.

`git rev-parse` gives the repository facts, one `git log` over `<site>/content/` lists
every commit with its changed files and blob ids, and one `git cat-file --batch` reads all
the blobs plus the HEAD commit. Eleventy's one `git log` per file (11ty/eleventy#4148) is
what this avoids. What was read is kept for the next build: with HEAD and the `.mailmap`
unchanged only `rev-parse` runs; after new commits on top, `git merge-base --is-ancestor`
checks that history was not rewritten, and `git log` and `cat-file` read only what is new
(four processes). Names come from the repository's `.mailmap` alone, whatever the
machine's git config says, so what is kept knows every input of what it holds.

How each plan is followed through renames is in `log`. Files whose past versions no page
shows (translations) get their commits alone, and their newest text, in the same pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..engine.cache import Memo
from .git import Git, Running, parse_objects
from .kept import Known, keep, kept
from .log import LOG_OPTIONS, FileChange, LoggedCommit, committer_date, follow, parse_log

log = logging.getLogger(__name__)


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
class FileCommit:
    """One commit that changed a file whose past versions are not read."""

    commit: str
    date: dt.datetime
    subject: str
    path: str
    blob: str


@dataclass(frozen=True)
class FileLog:
    """The commits that changed a file whose past versions are not read (a translation:
    what matters is when it changed), oldest first, and the file's text at the newest, to
    tell whether the file has changed since (None: no commit, or its blob is missing)."""

    commits: tuple[FileCommit, ...] = ()
    text: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SiteHistory:
    """What git knows about the site, and how complete that knowledge is."""

    state: Literal["full", "shallow", "absent"]
    revisions: Mapping[str, tuple[Revision, ...]]
    last_modified: Mapping[str, dt.datetime]
    head_date: dt.datetime | None
    git_processes: int
    reason: str = ""
    #: The commits of the files asked for by their commits alone, by path.
    logs: Mapping[str, FileLog] = field(default_factory=dict)
    #: Where each commit of `revisions` and `logs` stands in git's log, the oldest 0, when
    #: logs were asked for: the order of commits of two files, which their dates do not
    #: give (a rebase keeps the author's dates).
    order: Mapping[str, int] = field(default_factory=dict)
    #: What it was read from (the commit, the repository's state, the files followed), in
    #: words the same in any process; empty when there was no history to read.
    made_of: str = ""


def read_history(
    site_root: Path,
    plan_paths: Sequence[str],
    memo: Memo | None = None,
    logged: Sequence[str] = (),
) -> SiteHistory:
    """Every revision of the given plans (paths relative to the site root), oldest first,
    and the commits of the `logged` files (their `FileLog`); a file may be in both.

    Never raises for git's sake: no repository, no git, no commits, a shallow clone or an
    odd history all come back as data, with `state` and `reason` saying how complete it is.
    `memo` keeps what was read for the next build.
    """
    return HistoryReading(Path(site_root), memo).finish(plan_paths, logged)


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
        self.known: Known | None = None
        self.base: Known | None = None  # what `known` was kept from (see `kept`)
        self.mailmap = b""
        self.listing: Running | None = None
        try:
            self._start()
        except OSError as error:
            self.state, self.reason = "absent", self._no_git(error)

    def finish(self, plan_paths: Sequence[str], logged: Sequence[str] = ()) -> SiteHistory:
        """Every revision of these plans, and the commits of the `logged` files (see
        `read_history`)."""
        plans = list(dict.fromkeys(plan_paths))
        logs = list(dict.fromkeys(logged))  # a file may be in both: its log and its revisions
        if self.state != "absent" and self.head is not None:
            try:
                return self._finish(plans, logs)
            except OSError as error:
                self.state, self.reason = "absent", self._no_git(error)
        return SiteHistory(
            self.state,
            {p: () for p in plans},
            {},
            None,
            self.git.processes,
            self.reason,
            made_of=repr((self.state, self.reason, plans, logs)),
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
        known, self.base = kept(self.memo) if self.memo else (None, None)
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
            self.listing = git.start(*LOG_OPTIONS, head, *since, "--", "content/")

    def _finish(self, plans: list[str], logs: list[str]) -> SiteHistory:
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
            commits = [*parse_log(listing.stdout, self.prefix), *commits]
        found, last_modified = follow(iter(commits), list(dict.fromkeys([*plans, *logs])))

        blobs = list(
            dict.fromkeys(
                [change.blob for plan in plans for _, change in found[plan]]
                + [found[path][0][1].blob for path in logs if found[path]]  # the newest only
            )
        )
        objects = {blob: known.objects[blob] for blob in blobs if known and blob in known.objects}
        head_date = known.head_date if known and known.head == head else None
        wanted = [blob for blob in blobs if blob not in objects]
        if wanted or head_date is None:
            read = _read_objects(git, [*wanted, head])
            kind, head_object = read.pop(head, ("", b""))
            head_date = committer_date(head_object) if kind == "commit" else None
            objects.update((blob, data) for blob, (_, data) in read.items())
        revisions = {
            plan: tuple(
                _revision(commit, change, objects)
                for commit, change in reversed(entries)
                if change.blob in objects
            )
            for plan, entries in found.items()
            if plan in plans
        }
        if missing := len(blobs) - len(objects):
            log.warning(
                "%d of %d plan versions are missing from the repository (a partial "
                "clone?); their revisions are left out",
                missing,
                len(blobs),
            )
        if self.memo is not None and (known is None or known.head != head or wanted):
            keep(
                self.memo,
                self.base,
                Known(head, self.prefix, self.state, commits, objects, head_date, self.mailmap),
            )
        return SiteHistory(
            self.state,
            revisions,
            last_modified,
            head_date,
            git.processes,
            logs={path: _file_log(found[path], objects) for path in logs},
            order=_order(commits, found) if logs else {},
            made_of=repr((head, self.prefix, self.state, self.mailmap, plans, logs, missing)),
        )

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


def _why_not(stderr: bytes, folder: Path) -> str:
    """A plain sentence from git's complaint."""
    message = stderr.decode("utf-8", "replace").strip()
    if "not a git repository" in message:
        return f"no .git folder found in {folder} or any folder above it"
    first = message.splitlines()[0].removeprefix("fatal: ") if message else "no message"
    return f"git could not read the repository: {first}"


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


def _revision(commit: LoggedCommit, change: FileChange, objects: dict[str, bytes]) -> Revision:
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


def _file_log(entries: list[tuple[LoggedCommit, FileChange]], objects: dict[str, bytes]) -> FileLog:
    """A file's commits, oldest first (`entries` are newest first), and its newest text."""
    return FileLog(
        tuple(
            FileCommit(commit.commit, commit.date, commit.subject, change.path, change.blob)
            for commit, change in reversed(entries)
        ),
        objects.get(entries[0][1].blob) if entries else None,
    )


def _order(
    commits: list[LoggedCommit], found: dict[str, list[tuple[LoggedCommit, FileChange]]]
) -> dict[str, int]:
    """Where each commit of `found` stands in the log (`commits`, newest first), the oldest 0."""
    wanted = {commit.commit for entries in found.values() for commit, _ in entries}
    last = len(commits) - 1
    return {c.commit: last - n for n, c in enumerate(commits) if c.commit in wanted}
