"""Rendered pages kept across builds, so nothing is rendered twice.

Pages of past revisions are keyed by what they are made of (commit, blob ids, the plan's
title, its updates), other pages by their whole template context; every key is salted
with what all pages depend on (site_builder's code, the theme's files, site.yaml). The
folder lives outside the output and is safe to delete; entries no build used are removed
after a successful build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

CACHE_FOLDER = ".site-builder-cache"


class RenderCache:
    def __init__(self, folder: Path, salt: str, writable: bool = True) -> None:
        self.folder = folder
        self.salt = salt
        self.writable = writable
        self.used: set[str] = set()
        self.hits = 0

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store atomically; a cache that cannot be written only costs speed."""
        self.used.add(key)
        if not self.writable:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except OSError:
            return

    def prune(self) -> None:
        """Drop entries this build did not use (revisions no longer in the site)."""
        if not self.writable or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.parent.name + path.name not in self.used:
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]


def salt_of(files: Iterable[Path], settings: str) -> str:
    """What every page depends on: site_builder's own code, the templates, the settings."""
    digest = hashlib.sha256(settings.encode())
    for path in sorted(files):
        digest.update(b"\0" + str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
