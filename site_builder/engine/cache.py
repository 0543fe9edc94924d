"""What one build leaves for the next: keys naming what each file is made of, and content,
history and compiled templates already read, in `.site-builder-cache/` (safe to delete: it
only saves time).

A key is salted with what every page depends on — site_builder's own code, the theme's
files and site.yaml — so a new version or a new template makes every key new. Rendered
pages are not kept here: the previous output and its staging folder hold them (`writer`).

Every file of the cache is signed with a key out of a commit's reach, and read or
written through no link (`signed_files`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from . import collector
from .signed_files import CACHE_FOLDER, SignedFiles, real_folder

log = logging.getLogger(__name__)


class Keys:
    """Keys of files: the same parts under the same salt, the same key."""

    def __init__(self, salt: str) -> None:
        self.salt = salt.encode()

    def of(self, *parts: str | bytes) -> str:
        # Joined, then hashed once: a listing asks for tens of thousands of keys, each of
        # several parts, and a hash's update per part cost a third of listing a history.
        try:
            joined = "\0".join(parts).encode()  # type: ignore[arg-type]  # bytes: TypeError
        except TypeError:
            joined = b"\0".join(
                part if isinstance(part, bytes) else part.encode() for part in parts
            )
        return hashlib.sha256(self.salt + b"\0" + joined if parts else self.salt).hexdigest()[:32]


class Memo:
    """Python values kept between builds, each under a name, dropped when the code changes."""

    def __init__(self, folder: Path, salt: str, writable: bool = True) -> None:
        self.files = SignedFiles(folder)
        self.salt = salt
        self.writable = writable
        self._bases: dict[str, _Base] = {}  # of `load_map`, by name

    def load(self, name: str) -> Any:
        """The value last saved under `name` by the same code, or None."""
        data = self.files.read(f"{name}.pickle")
        if data is None:
            return None
        try:
            with collector.paused():
                salt, value = pickle.loads(data)
        except (
            pickle.UnpicklingError,
            EOFError,
            ValueError,
            TypeError,
            AttributeError,
            ImportError,
        ):
            return None
        return value if salt == self.salt else None

    def save(self, name: str, value: Any) -> None:
        """Store atomically; a cache that cannot be written only costs speed."""
        if self.writable:
            self.files.write(
                f"{name}.pickle", pickle.dumps((self.salt, value), pickle.HIGHEST_PROTOCOL)
            )

    def load_map(self, name: str) -> dict[Any, Any] | None:
        """The dict last saved under `name` by `save_map`, or None."""
        base, recent = self.load(name), self.load(f"{name}-recent")
        if not (isinstance(base, _Base) and isinstance(recent, _Recent)):
            return None
        if recent.base != base.token:
            return None
        self._bases[name] = base
        entries = base.entries | recent.changed
        for key in recent.removed:
            del entries[key]
        return entries

    def save_map(self, name: str, value: dict[Any, Any]) -> None:
        """Store a dict as the entries that differ from those of the base last loaded
        (`load_map`; an entry the same object is the same), so that one entry changed in a
        dict of many writes one entry, not all; as the new base when there is none, or when
        more than a quarter of the entries differ."""
        base = self._bases.get(name)
        changed = (
            {key: entry for key, entry in value.items() if base.entries.get(key) is not entry}
            if base is not None
            else value
        )
        removed = [key for key in base.entries if key not in value] if base is not None else []
        if base is None or 4 * (len(changed) + len(removed)) > len(value):
            base = self._bases[name] = _Base(secrets.token_hex(16), value)
            self.save(name, base)
            changed, removed = {}, []
        self.save(f"{name}-recent", _Recent(base.token, changed, removed))


@dataclass(frozen=True)
class _Base:
    """A dict `Memo.save_map` kept whole, under a token naming it."""

    token: str
    entries: dict[Any, Any]


@dataclass(frozen=True)
class _Recent:
    """The entries of a dict `Memo.save_map` kept since its base (`base`, a token): those
    that differ from the base's, and the keys of those the dict no longer has."""

    base: str
    changed: dict[Any, Any]
    removed: list[Any]


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, signed like every file of the cache, each valid only
    for the source and the code it was compiled from: how a template compiles depends on
    site_builder's code too (the extensions that read it), which Jinja's own check of the
    source does not know. `code`: the salt of that code (default: of the code running)."""

    def __init__(self, folder: Path, code: str | None = None) -> None:
        self.files = SignedFiles(folder)
        self.code = running_code() if code is None else code

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(f"{self.code}\0{source}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.files.read(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.files.write(bucket.key, bucket.bytecode_to_string())


#: A file changed this recently (in nanoseconds) may change again within the same tick of
#: its mtime, so its digest is not remembered yet.
_SETTLING = 2 * 10**9


def cache_folder(source: Path, *parts: str) -> Path | None:
    """The folder `parts` of the site's cache, made; None when it cannot be used."""
    folder = source.joinpath(CACHE_FOLDER, *parts)
    try:
        return folder if real_folder(source, folder, make=True) else None
    except OSError as error:
        log.debug("no cache in %s: %s", folder, error)
        return None


def file_digests(paths: Iterable[Path], memo: Memo) -> list[bytes]:
    """The SHA-256 of each file, read in pieces (a large file is never held whole), and
    remembered by path, size, mtime and inode: a file is read again only when one of
    them has changed."""
    known: dict[str, tuple[tuple[int, int, int], bytes]] = memo.load("files") or {}
    remembered, digests = {}, []
    now = time.time_ns()
    for path in paths:
        held = os.stat(path)
        stamp = (held.st_size, held.st_mtime_ns, held.st_ino)
        entry = known.get(str(path))
        if entry is not None and entry[0] == stamp:
            digest = entry[1]
        else:
            with open(path, "rb") as file:
                digest = hashlib.file_digest(file, "sha256").digest()
        if now - held.st_mtime_ns > _SETTLING:
            remembered[str(path)] = (stamp, digest)
        digests.append(digest)
    if remembered != known:
        memo.save("files", remembered)
    return digests


def salt_of(files: Iterable[tuple[str, Path]], settings: str) -> str:
    """What every page depends on: named files (site_builder's code, the templates) and the
    settings. Names, not paths, so the same site builds the same keys in any folder."""
    digest = hashlib.sha256(settings.encode())
    for name, path in sorted(files):
        digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


#: The package whose code salts every key.
PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def running_code() -> str:
    """The salt of site_builder's code as this process runs it (read once: a change of
    the files does not change the code already running)."""
    return salt_of(code_files(), "")


def code_files(package: Path = PACKAGE) -> list[tuple[str, Path]]:
    """Every module of the package, in every folder, named by its path in the package: a
    module moved, added or changed makes every key new (the theme's templates are salted
    by `theme.template_files`)."""
    return [
        (path.relative_to(package).as_posix(), path)
        for path in package.rglob("*.py")
        if "__pycache__" not in path.parts
    ]
