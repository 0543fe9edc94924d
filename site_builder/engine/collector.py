"""Python's cyclic garbage collector kept off what a build reads once and keeps.

A build of a large site holds millions of objects from its cache (every revision of every
plan, the content, the promises' timelines) for its whole run. None of them is garbage,
yet each full collection walks them all again: on a network-sized site that is a third
of a build that changes nothing. So a cache is unpickled with the collector paused, and
what the build has read is set aside (`gc.freeze`) until it ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


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
    """A block whose call of the function it gives keeps every object made so far out of
    later collections, until the block ends (so that a preview's next build, in the same
    process, can collect what this one left)."""
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
