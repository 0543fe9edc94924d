"""The only code that writes the output folder.

Pages go to a staging folder beside the output; only a complete site replaces the old one,
by an atomic exchange of the two folders where the system has it (Linux `renameat2`),
else by two renames. A lock keeps two builds from staging at once, and a marker file keeps
a build from replacing a folder it did not make.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from pathlib import Path
from types import TracebackType

from .errors import OutputError

MARKER = ".site-builder-output"
_RENAME_EXCHANGE = 2


class OutputWriter:
    """Stage files, then swap them in: `with OutputWriter(out) as w: w.write(...); w.commit()`."""

    def __init__(self, output: Path) -> None:
        self.output = output.absolute()
        self.staging = self.output.parent / f".{self.output.name}.staging"
        self.lock_path = self.output.parent / f".{self.output.name}.lock"
        self._lock: int | None = None
        self._staging_text = str(self.staging)
        self._folders: set[str] = {""}
        self.written: set[str] = set()

    def __enter__(self) -> OutputWriter:
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as error:
            raise _output_error(error, self.output.parent) from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is writing {self.output}; wait for it to "
                              "finish") from None
        self._refuse_foreign_output()
        shutil.rmtree(self.staging, ignore_errors=True)  # left by a killed build
        self.staging.mkdir()
        (self.staging / MARKER).write_text("This folder is made by site-builder.\n")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)

    def write(self, relative: str, data: bytes) -> None:
        """Write one file of the site; refuse paths that would leave the output folder."""
        target = self._target(relative)
        try:
            with open(target, "wb") as file:
                file.write(data)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def copy(self, source: Path, relative: str) -> None:
        """Copy a static file or asset into the site."""
        target = self._target(relative)
        try:
            shutil.copyfile(source, target)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def commit(self) -> None:
        """Replace the output with the staged site in one step."""
        try:
            if self.output.exists():
                if not _exchange(self.staging, self.output):
                    retired = self.output.parent / f".{self.output.name}.retired"
                    shutil.rmtree(retired, ignore_errors=True)
                    self.output.rename(retired)
                    self.staging.rename(self.output)
                    self.staging = retired
            else:
                self.staging.rename(self.output)
        except OSError as error:
            raise _output_error(error, self.output) from None

    def _target(self, relative: str) -> str:
        """The staged path of a site path, its folder made; checked by text, not on disk,
        because the staging folder is ours and holds no links."""
        if relative in self.written:
            raise OutputError(f"two pages would be written to {relative}")
        parts = relative.split("/")
        if relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise OutputError(f"refusing to write outside the output folder: {relative}")
        self.written.add(relative)
        folder = "/".join(parts[:-1])
        if folder not in self._folders:
            try:
                os.makedirs(os.path.join(self._staging_text, folder), exist_ok=True)
            except OSError as error:
                raise _output_error(error, self.staging / folder) from None
            self._folders.add(folder)
        return os.path.join(self._staging_text, relative)

    def _refuse_foreign_output(self) -> None:
        if self.output.is_dir() and any(self.output.iterdir()):
            if not (self.output / MARKER).exists():
                raise OutputError(f"{self.output} is not empty and was not made by "
                                  "site-builder; choose another --output or empty it first")
        elif self.output.exists() and not self.output.is_dir():
            raise OutputError(f"{self.output} is a file; choose a folder for --output")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                       _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _output_error(error: OSError, path: Path) -> OutputError:
    if error.errno == errno.ENOSPC:
        return OutputError(f"the disk is full while writing {path}; free some space and build "
                           "again (the previous output is untouched)")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"no permission to write {path}; choose another --output or fix "
                           "the folder's permissions (the previous output is untouched)")
    return OutputError(f"cannot write {path}: {error.strerror}")
