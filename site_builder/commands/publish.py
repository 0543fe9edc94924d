"""`site-builder publish`: commit the built site to a branch (gh-pages by default) without
touching the checkout, through the plumbing of `output.branch`.

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
git hook sets (they would point it at another repository): see `history.git`.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..engine.characters import shown
from ..output.branch import BranchTips, CommitObject, PublishError, Repository
from ..output.marker import MARKER

NOJEKYLL = ".nojekyll"
#: What the build reads from the site folder: a change there changes the published site.
BUILT_FROM = ("content", "site.yaml", "static", "themes")
DIRTY = "dirty: uncommitted changes were published"
_LISTED = 10  # uncommitted files named in a message; the rest are counted
_HOW = {"??": " (untracked)", "!!": " (ignored by git)"}
_BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|/\.|^[-./]|[/.]$|\.lock$|^@$")


@dataclass(frozen=True)
class PublishResult:
    """What `publish_folder` did."""

    branch: str
    commit: str | None  # the new commit on the branch, None when nothing changed
    source_commit: str  # HEAD of the source repository (full id)
    pushed: bool


def check_committed(source: Path, allow_dirty: bool = False) -> list[str]:
    """What `uncommitted` finds; refused unless `allow_dirty`, since the build would put
    it online although no commit holds it."""
    changes = uncommitted(source)
    if changes and not allow_dirty:
        raise PublishError(
            f"uncommitted changes would be published: {listed(changes)}; commit "
            "them first (or publish anyway with --allow-dirty, which marks the "
            "published commit as dirty)"
        )
    return changes


def uncommitted(source: Path) -> list[str]:
    """What differs from HEAD where the build reads (`BUILT_FROM`), as `path (how)`.

    The build reads the working tree, so each would be published: edits (staged or not),
    deletions, untracked files and files git ignores — but hidden ones, which the build
    leaves out. Paths are relative to the repository, as git names them.
    """
    status = Repository(source).run(
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--ignored",
        "--",
        *BUILT_FROM,
        failure="could not ask git what is not committed ({reason})",
    )
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


def publish_folder(
    source: Path,
    output: Path,
    branch: str = "gh-pages",
    push: str | None = None,
    *,
    dirty: bool = False,
    force: bool = False,
) -> PublishResult:
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
    repository = Repository(source)
    head, found = repository.read_branch(branch, push)
    _refuse_checked_out(repository, branch)
    if not force:
        _refuse_source_branch(repository, branch, found)
    tip = found.tips.get(f"refs/heads/{branch}")
    base = found.tips.get(f"refs/remotes/{push}/{branch}") or tip
    with tempfile.TemporaryDirectory(prefix="site-builder-publish-") as scratch:
        if NOJEKYLL not in files:  # GitHub Pages would otherwise drop folders named _…
            files[NOJEKYLL] = Path(scratch, NOJEKYLL)
            files[NOJEKYLL].write_bytes(b"")
        tree = repository.write_tree(files, Path(scratch, "index"))
    new = (
        None
        if base is not None and base.tree == tree
        else repository.commit_tree(tree, base, _message(head, dirty), head.date)
    )
    target = new or (base.id if base else "")
    if push is not None:
        repository.push(push, target, branch)
    if tip is None or tip.id != target:
        repository.move_branch(branch, target, tip, f"site-builder: publish from {head.id[:7]}")
    return PublishResult(branch, new, head.id, push is not None)


def _site_files(output: Path) -> dict[str, Path]:
    """The files to publish, by path in the tree; refuse a folder the build did not make."""
    if not output.is_dir() or not any(output.iterdir()):
        raise PublishError(
            f"there is no built site in {output}; build first with "
            "'site-builder build', then publish"
        )
    if not (output / MARKER).is_file():
        raise PublishError(
            f"{output} was not made by site-builder; build first with "
            "'site-builder build', then publish"
        )
    files: dict[str, Path] = {}
    for folder, subfolders, names in os.walk(output):
        subfolders[:] = sorted(d for d in subfolders if d != ".git")
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(output).as_posix()
            if relative == MARKER or not path.is_file():
                continue
            if "\n" in relative:
                raise PublishError(
                    f"cannot publish {path}: its name contains a line break; rename it"
                )
            files[relative] = path
    return files


def _message(head: CommitObject, dirty: bool) -> str:
    """The publish commit's message: it names the source commit, and says when the content
    was not all committed."""
    subject = f": {head.subject}" if head.subject else ""
    mark = f" ({DIRTY})" if dirty else ""
    return f"Publish site from {head.id[:7]}{subject}\n\nSource-Commit: {head.id}{mark}\n"


def _refuse_checked_out(repository: Repository, branch: str) -> None:
    """Moving a branch a worktree has checked out would leave that checkout stale."""
    worktree = repository.worktree_of(branch)
    if worktree is not None:
        raise PublishError(
            f"the branch {branch} is checked out in {shown(worktree, None)}, "
            "and publishing would change it under that checkout; switch that "
            "worktree to another branch ('git worktree prune' forgets one whose "
            f"folder is gone) or publish to another branch{_such(branch)}"
        )


def _refuse_source_branch(repository: Repository, branch: str, found: BranchTips) -> None:
    """A branch with the site's sources, or a past commit of them, is not for built sites."""
    instead = (
        f"publish to another branch{_such(branch)} (or with --force if {branch} "
        "really is for the built site)"
    )
    if found.holds_site:
        raise PublishError(
            f"the branch {branch} holds site.yaml where this site's is, so it "
            f"holds sources, not a built site; {instead}"
        )
    if found.tips and repository.in_head_history(found.tips):
        raise PublishError(
            f"the branch {branch} is part of the source history (its tip is an "
            f"ancestor of HEAD), not a branch of built sites; {instead}"
        )


def _such(branch: str) -> str:
    return " such as gh-pages" if branch != "gh-pages" else ""
