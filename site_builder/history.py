"""Read every revision of every plan from git, with three git processes whatever the size.

`git rev-parse` gives the repository facts, one `git log` over `<site>/content/` lists
every commit with its changed files and blob ids, and one `git cat-file --batch` reads all
the blobs plus the HEAD commit. Eleventy's one `git log` per file (11ty/eleventy#4148) is
what this avoids. What was read is kept for the next build: with HEAD unchanged only
`rev-parse` runs; after new commits on top, `git merge-base --is-ancestor` checks that
history was not rewritten, and `git log` and `cat-file` read only what is new (four
processes).

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
import logging
import os
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from .cache import Memo

log = logging.getLogger(__name__)

# Settings that change what git prints, pinned whatever the user's or system's config says.
# (GIT_CONFIG_NOSYSTEM is not set: containers often need a system `safe.directory`.)
_PINNED = ("core.quotepath=off", "diff.relative=false", "log.follow=false",
           "log.showRoot=true", "log.showSignature=false", "i18n.logOutputEncoding=UTF-8")
# Variables that point git at another repository than the one the site folder is in, as
# git hooks set them.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")
# %aN honours .mailmap, so a contributor can fix how their name is shown; the e-mail
# address is never asked for. %B comes last: it is the only field that may hold newlines.
_FORMAT = ("%H%x00%at%x00%ad%x00%aN%x00"
           "%(trailers:key=Change-Type,valueonly,separator=%x1F)%x00%B")
_LOG_OPTIONS = ("log", "-M", "--raw", "--no-abbrev", "-z", "--no-merges", "--full-history",
                "--no-color", "--no-ext-diff", "--date=format:%z", f"--format={_FORMAT}")
_BRACKETED_ADDRESS = re.compile(r"[ \t]*<[^<>\n]*@[^<>\n]*>")
_BARE_ADDRESS = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)*")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
# C0 controls but tab and newline; a colour code keeps its visible '[31m', as git shows it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
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


def read_history(site_root: Path, plan_paths: Sequence[str], memo: Memo | None = None
                 ) -> SiteHistory:
    """Every revision of the given plans (paths relative to the site root), oldest first.

    Never raises for git's sake: no repository, no git, no commits, a shallow clone or an
    odd history all come back as data, with `state` and `reason` saying how complete it is.
    `memo` keeps what was read for the next build.
    """
    git = _Git(Path(site_root))
    plans = list(dict.fromkeys(plan_paths))
    try:
        return _read(git, plans, memo)
    except OSError as error:
        if not git.cwd.is_dir():
            reason = f"the site folder {git.cwd} does not exist"
        elif isinstance(error, FileNotFoundError):
            reason = "git is not installed (no `git` program on PATH)"
        else:
            reason = f"git could not be started ({error})"
        return SiteHistory("absent", {p: () for p in plans}, {}, None, git.processes, reason)


@dataclass
class _Git:
    """Runs git in the site folder, with pinned settings, and counts the processes."""

    cwd: Path
    processes: int = 0
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
        self.env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")

    def __call__(self, *args: str, stdin: bytes | None = None
                 ) -> subprocess.CompletedProcess[bytes]:
        pinned = [part for setting in _PINNED for part in ("-c", setting)]
        result = subprocess.run(["git", *pinned, *args], cwd=self.cwd, input=stdin,
                                capture_output=True, env=self.env, check=False)
        self.processes += 1
        return result


class _Change(NamedTuple):
    status: str  # A, M, T, D, R (or C, should a config turn copies on)
    old_path: str
    path: str
    blob: str


@dataclass(frozen=True)
class _Commit:
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
    commits: list[_Commit]  # newest first
    objects: dict[str, bytes]  # blob id -> content, of the plans' revisions
    head_date: dt.datetime | None


def _read(git: _Git, plans: list[str], memo: Memo | None) -> SiteHistory:
    facts = git("rev-parse", "--show-prefix", "--is-shallow-repository", "--verify", "--quiet",
                "HEAD")
    if facts.returncode not in (0, 1):  # 1: --verify found no HEAD, i.e. no commits yet
        return SiteHistory("absent", {p: () for p in plans}, {}, None, git.processes,
                           _why_not(facts.stderr, git.cwd))
    lines = os.fsdecode(facts.stdout).split("\n")[:-1]
    head = lines.pop() if facts.returncode == 0 else None
    state: Literal["full", "shallow"] = "shallow" if lines.pop() == "true" else "full"
    prefix = "\n".join(lines)  # what is left: the site folder, relative to the repository
    if head is None:
        return SiteHistory(state, {p: () for p in plans}, {}, None, git.processes)

    known: _Known | None = memo.load("history") if memo else None
    if known is not None and (known.prefix, known.state) != (prefix, state):
        known = None  # another folder, or a clone deepened since
    if known is not None and known.head != head and git(
            "merge-base", "--is-ancestor", known.head, head).returncode != 0:
        known = None  # history rewritten: read it all again
    commits = known.commits if known else []
    if known is None or known.head != head:
        since = ("^" + known.head,) if known else ()
        listing = git(*_LOG_OPTIONS, head, *since, "--", "content/")
        if listing.returncode != 0:
            return SiteHistory("absent", {p: () for p in plans}, {}, None, git.processes,
                               _why_not(listing.stderr, git.cwd))
        if listing.stderr:  # e.g. rename detection skipped: history may stop early at a move
            log.warning("git log: %s", listing.stderr.decode("utf-8", "replace").strip())
        commits = [*_parse_log(listing.stdout, prefix), *commits]
    found, last_modified = _follow(iter(commits), plans)

    blobs = list(dict.fromkeys(c.blob for entries in found.values() for _, c in entries))
    objects = {blob: known.objects[blob] for blob in blobs if known and blob in known.objects}
    head_date = known.head_date if known and known.head == head else None
    wanted = [blob for blob in blobs if blob not in objects]
    if wanted or head_date is None:
        read = _read_objects(git, [*wanted, head])
        kind, head_object = read.pop(head, (b"", b""))
        head_date = _committer_date(head_object) if kind == b"commit" else None
        objects.update((blob, data) for blob, (_, data) in read.items())
    revisions = {plan: tuple(_revision(commit, change, objects)
                             for commit, change in reversed(entries) if change.blob in objects)
                 for plan, entries in found.items()}
    if missing := len(blobs) - len(objects):
        log.warning("%d of %d plan versions are missing from the repository (a partial "
                    "clone?); their revisions are left out", missing, len(blobs))
    if memo is not None and (known is None or known.head != head or wanted):
        memo.save("history", _Known(head, prefix, state, commits, objects, head_date))
    return SiteHistory(state, revisions, last_modified, head_date, git.processes)


def _why_not(stderr: bytes, folder: Path) -> str:
    """A plain sentence from git's complaint."""
    message = stderr.decode("utf-8", "replace").strip()
    if "not a git repository" in message:
        return f"no .git folder found in {folder} or any folder above it"
    first = message.splitlines()[0].removeprefix("fatal: ") if message else "no message"
    return f"git could not read the repository: {first}"


def _parse_log(output: bytes, prefix: str) -> Iterator[_Commit]:
    """The `git log -z --raw` records, newest first.

    Each record is six NUL-terminated header fields, then raw entries: a `:modes ids status`
    token followed by one path, or two for a rename or copy.
    """
    tokens = output.split(b"\0")
    index = 0
    while index + 6 <= len(tokens) and tokens[index]:
        commit, seconds, offset, name, trailers, message = tokens[index:index + 6]
        index += 6
        changes = []
        while index < len(tokens) and tokens[index].lstrip(b"\n").startswith(b":"):
            meta = tokens[index].lstrip(b"\n").split(b" ")
            status, blob = meta[-1][:1].decode(), meta[3].decode()
            count = 2 if status in "RC" else 1
            paths = [_relative(p, prefix) for p in tokens[index + 1:index + 1 + count]]
            index += 1 + count
            changes.append(_Change(status, paths[0], paths[-1], blob))
        subject, body = _split_message(message.decode("utf-8", "replace"))
        yield _Commit(commit.decode(), _when(seconds.decode(), offset.decode()),
                      _display_name(name.decode("utf-8", "replace")), subject, body,
                      any(v.strip().lower() == "minor"
                          for v in trailers.decode("utf-8", "replace").split("\x1f")),
                      changes)


def _relative(path: bytes, prefix: str) -> str:
    return os.fsdecode(path).removeprefix(prefix)


def _follow(commits: Iterator[_Commit], plans: list[str]
            ) -> tuple[dict[str, list[tuple[_Commit, _Change]]], dict[str, dt.datetime]]:
    """Each plan's commits, newest first, following renames as `git log --follow` does.

    Like `--follow`, a plan has one name at a time, switched at the rename commit in log
    order (not per branch). Also the author date of each path's newest commit.
    """
    following: dict[str, list[str]] = {plan: [plan] for plan in plans}  # name -> plans
    found: dict[str, list[tuple[_Commit, _Change]]] = {plan: [] for plan in plans}
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


def _read_objects(git: _Git, names: list[str]) -> dict[str, tuple[bytes, bytes]]:
    """Type and content of each object, through one `git cat-file --batch`; missing ones
    (a shallow or partial clone) are left out."""
    request = "".join(f"{name}\n" for name in names).encode()
    output = git("cat-file", "--batch", "--buffer", stdin=request).stdout
    objects: dict[str, tuple[bytes, bytes]] = {}
    position = 0
    for name in names:
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].split(b" ")
        position = end + 1
        if len(header) == 3:  # "<id> <type> <size>"; otherwise "<name> missing"
            size = int(header[2])
            objects[name] = (header[1], output[position:position + size])
            position += size + 1
    return objects


def _revision(commit: _Commit, change: _Change, objects: dict[str, bytes]) -> Revision:
    return Revision(commit.commit, commit.date, commit.author, commit.subject, commit.body,
                    commit.minor, change.path, change.blob, objects[change.blob])


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


def _split_message(message: str) -> tuple[str, str]:
    """Subject (the first line) and body, with e-mail addresses scrubbed from both, and
    invisible control characters (terminal colours, form feeds) that feeds cannot carry."""
    message = _CONTROL.sub("", message)
    if "@" in message:
        message = _BARE_ADDRESS.sub("[address removed]", _BRACKETED_ADDRESS.sub("", message))
    subject, _, body = message.lstrip("\n").partition("\n")
    return subject.strip(), body.lstrip("\n").rstrip()


@functools.cache
def _display_name(name: str) -> str:
    """An author's name with no e-mail address in it, ever.

    A name that is only an address becomes its local part in words: `jane.doe@x.org` is
    shown as "Jane Doe".
    """
    name = _CONTROL.sub("", name)
    cleaned = _EMPTY_BRACKETS.sub(" ", _BARE_ADDRESS.sub(" ", _BRACKETED_ADDRESS.sub(" ", name)))
    cleaned = " ".join(cleaned.split()).strip(" ,;:-")
    if cleaned:
        return cleaned
    address = _BARE_ADDRESS.search(name)
    local = address.group().split("@")[0] if address else ""
    words = re.split(r"[\s._+-]+", local)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Unnamed contributor"
