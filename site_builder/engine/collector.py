"""Python's cyclic garbage collector kept off what a build reads once and keeps.

A build of a large site holds millions of objects from its cache (every revision of every
plan, the content, the promises' timelines) for its whole run. None of them is garbage,
yet each full collection walks them all again: on a network-sized site that is a third
of a build that changes nothing. So a cache is unpickled with the collector paused, what
the build has read is set aside (`gc.freeze`) until it ends, and during a build the
process that plans it waits for fourteen times as many new objects before the collector
looks (Python's default, 700, made a collection every few pages while the build lists
its pages, each finding almost nothing to free). The workers it forks keep Python's
thresholds: rendering leaves short-lived cycles, which a larger first generation lets
pile up out of the processor's caches.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator

#: The collector's thresholds in a build's own process (`gc.set_threshold`): the first
#: generation is collected after 10,000 new objects, and the older ones after 20 of the
#: younger's collections.
BUILD_THRESHOLDS = (10_000, 20, 20)

_builds = 0  # `set_aside` blocks running: what they froze stays frozen until they end
_before = gc.get_threshold()  # the thresholds the process had before its build


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection while the block makes objects that are all kept (an unpickling)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def set_aside() -> Iterator[Callable[[], None]]:
    """A build's block, whose call of the function it gives keeps every object made so far
    out of later collections until the block ends (so that a preview's next build, in the
    same process, can collect what this one left)."""
    global _builds, _before
    if not _builds:
        _before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    _builds += 1
    try:
        yield gc.freeze
    finally:
        _builds -= 1
        if not _builds:
            gc.unfreeze()
            gc.set_threshold(*_before)


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Everything made so far kept out of collections during the block, as the gc
    module's documentation advises before a fork: a forked worker's collections then
    neither walk the inherited objects nor copy the memory pages they sit on. Inside a
    build (`set_aside`) they stay frozen after the block, as the build asked; processes
    forked in the block collect with the thresholds the process had before the build."""
    gc.freeze()
    thresholds = gc.get_threshold()
    if _builds:
        gc.set_threshold(*_before)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not _builds:
            gc.unfreeze()
