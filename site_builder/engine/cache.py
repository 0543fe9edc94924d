"""What one build leaves for the next: keys naming what each file is made of, and content,
history and compiled templates already read, in `.site-builder-cache/` (safe to delete: it
only saves time).

A key is salted with what every page depends on — site_builder's own code, the theme's
files and site.yaml — so a new version or a new template makes every key new. Rendered
pages are not kept here: the previous output and its staging folder hold them (`writer`).

The cache folder sits in the site folder, where anyone who can push a commit can put
files, and what it holds is loaded as code (pickles, compiled templates). So every file is
signed with a key kept outside the site, in the user's cache folder; a file without a good
signature is ignored, never loaded. The key itself must be out of a commit's reach and the
user's alone (`signing_key`), and no cache file is read or written through a link (a
commit can make `.site-builder-cache` one): a cache that cannot be used only costs time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from . import collector

log = logging.getLogger(__name__)

CACHE_FOLDER = ".site-builder-cache"


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


class SignedFiles:
    """The files of one folder of the cache, each signed with this user's key for the
    site the folder is in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.site = _site_of(folder)

    def read(self, name: str) -> bytes | None:
        """A file's content if it was signed with this user's key, else None."""
        secret = signing_key(self.site)
        if secret is None or not _real_folder(self.site, self.folder, make=False):
            return None
        try:
            handle = os.open(self.folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            with os.fdopen(handle, "rb") as file:
                signed = file.read()
        except OSError:
            return None
        signature, data = signed[:_SIGNATURE], signed[_SIGNATURE:]
        if not hmac.compare_digest(signature, hmac.digest(secret, data, "sha256")):
            return None
        return data

    def write(self, name: str, data: bytes) -> None:
        """Write atomically with a signature; a cache that cannot be written only costs
        time."""
        secret = signing_key(self.site)
        if secret is None:
            return
        try:
            if not _real_folder(self.site, self.folder, make=True):
                return
            handle, temporary = tempfile.mkstemp(dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(hmac.digest(secret, data, "sha256") + data)
            os.replace(temporary, self.folder / name)  # replaces a link, never follows it
        except OSError as error:
            log.debug("cannot write the cache: %s", error)


_SIGNATURE = 32
#: A file changed this recently (in nanoseconds) may change again within the same tick of
#: its mtime, so its digest is not remembered yet.
_SETTLING = 2 * 10**9


def cache_folder(source: Path, *parts: str) -> Path | None:
    """The folder `parts` of the site's cache, made; None when it cannot be used."""
    folder = source.joinpath(CACHE_FOLDER, *parts)
    try:
        return folder if _real_folder(source, folder, make=True) else None
    except OSError as error:
        log.debug("no cache in %s: %s", folder, error)
        return None


def _site_of(folder: Path) -> Path:
    """The site folder a folder of the cache belongs to: the one holding `CACHE_FOLDER`
    (for a folder elsewhere, its parent)."""
    return next(
        (parent.parent for parent in (folder, *folder.parents) if parent.name == CACHE_FOLDER),
        folder.parent,
    )


def _real_folder(site: Path, folder: Path, make: bool) -> bool:
    """Whether `folder`, and every folder between it and `site`, is a folder and not a
    link (made where missing, if `make`): a commit can put a link there, and a cache
    written through it would land wherever it points."""
    path = site
    for part in folder.relative_to(site).parts:
        path = path / part
        if make:
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode):
            _say_link(path)
        if not stat.S_ISDIR(mode):
            return False
    return True


@functools.cache
def _say_link(path: Path) -> None:
    """Said once per folder and process (`serve` builds again and again)."""
    log.warning(
        "%s is a symbolic link, so the cache is not used (it is never read or "
        "written through a link); delete it for faster builds",
        path,
    )


@functools.cache
def signing_key(site: Path) -> bytes | None:
    """This user's key that signs the cache of `site`, made on first use; None (no
    cache) where a commit could have put it — in the site folder or the git work tree
    holding it, which some CI setups make HOME — or where another user could read or
    change it."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(os.path.realpath(Path(home) / "site-builder"))
    site = site.resolve()
    if any(folder.is_relative_to(top) for top in (site, _work_tree(site)) if top):
        log.debug("no cache: %s is inside the site or its repository", folder)
        return None
    path = folder / "signing-key"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(handle, "wb") as file:
                file.write(secrets.token_bytes(32))
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as file:
            if not (_private(os.stat(folder), 0o022) and _private(os.fstat(handle), 0o077)):
                log.warning(
                    "%s is not this user's alone, so the cache is not used; make it "
                    "so (chmod 600, in a folder only you can write) or delete it",
                    path,
                )
                return None
            return file.read()
    except OSError as error:
        log.debug("no cache: cannot keep a signing key in %s: %s", folder, error)
        return None


def _private(held: os.stat_result, others: int) -> bool:
    """Owned by this user, and none of the `others` permission bits set."""
    return held.st_uid == os.geteuid() and not held.st_mode & others


def _work_tree(site: Path) -> Path | None:
    """The top of the git work tree holding `site`: the nearest folder with a `.git`."""
    return next((folder for folder in (site, *site.parents) if (folder / ".git").exists()), None)


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
