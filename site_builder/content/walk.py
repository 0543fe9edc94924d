"""Walk a folder of the site (`content/`, `static/`, a theme's) into its files, leaving
out what may not be published.

Symbolic links are followed only to a file inside the same folder (`content/`, `static/`,
a theme's folder). A link leading anywhere else could publish a file from
outside the site — say `.git/config`, which on a CI runner may hold an access token — so it
is reported as a mistake rather than read or copied; so is a link to a folder.

A name holding a line break, a control character or bytes that are not UTF-8 is a mistake
too: such a name, listed in the output's marker or printed in a message, could start a
line of its own ("x\n<key> /home/…" once made a later build delete /home/…).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..engine.characters import UNSAFE_IN_NAME, name_problem, shown
from ..engine.errors import Problem


def walk(root: Path, folder: str) -> tuple[list[str], list[Problem]]:
    """Files under `root/folder` as paths relative to `root` ('content/pages/a.md'), sorted
    folder by folder, hidden ones left out; plus the names and links that may not be used
    (what they name is left out too)."""
    top = root / folder
    if not top.is_dir():
        return [], []
    tree = top.resolve()
    if not tree.is_relative_to(root.resolve()):
        return [], [
            Problem(
                f"{folder}/",
                0,
                "is a link to a folder outside the site; nothing "
                "outside the site is published — make it a real folder",
            )
        ]
    problems: list[Problem] = []
    files = sorted(_walk(root, folder, (folder, tree), problems), key=lambda path: path.split("/"))
    return files, problems


def _walk(root: Path, folder: str, top: tuple[str, Path], problems: list[Problem]) -> Iterator[str]:
    """Files under `root/folder`, in the tree `top` (its name, and where it truly is);
    `scandir` knows each entry's type without asking the disk."""
    with os.scandir(root / folder) as scanned:
        entries = list(scanned)
    # one search of all the names: in most folders none holds a character it may not
    names = "/".join(entry.name for entry in entries)
    suspect = "\\" in names or UNSAFE_IN_NAME.search(names) is not None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = f"{folder}/{entry.name}"
        problem = _name_problem(entry.name) if suspect else None
        if problem:
            # escaped, so that the message naming the file stays one line
            problems.append(Problem(shown(relative, len(relative)), 1, problem))
        elif entry.is_symlink():
            problem = _link_problem(root / relative, *top)
            if problem:
                problems.append(Problem(relative, 1, problem))
            else:
                yield relative
        elif entry.is_dir():
            yield from _walk(root, relative, top, problems)
        elif entry.is_file():
            yield relative


def _name_problem(name: str) -> str | None:
    """Why a name cannot be part of the site: `name_problem`, or a backslash, which is
    legal in a name but which browsers read in a web address as '/' (the writer refuses
    it, so it is said here, with the file's name)."""
    if problem := name_problem(name):
        return problem
    if "\\" in name:
        return (
            "the name holds a backslash, which a web address reads as '/'; rename the "
            "file using letters, digits, '-', '_' and '.'"
        )
    return None


def _link_problem(link: Path, folder: str, tree: Path) -> str | None:
    """Why a symbolic link may not be followed, or None for a link to a file in `tree`
    (which is where `folder` truly is)."""
    try:
        target = link.resolve()
    except RuntimeError:  # Python 3.11 and 3.12 say so of a loop of links
        return "is a link that leads back to itself; remove the link or fix its target"
    if target.is_dir():
        return (
            "is a link to a folder; links to folders are not followed — move or copy "
            "the folder here instead"
        )
    if not target.exists():
        return "is a link to a file that does not exist; remove the link or fix its target"
    if not target.is_relative_to(tree):
        return (
            f"is a link to a file outside {folder}/; such links are not followed, so "
            "that nothing outside the site is published — copy the file here instead"
        )
    return None
