"""The collector during a build: what the build set aside stays out of collections until
the build ends, even past the forked workers it starts, and Python's own settings come
back after it (a preview builds again and again in one process)."""

from __future__ import annotations

import gc

from site_builder.engine import collector
from site_builder.engine.parallel import forked


def squares(start: int, end: int) -> list[int]:
    return [n * n for n in range(start, end)]


def thresholds(start: int, end: int) -> list[tuple[int, int, int]]:
    return [gc.get_threshold()] * (end - start)


def test_a_fork_leaves_what_the_build_set_aside_out_of_collections() -> None:
    before = gc.get_threshold()
    kept = [[n] for n in range(10_000)]  # objects the build holds
    with collector.set_aside() as keep:
        keep()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        assert gc.get_threshold() == collector.BUILD_THRESHOLDS
        done = sorted(n for part in forked(squares, 100, 10, 2) for n in part)
        assert done == [n * n for n in range(100)]
        assert gc.get_freeze_count() >= frozen  # the workers' end thawed nothing
        # the workers collect as Python does: rendering leaves short-lived cycles
        assert set(n for part in forked(thresholds, 4, 1, 2) for n in part) == {before}
        assert gc.get_threshold() == collector.BUILD_THRESHOLDS
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_a_fork_outside_a_build_thaws_what_it_froze() -> None:
    assert sorted(n for part in forked(squares, 20, 5, 2) for n in part) == [
        n * n for n in range(20)
    ]
    assert gc.get_freeze_count() == 0
