"""What one build leaves for the next: keys naming what each file is made of, and content
and history already read, in `.site-builder-cache/` (safe to delete: it only saves time).

A key is salted with what every page depends on — site_builder's own code, the theme's
files and site.yaml — so a new version or a new template makes every key new. Rendered
pages are not kept here: the previous output and its staging folder hold them (`writer`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_FOLDER = ".site-builder-cache"


class Keys:
    """Keys of files: the same parts under the same salt, the same key."""

    def __init__(self, salt: str) -> None:
        self.salt = salt.encode()

    def of(self, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(b"\0" + (part if isinstance(part, bytes) else part.encode()))
        return digest.hexdigest()[:32]


class Memo:
    """Python values kept between builds, each under a name, dropped when the code changes."""

    def __init__(self, folder: Path, salt: str, writable: bool = True) -> None:
        self.folder = folder
        self.salt = salt
        self.writable = writable

    def load(self, name: str) -> Any:
        """The value last saved under `name` by the same code, or None."""
        try:
            with open(self.folder / f"{name}.pickle", "rb") as file:
                salt, value = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, ImportError):
            return None
        return value if salt == self.salt else None

    def save(self, name: str, value: Any) -> None:
        """Store atomically; a cache that cannot be written only costs speed."""
        if not self.writable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                pickle.dump((self.salt, value), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{name}.pickle")
        except OSError as error:
            log.debug("cannot write the cache: %s", error)


def salt_of(files: Iterable[tuple[str, Path]], settings: str) -> str:
    """What every page depends on: named files (site_builder's code, the templates) and the
    settings. Names, not paths, so the same site builds the same keys in any folder."""
    digest = hashlib.sha256(settings.encode())
    for name, path in sorted(files):
        digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def code_files() -> list[tuple[str, Path]]:
    """site_builder's own modules, by name."""
    return [(path.name, path) for path in Path(__file__).parent.glob("*.py")]
