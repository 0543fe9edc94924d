"""Which blocks of a plan's prose stayed, changed, came, went or moved between two revisions.

A redline aligns blocks (a paragraph, heading, list item, table, footnote) before words, so
a one-word edit touches one block and the hundreds around it are shown as unchanged, and a
paragraph that moved is one move, not a deletion and an insertion far apart. Blocks come in
as strings that name them (whatever makes two blocks the same, e.g. their type and text);
this module knows no Markdown and no content model, so the same alignment serves a plan's
blocks and a table's rows. Cost stays near-linear: shared ends are trimmed first, and a
middle whose blocks are too alike to align cheaply is shown replaced whole.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .prose_diff import shared_ends, shared_words

Op = Literal["same", "changed", "added", "removed", "moved_here", "moved_away"]

#: Above this many equal (old, new) block pairs in the part that differs, aligning could
#: take the square of the document's size (thousands of "| --- |" rows): it is shown
#: replaced whole instead.
_MAX_PAIRS = 200_000
#: A block replaced by one sharing at least this share of its words is shown as one block
#: changed word by word; a block sharing less reads better deleted and another inserted.
_SIMILAR = 0.5
#: Removed × added blocks compared for moves of changed blocks: beyond this, a changed
#: block that also moved is shown removed and added (the comparison grows as their product).
_MAX_EDITED_MOVES = 2_500


@dataclass(frozen=True)
class Step:
    """One block of the redline: `old` and `new` index the two lists (-1: not on that side).

    A move is two steps of the same `move` number: `moved_away` where the block stood and
    `moved_here` where it stands now; `later` says whether "here" comes after "away". A
    `moved_here` with an `old` index moved and changed.
    """

    op: Op
    old: int = -1
    new: int = -1
    move: int = 0
    later: bool = False


@dataclass(frozen=True)
class Folded:
    """A run of unchanged blocks shown collapsed."""

    steps: tuple[Step, ...]


def align(old: Sequence[str], new: Sequence[str]) -> list[Step]:
    """The steps from `old` blocks to `new` ones, in reading order, moves found."""
    steps: list[Step] = []
    i = j = 0
    for a, b in [*_matches(old, new), (len(old), len(new))]:
        steps += _paired(old, new, range(i, a), range(j, b))
        if a < len(old):
            steps.append(Step("same", a, b))
        i, j = a + 1, b + 1
    return _moves(steps, old, new)


def _matches(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """The (old, new) positions of the blocks kept in place, in order: a patience diff.

    Blocks found once on each side anchor the alignment in the longest run of them that
    keeps its order (so a moved paragraph is not taken for the anchor and the rest for
    moves), shared ends first, then again between anchors; a stretch with no such block is
    aligned by `SequenceMatcher` unless that could take the square of its size.
    """
    found: list[tuple[int, int]] = []
    ranges = [(0, len(old), 0, len(new))]
    while ranges:
        a0, a1, b0, b1 = ranges.pop()
        head, tail = shared_ends(old[a0:a1], new[b0:b1])
        found += [(a0 + k, b0 + k) for k in range(head)]
        found += [(a1 - k, b1 - k) for k in range(1, tail + 1)]
        a0, a1, b0, b1 = a0 + head, a1 - tail, b0 + head, b1 - tail
        anchors = _anchors(old, new, a0, a1, b0, b1)
        if anchors:
            edges = [(a0 - 1, b0 - 1), *anchors, (a1, b1)]
            found += anchors
            ranges += [(i + 1, k, j + 1, m) for (i, j), (k, m) in itertools.pairwise(edges)]
        elif a0 < a1 and b0 < b1:
            a_mid, b_mid = old[a0:a1], new[b0:b1]
            counts = Counter(b_mid)
            if 0 < sum(counts[block] for block in a_mid) <= _MAX_PAIRS:  # none: nothing kept
                matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
                for i, j, size in matcher.get_matching_blocks():
                    found += [(a0 + i + k, b0 + j + k) for k in range(size)]
    return sorted(found)


def _anchors(
    old: Sequence[str], new: Sequence[str], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """The blocks found once on each side, longest in order (patience sorting)."""
    once_old = {k: i for k, (i, n) in _positions(old, a0, a1).items() if n == 1}
    pairs = [
        (once_old[block], j)
        for block, (j, n) in _positions(new, b0, b1).items()
        if n == 1 and block in once_old
    ]
    pairs.sort()
    tails: list[int] = []  # tails[k]: the pair ending the best run of k + 1 pairs so far
    ends: list[int] = []  # the new position of each of those pairs, rising
    back: list[int] = []  # the pair before each pair in its best run
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(ends, j)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(index)
            ends.append(j)
        else:
            tails[k], ends[k] = index, j
    run, index = [], tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


def _positions(blocks: Sequence[str], start: int, stop: int) -> dict[str, tuple[int, int]]:
    """Each block of `blocks[start:stop]`: where it first stands, and how many times."""
    seen: dict[str, tuple[int, int]] = {}
    for index in range(start, stop):
        first, count = seen.get(blocks[index], (index, 0))
        seen[blocks[index]] = (first, count + 1)
    return seen


def _paired(old: Sequence[str], new: Sequence[str], a: range, b: range) -> list[Step]:
    """Replaced blocks in order: a block and its replacement when they are alike, looking
    one block ahead on either side (an insertion before an edit), else removed and added."""
    steps: list[Step] = []
    i, j = a.start, b.start
    while i < a.stop and j < b.stop:
        if _alike(old[i], new[j]):
            steps.append(Step("changed", i, j))
            i, j = i + 1, j + 1
        elif j + 1 < b.stop and _alike(old[i], new[j + 1]):
            steps.append(Step("added", new=j))
            j += 1
        elif i + 1 < a.stop and _alike(old[i + 1], new[j]):
            steps.append(Step("removed", old=i))
            i += 1
        else:
            steps += [Step("removed", old=i), Step("added", new=j)]
            i, j = i + 1, j + 1
    steps += [Step("removed", old=k) for k in range(i, a.stop)]
    steps += [Step("added", new=k) for k in range(j, b.stop)]
    return steps


def _alike(old: str, new: str) -> bool:
    shared, total = shared_words(old, new)
    return total > 0 and 2 * shared >= _SIMILAR * total


def _moves(steps: list[Step], old: Sequence[str], new: Sequence[str]) -> list[Step]:
    """A removed block that comes back elsewhere, unchanged or alike (`_alike`): one move,
    in both places; a `moved_here` step of a block that also changed keeps its `old`."""
    removed: defaultdict[str, list[int]] = defaultdict(list)  # block → positions in `steps`
    for position, step in enumerate(steps):
        if step.op == "removed":
            removed[old[step.old]].append(position)
    moved = list(steps)
    number = 0
    unmatched: list[int] = []  # positions of added blocks that came back changed, if any
    for position, step in enumerate(steps):
        if step.op != "added":
            continue
        if removed.get(new[step.new]):
            number += 1
            _move(moved, removed[new[step.new]].pop(0), position, number, False)
        else:
            unmatched.append(position)
    left = [p for positions in removed.values() for p in positions]
    if len(left) * len(unmatched) <= _MAX_EDITED_MOVES:  # else too many to compare
        for position in unmatched:
            alike = next(
                (p for p in left if _alike(old[steps[p].old], new[steps[position].new])), None
            )
            if alike is not None:
                left.remove(alike)
                number += 1
                _move(moved, alike, position, number, True)
    return moved


def _move(steps: list[Step], away: int, here: int, number: int, edited: bool) -> None:
    """Make the steps at `away` and `here` the two ends of move `number`."""
    later = here > away
    source = steps[away].old
    steps[away] = Step("moved_away", source, -1, number, later)
    steps[here] = Step("moved_here", source if edited else -1, steps[here].new, number, later)


def fold(steps: Sequence[Step], context: int = 1) -> list[Step | Folded]:
    """The steps with each run of unchanged blocks folded but for `context` blocks next to a
    change on either side, so a small edit makes a short page."""
    shown: list[Step | Folded] = []
    run: list[Step] = []
    for step in [*steps, None]:
        if step is not None and step.op == "same":
            run.append(step)
            continue
        before = context if shown else 0  # no change above the document's first run
        after = context if step is not None else 0
        if len(run) <= before + after:
            shown += run
        else:
            shown += run[:before]
            shown.append(Folded(tuple(run[before : len(run) - after])))
            shown += run[len(run) - after :]
        run = []
        if step is not None:
            shown.append(step)
    return shown
