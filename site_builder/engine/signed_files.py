"""The files of the cache, signed with a key out of a commit's reach.

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
import hmac
import logging
import os
import secrets
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

CACHE_FOLDER = ".site-builder-cache"


class SignedFiles:
    """The files of one folder of the cache, each signed with this user's key for the
    site the folder is in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.site = _site_of(folder)

    def read(self, name: str) -> bytes | None:
        """A file's content if it was signed with this user's key, else None."""
        secret = signing_key(self.site)
        if secret is None or not real_folder(self.site, self.folder, make=False):
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
            if not real_folder(self.site, self.folder, make=True):
                return
            handle, temporary = tempfile.mkstemp(dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(hmac.digest(secret, data, "sha256") + data)
            os.replace(temporary, self.folder / name)  # replaces a link, never follows it
        except OSError as error:
            log.debug("cannot write the cache: %s", error)


_SIGNATURE = 32


def _site_of(folder: Path) -> Path:
    """The site folder a folder of the cache belongs to: the one holding `CACHE_FOLDER`
    (for a folder elsewhere, its parent)."""
    return next(
        (parent.parent for parent in (folder, *folder.parents) if parent.name == CACHE_FOLDER),
        folder.parent,
    )


def real_folder(site: Path, folder: Path, make: bool) -> bool:
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
