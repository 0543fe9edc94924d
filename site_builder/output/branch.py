"""The branch a site is published on: files committed to it with git plumbing alone.

Only plumbing is used, so the user's current branch, index and working tree stay exactly
as they were: files are hashed straight from the built folder (`hash-object --no-filters`,
so `.gitattributes` filters and line-ending conversion never alter the published bytes),
staged in a throw-away index (`GIT_INDEX_FILE`), written as a tree and committed with
`commit-tree`; `update-ref` moves the branch, and refuses to if something else moved it
meanwhile. A commit is signed when the git config says every commit is, and its author's
e-mail address is never guessed from the host name.

Git runs through `history.git` (settings pinned, a hook's repository variables dropped);
`Repository` turns each failure into a `PublishError` with git's reason in one line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..engine.characters import shown
from ..engine.errors import SiteError
from ..history.git import Git, parse_objects

FALLBACK_NAME = "site-builder"
#: `.invalid` is reserved (RFC 2606): it can never reach a real mailbox or person.
FALLBACK_EMAIL = "site-builder@invalid"
_IDENTITY = ("NAME", "EMAIL")
_CONFIG = r"^(user\.name|user\.email|commit\.gpgsign)$"
_UNSIGNED = (
    "could not sign the publish commit ({reason}); commit.gpgSign is on in the git "
    "config: make the signing key usable (is gpg-agent or ssh-agent running?) or turn "
    "commit.gpgSign off for this repository"
)


class PublishError(SiteError):
    """The site cannot be published; the message says why and what to do."""


@dataclass(frozen=True)
class CommitObject:
    """What publishing needs from a commit object."""

    id: str
    tree: str
    subject: str
    date: str  # git's internal format, "<seconds> <+hhmm>"


@dataclass(frozen=True)
class BranchTips:
    """The branch to publish on, as `cat-file --batch` found it."""

    tips: dict[str, CommitObject]  # by ref: the local branch, and the remote's when pushing
    holds_site: bool  # a tip has site.yaml where the site has it: a source branch


class Repository:
    """The git repository holding a site folder, as publishing reads and changes it."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.git = Git(source)

    def run(
        self,
        *args: str,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
        failure: str = "git failed ({reason})",
        ok: tuple[int, ...] = (0,),
    ) -> bytes:
        """Run one git command in the site folder; a failure becomes `failure` with git's
        `{reason}`."""
        if not self.source.is_dir():
            raise PublishError(f"the site folder {self.source} does not exist")
        try:
            result = self.git.run(*args, stdin=None if stdin is None else stdin.encode(), env=env)
        except FileNotFoundError:
            raise PublishError(
                "git is not installed (or not on PATH); install git to publish"
            ) from None
        if result.returncode not in ok:
            reason = _reason(result.stderr)
            if "not a git repository" in reason:
                raise PublishError(
                    f"{self.source} is not in a git repository; publishing "
                    "commits the site to a branch, so run 'git init' and "
                    "commit the site first"
                )
            raise PublishError(failure.replace("{reason}", f"git: {reason or 'no reason given'}"))
        return result.stdout

    def read_branch(self, branch: str, remote: str | None) -> tuple[CommitObject, BranchTips]:
        """HEAD and the branch in one `git cat-file --batch`.

        The same process proves that the site is in a repository with commits, and looks
        for `site.yaml` in the branch's tree at the site's place (`./` is where git runs).
        """
        refs = [f"refs/heads/{branch}"]
        if remote and re.fullmatch(r"[\w.-]+", remote):  # a remote's name, not a URL
            refs.append(f"refs/remotes/{remote}/{branch}")
        names = ["HEAD", *refs, *(f"{ref}:./site.yaml" for ref in refs)]
        found = parse_objects(
            self.run(
                "cat-file",
                "--batch",
                stdin="".join(f"{n}\n" for n in names),
                failure=f"could not read the git repository of {self.source} ({{reason}})",
            )
        )
        head, *tips = (_as_commit(entry) for entry in found[: len(refs) + 1])
        if head is None:
            raise PublishError(
                f"the repository of {self.source} has no commits yet; commit "
                "the site first, then publish"
            )
        return head, BranchTips(
            {ref: tip for ref, tip in zip(refs, tips, strict=True) if tip},
            any(entry is not None for entry in found[len(refs) + 1 :]),
        )

    def worktree_of(self, branch: str) -> str | None:
        """The folder of the worktree that has `branch` checked out, if one has."""
        listing = self.run(
            "worktree",
            "list",
            "--porcelain",
            failure="could not list the repository's worktrees ({reason})",
        )
        worktree = ""
        for line in listing.decode("utf-8", errors="backslashreplace").split("\n"):
            if line.startswith("worktree "):
                worktree = line.removeprefix("worktree ")
            elif line == f"branch refs/heads/{branch}":
                return worktree
        return None

    def in_head_history(self, refs: Iterable[str]) -> bool:
        """Whether the tip of one of `refs` is HEAD or one of its ancestors."""
        return bool(
            self.run(
                "for-each-ref",
                "--merged=HEAD",
                "--format=%(refname)",
                *refs,
                failure="could not compare the branch with HEAD ({reason})",
            ).strip()
        )

    def write_tree(self, files: Mapping[str, Path], index: Path) -> str:
        """Hash every file into the object store and write one tree from a private index."""
        paths = list(files)
        hashed = self.run(
            "hash-object",
            "-w",
            "--no-filters",
            "--stdin-paths",
            stdin="".join(f"{files[p].absolute()}\n" for p in paths),
            failure="could not store the site's files in the repository ({reason})",
        )
        ids = hashed.decode().split()
        entries = "".join(
            f"{_mode(files[p])} {oid}\t{p}\0" for p, oid in zip(paths, ids, strict=True)
        )
        env = {"GIT_INDEX_FILE": str(index)}
        self.run(
            "update-index",
            "--add",
            "-z",
            "--index-info",
            stdin=entries,
            env=env,
            failure="could not stage the site's files ({reason})",
        )
        return (
            self.run("write-tree", env=env, failure="could not write the site's tree ({reason})")
            .decode()
            .strip()
        )

    def commit_tree(self, tree: str, parent: CommitObject | None, message: str, date: str) -> str:
        """A commit of `tree` on `parent` made at `date` (a reproducible commit is dated by
        what it was made from), signed when the git config says every commit is
        (`commit-tree` itself ignores that)."""
        config = self._config()
        env = _identity(config) | {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        parents = ["-p", parent.id] if parent else []
        signed = _true(config.get("commit.gpgsign", "false"))
        return (
            self.run(
                "commit-tree",
                *(["-S"] if signed else []),
                tree,
                *parents,
                stdin=message,
                env=env,
                failure=_UNSIGNED if signed else "could not create the publish commit ({reason})",
            )
            .decode()
            .strip()
        )

    def push(self, remote: str, commit: str, branch: str) -> None:
        """Make `commit` the tip of `branch` on `remote`."""
        self.run(
            "push",
            "--quiet",
            "--",
            remote,
            f"{commit}:refs/heads/{branch}",
            failure=f"could not push {branch} to '{remote}' ({{reason}}); nothing was "
            f"changed — if the remote has newer commits, run 'git fetch {remote}' "
            "and publish again",
        )

    def move_branch(self, branch: str, commit: str, tip: CommitObject | None, why: str) -> None:
        """Point `branch` at `commit`, provided its tip is still `tip` (None: no branch)."""
        self.run(
            "update-ref",
            "-m",
            why,
            f"refs/heads/{branch}",
            commit,
            tip.id if tip else "",
            failure=f"could not move the branch {branch} ({{reason}}); if another "
            "publish ran at the same time, run publish again",
        )

    def _config(self) -> dict[str, str]:
        """`user.name`, `user.email` and `commit.gpgSign` as git config has them, last one
        winning (a key set without a value reads as true, as git reads it)."""
        found = self.run("config", "-z", "--get-regexp", _CONFIG, ok=(0, 1))
        config: dict[str, str] = {}
        for entry in found.decode("utf-8", errors="replace").split("\0"):
            key, newline, value = entry.partition("\n")
            if key:
                config[key.lower()] = value if newline else "true"
        return config


def _as_commit(entry: tuple[str, str, bytes] | None) -> CommitObject | None:
    if entry is None:
        return None
    oid, kind, body = entry
    if kind != "commit":
        raise PublishError(f"{oid} is a {kind}, not a commit; the branch cannot be published on")
    return _parse_commit(oid, body)


def _parse_commit(oid: str, raw: bytes) -> CommitObject:
    headers, _, message = raw.decode("utf-8", errors="replace").partition("\n\n")
    tree = date = ""
    for line in headers.split("\n"):
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "committer":
            date = " ".join(value.rsplit(" ", 2)[-2:])
    first_paragraph = message.strip().split("\n\n")[0]
    return CommitObject(oid, tree, " ".join(first_paragraph.split()), date)


def _mode(path: Path) -> str:
    return "100755" if path.stat().st_mode & 0o111 else "100644"


def _true(value: str) -> bool:
    """A boolean setting as git reads it: true, yes, on or a number other than 0."""
    return value.lower() in ("true", "yes", "on") or (
        value.removeprefix("-").isdigit() and int(value) != 0
    )


def _identity(config: Mapping[str, str]) -> dict[str, str]:
    """Names and e-mails: the environment, else `user.*` from git config, else a fallback.

    The fallback e-mail is never guessed from the host name, which git would otherwise do
    and which would then be public on the site's branch.
    """
    wanted = [f"GIT_{role}_{part}" for role in ("AUTHOR", "COMMITTER") for part in _IDENTITY]
    fallback = {
        "NAME": config.get("user.name") or FALLBACK_NAME,
        "EMAIL": config.get("user.email") or FALLBACK_EMAIL,
    }
    return {name: fallback[name.rsplit("_", 1)[1]] for name in wanted if not os.environ.get(name)}


def _reason(stderr: bytes) -> str:
    """git's own explanation in one line.

    A refused push names each refused branch ('! [rejected] … (fetch first)'), and the
    remote's lines and git's hints say why: all of it is kept, each run of hint (or remote)
    lines joined into one sentence. Otherwise the first 'fatal:' or 'error:' line.
    """
    lines = [
        " ".join(shown(line, None).split())
        for line in stderr.decode("utf-8", errors="replace").splitlines()
    ]
    lines = [
        line
        for line in lines
        if line not in ("", "hint:", "remote:") and not line.startswith("To ")
    ]  # the remote's address, as a push names it
    if not any(line.startswith("! ") for line in lines):
        errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
        return _plain((errors or lines or [""])[0])
    said: list[str] = []
    previous = ""
    for line in lines:
        prefix = line.partition(":")[0] if line.startswith(("hint:", "remote:")) else ""
        text = _plain(line.removeprefix(f"{prefix}:"))
        if prefix and prefix == previous:
            said[-1] += f" {text}"
        else:
            said.append(text)
        previous = prefix
    return "; ".join(said)


def _plain(line: str) -> str:
    return line.strip().removeprefix("fatal: ").removeprefix("error: ").removeprefix("! ")
