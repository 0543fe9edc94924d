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

The first build into a folder writes one copy of the site only. Every later build has a
child process ready the staging folder while it loads its content (`_Twin`): it checks the
previous site there, or, finding no staging folder it can trust, makes it again by hard
links to the published site. The build may keep the files the child promised before the
child is done, and waits for it before it changes the folder.

What a marker lists is checked, never trusted. The lock file keeps a record of each file of
both folders — size, mtime and inode, when the writer wrote or last checked it — and a file
counts as the site's only while it still matches: an edit in place (which the hard links
share between the two folders), a file deleted by hand, a link put in, all show; and the
child deletes from the staging folder whatever is not the site's, such as a file added by
hand. (The records are in the lock file, not in the marker, because the marker is part of
the site, which the same commit builds to the same bytes.)

A commit can put the output and staging folders, their marker and the lock in the site
folder, so nothing there may lead the writer elsewhere: the marker is JSON, which no file
name can add an entry to, and a marker listing a path the writer could not have written
(absolute, `..`, a line break, …) is not trusted at all; every site path is proven plain
(`_inside`) before it is joined to a folder; the output, the staging folder and the lock are
never symbolic links; and a settled staging folder holds no link, so nothing written into
it lands outside.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import stat
import threading
from array import array
from collections.abc import Callable, Collection, Iterable
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NoReturn

from ..engine.characters import UNSAFE_IN_NAME
from ..errors import OutputError
from ..engine.parallel import end_with_parent

MARKER = ".site-builder-output"
_FORMAT = 2  # the marker is {"site-builder": 2, "files": {path: key}}
_RECORDS = b"site-builder records 1\n"  # the start of the lock file's records
_RENAME_EXCHANGE = 2

#: What the writer saw of a file: its size, mtime in nanoseconds and inode number.
Seen = tuple[int, int, int]
_UNSEEN: Seen = (-1, -1, -1)
#: The task of a `_Twin`: it says which listed files are left out, then finishes.
Task = Callable[[Callable[[list[str]], None]], None]


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
        self._staged: dict[str, str] = {}  # what the staging folder holds: path -> key
        self._published: dict[str, str] = {}  # what the output folder holds, as recorded
        self._output_marker: tuple[bytes, bytes] | None = None  # read when first asked
        self.manifest: dict[str, str] = {}  # what this build's site is made of
        self._seen: dict[str, Seen] = {}  # each file of this build's site, as last seen
        self._staged_seen: dict[str, Seen] = {}
        self._published_seen: dict[str, Seen] = {}
        self._records: dict[bytes, array[int]] = {}  # the output's, kept for its next build
        self._left_out: set[str] = set()  # listed by the staging folder's source, not there
        self._sweeper: threading.Thread | None = None
        self._twin: _Twin | None = None  # the child process readying the staging folder
        self._waiting = False  # for the twin to say what the staging folder holds
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
        """Take the lock and read what the output and staging folders hold; a child
        process (`_Twin`) readies the staging folder while the build loads its content and
        plans its pages. Does nothing when already open."""
        if self._lock is not None:
            return
        for path in (self.output, self.staging, self.lock_path):
            if path.is_symlink():
                raise OutputError(f"{path} is a symbolic link, and a build never follows "
                                  "one to write the site or its state; delete it")
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.lock_path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW
                           | os.O_CLOEXEC, 0o644)
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
            records = _read_records(lock)
        except OutputError:
            self.close()
            raise
        except OSError as error:
            self.close()
            raise _output_error(error, self.lock_path) from None
        self._output_marker = _read_marker(self._output_text)
        if self._output_marker and self._output_marker[1] in records:
            identity = self._output_marker[1]
            self._records[identity] = records[identity]
        staged, seen = _recorded(_read_marker(self._staging_text), records)
        if staged:  # the previous site: checked against its records
            task = functools.partial(_check_staging, self._staging_text, staged, seen)
            self._twin = _Twin(staged, seen, task)
        else:  # left by a killed build, or never made: made again from the output
            published = self.published
            task = functools.partial(_link_published, self._staging_text, self._output_text,
                                     published, self._published_seen)
            self._twin = _Twin(published, self._published_seen, task)
        self._waiting = True
        self._settled = False

    def settle(self) -> None:
        """Before the staging folder is changed: wait for the child readying it, and mark
        the folder untrusted until `commit` lists it again."""
        if self._settled:
            return
        self._count_on_twin()
        if self._twin is not None:
            twin, self._twin = self._twin, None
            failure = twin.finish()
            if failure and self._staged:  # files the build counts on may be missing
                raise OutputError(f"cannot ready the staging folder {self.staging}: "
                                  f"{failure}")
            if failure:  # it failed before it promised anything: start the folder here
                shutil.rmtree(self.staging, ignore_errors=True)
        try:
            self.staging.mkdir(exist_ok=True)
            _write_marker(self._staging_text, _marker({}))
        except OSError as error:
            raise _output_error(error, self.staging) from None
        self._settled = True

    def close(self) -> None:
        """Release the lock; a staging folder still being readied is left untrusted."""
        if self._twin is not None:
            self._twin.stop()
            self._twin = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _count_on_twin(self) -> None:
        """Take as staged the files the child readying the staging folder said will be
        there as recorded (the build may keep them at once, never change them before the
        child is done)."""
        if self._waiting and self._twin is not None:
            self._waiting = False
            self._staged = self._twin.promised()
            self._staged_seen = self._twin.seen
            self._left_out = self._twin.listed.keys() - self._staged.keys()

    @property
    def staged(self) -> dict[str, str]:
        """What the staging folder holds (path -> key), as far as its records show."""
        self._count_on_twin()
        return self._staged

    @property
    def published(self) -> dict[str, str]:
        """What the output folder holds (path -> key), as far as its records show: read
        when first asked, since a build that changes nothing never asks."""
        if self._output_marker is not None:
            self._published, self._published_seen = _recorded(self._output_marker,
                                                              self._records)
            self._output_marker = None
        return self._published

    def holds(self, relative: str) -> bool:
        """Whether the staged or published site has a file at `relative`, whatever made it."""
        self._count_on_twin()
        return relative in self._staged or relative in self.published

    def keep(self, relative: str, key: str) -> bool:
        """Keep the file at `relative` when the staged or published site already has it as
        made from `key`, as recorded; False when it has to be written."""
        self._count_on_twin()
        if self._staged.get(relative) == key:  # checked by the twin
            self._claim(relative, key)
            self._seen[relative] = self._staged_seen[relative]
            return True
        if self.published.get(relative) == key:
            source = _inside(self._output_text, relative)
            seen = _seen_at(source)
            if seen != self._published_seen[relative]:  # changed, or not a file of ours
                return False
            target = self._target(relative, key)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                del self.manifest[relative]
                return False
            self._seen[relative] = seen
            return True
        return False

    def keep_folder(self, folder: str, key: str) -> bool:
        """Keep every file under `folder` (Pagefind's index) when the staged or published
        site has them all, made from `key`; else empty it, for them to be made again."""
        self._count_on_twin()
        prefix = folder + "/"
        for held, missing in ((self._staged, self._left_out), (self.published, set())):
            files = [path for path in held if path.startswith(prefix)]
            if files and not any(path.startswith(prefix) for path in missing) \
                    and all(held[path] == key for path in files) \
                    and all(self.keep(path, key) for path in files):
                return True
            self.clear(folder)
        return False

    def write(self, relative: str, data: bytes, key: str) -> None:
        """Write one file of the site; refuse paths that would leave the output folder."""
        target = self._target(relative, key)
        try:
            with _new_file(target) as file:
                file.write(data)
                self._seen[relative] = _written(file)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def copy(self, source: Path, relative: str, key: str) -> None:
        """Copy a static file or asset into the site."""
        target = self._target(relative, key)
        try:
            with open(source, "rb") as original, _new_file(target) as file:
                shutil.copyfileobj(original, file)
                self._seen[relative] = _written(file)
        except OSError as error:
            raise _output_error(error, Path(target)) from None

    def made(self) -> list[tuple[str, str, Seen]]:
        """Every file this writer wrote or kept, with its key and record: what a worker
        hands to the build's writer (see `record`)."""
        return [(path, key, self._seen[path]) for path, key in self.manifest.items()]

    def forget_made(self) -> None:
        """In a worker: start listing what it writes afresh (the build has the rest)."""
        self.manifest, self._seen = {}, {}

    def record(self, entries: Iterable[tuple[str, str, Seen]]) -> None:
        """Take in files that another process staged (see `made`)."""
        for relative, key, seen in entries:
            self._claim(relative, key)
            self._seen[relative] = seen

    def record_folder(self, folder: str, key: str) -> None:
        """Take in every file another program wrote under `folder` of the staging folder
        (Pagefind's index), as made from `key`."""
        root = _inside(self._staging_text, folder)
        found = {}
        for parent, _, names in os.walk(root):
            for name in names:
                path = os.path.join(parent, name)
                seen = _seen_at(path)  # Pagefind writes files and folders, nothing else
                if seen is not None:
                    found[path[len(self._staging_text) + 1:]] = seen
        if not _plain(found.keys()):
            raise OutputError(f"a file under {root} has a name the site cannot list")
        for relative, seen in found.items():
            self._claim(relative, key)
            self._seen[relative] = seen

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
                os.unlink(_inside(self._staging_text, relative))
            except FileNotFoundError:
                pass
            except OSError as error:
                raise _output_error(error, self.staging / relative) from None
            self._staged.pop(relative, None)
        emptied = _folders_above(doomed) - _folders_above(self.manifest)
        for folder in sorted(emptied, key=len, reverse=True):
            try:
                os.rmdir(_inside(self._staging_text, folder))
            except OSError:
                continue
            self._folders.discard(folder)

    def clear(self, folder: str) -> None:
        """Empty one folder of the staged site, whatever made its files. The files are
        deleted by a thread beside the build (after a rename out of the site), since on a
        slow disk deleting a thousand files takes a while; `commit` waits for it."""
        doomed = _inside(self._staging_text, folder)
        self.settle()
        prefix = folder + "/"
        for held in (self._staged, self.manifest):
            for path in [p for p in held if p.startswith(prefix)]:
                del held[path]
        self._folders = {f for f in self._folders if f != folder and not f.startswith(prefix)}
        if not os.path.lexists(doomed):
            return
        trash = self.output.parent / f".{self.output.name}.trash"
        try:
            _remove(trash)
            os.rename(doomed, trash)
        except OSError as error:
            raise _output_error(error, Path(doomed)) from None
        self._sweeper = threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True)
        self._sweeper.start()

    def commit(self) -> None:
        """Replace the output with the staged site in one step. The records of both
        folders are kept first, each under its folder and marker, so they hold whether
        a build killed now stops before the exchange or after it."""
        self.settle()
        if self._sweeper is not None:
            self._sweeper.join()
        self.drop(list(self._staged))
        listing = dict(sorted(self.manifest.items()))
        marker = _marker(listing)
        try:
            identity = _identity(marker, os.lstat(self.staging).st_ino)
            self._records[identity] = array("q", chain.from_iterable(
                self._seen.get(path, _UNSEEN) for path in listing))
            if self._lock is not None:
                _write_records(self._lock, self._records)
            _write_marker(self._staging_text, marker)
            if self.output.exists():
                if not _exchange(self.staging, self.output):
                    retired = self.output.parent / f".{self.output.name}.retired"
                    _remove(retired)
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
        """The staged path of a site path, its folder made and any older file there
        removed. Checked by text (`_inside`): a settled staging folder holds no link (see
        `_Twin`) and only this writer adds to it, so a plain path stays inside it."""
        target = _inside(self._staging_text, relative)
        self.settle()
        self._claim(relative, key)
        folder = relative.rpartition("/")[0]
        try:
            if self._staged.pop(relative, None) is not None:
                os.unlink(target)  # may be linked to the published file: never write in place
            elif folder not in self._folders:
                _make_folder(target.rpartition("/")[0])
                self._folders.update(_folders_of(relative))
        except FileNotFoundError:
            pass
        except OSError as error:
            raise _output_error(error, self.staging / folder) from None
        return target

    def _refuse_foreign_output(self) -> None:
        if self.output.is_dir() and any(self.output.iterdir()):
            if _seen_at(f"{self._output_text}/{MARKER}") is None:
                raise OutputError(f"{self.output} is not empty and was not made by "
                                  "site-builder; choose another --output or empty it first")
        elif self.output.exists() and not self.output.is_dir():
            raise OutputError(f"{self.output} is a file; choose a folder for --output")


class _Twin:
    """A child process that readies the staging folder beside the build, by `task`: it
    checks the previous site there against its records and deletes whatever is not that
    site's (`_check_staging`), or it empties the folder and links every published file
    into it (`_link_published`). As soon as it knows, it says which of the `listed` files
    it leaves out, so that the build can count on the others at once. A process, not a
    thread: it takes no turn from the build's Python code, and it dies with the build."""

    def __init__(self, listed: dict[str, str], seen: dict[str, Seen], task: Task) -> None:
        self.listed = listed
        self.seen = seen
        self._promised: dict[str, str] | None = None
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read)
            _in_twin(task, write, parent)
        os.close(write)
        self._report = os.fdopen(read, "rb")

    def promised(self) -> dict[str, str]:
        """The files (path -> key) the folder will hold; waits until the child has said."""
        if self._promised is None:
            said = json.loads(self._report.readline() or "null")  # null: it failed first
            left_out = set(self.listed if said is None else said)
            self._promised = {path: key for path, key in self.listed.items()
                              if path not in left_out}
        return self._promised

    def finish(self) -> str | None:
        """Wait for the child; what went wrong, if it did not do what it promised."""
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


def _in_twin(task: Task, report_fd: int, parent: int) -> NoReturn:
    """In the child of `_Twin`: never returns."""
    status = 1
    try:
        end_with_parent(parent)
        with os.fdopen(report_fd, "wb") as report:
            said = False

            def say(left_out: list[str]) -> None:
                nonlocal said
                report.write(json.dumps(left_out).encode() + b"\n")
                report.flush()
                said = True

            try:
                task(say)
                status = 0
            except OSError as error:  # before it said anything, it promises no file
                report.write((b"" if said else b"null\n")
                             + f"{error.strerror} ({error.filename})".encode())
    finally:
        os._exit(status)


def _check_staging(staging: str, listed: dict[str, str], seen: dict[str, Seen],
                   say: Callable[[list[str]], None]) -> None:
    """In the twin: say which listed files are not there as recorded (or sit below a
    folder that is a link); then, in one walk of the folder that never enters a link,
    delete whatever else is there — a file not listed or changed, a link, a folder no
    listed file is in. The build counts on the files at once and waits for the walk only
    before it changes the folder."""
    folders = _folders_above(listed)
    linked = {folder for folder in folders if not _is_folder(f"{staging}/{folder}")}
    there = {path for path in listed if _seen_at(f"{staging}/{path}") == seen[path]
             and not (linked and linked.intersection(_folders_of(path)))}
    say([path for path in listed if path not in there])
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(f"{staging}/{folder}" if folder else staging) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False) and relative in folders:
                    pending.append(relative)
                elif entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                elif relative not in there and relative != MARKER:
                    os.unlink(entry.path)


def _link_published(staging: str, output: str, published: dict[str, str],
                    seen: dict[str, Seen], say: Callable[[list[str]], None]) -> None:
    """In the twin: empty the staging folder, then link into it every published file
    that is still as recorded — none where the disk cannot link."""
    shutil.rmtree(staging, ignore_errors=True)
    os.mkdir(staging)
    _write_marker(staging, _marker({}))
    there = [path for path in published if _seen_at(_inside(output, path)) == seen[path]]
    if there and not _can_link(output, staging, there[0]):
        there = []  # a disk without hard links: the build writes every file
    present = set(there)
    say([path for path in published if path not in present])
    for folder in sorted(_folders_above(there)):  # parents first
        _make_folder(_inside(staging, folder))
    for relative in there[1:]:
        os.link(_inside(output, relative), _inside(staging, relative), follow_symlinks=False)


def _can_link(output: str, staging: str, relative: str) -> bool:
    """Link one file, to learn whether this disk has hard links at all."""
    target = _inside(staging, relative)
    try:
        _make_folder(os.path.dirname(target))
        os.link(_inside(output, relative), target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _inside(folder: str, relative: str) -> str:
    """`folder/relative`, once `relative` is proven a plain path (`_plain`): the one way
    this module turns a site path into a file's path."""
    if not _plain((relative,)):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return f"{folder}/{relative}"


def _plain(paths: Collection[str]) -> bool:
    """Whether every one of `paths` is a plain relative path: no part empty, '.' or
    '..', no backslash, no character `UNSAFE_IN_NAME` names (NUL, line breaks, …).
    Checked on the joined text, so that a marker's 20,000 paths take milliseconds."""
    if not paths:
        return True
    text = "/" + "/ /".join(paths) + "/"  # a space between, so no pattern spans two paths
    return UNSAFE_IN_NAME.search(text) is None \
        and not ("//" in text or "/./" in text or "/../" in text or "\\" in text)


def read_manifest(folder: Path) -> dict[str, str] | None:
    """What a folder made by site-builder holds (path -> key); None when it lists nothing
    to trust: no folder, no marker, a build that did not finish, or a marker that lists
    a path the writer could not have written."""
    found = _read_marker(str(folder))
    return _listing(found[0]) if found else None


def _read_marker(folder: str) -> tuple[bytes, bytes] | None:
    """The marker of a folder and the identity of both (see `_identity`), or None."""
    try:
        held = os.lstat(folder)
        handle = os.open(f"{folder}/{MARKER}", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as file:
            marker = file.read()
    except OSError:
        return None
    return (marker, _identity(marker, held.st_ino)) if stat.S_ISDIR(held.st_mode) else None


def _listing(marker: bytes) -> dict[str, str] | None:
    """What a marker lists (path -> key); None when it lists nothing, or anything the
    writer could not have written."""
    try:
        listing = json.loads(marker)
    except (ValueError, RecursionError):
        return None
    files = (listing.get("files") if isinstance(listing, dict)
             and listing.get("site-builder") == _FORMAT else None)
    if not isinstance(files, dict) or not files \
            or not all(isinstance(key, str) for key in files.values()) or not _plain(files):
        return None
    return files


def _recorded(found: tuple[bytes, bytes] | None, records: dict[bytes, array[int]]
              ) -> tuple[dict[str, str], dict[str, Seen]]:
    """What a folder's marker lists and the record of each file; nothing when the marker
    cannot be trusted or has no records (then no file there can be checked)."""
    values = records.get(found[1]) if found else None
    files = _listing(found[0]) if found and values is not None else None
    if files is None or values is None or len(values) != 3 * len(files):
        return {}, {}
    seen = zip(values[0::3], values[1::3], values[2::3], strict=True)
    return files, dict(zip(files, seen, strict=True))


def _identity(marker: bytes, folder_inode: int) -> bytes:
    """What records are kept under: the marker and the folder it is in. The folder by
    its inode, which the exchange keeps, so records follow a folder across the swap."""
    return hashlib.sha256(marker + folder_inode.to_bytes(8, "little")).digest()


def _read_records(lock: int) -> dict[bytes, array[int]]:
    """The records in the lock file, by identity; none when it holds anything else."""
    os.lseek(lock, 0, os.SEEK_SET)
    data = b"".join(iter(functools.partial(os.read, lock, 1 << 20), b""))
    if not data.startswith(_RECORDS):
        return {}
    records: dict[bytes, array[int]] = {}
    start = len(_RECORDS)
    while start < len(data):
        count = int.from_bytes(data[start + 32:start + 40], "little")
        end = start + 40 + 8 * count
        if end > len(data):
            return {}
        records[data[start:start + 32]] = values = array("q")
        values.frombytes(data[start + 40:end])
        start = end
    return records


def _write_records(lock: int, records: dict[bytes, array[int]]) -> None:
    """Each identity, the number of values and the values: size, mtime, inode per file."""
    data = _RECORDS + b"".join(identity + len(values).to_bytes(8, "little") + values.tobytes()
                               for identity, values in records.items())
    os.pwrite(lock, data, 0)
    os.ftruncate(lock, len(data))


def _marker(listing: dict[str, str]) -> bytes:
    """The marker listing `listing` (sorted by the caller, so the same site writes the same
    bytes): JSON, ASCII only, so no name can break it into lines or add an entry."""
    return json.dumps({"site-builder": _FORMAT, "files": listing},
                      separators=(",", ":")).encode()


def _write_marker(folder: str, marker: bytes) -> None:
    path = f"{folder}/{MARKER}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # the published folder may share this file
    with _new_file(path) as file:
        file.write(marker)


def _seen_at(path: str) -> Seen | None:
    """The record of the regular file at `path` (a link is not one), or None."""
    try:
        held = os.lstat(path)
    except OSError:
        return None
    return (held.st_size, held.st_mtime_ns, held.st_ino) if stat.S_ISREG(held.st_mode) else None


def _is_folder(path: str) -> bool:
    """Whether `path` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _written(file: BinaryIO) -> Seen:
    """The record of a file just written, from its open handle (no path is looked up)."""
    file.flush()
    held = os.fstat(file.fileno())
    return held.st_size, held.st_mtime_ns, held.st_ino


def _new_file(target: str) -> BinaryIO:
    """A new file at `target`. Whatever is there is unlinked, never written into: it may
    be a hard link to a published file."""
    try:
        return open(target, "xb")
    except FileExistsError:
        os.unlink(target)
        return open(target, "xb")


def _remove(path: Path) -> None:
    """Delete whatever is at `path`, a link itself rather than what it points to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


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
    """Every folder above any of these site paths (each folder's parents are looked at
    once, however many files it holds)."""
    folders: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


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
