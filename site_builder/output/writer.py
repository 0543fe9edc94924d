"""The only code that writes the output folder.

Pages go to a staging folder beside the output; only a complete site replaces the old one,
by an atomic exchange of the two folders where the system has it (Linux `renameat2`),
else by renames. A lock keeps two builds from staging at once, and a marker file keeps a
build from replacing a folder it did not make.

The marker also lists every file of its folder with a key naming what the file was made
from (`marker`). After the exchange the staging folder holds the previous site, and the
next build starts from it: a file whose key is unchanged stays, one the published site
already has is hard-linked from there, and only new files are written — a build that
changes nothing writes almost nothing. Files are never changed in place (a new file
replaces an old one), so a link shared by both folders never changes under the published
site. While a build changes the staging folder its marker lists nothing, so a build killed
half-way leaves a folder the next build will not trust. What both folders hold when the
build opens them, and the child processes that tell the rest beside the build, are
`readying`'s.

A commit can put the output and staging folders and the lock in the site folder, so none
may lead the writer elsewhere: site paths are proven plain (`marker.inside`), the three are
never symbolic links, and a settled staging folder holds none (`twin`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from array import array
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from types import TracebackType

from ..engine.errors import OutputError
from .folders import (
    delete_beside,
    folders_above,
    folders_of,
    make_folder,
    new_file,
    output_error,
    swap_in,
)
from .marker import (
    UNSEEN,
    Seen,
    identity,
    inside,
    marker_of,
    records_under,
    seen_at,
    write_marker,
    write_records,
    written,
)
from .readying import Readying


class OutputWriter:
    """Stage files, then swap them in: `with OutputWriter(out) as w: w.write(...); w.commit()`.

    Each file is written with a key naming what it is made of (see `keep`), so that the
    next build can leave it where it is.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.absolute()
        self.staging = self.output.parent / f".{self.output.name}.staging"
        self.lock_path = self.output.parent / f".{self.output.name}.lock"
        self._ready = Readying(self.output, self.staging, self.lock_path)
        self._staging_text = str(self.staging)
        self._output_text = str(self.output)
        self._folders: set[str] = {""}
        self.committed: bytes | None = None  # the identity of the site `commit` swapped in
        self._manifest: dict[str, str] = {}  # what this build's site is made of
        self._seen: dict[str, Seen] = {}  # each file of this build's site, as last seen
        self._groups: dict[str, str] = {}  # its groups of files (see `keep_group`)
        self._sweeper: threading.Thread | None = None
        self._settled = False  # so that the first change opens the writer, if not yet open

    def __enter__(self) -> OutputWriter:
        self.open()
        self.settle()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Open the writer if the output folder lets it, so that the staging folder is
        readied while the build loads its content; if it does not, `open` says why later,
        after any mistake in the content. `close` it in the end."""
        with contextlib.suppress(OutputError):
            self.open()

    def open(self) -> None:
        """Take the lock and read what the output and staging folders hold; a child
        process readies the staging folder while the build loads its content and plans
        its pages (`Readying`). Does nothing when already open."""
        if self._ready.open():
            self._settled = False

    def settle(self) -> None:
        """Before the staging folder is changed: open the writer if it is not, wait for the
        child readying the folder, and mark the folder untrusted until `commit` lists it
        again."""
        if self._settled:
            return
        self.open()
        self._ready.finish()
        try:
            self.staging.mkdir(exist_ok=True)
            write_marker(self._staging_text, marker_of({}))
        except OSError as error:
            raise output_error(error, self.staging) from None
        self._settled = True

    def close(self) -> None:
        """Release the lock; a staging folder still being readied is left untrusted."""
        self._ready.close()

    def publishes(self, site: bytes) -> bool:
        """Whether the output folder holds the site `commit` swapped in as `site` exactly:
        every file as written, nothing else, no link. A build that would make that site
        again then has nothing to do."""
        self.open()
        return self._ready.publishes(site)

    def leave(self) -> None:
        """End a build that found the output holding its site already (`publishes`),
        leaving the staging folder ready for the next build where it can."""
        self._ready.leave()

    def holds(self, relative: str) -> bool:
        """Whether the staged or published site has a file at `relative`, whatever made it."""
        self._ready.count()
        return relative in self._ready.staged or relative in self._ready.published()

    def keep(self, relative: str, key: str) -> bool:
        """Keep the file at `relative` when the staged or published site already has it as
        made from `key`, as recorded; False when it has to be written."""
        self._ready.count()
        if self._ready.staged.get(relative) == key:  # checked by the twin
            self._claim(relative, key)
            self._seen[relative] = self._ready.staged_seen[relative]
            return True
        if self._ready.published().get(relative) == key:
            source = inside(self._output_text, relative)
            seen = seen_at(source)
            if seen != self._ready.published_seen[relative]:  # changed, or not a file of ours
                return False
            target = self._target(relative, key)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                del self._manifest[relative]
                return False
            self._seen[relative] = seen
            return True
        return False

    def keep_folder(self, folder: str, key: str) -> bool:
        """Keep every file under `folder` (Pagefind's index) when the staged or published
        site has them all, made from `key`; else empty it, for them to be made again."""
        self._ready.count()
        prefix = folder + "/"
        ready = self._ready
        for held, missing in ((ready.staged, ready.left_out), (ready.published(), set())):
            files = [path for path in held if path.startswith(prefix)]
            if (
                files
                and not any(path.startswith(prefix) for path in missing)
                and all(held[path] == key for path in files)
                and all(self.keep(path, key) for path in files)
            ):
                return True
            self.clear(folder)
        return False

    def keep_group(self, folder: str, key: str) -> int:
        """Keep every file under `folder` (a plan's archived revisions) when the staged or
        published site holds them as one group made from `key` (see `record_group`), file
        by file as `keep` would, without their pages being listed: how many it kept. 0 when
        they are to be made again: then each is still kept by its own key as it is staged."""
        ready = self._ready
        ready.count()
        prefix = folder + "/"
        files = ready.files_under(True, prefix)
        if (
            files
            and ready.staged_groups.get(folder) == key
            and not any(path.startswith(prefix) for path in ready.left_out)
        ):
            for path in files:  # checked by the twin, as `keep` counts on
                self._claim(path, ready.staged[path])
                self._seen[path] = ready.staged_seen[path]
            self._groups[folder] = key
            return len(files)
        published = ready.published()
        files = ready.files_under(False, prefix)
        if files and ready.published_groups.get(folder) == key:
            if all(self.keep(path, published[path]) for path in files):
                self._groups[folder] = key
                return len(files)
            self.clear(folder)  # changed by hand since: made again
        return 0

    def record_group(self, folder: str, key: str) -> None:
        """Record the files this build staged under `folder` as one group made from `key`,
        for the next build to keep as one (`keep_group`): every page under it was staged."""
        self._groups[folder] = key

    def write(self, relative: str, data: bytes, key: str) -> None:
        """Write one file of the site; refuse paths that would leave the output folder."""
        target = self._target(relative, key)
        try:
            with new_file(target) as file:
                file.write(data)
                self._seen[relative] = written(file)
        except OSError as error:
            raise output_error(error, Path(target)) from None

    def copy(self, source: Path, relative: str, key: str) -> None:
        """Copy a static file or asset into the site."""
        target = self._target(relative, key)
        try:
            with open(source, "rb") as original, new_file(target) as file:
                shutil.copyfileobj(original, file)
                self._seen[relative] = written(file)
        except OSError as error:
            raise output_error(error, Path(target)) from None

    def key_of(self, relative: str) -> str:
        """The key of a file this build has staged."""
        return self._manifest[relative]

    def made(self) -> list[tuple[str, str, Seen]]:
        """Every file this writer wrote or kept, with its key and record: what a worker
        hands to the build's writer (see `record`)."""
        return [(path, key, self._seen[path]) for path, key in self._manifest.items()]

    def forget_made(self) -> None:
        """In a worker: start listing what it writes afresh (the build has the rest)."""
        self._manifest, self._seen = {}, {}

    def record(self, entries: Iterable[tuple[str, str, Seen]]) -> None:
        """Take in files that another process staged (see `made`)."""
        for relative, key, seen in entries:
            self._claim(relative, key)
            self._seen[relative] = seen

    def record_folder(self, folder: str, key: str) -> None:
        """Take in every file another program wrote under `folder` of the staging folder
        (Pagefind's index), as made from `key`."""
        for relative, seen in records_under(self._staging_text, folder).items():
            self._claim(relative, key)
            self._seen[relative] = seen

    def drop_previous(self, where: Callable[[str], bool]) -> None:
        """Delete the files of the previous site (in the staging folder) at the paths
        `where` picks, unless this build has made them: a page the new site no longer has,
        before Pagefind could index it; a file where the new site has a folder."""
        self._ready.count()
        self._drop([path for path in self._ready.staged if where(path)])

    def _drop(self, relatives: list[str]) -> None:
        """Delete these staged files, unless this build has made them, and folders left
        empty."""
        doomed = [path for path in relatives if path not in self._manifest]
        if not doomed:
            return
        self.settle()
        for relative in doomed:
            try:
                os.unlink(inside(self._staging_text, relative))
            except FileNotFoundError:
                pass
            except OSError as error:
                raise output_error(error, self.staging / relative) from None
            self._ready.staged.pop(relative, None)
        emptied = folders_above(doomed) - folders_above(self._manifest)
        for folder in sorted(emptied, key=len, reverse=True):
            try:
                os.rmdir(inside(self._staging_text, folder))
            except OSError:
                continue
            self._folders.discard(folder)

    def clear(self, folder: str) -> None:
        """Empty one folder of the staged site, whatever made its files (they are deleted
        beside the build, and `commit` waits for it)."""
        doomed = inside(self._staging_text, folder)
        self.settle()
        prefix = folder + "/"
        for held in (self._ready.staged, self._manifest):
            for path in [p for p in held if p.startswith(prefix)]:
                del held[path]
        self._folders = {f for f in self._folders if f != folder and not f.startswith(prefix)}
        self._groups = {
            f: key for f, key in self._groups.items() if f != folder and not f.startswith(prefix)
        }
        if os.path.lexists(doomed):
            if self._sweeper is not None:
                self._sweeper.join()  # the trash is one folder: one folder deleted at a time
            self._sweeper = delete_beside(doomed, self.output.parent / f".{self.output.name}.trash")

    def commit(self) -> None:
        """Replace the output with the staged site in one step. The records of both
        folders are kept first, each under its folder and marker, so they hold whether
        a build killed now stops before the exchange or after it."""
        self.settle()
        if self._sweeper is not None:
            self._sweeper.join()
        self._drop(list(self._ready.staged))  # whatever the new site does not have
        listing = dict(sorted(self._manifest.items()))
        marker = marker_of(listing, dict(sorted(self._groups.items())))
        try:
            staged = identity(marker, os.lstat(self.staging).st_ino)
            self._ready.records[staged] = array(
                "q", chain.from_iterable(self._seen.get(path, UNSEEN) for path in listing)
            )
            if self._ready.lock is not None:
                write_records(self._ready.lock, self._ready.records)
            write_marker(self._staging_text, marker)
            swap_in(self.staging, self.output)
            self.committed = staged
        except OSError as error:
            raise output_error(error, self.output) from None

    def _claim(self, relative: str, key: str) -> None:
        if relative in self._manifest:
            raise OutputError(f"two pages would be written to {relative}")
        self._manifest[relative] = key

    def _target(self, relative: str, key: str) -> str:
        """The staged path of a site path, its folder made and any older file there
        removed. Checked by text (`inside`): a settled staging folder holds no link (see
        `Twin`) and only this writer adds to it, so a plain path stays inside it."""
        target = inside(self._staging_text, relative)
        self.settle()
        self._claim(relative, key)
        folder = relative.rpartition("/")[0]
        try:
            if self._ready.staged.pop(relative, None) is not None:
                os.unlink(target)  # may be linked to the published file: never write in place
            elif folder not in self._folders:
                make_folder(target.rpartition("/")[0])
                self._folders.update(folders_of(relative))
        except FileNotFoundError:
            pass
        except OSError as error:
            raise output_error(error, self.staging / folder) from None
        return target
