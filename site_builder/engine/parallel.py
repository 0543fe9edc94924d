"""Work shared out among forked processes, for the two parts of a build that grow with the
site: reading content files and rendering pages.

Workers are forked, so they inherit everything the build has read and planned: only each
task's bounds go to a worker, and only its result comes back. What a task computes must
not depend on which process runs it, so the site is the same bytes either way.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from . import collector

T = TypeVar("T")

_task: Callable[[int, int], Any] | None = None  # what the forked workers run
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """The cores this process may run on (all of them where the system cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def forked(task: Callable[[int, int], T], total: int, chunk: int, workers: int) -> Iterator[T]:
    """`task(start, end)` over `range(total)` in slices of at most `chunk`, run by
    `workers` forked processes; results as they finish, in any order."""
    global _task
    _task = task
    try:
        with (
            collector.frozen(),
            ProcessPoolExecutor(
                workers, multiprocessing.get_context("fork"), end_with_parent, (os.getpid(),)
            ) as pool,
        ):
            tasks = [pool.submit(_run, start, end) for start, end in slices(total, chunk, workers)]
            for finished in as_completed(tasks):
                yield finished.result()
    finally:
        _task = None


def slices(total: int, chunk: int, workers: int) -> Iterator[tuple[int, int]]:
    """Bounds of slices that shrink towards the end, so that the workers finish together
    rather than one waiting while another renders a whole last chunk."""
    start = 0
    while start < total:
        size = max(min(chunk, (total - start) // (workers * 2)), chunk // 8, 1)
        yield start, min(start + size, total)
        start += size


def _run(start: int, end: int) -> Any:
    assert _task is not None
    return _task(start, end)


def end_with_parent(parent: int | None = None) -> None:
    """In a process the build started: die with the build, so that a killed build leaves
    nothing running or writing into its staging folder (Linux). `parent`: the build's
    process id, for a child that may have started after the build already ended."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


class Beside:
    """A yes-or-no question a forked child answers while the build goes on (a walk of the
    output folder, say): `answer` waits for it. No, when the child fails."""

    def __init__(self, question: Callable[[], bool]) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(read)
            said = b"0"
            try:
                end_with_parent(parent)
                said = b"1" if question() else b"0"
            except BaseException:  # the child never returns to the build's code
                pass
            finally:
                os.write(write, said)
                os._exit(0)
        os.close(write)
        self._read: int | None = read
        self._answer = False

    def answer(self) -> bool:
        if self._read is not None:
            self._answer = os.read(self._read, 1) == b"1"
            self._end()
        return self._answer

    def stop(self) -> None:
        """Stop the child if it has not answered yet."""
        if self._read is not None:
            os.kill(self._pid, signal.SIGKILL)
            self._end()

    def _end(self) -> None:
        assert self._read is not None
        os.close(self._read)
        self._read = None
        os.waitpid(self._pid, 0)
