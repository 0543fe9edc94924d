"""The only code that writes the output folder.

Pages go to a staging folder beside the output; only a complete site replaces the old one,
by an atomic exchange of the two folders where the system has it (Linux `renameat2`),
else by two renames. A lock keeps two builds from staging at once, and a marker file keeps
a build from replacing a folder it did not make.

The marker also lists every file of its folder with a key naming what the file was made
from. After the exchange the staging folder holds the previous site, and the next build
starts from it: a file whose key is unchanged stays, one the published site already has is
hard-linked from there, and only new files are written — a build that changes nothing
writes almost nothing. Files are never changed in place (a new file replaces an old one),
so a link shared by both folders never changes under the published site. While a build
changes the staging folder its marker lists nothing, so a build killed half-way leaves a
folder the next build will not trust.

The first build into a folder writes one copy of the site only. A build that finds no
staging folder it can trust has a child process make it again (`_Twin`) while the build
loads its content; the build may keep the files the child promised before they are
there, and waits for it before it changes the folder.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NoReturn

from .errors import OutputError
from .parallel import end_with_parent

MARKER = ".site-builder-output"
_HEADER = "This folder is made by site-builder. Files and what each was made from:\n"
_RENAME_EXCHANGE = 2


class OutputWriter:
    """Stage files, then swap them in: `with OutputWriter(out) as w: w.write(...); w.commit()`.

    Each file is written with a key naming what it is made of (see `keep`), so that the
    next build can leave it where it is.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.absolute()
        self.staging = self.output.parent / f".{self.output.name}.staging"
        self.lock_path = self.output.parent / f".{self.output.name}.lock"
        self._lock: int | None = None
        self._staging_text = str(self.staging)
        self._output_text = str(self.output)
        self._folders: set[str] = {""}
        self.staged: dict[str, str] = {}  # what the staging folder holds: path -> key
        self.published: dict[str, str] = {}  # what the output folder holds
        self.manifest: dict[str, str] = {}  # what this build's site is made of
        self._sweeper: threading.Thread | None = None
        self._twin: _Twin | None = None  # the child process making the staging folder again
        self._settled = True
        self.kept = 0  # pages left or linked rather than rendered (counted by `stage`)

    def __enter__(self) -> OutputWriter:
        self.open()
        self.settle()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        """Take the lock and read what the output and staging folders hold. A staging
        folder that cannot be trusted is made again by a child process (`_Twin`) while the
        build loads its content and plans its pages. Does nothing when already open."""
        if self._lock is not None:
            return
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as error:
            raise _output_error(error, self.output.parent) from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            raise OutputError(f"another build is writing {self.output}; wait for it to "
                              "finish") from None
        self._lock = lock
        try:
            self._refuse_foreign_output()
        except OutputError:
            self.close()
            raise
        self.published = read_manifest(self.output) or {}
        staged = read_manifest(self.staging)
        if staged is None:  # left by a killed build, or never made
            self._twin = _Twin(self.staging, self.output, self.published)
        self.staged = staged or {}
        self._settled = False

    def settle(self) -> None:
        """Before the staging folder is changed: wait for the child making it, if there is
        one, and mark the folder untrusted until `commit` lists it again."""
        if self._settled:
            return
        self._count_on_twin()
        if self._twin is not None:
            twin, self._twin = self._twin, None
            failure = twin.finish()
            if failure and twin.promised():  # files the build counts on may be missing
                raise OutputError(f"cannot link the published site into {self.staging}: "
                                  f"{failure}")
            if failure:  # it failed before it promised anything: start the folder here
                shutil.rmtree(self.staging, ignore_errors=True)
        try:
            self.staging.mkdir(exist_ok=True)
            _write_marker(self.staging, {})
        except OSError as error:
            raise _output_error(error, self.staging) from None
        self._settled = True

    def close(self) -> None:
        """Release the lock; a staging folder still being made is left untrusted."""
        if self._twin is not None:
            self._twin.stop()
            self._twin = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _count_on_twin(self) -> None:
        """Take as staged the files the child making the staging folder said it will link
        (the build may keep them before they are there, never change them before)."""
        if self._twin is not None and not self.staged:
            self.staged = self._twin.promised()

    def holds(self, relative: str) -> bool:
        """Whether the staged or published site has a file at `relative`, whatever made it."""
        self._count_on_twin()
        return relative in self.staged or relative in self.published

    def keep(self, relative: str, key: str) -> bool:
        """Keep the file at `relative` when the staged or published site already has it as
        made from `key`; False when it has to be written."""
        self._count_on_twin()
        if self.staged.get(relative) == key:
            self._claim(relative, key)
            return True
        if self.published.get(relative) == key:
            target = self._target(relative, key)
            try:
                os.link(os.path.join(self._output_text, relative), target)
            except OSError:
                del self.manifest[relative]
                return False
            return True
        return False

    def write(self, relative: str, data: bytes, key: str) -> None:
        """Write one file of the site; refuse paths that would leave the output folder."""
        target = self._target(relative, key)
        try:
            with _new_file(target) as file:
                file.write(data)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def copy(self, source: Path, relative: str, key: str) -> None:
        """Copy a static file or asset into the site."""
        target = self._target(relative, key)
        try:
            with open(source, "rb") as original, _new_file(target) as file:
                shutil.copyfileobj(original, file)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def record(self, entries: Iterable[tuple[str, str]]) -> None:
        """Take in files that another process staged (see `build`'s workers)."""
        for relative, key in entries:
            self._claim(relative, key)

    def drop(self, relatives: Iterable[str]) -> None:
        """Delete these staged files, unless this build has made them, and folders left
        empty; called first with what the new site no longer has (so a page may become a
        folder), and by `commit` with whatever is left."""
        doomed = [path for path in relatives if path not in self.manifest]
        if not doomed:
            return
        self.settle()
        for relative in doomed:
            try:
                os.unlink(os.path.join(self._staging_text, relative))
            except FileNotFoundError:
                pass
            except OSError as error:
                raise _output_error(error, self.staging / relative) from None
            self.staged.pop(relative, None)
        emptied = _folders_above(doomed) - _folders_above(self.manifest)
        for folder in sorted(emptied, key=len, reverse=True):
            try:
                os.rmdir(os.path.join(self._staging_text, folder))
            except OSError:
                continue
            self._folders.discard(folder)

    def clear(self, folder: str) -> None:
        """Empty one folder of the staged site, whatever made its files. The files are
        deleted by a thread beside the build (after a rename out of the site), since on a
        slow disk deleting a thousand files takes a while; `commit` waits for it."""
        self.settle()
        prefix = folder + "/"
        for held in (self.staged, self.manifest):
            for path in [p for p in held if p.startswith(prefix)]:
                del held[path]
        self._folders = {f for f in self._folders if f != folder and not f.startswith(prefix)}
        doomed = self.staging / folder
        if not doomed.exists():
            return
        trash = self.output.parent / f".{self.output.name}.trash"
        try:
            shutil.rmtree(trash, ignore_errors=True)
            doomed.rename(trash)
        except OSError as error:
            raise _output_error(error, doomed) from None
        self._sweeper = threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True)
        self._sweeper.start()

    def commit(self) -> None:
        """Replace the output with the staged site in one step."""
        self.settle()
        if self._sweeper is not None:
            self._sweeper.join()
        self.drop(list(self.staged))
        try:
            _write_marker(self.staging, self.manifest)
            if self.output.exists():
                if not _exchange(self.staging, self.output):
                    retired = self.output.parent / f".{self.output.name}.retired"
                    shutil.rmtree(retired, ignore_errors=True)
                    self.output.rename(retired)
                    self.staging.rename(self.output)
                    retired.rename(self.staging)
            else:
                self.staging.rename(self.output)
        except OSError as error:
            raise _output_error(error, self.output) from None

    def _claim(self, relative: str, key: str) -> None:
        if relative in self.manifest:
            raise OutputError(f"two pages would be written to {relative}")
        self.manifest[relative] = key

    def _target(self, relative: str, key: str) -> str:
        """The staged path of a site path, its folder made and any older file there removed;
        checked by text, not on disk, because the staging folder is ours and holds no links
        that lead out of it."""
        parts = relative.split("/")
        if relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise OutputError(f"refusing to write outside the output folder: {relative}")
        self.settle()
        self._claim(relative, key)
        target = os.path.join(self._staging_text, relative)
        folder = "/".join(parts[:-1])
        try:
            if self.staged.pop(relative, None) is not None:
                os.unlink(target)  # may be linked to the published file: never write in place
            elif folder not in self._folders:
                _make_folder(os.path.join(self._staging_text, folder))
                self._folders.update(_folders_of(relative))
        except FileNotFoundError:
            pass
        except OSError as error:
            raise _output_error(error, self.staging / folder) from None
        return target

    def _refuse_foreign_output(self) -> None:
        if self.output.is_dir() and any(self.output.iterdir()):
            if not (self.output / MARKER).exists():
                raise OutputError(f"{self.output} is not empty and was not made by "
                                  "site-builder; choose another --output or empty it first")
        elif self.output.exists() and not self.output.is_dir():
            raise OutputError(f"{self.output} is a file; choose a folder for --output")


class _Twin:
    """A child process that makes the staging folder again: empties it, then links every
    published file into it, beside the build. It first says which files it will link —
    those the output really has, none where the disk cannot link — so that the build can
    count on them at once; then links them and lists them in the folder's marker. A
    process, not a thread: it takes no turn from the build's Python code, and it dies
    with the build."""

    def __init__(self, staging: Path, output: Path, published: dict[str, str]) -> None:
        self.published = published
        self._promised: dict[str, str] | None = None
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            _make_twin(staging, output, published, write, parent)
        os.close(write)
        self._report = os.fdopen(read, "rb")

    def promised(self) -> dict[str, str]:
        """The files (path -> key) the child will link; waits until it has said."""
        if self._promised is None:
            said = json.loads(self._report.readline() or "null")  # null: it failed first
            left_out = set(self.published if said is None else said)
            self._promised = {path: key for path, key in self.published.items()
                              if path not in left_out}
        return self._promised

    def finish(self) -> str | None:
        """Wait for the child; what went wrong, if it did not link what it promised."""
        self.promised()
        failure = self._report.read().decode("utf-8", "replace").strip()
        self._report.close()
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return failure or f"the process ended with status {status}"
        return None

    def stop(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._report.close()


def _make_twin(staging: Path, output: Path, published: dict[str, str], report_fd: int,
               parent: int) -> NoReturn:
    """In the child of `_Twin`: never returns."""
    status = 1
    try:
        end_with_parent(parent)
        with os.fdopen(report_fd, "wb") as report:
            promise = b"null\n"  # what it says if it fails before it knows: no file
            try:
                shutil.rmtree(staging, ignore_errors=True)
                staging.mkdir()
                _write_marker(staging, {})
                staging_text, output_text = str(staging), str(output)
                there = [path for path in published
                         if os.path.isfile(os.path.join(output_text, path))]
                if there and not _can_link(output_text, staging_text, there[0]):
                    there = []  # a disk without hard links: the build writes every file
                present = set(there)
                left_out = json.dumps([p for p in published if p not in present]).encode()
                report.write(left_out + b"\n")
                report.flush()
                promise = b""
                for folder in sorted(_folders_above(there)):  # parents first
                    _make_folder(os.path.join(staging_text, folder))
                for relative in there[1:]:
                    os.link(os.path.join(output_text, relative),
                            os.path.join(staging_text, relative))
                _write_marker(staging, {path: published[path] for path in there})
                status = 0
            except OSError as error:
                report.write(promise + f"{error.strerror} ({error.filename})".encode())
    finally:
        os._exit(status)


def _can_link(output_text: str, staging_text: str, relative: str) -> bool:
    """Link one file, to learn whether this disk has hard links at all."""
    try:
        _make_folder(os.path.dirname(os.path.join(staging_text, relative)))
        os.link(os.path.join(output_text, relative), os.path.join(staging_text, relative))
    except OSError:
        return False
    return True


def read_manifest(folder: Path) -> dict[str, str] | None:
    """What a folder made by site-builder holds (path -> key); None when it lists nothing
    to trust: no folder, no marker, or a build that did not finish."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, listing = text.partition("\n")
    if header + "\n" != _HEADER or not listing:
        return None
    manifest = {}
    for line in listing.splitlines():
        key, _, path = line.partition(" ")
        manifest[path] = key
    return manifest


def _write_marker(folder: Path, manifest: dict[str, str]) -> None:
    """The marker, listing `manifest` (sorted, so the same site writes the same bytes)."""
    listing = "".join(f"{manifest[path]} {path}\n" for path in sorted(manifest))
    marker = folder / MARKER
    marker.unlink(missing_ok=True)  # the published folder may share this file
    marker.write_text(_HEADER + listing, encoding="utf-8")


def _new_file(target: str) -> BinaryIO:
    """A new file at `target`. Whatever is there is unlinked, never written into: it may
    be a hard link to a published file."""
    try:
        return open(target, "xb")
    except FileExistsError:
        os.unlink(target)
        return open(target, "xb")


def _make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)`, in one system call when the parent exists (a
    page's folder, almost always)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _folders_of(relative: str) -> list[str]:
    """Every folder above a site path: 'a/b/c.html' -> ['a', 'a/b']."""
    parts = relative.split("/")[:-1]
    return ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]


def _folders_above(paths: Iterable[str]) -> set[str]:
    """Every folder above any of these site paths."""
    return {folder for path in paths for folder in _folders_of(path)}


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
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        return OutputError(f"{blocker} is a file, not a folder; choose another --output")
    if error.errno == errno.ENOSPC:
        return OutputError(f"the disk is full while writing {path}; free some space and build "
                           "again (the previous output is untouched)")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"no permission to write {path}; choose another --output or fix "
                           "the folder's permissions (the previous output is untouched)")
    return OutputError(f"cannot write {path}: {error.strerror}")
