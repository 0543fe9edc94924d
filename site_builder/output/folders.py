"""Folders and files as the writer handles them: where a build may write its output, new
files that never write into an old one, folders made and swapped, and system errors said
as what to do about them.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import threading
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..engine.errors import OutputError

_RENAME_EXCHANGE = 2


def real_output(source: Path, output: Path) -> Path:
    """The folder `output` names, every link on its way resolved, so that one folder has
    one lock and one staging folder whatever path names it; but a link inside the site
    folder is refused, not followed: a commit can put one there (`output -> /elsewhere`),
    and a commit must not choose where a build writes."""
    real, pending, links = Path("/"), list(Path.cwd().joinpath(output).parts), 0
    while pending:
        part = pending.pop(0)
        step = Path(part) if part == "/" else real.parent if part == ".." else real / part
        if not step.is_symlink():
            real = step
            continue
        if step.is_relative_to(source):
            raise OutputError(
                f"{step} is a symbolic link inside the site folder, and a build "
                "never writes through one; delete it, or give --output the "
                "folder it points to"
            )
        links += 1
        if links > 40:
            raise OutputError(f"--output {output} leads through too many symbolic links")
        pending[:0] = Path(os.readlink(step)).parts  # from the link's folder, or from "/"
    return real


def refuse_unsafe_output(source: Path, output: Path) -> None:
    """The output may not be the source, contain it, or sit inside content it copies."""
    resolved = output.resolve()
    if resolved == source or source.is_relative_to(resolved):
        raise OutputError(
            f"--output {output} is or contains the site folder; building there "
            "would delete your content — choose a folder such as "
            f"{source / 'output'}"
        )
    for folder in ("content", "static", "themes"):
        if resolved.is_relative_to(source / folder):
            raise OutputError(
                f"--output {output} is inside {folder}/; choose a folder outside "
                "it, such as the default 'output'"
            )


def refuse_links(paths: Iterable[Path]) -> None:
    """The output, the staging folder and the lock are never symbolic links: a commit can
    put one in the site folder, and a commit must not choose where a build writes."""
    for path in paths:
        if path.is_symlink():
            raise OutputError(
                f"{path} is a symbolic link, and a build never follows one "
                "to write the site or its state; delete it"
            )


def take_lock(path: Path, output: Path) -> int:
    """The lock of the output folder `output`, taken: the file at `path`, made when
    missing; refused while another build holds it."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise output_error(error, output.parent) from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise OutputError(f"another build is writing {output}; wait for it to finish") from None
    return lock


def new_file(target: str) -> BinaryIO:
    """A new file at `target`. Whatever is there is unlinked, never written into: it may
    be a hard link to a published file."""
    try:
        return open(target, "xb")
    except FileExistsError:
        os.unlink(target)
        return open(target, "xb")


def delete_beside(path: str, trash: Path) -> threading.Thread:
    """Delete the folder at `path` by a thread beside the build, after a rename to `trash`
    (out of the site): on a slow disk, deleting a thousand files takes a while."""
    try:
        remove(trash)
        os.rename(path, trash)
    except OSError as error:
        raise output_error(error, Path(path)) from None
    sweeper = threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True)
    sweeper.start()
    return sweeper


def remove(path: Path) -> None:
    """Delete whatever is at `path`, a link itself rather than what it points to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def is_folder(path: str) -> bool:
    """Whether `path` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)`, in one system call when the parent exists (a
    page's folder, almost always)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def entries_under(root: str, enter: Collection[str]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under `root` with its site path, in one walk that enters only the
    folders `enter` names and never a link (the caller may delete each entry it is given)."""
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(f"{root}/{folder}" if folder else root) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if relative in enter and entry.is_dir(follow_symlinks=False):
                    pending.append(relative)
                yield relative, entry


def folders_of(relative: str) -> list[str]:
    """Every folder above a site path: 'a/b/c.html' -> ['a', 'a/b']."""
    parts = relative.split("/")[:-1]
    return ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]


def folders_above(paths: Iterable[str]) -> set[str]:
    """Every folder above any of these site paths (each folder's parents are looked at
    once, however many files it holds)."""
    folders: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def swap_in(staging: Path, output: Path) -> None:
    """Make the folder `staging` the output, and the output (if any) the staging folder:
    in one step where the system can exchange two folders, else by three renames."""
    if not output.exists():
        staging.rename(output)
    elif not _exchange(staging, output):
        retired = output.parent / f".{output.name}.retired"
        remove(retired)
        output.rename(retired)
        staging.rename(output)
        retired.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically with renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def output_error(error: OSError, path: Path) -> OutputError:
    """A system error while writing `path`, as what the user can do about it."""
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        return OutputError(f"{blocker} is a file, not a folder; choose another --output")
    if error.errno == errno.ENOSPC:
        return OutputError(
            f"the disk is full while writing {path}; free some space and build "
            "again (the previous output is untouched)"
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"no permission to write {path}; choose another --output or fix "
            "the folder's permissions (the previous output is untouched)"
        )
    return OutputError(f"cannot write {path}: {error.strerror}")
