"""Commit the built site to a branch (gh-pages by default) without touching the checkout.

Only git plumbing is used, so the user's current branch, index and working tree stay
exactly as they were: files are hashed straight from `output/` (`hash-object
--no-filters`, so `.gitattributes` filters and line-ending conversion never alter the
published bytes), staged in a throw-away index (`GIT_INDEX_FILE`), written as a tree and
committed on top of the branch's tip with `commit-tree` and `update-ref` (which refuses
to move the branch if something else moved it meanwhile).

The publish commit is reproducible: its dates are the source commit's committer date and
its message names the source commit, so the same source, output and parent always give
the same commit id. Nothing is committed when the tree is unchanged. When pushing, the
remote's branch (as last fetched) is the parent, and the push happens before the local
branch moves. Six git processes at most, plus one for `git config` when the environment
names no identity, and one for the push.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError
from .writer import MARKER

NOJEKYLL = ".nojekyll"
FALLBACK_NAME = "site-builder"
#: `.invalid` is reserved (RFC 2606): it can never reach a real mailbox or person.
FALLBACK_EMAIL = "site-builder@invalid"
_IDENTITY = ("NAME", "EMAIL")
_BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|/\.|^[-./]|[/.]$|\.lock$|^@$")


class PublishError(SiteError):
    """The site cannot be published; the message says why and what to do."""


@dataclass(frozen=True)
class PublishResult:
    branch: str
    commit: str | None  # the new commit on the branch, None when nothing changed
    source_commit: str  # HEAD of the source repository (full id)
    pushed: bool


@dataclass(frozen=True)
class _Commit:
    """What publishing needs from a commit object."""

    id: str
    tree: str
    subject: str
    date: str  # git's internal format, "<seconds> <+hhmm>"


def publish_folder(source: Path, output: Path, branch: str = "gh-pages",
                   push: str | None = None) -> PublishResult:
    """Commit the contents of `output` to `branch` of the repository holding `source`.

    With `push`, the new commit extends the remote's branch as last fetched (a fresh CI
    clone has no local gh-pages) and is pushed *before* the local branch moves, so a
    rejected push leaves everything as it was and a fetch and a rerun fix it.
    """
    if not branch or _BAD_BRANCH.search(branch):
        raise PublishError(f"'{branch}' is not a usable branch name; use a name like gh-pages")
    if push is not None and (not push.strip() or "\n" in push):
        raise PublishError(f"'{push}' is not a remote; use a name like origin")
    files = _site_files(output)
    head, tip, remote_tip = _read_commits(source, branch, push)
    if tip is not None and tip.id == head.id:
        raise PublishError(f"the branch {branch} is the one checked out (or HEAD is at its "
                           "tip); publish to a separate branch such as gh-pages")
    base = remote_tip or tip
    with tempfile.TemporaryDirectory(prefix="site-builder-publish-") as scratch:
        if NOJEKYLL not in files:  # GitHub Pages would otherwise drop folders named _…
            files[NOJEKYLL] = Path(scratch, NOJEKYLL)
            files[NOJEKYLL].write_bytes(b"")
        tree = _write_tree(source, files, Path(scratch, "index"))
    new = None if base is not None and base.tree == tree else _commit(source, tree, head, base)
    target = new or (base.id if base else "")
    if push is not None:
        _git(source, "push", "--quiet", "--", push, f"{target}:refs/heads/{branch}",
             failure=f"could not push {branch} to '{push}' ({{reason}}); nothing was changed — "
                     f"if the remote has newer commits, run 'git fetch {push}' and publish again")
    if tip is None or tip.id != target:
        _git(source, "update-ref", "-m", f"site-builder: publish from {head.id[:7]}",
             f"refs/heads/{branch}", target, tip.id if tip else "",
             failure=f"could not move the branch {branch} ({{reason}}); if another publish "
                     "ran at the same time, run publish again")
    return PublishResult(branch, new, head.id, push is not None)


def _site_files(output: Path) -> dict[str, Path]:
    """The files to publish, by path in the tree; refuse a folder the build did not make."""
    if not output.is_dir() or not any(output.iterdir()):
        raise PublishError(f"there is no built site in {output}; build first with "
                           "'site-builder build', then publish")
    if not (output / MARKER).is_file():
        raise PublishError(f"{output} was not made by site-builder; build first with "
                           "'site-builder build', then publish")
    files: dict[str, Path] = {}
    for folder, subfolders, names in os.walk(output):
        subfolders[:] = sorted(d for d in subfolders if d != ".git")
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(output).as_posix()
            if relative == MARKER or not path.is_file():
                continue
            if "\n" in relative:
                raise PublishError(f"cannot publish {path}: its name contains a line break; "
                                   "rename it")
            files[relative] = path
    return files


def _read_commits(source: Path, branch: str, remote: str | None
                  ) -> tuple[_Commit, _Commit | None, _Commit | None]:
    """HEAD, the branch tip and the remote's tip in one `git cat-file --batch`.

    The same process proves that `source` is in a repository with commits.
    """
    names = ["HEAD", f"refs/heads/{branch}"]
    if remote and re.fullmatch(r"[\w.-]+", remote):  # a remote's name, not a URL
        names.append(f"refs/remotes/{remote}/{branch}")
    if not source.is_dir():
        raise PublishError(f"the site folder {source} does not exist")
    result = _run(source, "cat-file", "--batch", stdin="".join(f"{n}\n" for n in names))
    if result.returncode != 0:
        reason = _reason(result.stderr)
        if "not a git repository" in reason:
            raise PublishError(f"{source} is not in a git repository; publishing commits the "
                               "site to a branch, so run 'git init' and commit the site first")
        raise PublishError(f"could not read the git repository of {source} (git: {reason})")
    head, tip, *remote_tip = _parse_batch(result.stdout)
    if head is None:
        raise PublishError(f"the repository of {source} has no commits yet; commit the site "
                           "first, then publish")
    return head, tip, (remote_tip or [None])[0]


def _parse_batch(data: bytes) -> list[_Commit | None]:
    """Commits from `cat-file --batch` output, None for a name that is missing."""
    commits: list[_Commit | None] = []
    while data:
        header, _, data = data.partition(b"\n")
        fields = header.decode().split()
        if fields[-1] == "missing":
            commits.append(None)
            continue
        oid, kind, size = fields[0], fields[1], int(fields[2])
        body, data = data[:size], data[size + 1:]
        if kind != "commit":
            raise PublishError(f"{header.decode()} is not a commit; the branch cannot be "
                               "published on")
        commits.append(_parse_commit(oid, body))
    return commits


def _parse_commit(oid: str, raw: bytes) -> _Commit:
    headers, _, message = raw.decode("utf-8", errors="replace").partition("\n\n")
    tree = date = ""
    for line in headers.split("\n"):
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "committer":
            date = " ".join(value.rsplit(" ", 2)[-2:])
    first_paragraph = message.strip().split("\n\n")[0]
    return _Commit(oid, tree, " ".join(first_paragraph.split()), date)


def _write_tree(source: Path, files: Mapping[str, Path], index: Path) -> str:
    """Hash every file into the object store and write one tree from a private index."""
    paths = list(files)
    hashed = _git(source, "hash-object", "-w", "--no-filters", "--stdin-paths",
                  stdin="".join(f"{files[p].absolute()}\n" for p in paths),
                  failure="could not store the site's files in the repository ({reason})")
    ids = hashed.decode().split()
    entries = "".join(f"{_mode(files[p])} {oid}\t{p}\0" for p, oid in zip(paths, ids, strict=True))
    env = {"GIT_INDEX_FILE": str(index)}
    _git(source, "update-index", "--add", "-z", "--index-info", stdin=entries, env=env,
         failure="could not stage the site's files ({reason})")
    return _git(source, "write-tree", env=env,
                failure="could not write the site's tree ({reason})").decode().strip()


def _mode(path: Path) -> str:
    return "100755" if path.stat().st_mode & 0o111 else "100644"


def _commit(source: Path, tree: str, head: _Commit, parent: _Commit | None) -> str:
    """A commit of `tree` on `parent`, dated like the source commit for reproducibility."""
    subject = f": {head.subject}" if head.subject else ""
    message = f"Publish site from {head.id[:7]}{subject}\n\nSource-Commit: {head.id}\n"
    env = _identity(source) | {"GIT_AUTHOR_DATE": head.date, "GIT_COMMITTER_DATE": head.date}
    parents = ["-p", parent.id] if parent else []
    return _git(source, "commit-tree", tree, *parents, stdin=message, env=env,
                failure="could not create the publish commit ({reason})").decode().strip()


def _identity(source: Path) -> dict[str, str]:
    """Names and e-mails: the environment, else `user.*` from git config, else a fallback.

    The fallback e-mail is never guessed from the host name, which git would otherwise do
    and which would then be public on the site's branch.
    """
    wanted = [f"GIT_{role}_{part}" for role in ("AUTHOR", "COMMITTER") for part in _IDENTITY]
    missing = [name for name in wanted if not os.environ.get(name)]
    if not missing:
        return {}
    result = _git(source, "config", "--get-regexp", r"^user\.(name|email)$", ok=(0, 1))
    config: dict[str, str] = {}
    for line in result.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(" ")
        config[key.lower()] = value
    fallback = {"NAME": config.get("user.name") or FALLBACK_NAME,
                "EMAIL": config.get("user.email") or FALLBACK_EMAIL}
    return {name: fallback[name.rsplit("_", 1)[1]] for name in missing}


def _git(source: Path, *args: str, stdin: str | None = None,
         env: Mapping[str, str] | None = None, failure: str = "git failed ({reason})",
         ok: tuple[int, ...] = (0,)) -> bytes:
    """Run one git command in `source`; a failure becomes `failure` with git's `{reason}`."""
    result = _run(source, *args, stdin=stdin, env=env)
    if result.returncode not in ok:
        reason = _reason(result.stderr)
        raise PublishError(failure.replace("{reason}", f"git: {reason or 'no reason given'}"))
    return result.stdout


def _run(source: Path, *args: str, stdin: str | None = None,
         env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0", **(env or {}))
    try:
        return subprocess.run(["git", *args], cwd=source, capture_output=True, env=full_env,
                              input=b"" if stdin is None else stdin.encode(), check=False)
    except FileNotFoundError:
        raise PublishError("git is not installed (or not on PATH); install git to "
                           "publish") from None


def _reason(stderr: bytes) -> str:
    """git's own explanation in one line: its first 'fatal:', 'error:' or '! [rejected]'."""
    lines = [line.strip() for line in stderr.decode("utf-8", errors="replace").splitlines()
             if line.strip()]
    errors = [line for line in lines if line.startswith(("fatal:", "error:", "! "))]
    reason = (errors or lines or [""])[0].removeprefix("! ")
    reason = reason.removeprefix("fatal: ").removeprefix("error: ")
    return " ".join(reason.split())
