"""What a folder made by site-builder holds, and the proof that it still does: the marker
file listing every file of the site with its key, the records the lock file keeps of each
file, and the proof that a path of the site is plain.

A marker may also name groups: a folder whose files were all made together from one key
(a plan's archived revisions), so that the next build can keep them as one without
listing them page by page.

What a marker lists is checked, never trusted. The lock file keeps a record of each file of
both folders — size, mtime and inode, when the writer wrote or last checked it — and a file
counts as the site's only while it still matches: an edit in place (which the hard links
share between the two folders), a file deleted by hand, a link put in, all show. (The
records are in the lock file, not in the marker, because the marker is part of the site,
which the same commit builds to the same bytes.)

A commit can put the output and staging folders, their marker and the lock in the site
folder, so nothing there may lead the writer elsewhere: the marker is JSON, which no file
name can add an entry to; a marker listing a path the writer could not have written
(absolute, `..`, a line break, …) is not trusted at all; and every site path is proven
plain (`inside`) before it is joined to a folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
from array import array
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import BinaryIO, TypeGuard

from ..engine.characters import UNSAFE_IN_NAME
from ..engine.errors import OutputError
from .folders import entries_under, folders_above

MARKER = ".site-builder-output"
_FORMAT = 2  # the marker is {"site-builder": 2, "files": {path: key}, "groups": {folder: key}}
_RECORDS = b"site-builder records 1\n"  # the start of the lock file's records

#: What the writer saw of a file: its size, mtime in nanoseconds and inode number.
Seen = tuple[int, int, int]
#: The record of a file listed but never seen (it is not trusted by the next build).
UNSEEN: Seen = (-1, -1, -1)


def inside(folder: str, relative: str) -> str:
    """`folder/relative`, once `relative` is proven a plain path (`plain`): the one way
    the writer turns a site path into a file's path."""
    if not plain((relative,)):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return f"{folder}/{relative}"


def plain(paths: Collection[str]) -> bool:
    """Whether every one of `paths` is a plain relative path: no part empty, '.' or
    '..', no backslash, no character `UNSAFE_IN_NAME` names (NUL, line breaks, …).
    Checked on the joined text, so that a marker's 20,000 paths take milliseconds."""
    if not paths:
        return True
    text = "/" + "/ /".join(paths) + "/"  # a space between, so no pattern spans two paths
    return UNSAFE_IN_NAME.search(text) is None and not (
        "//" in text or "/./" in text or "/../" in text or "\\" in text
    )


def read_manifest(folder: Path) -> dict[str, str] | None:
    """What a folder made by site-builder holds (path -> key); None when it lists nothing
    to trust: no folder, no marker, a build that did not finish, or a marker that lists
    a path the writer could not have written."""
    found = read_marker(str(folder))
    listing = _listing(found[0]) if found else None
    return listing[0] if listing else None


def refuse_foreign_output(output: Path) -> None:
    """Refuse an output folder that holds files but no marker: site-builder did not make
    it, and a build replaces the whole folder."""
    if output.is_dir() and any(output.iterdir()):
        if seen_at(f"{output}/{MARKER}") is None:
            raise OutputError(
                f"{output} is not empty and was not made by site-builder; "
                "choose another --output or empty it first"
            )
    elif output.exists() and not output.is_dir():
        raise OutputError(f"{output} is a file; choose a folder for --output")


def read_marker(folder: str) -> tuple[bytes, bytes] | None:
    """The marker of a folder and the identity of both (see `identity`), or None."""
    try:
        held = os.lstat(folder)
        handle = os.open(f"{folder}/{MARKER}", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as file:
            marker = file.read()
    except OSError:
        return None
    return (marker, identity(marker, held.st_ino)) if stat.S_ISDIR(held.st_mode) else None


#: What a marker lists: each file's key (path -> key), and each group's (folder -> key).
Listing = tuple[dict[str, str], dict[str, str]]


def _listing(marker: bytes) -> Listing | None:
    """What a marker lists; None when it lists no file, or anything the writer could not
    have written."""
    try:
        listing = json.loads(marker)
    except (ValueError, RecursionError):
        return None
    if not isinstance(listing, dict) or listing.get("site-builder") != _FORMAT:
        return None
    files, groups = listing.get("files"), listing.get("groups", {})
    if not (_keyed(files) and files and _keyed(groups) and plain(files) and plain(groups)):
        return None
    return files, groups


def _keyed(listed: object) -> TypeGuard[dict[str, str]]:
    """Whether a marker's list is a JSON object of keys (JSON names are strings)."""
    return isinstance(listed, dict) and all(isinstance(key, str) for key in listed.values())


def recorded(
    found: tuple[bytes, bytes] | None, records: dict[bytes, array[int]]
) -> tuple[dict[str, str], dict[str, Seen], dict[str, str]]:
    """What a folder's marker lists, the record of each file and the groups; nothing when
    the marker cannot be trusted or has no records (then no file there can be checked)."""
    values = records.get(found[1]) if found else None
    listing = _listing(found[0]) if found and values is not None else None
    if listing is None or values is None or len(values) != 3 * len(listing[0]):
        return {}, {}, {}
    files, groups = listing
    seen = zip(values[0::3], values[1::3], values[2::3], strict=True)
    return files, dict(zip(files, seen, strict=True)), groups


def identity(marker: bytes, folder_inode: int) -> bytes:
    """What records are kept under: the marker and the folder it is in. The folder by
    its inode, which the exchange keeps, so records follow a folder across the swap."""
    return hashlib.sha256(marker + folder_inode.to_bytes(8, "little")).digest()


def read_records(lock: int) -> dict[bytes, array[int]]:
    """The records in the lock file, by identity; none when it holds anything else."""
    os.lseek(lock, 0, os.SEEK_SET)
    data = b"".join(iter(functools.partial(os.read, lock, 1 << 20), b""))
    if not data.startswith(_RECORDS):
        return {}
    records: dict[bytes, array[int]] = {}
    start = len(_RECORDS)
    while start < len(data):
        count = int.from_bytes(data[start + 32 : start + 40], "little")
        end = start + 40 + 8 * count
        if end > len(data):
            return {}
        records[data[start : start + 32]] = values = array("q")
        values.frombytes(data[start + 40 : end])
        start = end
    return records


def write_records(lock: int, records: dict[bytes, array[int]]) -> None:
    """Each identity, the number of values and the values: size, mtime, inode per file."""
    data = _RECORDS + b"".join(
        folder + len(values).to_bytes(8, "little") + values.tobytes()
        for folder, values in records.items()
    )
    os.pwrite(lock, data, 0)
    os.ftruncate(lock, len(data))


def marker_of(listing: dict[str, str], groups: dict[str, str] | None = None) -> bytes:
    """The marker listing `listing` and `groups` (sorted by the caller, so the same site
    writes the same bytes): JSON, ASCII only, so no name can break it into lines or add an
    entry."""
    marker = {"site-builder": _FORMAT, "files": listing} | ({"groups": groups} if groups else {})
    return json.dumps(marker, separators=(",", ":")).encode()


def write_marker(folder: str, marker: bytes) -> None:
    path = f"{folder}/{MARKER}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # the published folder may share this file: never write in place
    with open(path, "xb") as file:
        file.write(marker)


def seen_at(path: str) -> Seen | None:
    """The record of the regular file at `path` (a link is not one), or None."""
    try:
        held = os.lstat(path)
    except OSError:
        return None
    return (held.st_size, held.st_mtime_ns, held.st_ino) if stat.S_ISREG(held.st_mode) else None


def holds_recorded(
    folder: str, found: tuple[bytes, bytes], records: dict[bytes, array[int]]
) -> bool:
    """Whether `folder` holds exactly the files its marker (`found`) lists, as recorded."""
    _, seen, _ = recorded(found, records)
    try:
        return bool(seen) and holds_exactly(folder, seen)
    except OSError:
        return False


def holds_exactly(folder: str, files: Mapping[str, Seen]) -> bool:
    """Whether `folder` holds these files as recorded and nothing else but its marker: no
    file changed, added or missing, no link, no folder no file is in. One walk, never
    entering a link."""
    folders = folders_above(files)
    count = 0
    for relative, entry in entries_under(folder, folders):
        if entry.is_dir(follow_symlinks=False):
            if relative not in folders:
                return False
            continue
        if not entry.is_file(follow_symlinks=False):  # a link, a device, a socket
            return False
        if relative == MARKER:
            continue
        held = entry.stat(follow_symlinks=False)
        if files.get(relative) != (held.st_size, held.st_mtime_ns, held.st_ino):
            return False
        count += 1
    return count == len(files)


def records_under(folder: str, relative: str) -> dict[str, Seen]:
    """The record of every file under the folder `relative` of `folder`, by site path:
    files another program wrote (Pagefind's index), refused if one has a name the site
    cannot list."""
    root = inside(folder, relative)
    found = {}
    for parent, _, names in os.walk(root):
        for name in names:
            path = os.path.join(parent, name)
            seen = seen_at(path)  # Pagefind writes files and folders, nothing else
            if seen is not None:
                found[path[len(folder) + 1 :]] = seen
    if not plain(found.keys()):
        raise OutputError(f"a file under {root} has a name the site cannot list")
    return found


def written(file: BinaryIO) -> Seen:
    """The record of a file just written, from its open handle (no path is looked up)."""
    file.flush()
    held = os.fstat(file.fileno())
    return held.st_size, held.st_mtime_ns, held.st_ino
