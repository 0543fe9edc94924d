"""Full-text search on a static host: Pagefind indexes the staged site before it is swapped in.

Only pages marked `data-pagefind-body` (current plans, updates, fellows, convenings and free
pages) are indexed, so archived revisions and change pages never show up as results. The
index and Pagefind's own search UI are written beside the search page, which loads them by
relative URLs, so search works under any sub-path. Pagefind 1.5 writes the same bytes for
the same pages on every run and machine but for its filter indexes (type, city, year), which
`search_order` puts in one order; so the same commit still builds the same site (the tests
check it).
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import importlib.util
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from ..content import kinds
from ..engine.errors import OutputError
from ..engine.parallel import end_with_parent
from ..site.urls import SEARCH_BUNDLE, searched_files
from .search_order import order_filters

log = logging.getLogger(__name__)

#: How to get Pagefind, named in the warning and the errors.
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"

#: What Pagefind leaves out of every page it indexes, whatever the theme: table headers and
#: captions, whose words it would glue into results' excerpts ("GoalBaselineTargetStatus")
#: and which only name what the cells below them say. A template leaves out more with
#: `data-pagefind-ignore` (a chart, which repeats its table of goals).
NOT_INDEXED = "thead, caption"

#: The files Pagefind reads, as glob patterns: the home page and the pages of the
#: searchable kinds. Only the pages that can carry
#: `data-pagefind-body` are read: on a site with a long history most files are archived
#: revisions, and skipping them keeps indexing fast. Which pages are indexed is still
#: decided by the attribute, not by these patterns. Each pattern is read under a folder
#: too, for the pages in the site's other languages ('es/plans/*/index.html'), which
#: Pagefind indexes apart by their `lang`.
read_patterns = kinds.of_the_table(
    lambda _: tuple(
        f"{under}{pattern}" for under in ("", "*/") for pattern in ("index.html", *searched_files())
    )
)
#: The same, as one regular expression for each number of path segments.
_read_by_depth = kinds.of_the_table(lambda _: _by_depth(read_patterns()))


def _by_depth(patterns: Iterable[str]) -> dict[int, re.Pattern[str]]:
    """Glob patterns as one regular expression for each number of segments: among paths of
    as many segments as the pattern, a `*` cannot take a '/' (each of the pattern's must
    meet one of the path's), so it matches as Pagefind's glob does."""
    grouped: dict[int, list[str]] = {}
    for pattern in patterns:
        grouped.setdefault(pattern.count("/") + 1, []).append(fnmatch.translate(pattern))
    return {depth: re.compile("|".join(found)) for depth, found in grouped.items()}


def read_by_pagefind(path: str) -> bool:
    """Whether Pagefind reads this file of the site (see `read_patterns`)."""
    pattern = _read_by_depth().get(path.count("/") + 1)
    return pattern is not None and pattern.match(path) is not None


def pagefind_available() -> bool:
    """Pagefind's Python package is installed (its binary comes with the `bin` extra)."""
    return importlib.util.find_spec("pagefind") is not None


#: The packages whose Pagefind a build runs (`python -m pagefind` takes the extended binary
#: when it is installed, else the plain one), unless PAGEFIND_BINARY_PATH names another.
_PAGEFIND_PACKAGES = ("pagefind", "pagefind_bin_extended", "pagefind_bin")


def pagefind_identity() -> str:
    """What names the Pagefind a build would run, for the index's key: another Pagefind
    may write another index of the same pages, so after an upgrade the index is made
    again. Its packages' versions, and the binary PAGEFIND_BINARY_PATH names by its path,
    size and time of change."""
    parts = []
    for package in _PAGEFIND_PACKAGES:
        try:
            parts.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        try:
            found = os.stat(chosen)
            parts.append(f"{chosen} {found.st_size} {found.st_mtime_ns}")
        except OSError:
            parts.append(chosen)
    return "; ".join(parts)


def index_site(folder: Path) -> str | None:
    """Write the search index into the staged site `folder`.

    Returns a warning (and indexes nothing) when Pagefind is not installed, so a site can
    still be built without search; any failure of Pagefind itself is an `OutputError`,
    because a published site whose search silently broke is worse than a failed build.
    """
    indexing = start_indexing(folder)
    if isinstance(indexing, str):
        return indexing
    finish_indexing(indexing, folder)
    return None


def start_indexing(folder: Path) -> subprocess.Popen[str] | str:
    """Start Pagefind on `folder` and return at once (the build goes on beside it); or
    return the warning of `index_site`. The pages it reads must already be staged."""
    if not pagefind_available():
        return f"Pagefind is not installed, so the site is built without search; {INSTALL_HINT}"
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        ".",
        "--output-subdir",
        SEARCH_BUNDLE,
        "--glob",
        "{" + ",".join(read_patterns()) + "}",
        "--exclude-selectors",
        NOT_INDEXED,
        "--silent",
    ]
    # Pagefind reads settings from PAGEFIND_* variables and a pagefind.yml in its working
    # folder; neither may change what a commit builds, so both are kept out.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PAGEFIND_") or k == "PAGEFIND_BINARY_PATH"
    }
    try:
        return subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=end_with_parent,
        )
    except OSError as error:
        raise OutputError(
            f"could not run Pagefind to build the search index: {error}; {INSTALL_HINT}"
        ) from None


def finish_indexing(process: subprocess.Popen[str], folder: Path) -> None:
    """Wait for Pagefind and check that it wrote the index."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        detail = _last_lines(stderr or stdout)
        missing = "binary" in detail.lower() or "FileNotFoundError" in detail
        hint = (
            f"its program is missing; {INSTALL_HINT}"
            if missing
            else "the previous output is untouched"
        )
        raise OutputError(f"Pagefind could not build the search index ({detail}); {hint}")
    if not (folder / SEARCH_BUNDLE / "pagefind-ui.js").is_file():
        raise OutputError(
            "Pagefind ran but wrote no search index; the previous output is untouched"
        )
    order_filters(folder / SEARCH_BUNDLE)
    log.debug("search index written to %s", folder / SEARCH_BUNDLE)


def _last_lines(text: str, count: int = 3) -> str:
    """The end of Pagefind's output, where it says what went wrong; of a Python traceback
    (Pagefind's launcher failing) only the error itself."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        count = 1
    return " ".join(lines[-count:]) or "no message"
