"""Commit the built site to a branch (gh-pages by default) without touching the checkout.

Only git plumbing is used, so the user's current branch, index and working tree stay
exactly as they were: files are hashed straight from `output/` (`hash-object
--no-filters`, so `.gitattributes` filters and line-ending conversion never alter the
published bytes), staged in a throw-away index (`GIT_INDEX_FILE`), written as a tree and
committed on top of the branch's tip with `commit-tree` and `update-ref` (which refuses
to move the branch if something else moved it meanwhile).

The publish commit is reproducible: its dates are the source commit's committer date and
its message names the source commit, so the same source, output and parent always give
the same commit id (unless `commit.gpgSign` asks for a signature, which carries its own
time). Nothing is committed when the tree is unchanged. When pushing, the remote's branch
(as last fetched) is the parent, and the push happens before the local branch moves.

Only committed content is published: `check_committed` (which the command line asks before
building) refuses what differs from HEAD where the build reads, unless allowed, and then
the commit's `Source-Commit:` trailer says so. The branch must be one of built sites: never
checked out in a worktree, and — unless forced — neither holding `site.yaml` where the site
has it nor part of the source's history.

Git processes: `status` (before the build); then `cat-file --batch` (HEAD, the branch, the
remote's branch and whether they hold site.yaml), `worktree list`, `for-each-ref --merged`
when the branch exists (unless forced), `hash-object`, `update-index` and `write-tree`;
when the tree changed, `config` (identity and signing) and `commit-tree`; `update-ref`
when the branch moves and `push` when asked: eleven at most, ten of them after the build.
Git runs with the settings that change what it prints pinned, and without the variables a
git hook sets (they would point it at another repository).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..engine.characters import shown
from ..errors import SiteError
from ..history.reading import _PINNED, _REPOSITORY_VARIABLES
from ..output.writer import MARKER

NOJEKYLL = ".nojekyll"
FALLBACK_NAME = "site-builder"
#: `.invalid` is reserved (RFC 2606): it can never reach a real mailbox or person.
FALLBACK_EMAIL = "site-builder@invalid"
_IDENTITY = ("NAME", "EMAIL")
#: What the build reads from the site folder: a change there changes the published site.
BUILT_FROM = ("content", "site.yaml", "static", "themes")
DIRTY = "dirty: uncommitted changes were published"
_LISTED = 10  # uncommitted files named in a message; the rest are counted
_HOW = {"??": " (untracked)", "!!": " (ignored by git)"}
_CONFIG = r"^(user\.name|user\.email|commit\.gpgsign)$"
_UNSIGNED = ("could not sign the publish commit ({reason}); commit.gpgSign is on in the git "
             "config: make the signing key usable (is gpg-agent or ssh-agent running?) or turn "
             "commit.gpgSign off for this repository")
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


def check_committed(source: Path, allow_dirty: bool = False) -> list[str]:
    """What `uncommitted` finds; refused unless `allow_dirty`, since the build would put
    it online although no commit holds it."""
    changes = uncommitted(source)
    if changes and not allow_dirty:
        raise PublishError(f"uncommitted changes would be published: {listed(changes)}; commit "
                           "them first (or publish anyway with --allow-dirty, which marks the "
                           "published commit as dirty)")
    return changes


def uncommitted(source: Path) -> list[str]:
    """What differs from HEAD where the build reads (`BUILT_FROM`), as `path (how)`.

    The build reads the working tree, so each would be published: edits (staged or not),
    deletions, untracked files and files git ignores — but hidden ones, which the build
    leaves out. Paths are relative to the repository, as git names them.
    """
    status = _git(source, "status", "--porcelain", "-z", "--untracked-files=all", "--ignored",
                  "--", *BUILT_FROM, failure="could not ask git what is not committed ({reason})")
    changes: list[str] = []
    entries = iter(status.decode("utf-8", errors="backslashreplace").split("\0"))
    for entry in entries:
        state, path = entry[:2], entry[3:]
        if "R" in state or "C" in state:
            next(entries, None)  # the name it had before: the new one is enough
        hidden = any(part.startswith(".") for part in path.split("/"))
        if path and not (state == "!!" and hidden):
            how = _HOW.get(state) or (" (deleted)" if "D" in state else "")
            changes.append(shown(path, None) + how)
    return changes


def listed(changes: list[str]) -> str:
    """The first few of `changes`, then how many more."""
    more = len(changes) - _LISTED
    return ", ".join(changes[:_LISTED]) + (f" and {more} more" if more > 0 else "")


def publish_folder(source: Path, output: Path, branch: str = "gh-pages",
                   push: str | None = None, *, dirty: bool = False,
                   force: bool = False) -> PublishResult:
    """Commit the contents of `output` to `branch` of the repository holding `source`.

    With `push`, the new commit extends the remote's branch as last fetched (a fresh CI
    clone has no local gh-pages) and is pushed *before* the local branch moves, so a
    rejected push leaves everything as it was and a fetch and a rerun fix it. `dirty`
    marks the commit as made from uncommitted content; `force` allows a branch that looks
    like a source branch.
    """
    if not branch or _BAD_BRANCH.search(branch):
        raise PublishError(f"'{branch}' is not a usable branch name; use a name like gh-pages")
    if push is not None and (not push.strip() or "\n" in push):
        raise PublishError(f"'{push}' is not a remote; use a name like origin")
    files = _site_files(output)
    head, found = _read_branch(source, branch, push)
    _refuse_checked_out(source, branch)
    if not force:
        _refuse_source_branch(source, branch, found)
    tip = found.tips.get(f"refs/heads/{branch}")
    base = found.tips.get(f"refs/remotes/{push}/{branch}") or tip
    with tempfile.TemporaryDirectory(prefix="site-builder-publish-") as scratch:
        if NOJEKYLL not in files:  # GitHub Pages would otherwise drop folders named _…
            files[NOJEKYLL] = Path(scratch, NOJEKYLL)
            files[NOJEKYLL].write_bytes(b"")
        tree = _write_tree(source, files, Path(scratch, "index"))
    new = (None if base is not None and base.tree == tree
           else _commit(source, tree, head, base, dirty))
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


@dataclass(frozen=True)
class _Branch:
    """The branch to publish on, as `cat-file --batch` found it."""

    tips: dict[str, _Commit]  # by ref: the local branch, and the remote's when pushing
    holds_site: bool  # a tip has site.yaml where the site has it: a source branch


def _read_branch(source: Path, branch: str, remote: str | None) -> tuple[_Commit, _Branch]:
    """HEAD and the branch in one `git cat-file --batch`.

    The same process proves that `source` is in a repository with commits, and looks for
    `site.yaml` in the branch's tree at the site's place (`./` is where git runs).
    """
    refs = [f"refs/heads/{branch}"]
    if remote and re.fullmatch(r"[\w.-]+", remote):  # a remote's name, not a URL
        refs.append(f"refs/remotes/{remote}/{branch}")
    names = ["HEAD", *refs, *(f"{ref}:./site.yaml" for ref in refs)]
    found = _parse_batch(_git(source, "cat-file", "--batch",
                              stdin="".join(f"{n}\n" for n in names),
                              failure=f"could not read the git repository of {source} "
                                      "({reason})"))
    head, *tips = (_as_commit(entry) for entry in found[:len(refs) + 1])
    if head is None:
        raise PublishError(f"the repository of {source} has no commits yet; commit the site "
                           "first, then publish")
    return head, _Branch({ref: tip for ref, tip in zip(refs, tips, strict=True) if tip},
                         any(entry is not None for entry in found[len(refs) + 1:]))


def _refuse_checked_out(source: Path, branch: str) -> None:
    """Moving a branch a worktree has checked out would leave that checkout stale."""
    listing = _git(source, "worktree", "list", "--porcelain",
                   failure="could not list the repository's worktrees ({reason})")
    worktree = ""
    for line in listing.decode("utf-8", errors="backslashreplace").split("\n"):
        if line.startswith("worktree "):
            worktree = line.removeprefix("worktree ")
        elif line == f"branch refs/heads/{branch}":
            raise PublishError(f"the branch {branch} is checked out in {shown(worktree, None)}, "
                               "and publishing would change it under that checkout; switch "
                               "that worktree to another branch ('git worktree prune' forgets "
                               "one whose folder is gone) or publish to another "
                               f"branch{_such(branch)}")


def _refuse_source_branch(source: Path, branch: str, found: _Branch) -> None:
    """A branch with the site's sources, or a past commit of them, is not for built sites."""
    instead = (f"publish to another branch{_such(branch)} (or with --force if {branch} "
               "really is for the built site)")
    if found.holds_site:
        raise PublishError(f"the branch {branch} holds site.yaml where this site's is, so it "
                           f"holds sources, not a built site; {instead}")
    if found.tips and _git(source, "for-each-ref", "--merged=HEAD", "--format=%(refname)",
                           *found.tips, failure="could not compare the branch with HEAD "
                                                "({reason})").strip():
        raise PublishError(f"the branch {branch} is part of the source history (its tip is an "
                           f"ancestor of HEAD), not a branch of built sites; {instead}")


def _such(branch: str) -> str:
    return " such as gh-pages" if branch != "gh-pages" else ""


def _parse_batch(data: bytes) -> list[tuple[str, str, bytes] | None]:
    """(id, type, content) of each object `cat-file --batch` printed, None when missing."""
    objects: list[tuple[str, str, bytes] | None] = []
    while data:
        header, _, data = data.partition(b"\n")
        fields = header.decode("utf-8", errors="replace").split()
        if fields[-1] == "missing":
            objects.append(None)
            continue
        size = int(fields[2])
        objects.append((fields[0], fields[1], data[:size]))
        data = data[size + 1:]
    return objects


def _as_commit(entry: tuple[str, str, bytes] | None) -> _Commit | None:
    if entry is None:
        return None
    oid, kind, body = entry
    if kind != "commit":
        raise PublishError(f"{oid} is a {kind}, not a commit; the branch cannot be published "
                           "on")
    return _parse_commit(oid, body)


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


def _commit(source: Path, tree: str, head: _Commit, parent: _Commit | None,
            dirty: bool) -> str:
    """A commit of `tree` on `parent`, dated like the source commit for reproducibility,
    and signed when the git config says every commit is (`commit-tree` itself ignores it)."""
    subject = f": {head.subject}" if head.subject else ""
    mark = f" ({DIRTY})" if dirty else ""
    message = f"Publish site from {head.id[:7]}{subject}\n\nSource-Commit: {head.id}{mark}\n"
    config = _config(source)
    env = _identity(config) | {"GIT_AUTHOR_DATE": head.date, "GIT_COMMITTER_DATE": head.date}
    parents = ["-p", parent.id] if parent else []
    signed = _true(config.get("commit.gpgsign", "false"))
    return _git(source, "commit-tree", *(["-S"] if signed else []), tree, *parents,
                stdin=message, env=env,
                failure=_UNSIGNED if signed else "could not create the publish commit ({reason})"
                ).decode().strip()


def _config(source: Path) -> dict[str, str]:
    """`user.name`, `user.email` and `commit.gpgSign` as git config has them, last one
    winning (a key set without a value reads as true, as git reads it)."""
    found = _git(source, "config", "-z", "--get-regexp", _CONFIG, ok=(0, 1))
    config: dict[str, str] = {}
    for entry in found.decode("utf-8", errors="replace").split("\0"):
        key, newline, value = entry.partition("\n")
        if key:
            config[key.lower()] = value if newline else "true"
    return config


def _true(value: str) -> bool:
    """A boolean setting as git reads it: true, yes, on or a number other than 0."""
    return value.lower() in ("true", "yes", "on") or (
        value.removeprefix("-").isdigit() and int(value) != 0)


def _identity(config: Mapping[str, str]) -> dict[str, str]:
    """Names and e-mails: the environment, else `user.*` from git config, else a fallback.

    The fallback e-mail is never guessed from the host name, which git would otherwise do
    and which would then be public on the site's branch.
    """
    wanted = [f"GIT_{role}_{part}" for role in ("AUTHOR", "COMMITTER") for part in _IDENTITY]
    fallback = {"NAME": config.get("user.name") or FALLBACK_NAME,
                "EMAIL": config.get("user.email") or FALLBACK_EMAIL}
    return {name: fallback[name.rsplit("_", 1)[1]] for name in wanted
            if not os.environ.get(name)}


def _git(source: Path, *args: str, stdin: str | None = None,
         env: Mapping[str, str] | None = None, failure: str = "git failed ({reason})",
         ok: tuple[int, ...] = (0,)) -> bytes:
    """Run one git command in `source`; a failure becomes `failure` with git's `{reason}`."""
    result = _run(source, *args, stdin=stdin, env=env)
    if result.returncode not in ok:
        reason = _reason(result.stderr)
        if "not a git repository" in reason:
            raise PublishError(f"{source} is not in a git repository; publishing commits the "
                               "site to a branch, so run 'git init' and commit the site first")
        raise PublishError(failure.replace("{reason}", f"git: {reason or 'no reason given'}"))
    return result.stdout


def _run(source: Path, *args: str, stdin: str | None = None,
         env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """git in `source`, whatever repository a hook's environment names, without locks it
    could do without (so `status` never rewrites the index)."""
    if not source.is_dir():
        raise PublishError(f"the site folder {source} does not exist")
    full_env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    full_env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", **(env or {}))
    pinned = [part for setting in _PINNED for part in ("-c", setting)]
    try:
        return subprocess.run(["git", *pinned, *args], cwd=source, capture_output=True,
                              env=full_env, input=b"" if stdin is None else stdin.encode(),
                              check=False)
    except FileNotFoundError:
        raise PublishError("git is not installed (or not on PATH); install git to "
                           "publish") from None


def _reason(stderr: bytes) -> str:
    """git's own explanation in one line.

    A refused push names each refused branch ('! [rejected] … (fetch first)'), and the
    remote's lines and git's hints say why: all of it is kept, each run of hint (or remote)
    lines joined into one sentence. Otherwise the first 'fatal:' or 'error:' line.
    """
    lines = [" ".join(shown(line, None).split()) for line in
             stderr.decode("utf-8", errors="replace").splitlines()]
    lines = [line for line in lines if line not in ("", "hint:", "remote:")
             and not line.startswith("To ")]  # the remote's address, as a push names it
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

