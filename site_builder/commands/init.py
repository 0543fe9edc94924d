"""`site-builder init [DIR]`: write a new site that builds, checks and publishes as it is.

The files' text comes from `content.site_starter`; this module names the site, pins the
version of site-builder its CI installs, and writes the files — all of them or none: an
existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import metadata
from pathlib import Path

from ..content.site_starter import site_files
from ..engine.errors import SiteError
from .new import write_new

#: The name site-builder is installed by (`pyproject.toml`).
DISTRIBUTION = "site-builder"


def init_site(folder: Path, today: dt.date, requirement: str | None = None) -> list[str]:
    """Write a new site into `folder` (made if missing); the paths written, in order.

    `requirement` is the pip requirement the CI files install site-builder from; by
    default this very version, pinned.
    """
    if folder.exists() and not folder.is_dir():
        raise SiteError(f"{folder} is a file; give init a folder, new or empty")
    files = site_files(site_title(folder), requirement or pinned_requirement(), today)
    taken = [path for path in files if (folder / path).exists()]
    if taken:
        listed = ", ".join(taken[:3]) + (f" and {len(taken) - 3} more" if len(taken) > 3 else "")
        raise SiteError(
            f"{folder}: {listed} already exist{'s' if len(taken) == 1 else ''}; init never "
            "overwrites a file: give it a new or empty folder, like 'site-builder init my-plans'"
        )
    for path, text in files.items():
        target = folder / path
        write_new(
            target,
            text,
            str(target),
            f"{target} appeared while init was writing; nothing replaced it",
        )
    return list(files)


def site_title(folder: Path) -> str:
    """A first name for the site, from its folder's: `safer-riverton` → "Safer Riverton"."""
    words = re.sub(r"[-_\s]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else "Public plans"


def pinned_requirement() -> str:
    """`site-builder==<this version>`, so that a new site builds as it did when made."""
    try:
        return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return DISTRIBUTION
