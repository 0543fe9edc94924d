"""What one build leaves for the next: keys naming what each file is made of, and content,
history and compiled templates already read, in `.site-builder-cache/` (safe to delete: it
only saves time).

A key is salted with what every page depends on — site_builder's own code, the theme's
files and site.yaml — so a new version or a new template makes every key new. Rendered
pages are not kept here: the previous output and its staging folder hold them (`writer`).

The cache folder sits in the site folder, where anyone who can push a commit can put
files, and what it holds is loaded as code (pickles, compiled templates). So every file is
signed with a key kept outside the site, in the user's cache folder; a file without a good
signature is ignored, never loaded.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

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
        data = read_signed(self.folder / f"{name}.pickle")
        if data is None:
            return None
        try:
            salt, value = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                ImportError):
            return None
        return value if salt == self.salt else None

    def save(self, name: str, value: Any) -> None:
        """Store atomically; a cache that cannot be written only costs speed."""
        if self.writable:
            write_signed(self.folder / f"{name}.pickle",
                         pickle.dumps((self.salt, value), pickle.HIGHEST_PROTOCOL))


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, signed like every file of the cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        data = read_signed(self.folder / bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_signed(self.folder / bucket.key, bucket.bytecode_to_string())


def read_signed(path: Path) -> bytes | None:
    """A file's content if it was signed with this user's key, else None."""
    secret = _secret()
    try:
        signed = path.read_bytes()
    except OSError:
        return None
    signature, data = signed[:_SIGNATURE], signed[_SIGNATURE:]
    if secret is None or not hmac.compare_digest(
            signature, hmac.digest(secret, data, "sha256")):
        return None
    return data


def write_signed(path: Path, data: bytes) -> None:
    """Write atomically with a signature; a cache that cannot be written only costs time."""
    secret = _secret()
    if secret is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(hmac.digest(secret, data, "sha256") + data)
        os.replace(temporary, path)
    except OSError as error:
        log.debug("cannot write the cache: %s", error)


_SIGNATURE = 32


@functools.cache
def _secret() -> bytes | None:
    """This user's signing key, made on first use, readable by the user alone; None (no
    cache) where no such file can be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "site-builder" / "signing-key"
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it first
        return path.read_bytes()
    except OSError as error:
        log.debug("no cache: cannot keep a signing key in %s: %s", path.parent, error)
        return None


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
