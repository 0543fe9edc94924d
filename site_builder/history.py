"""Read every revision of every plan from git in one pass.

One `git log` over `content/` (renames detected, blob ids listed) and one
`git cat-file --batch` for every blob and the HEAD commit: the number of git processes is
the same for 8 revisions as for 8,000. Renames are followed backwards, including the move
from `content/plans/<plan>.md` to `content/plans/<plan>/plan.md`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

_MARK = "\x01"
_FORMAT = "%x01%H%x00%aI%x00%an%x00%B%x00"
_EMAIL = re.compile(r"<[^>]*>|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILER = re.compile(r"^change-type:\s*minor\s*$", re.IGNORECASE | re.MULTILINE)


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
    state: Literal["full", "shallow", "absent"]
    revisions: Mapping[str, tuple[Revision, ...]]
    last_modified: Mapping[str, dt.datetime]
    head_date: dt.datetime | None
    git_processes: int
    reason: str = ""


@dataclass
class _Git:
    cwd: Path
    processes: int = 0

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        self.processes += 1
        env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=self.cwd,
                              input=stdin, capture_output=True, env=env, check=False)


def read_history(site_root: Path, plan_paths: Sequence[str]) -> SiteHistory:
    """All revisions of the given plans (paths relative to the site root)."""
    git = _Git(site_root)
    try:
        facts = git.run("rev-parse", "--show-prefix", "--is-shallow-repository")
    except FileNotFoundError:
        return SiteHistory("absent", {}, {}, None, git.processes, "git is not installed")
    if facts.returncode != 0:
        return SiteHistory("absent", {}, {}, None, git.processes, "no .git folder found")
    prefix, shallow = facts.stdout.decode().splitlines()[:2]
    state: Literal["full", "shallow"] = "shallow" if shallow == "true" else "full"
    log = git.run("log", "-M", "--raw", "--no-abbrev", "-z", f"--format={_FORMAT}", "--",
                  f"{prefix}content/")
    if log.returncode != 0:  # a repository without commits
        return SiteHistory(state, {p: () for p in plan_paths}, {}, None, git.processes)
    commits = _parse_log(log.stdout.decode("utf-8", errors="replace"), prefix)
    found, last_modified = _follow(commits, plan_paths)
    blobs = _read_blobs(git, sorted({blob for *_, blob in
                                     (r for revs in found.values() for r in revs)}))
    head_date = blobs.pop("HEAD", None)
    revisions = {}
    for plan, entries in found.items():
        revisions[plan] = tuple(
            Revision(c.commit, c.date, c.author, c.subject, c.body, c.minor, path, blob,
                     blobs.get(blob, b""))
            for c, path, blob in reversed(entries) if blob in blobs)
    return SiteHistory(state, revisions, last_modified,
                       _committer_date(head_date) if isinstance(head_date, bytes) else None,
                       git.processes)


@dataclass(frozen=True)
class _Commit:
    commit: str
    date: dt.datetime
    author: str
    subject: str
    body: str
    minor: bool
    changes: tuple[tuple[str, str, str, str], ...]  # status, old path, new path, new blob


def _parse_log(text: str, prefix: str) -> list[_Commit]:
    commits = []
    for record in text.split(_MARK)[1:]:
        fields = record.split("\0")
        commit, date, name, message = fields[:4]
        tokens = [t.lstrip("\n") for t in fields[4:]]
        changes = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            if not token.startswith(":"):
                continue
            meta = token.split()
            status, blob = meta[-1], meta[3]
            if status[0] in "RC":
                old, new = tokens[index], tokens[index + 1]
                index += 2
            else:
                old = new = tokens[index]
                index += 1
            changes.append((status[0], _relative(old, prefix), _relative(new, prefix), blob))
        subject, _, body = message.strip("\n").partition("\n")
        commits.append(_Commit(commit, dt.datetime.fromisoformat(date), display_name(name),
                               subject.strip(), body.strip("\n"), bool(_TRAILER.search(body)),
                               tuple(changes)))
    return commits


def _relative(path: str, prefix: str) -> str:
    return path[len(prefix):] if prefix and path.startswith(prefix) else path


def _follow(commits: list[_Commit], plan_paths: Sequence[str]
            ) -> tuple[dict[str, list[tuple[_Commit, str, str]]], dict[str, dt.datetime]]:
    """Walk newest to oldest, following each plan's renames backwards."""
    tracked = {path: path for path in plan_paths}  # name at this point in history → plan
    found: dict[str, list[tuple[_Commit, str, str]]] = {path: [] for path in plan_paths}
    last_modified: dict[str, dt.datetime] = {}
    for commit in commits:
        for status, old, new, blob in commit.changes:
            if status != "D":
                last_modified.setdefault(new, commit.date)
            plan = tracked.get(new)
            if plan is None or status == "D":
                continue
            found[plan].append((commit, new, blob))
            if status == "R":
                del tracked[new]
                tracked[old] = plan
            elif status == "A":
                del tracked[new]
    return found, last_modified


def _read_blobs(git: _Git, blobs: list[str]) -> dict[str, bytes]:
    """Every blob, and the HEAD commit object, through one `git cat-file --batch`."""
    request = "".join(f"{blob}\n" for blob in blobs) + "HEAD\n"
    result = git.run("cat-file", "--batch", stdin=request.encode())
    out = result.stdout
    contents: dict[str, bytes] = {}
    position = 0
    for name in [*blobs, "HEAD"]:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        contents[name] = out[position:position + size]
        position += size + 1
    return contents


def _committer_date(commit_object: bytes) -> dt.datetime | None:
    match = re.search(rb"^committer .* (\d+) ([+-])(\d\d)(\d\d)$", commit_object, re.MULTILINE)
    if match is None:
        return None
    seconds, sign, hours, minutes = match.groups()
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == b"-" else 1)
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset))


def display_name(name: str) -> str:
    """An author's name with no e-mail address in it, ever."""
    cleaned = " ".join(_EMAIL.sub(" ", name).split())
    if cleaned:
        return cleaned
    address = re.search(r"([\w.+'-]+)@", name)
    words = re.split(r"[._+-]+", address.group(1)) if address else []
    return " ".join(w.capitalize() for w in words if w) or "Unnamed contributor"
