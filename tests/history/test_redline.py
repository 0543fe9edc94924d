"""Block alignment of a redline (`history.redline`): kept, changed, moved, folded."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from site_builder.history.redline import Folded, Step, align, fold


def ops(steps: list[Step]) -> list[tuple[str, int, int]]:
    return [(s.op, s.old, s.new) for s in steps]


def test_one_changed_block_among_kept_ones() -> None:
    old = ["intro", "the city will hire 40 workers", "outro"]
    new = ["intro", "the city will hire 25 workers", "outro"]
    assert ops(align(old, new)) == [("same", 0, 0), ("changed", 1, 1), ("same", 2, 2)]


def test_moved_block_is_one_move_not_a_deletion_and_an_insertion() -> None:
    old = ["a", "moving", "b", "c", "d"]
    new = ["a", "b", "c", "d", "moving"]
    steps = align(old, new)
    assert [s.op for s in steps] == ["same", "moved_away", "same", "same", "same", "moved_here"]
    away, here = steps[1], steps[-1]
    assert away.move == here.move == 1 and away.later and here.later
    assert (away.old, here.new) == (1, 4)


def test_unlike_blocks_are_removed_and_added_not_merged() -> None:
    old = ["keep", "budget rises by half next year", "end"]
    new = ["keep", "partners meet on tuesdays downtown", "end"]
    assert [s.op for s in align(old, new)] == ["same", "removed", "added", "same"]


def test_an_insertion_before_an_edit_pairs_the_edit() -> None:
    old = ["x", "hire forty outreach workers this year", "y"]
    new = ["x", "a new paragraph entirely", "hire forty street workers this year", "y"]
    assert ops(align(old, new))[1:3] == [("added", -1, 1), ("changed", 1, 2)]


def test_fold_keeps_one_block_of_context_next_to_each_change() -> None:
    steps = align(
        [f"p{i}" for i in range(10)],
        [f"p{i}" for i in range(5)] + ["new"] + [f"p{i}" for i in range(5, 10)],
    )
    shown = fold(steps)
    assert isinstance(shown[0], Folded) and len(shown[0].steps) == 4
    assert [s.op for s in shown[1:4]] == ["same", "added", "same"]  # type: ignore[union-attr]
    assert isinstance(shown[4], Folded) and len(shown[4].steps) == 4


def test_twenty_thousand_blocks_rewritten_or_shuffled_stay_fast() -> None:
    old = [f"line {n} about the table" for n in range(20_000)]
    rewritten = [f"row {n} walks the block" for n in range(20_000)]
    shuffled = old[::2] + old[1::2]
    repeated = ["| --- |"] * 20_000
    for new in (rewritten, shuffled, repeated):
        started = time.perf_counter()
        steps = align(old if new is not repeated else repeated[:-1], new)
        assert time.perf_counter() - started < 2.0
        assert {s.new for s in steps if s.new >= 0} == set(range(len(new)))


@given(
    st.lists(st.sampled_from("abcdefg"), max_size=30),
    st.lists(st.sampled_from("abcdefg"), max_size=30),
)
def test_every_block_of_both_sides_appears_once_in_order(old: list[str], new: list[str]) -> None:
    steps = align(old, new)
    olds = [s.old for s in steps if s.old >= 0]
    news = [s.new for s in steps if s.new >= 0]
    assert olds == list(range(len(old))) and news == list(range(len(new)))
    for step in steps:
        if step.op in ("same", "moved_here"):
            assert step.op != "same" or old[step.old] == new[step.new]
    folded = [
        s for item in fold(steps) for s in (item.steps if isinstance(item, Folded) else [item])
    ]
    assert folded == steps


def test_a_block_that_moved_and_changed_is_one_move() -> None:
    old = ["a", "the city will hire forty outreach workers", "b", "c", "d"]
    new = ["a", "b", "c", "d", "the city will hire twenty outreach workers"]
    steps = align(old, new)
    assert ops(steps) == [
        ("same", 0, 0),
        ("moved_away", 1, -1),
        ("same", 2, 1),
        ("same", 3, 2),
        ("same", 4, 3),
        ("moved_here", 1, 4),  # its old version kept, to mark what changed
    ]
    assert steps[1].move == steps[-1].move == 1
