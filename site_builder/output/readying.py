"""What the output and staging folders hold when a build opens them, told beside the build.

`Readying.open` takes the lock and reads the folders' markers and records. A child process
(`Twin`) then readies the staging folder while the build loads its content: it checks the
previous site there, or makes the folder again from the output. Another (`publishes`) tells
whether the output still holds exactly the site it was given, for a build that would make
that site again to stop there. The writer counts on what the twin promised (`count`) and
waits for it before it changes the staging folder (`finish`).
"""

from __future__ import annotations

import bisect
import functools
import os
from array import array
from pathlib import Path

from ..engine.errors import OutputError
from ..engine.parallel import Beside
from .folders import output_error, refuse_links, take_lock
from .marker import (
    Seen,
    holds_recorded,
    identity,
    read_marker,
    read_records,
    recorded,
    refuse_foreign_output,
    write_marker,
    write_records,
)
from .twin import Twin, check_staging, link_published


class Readying:
    """The lock on one output folder, and what it and its staging folder hold."""

    def __init__(self, output: Path, staging: Path, lock_path: Path) -> None:
        self.output, self.staging, self.lock_path = output, staging, lock_path
        self._output_text, self._staging_text = str(output), str(staging)
        self.lock: int | None = None
        #: Each folder's records (see `marker`), kept for the output's next build.
        self.records: dict[bytes, array[int]] = {}
        self.staged: dict[str, str] = {}  # what the staging folder holds: path -> key
        self.staged_seen: dict[str, Seen] = {}
        self.left_out: set[str] = set()  # listed by the staging folder's source, not there
        self.staged_groups: dict[str, str] = {}  # its groups of files: folder -> key
        #: The paths each folder held when the build first counted on it (it drops some),
        #: sorted when first asked (`files_under`).
        self._at_start: dict[bool, list[str]] = {}
        self._sorted: dict[bool, list[str]] = {}
        self.published_seen: dict[str, Seen] = {}
        self.published_groups: dict[str, str] = {}
        self._published: dict[str, str] = {}  # what the output folder holds, as recorded
        self._output_marker: tuple[bytes, bytes] | None = None  # read when first asked
        #: The identity of the site the output folder holds (see `marker.identity`).
        self._published_site: bytes | None = None
        self._published_marker = b""
        self._exact: Beside | None = None  # the child telling whether it holds it exactly
        self._twin: Twin | None = None  # the child process readying the staging folder
        self._linking = False  # the twin makes the staging folder again from the output
        self._waiting = False  # for the twin to say what the staging folder holds

    def open(self) -> bool:
        """Take the lock and read what the output and staging folders hold, and start the
        children that tell the rest; False when already open."""
        if self.lock is not None:
            return False
        refuse_links((self.output, self.staging, self.lock_path))
        self.lock = lock = take_lock(self.lock_path, self.output)
        try:
            refuse_foreign_output(self.output)
            records = read_records(lock)
        except OutputError:
            self.close()
            raise
        except OSError as error:
            self.close()
            raise output_error(error, self.lock_path) from None
        self._output_marker = read_marker(self._output_text)
        if self._output_marker and self._output_marker[1] in records:
            self._published_marker, published = self._output_marker
            self._published_site = published
            self.records[published] = records[published]
            # Whether the output still holds that site exactly: asked while the build loads
            # its content, answered in case the build would make the same site (`publishes`).
            self._exact = Beside(
                functools.partial(holds_recorded, self._output_text, self._output_marker, records)
            )
        staged, seen, self.staged_groups = recorded(read_marker(self._staging_text), records)
        self._linking = not staged
        if staged:  # the previous site: checked against its records
            task = functools.partial(check_staging, self._staging_text, staged, seen)
            self._twin = Twin(staged, seen, task)
        else:  # left by a killed build, or never made: made again from the output
            listed = self.published()
            self.staged_groups = self.published_groups
            task = functools.partial(
                link_published, self._staging_text, self._output_text, listed, self.published_seen
            )
            self._twin = Twin(listed, self.published_seen, task)
        self._waiting = True
        return True

    def count(self) -> None:
        """Take as staged the files the twin said will be there as recorded (the build may
        keep them at once, never change them before the twin is done)."""
        if self._waiting and self._twin is not None:
            self._waiting = False
            self.staged = self._twin.promised()
            self.staged_seen = self._twin.seen
            self.left_out = self._twin.listed.keys() - self.staged.keys()
            self._at_start[True] = list(self.staged)

    def finish(self) -> None:
        """Wait for the twin to be done with the staging folder."""
        self.count()
        if self._twin is not None:
            twin, self._twin = self._twin, None
            twin.finish(self.staging)

    def published(self) -> dict[str, str]:
        """What the output folder holds (path -> key), as far as its records show: read
        when first asked, since a build that changes nothing never asks."""
        if self._output_marker is not None:
            self._published, self.published_seen, self.published_groups = recorded(
                self._output_marker, self.records
            )
            self._at_start[False] = list(self._published)
            self._output_marker = None
        return self._published

    def files_under(self, staged: bool, prefix: str) -> list[str]:
        """The files the staging folder (else the output folder) holds under `prefix`, as
        it listed them when the build first counted on it; none when one of them has gone
        from it since."""
        held = self.staged if staged else self.published()
        paths = self._sorted.get(staged)
        if paths is None:
            paths = self._sorted[staged] = sorted(self._at_start.get(staged, ()))
        start = bisect.bisect_left(paths, prefix)
        end = bisect.bisect_left(paths, prefix[:-1] + chr(ord("/") + 1), start)
        files = paths[start:end]
        return files if all(path in held for path in files) else []

    def publishes(self, site: bytes) -> bool:
        """Whether the output folder holds the site swapped in as `site` exactly: every
        file as written, nothing else, no link."""
        return self._published_site == site and self._exact is not None and self._exact.answer()

    def leave(self) -> None:
        """End a build that found the output holding its site already (`publishes`). A
        staging folder the twin is making again from the output is let finish, and listed
        as a copy of it, so that the next build can count on it; a check of the previous
        site there is left to the next build."""
        if self._twin is None or not self._linking or self.lock is None:
            return
        twin, self._twin = self._twin, None
        try:
            linked = len(twin.promised()) == len(twin.listed)
            twin.finish(self.staging)
            if not linked or self._published_site is None:
                return
            staged = identity(self._published_marker, os.lstat(self.staging).st_ino)
            # Hard links: the same size, time and inode as the published files' records.
            self.records[staged] = self.records[self._published_site]
            write_records(self.lock, self.records)
            write_marker(self._staging_text, self._published_marker)
        except (OutputError, OSError):
            return  # the staging folder stays untrusted: the next build makes it again

    def close(self) -> None:
        """Release the lock; a staging folder still being readied is left untrusted."""
        if self._twin is not None:
            self._twin.stop()
            self._twin = None
        if self._exact is not None:
            self._exact.stop()
            self._exact = None
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None
