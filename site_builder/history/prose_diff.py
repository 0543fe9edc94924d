"""What changed in a plan's prose between two revisions, word by word.

Pure functions on values (no I/O), so the changes page of an old revision can be rendered
once and cached by blob id. Prose is diffed line by line first and word by word only inside
the lines that differ, which keeps a 30 KB plan with a few edits at a few milliseconds.
Inside a redline (`redline.py`) it compares the visible text of two versions of one block.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]

#: Units to align, coarse to fine: lines, then sentences, then words. Every character falls
#: in exactly one unit, so units join back to the text. A line carries its end and the blank
#: lines after it and a word the space after it, so that paragraph breaks and the thousands
#: of " " are not equal units to pair up, the slowest part of aligning. A lone "\r" stays
#: inside its line, so CRLF and LF text both split on "\n".
_LEVELS = (
    re.compile(r"[^\n]*\n(?:[^\S\n]*\n)*|[^\n]+"),
    re.compile(r".+?(?:[.!?]+\s+|\Z)", re.DOTALL),
    re.compile(r"\w+\s*|[^\w\s]\s*|\s+"),
)
#: What a change is trimmed to: words (unicode letters, digits, underscore), whitespace runs
#: and single other characters, so "cat " → "dog " shows as just "cat" → "dog".
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
_LINE_BREAK = re.compile(r"[\n\r]")
#: Word blocks with at most this many equal (old, new) unit pairs are always aligned word
#: by word; SequenceMatcher's work grows with these pairs and with how scattered the matches
#: are. Bigger blocks are aligned only if they share most of their words, and never past
#: the hard limit (a sentence of thousands of words with no line break or full stop).
_SMALL_PAIRS = 2_000
_MAX_PAIRS = 200_000
_MIN_SHARED = 0.5


@dataclass(frozen=True)
class Chunk:
    """A run of text that is the same in both revisions, or only in the new or the old one."""

    op: Op
    text: str


def word_diff(old: str, new: str) -> list[Chunk]:
    """Diff prose so a changed word reads as one deletion and one insertion.

    The non-insert chunks join to `old` and the non-delete chunks join to `new`, always.
    """
    if old == new:
        return [Chunk("equal", old)] if old else []
    return _tidy(_diff_units(old, new, 0))


def _diff_units(old: str, new: str, level: int) -> list[Chunk]:
    """Align the units of one level; look inside replaced blocks at the next, finer one.

    Aligning lines first and words only where lines differ keeps a few edits in a long plan
    at a few milliseconds; sentences in between keep a long one-line paragraph cheap too.
    """
    a, b = _LEVELS[level].findall(old), _LEVELS[level].findall(new)
    head, tail = shared_ends(a, b)
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    chunks = [Chunk("equal", "".join(a[:head]))]
    finest = level == len(_LEVELS) - 1
    if finest and not _worth_aligning(a_mid, b_mid):
        chunks += _replaced("".join(a_mid), "".join(b_mid))
    else:
        matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            before, after = "".join(a_mid[i1:i2]), "".join(b_mid[j1:j2])
            if tag == "equal":
                chunks.append(Chunk("equal", before))
            elif tag == "replace" and not finest:
                chunks += _diff_units(before, after, level + 1)
            else:
                chunks += _replaced(before, after)
    chunks.append(Chunk("equal", "".join(a[len(a) - tail :])))
    return chunks


def shared_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many units (words, lines, blocks) both sequences start with, and then end with:
    cheap, and most of a document in the common case of a few edits."""
    head = tail = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _replaced(old: str, new: str) -> list[Chunk]:
    """A deletion and an insertion, less the tokens both start or end with (a shared space)."""
    if not old or not new:
        return [Chunk("delete", old), Chunk("insert", new)]
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    head, tail = shared_ends(a, b)
    return [
        Chunk("equal", "".join(a[:head])),
        Chunk("delete", "".join(a[head : len(a) - tail])),
        Chunk("insert", "".join(b[head : len(b) - tail])),
        Chunk("equal", "".join(a[len(a) - tail :])),
    ]


def _worth_aligning(a: list[str], b: list[str]) -> bool:
    """Whether to diff a block word by word rather than show it replaced whole.

    A rewritten paragraph reads better as one deletion and one insertion than as scraps
    around the "the"s it shares with the old one, and it is also what is slowest to align.
    """
    counts = Counter(b)
    pairs = sum(counts[unit] for unit in a)
    if pairs <= _SMALL_PAIRS:
        return True
    if pairs > _MAX_PAIRS:
        return False
    shared, total = shared_words("".join(a), "".join(b))
    return 2 * shared >= _MIN_SHARED * total


def shared_words(old: str, new: str) -> tuple[int, int]:
    """How many words two texts share (as multisets), and how many they have together."""
    old_found, new_found = _WORD.findall(old), _WORD.findall(new)
    new_words = Counter(new_found)
    shared = sum(min(count, new_words[word]) for word, count in Counter(old_found).items())
    return shared, len(old_found) + len(new_found)


def _tidy(raw: Iterable[Chunk]) -> list[Chunk]:
    """Merge neighbours and fold short unchanged bits between two changes into them.

    "<del>cat</del><ins>dog</ins> <del>sat</del><ins>ran</ins>" reads worse than
    "<del>cat sat</del><ins>dog ran</ins>", and a stray shared " the " inside a rewritten
    sentence is noise. Within a change, deletions go before insertions; both sides stay in
    order, so the texts still join back to the old and the new one.
    """
    runs: list[str | tuple[str, str]] = []  # unchanged text, or (deleted, inserted)
    for chunk in raw:
        last = runs[-1] if runs else None
        if not chunk.text:
            continue
        if chunk.op == "equal":
            if isinstance(last, str):
                runs[-1] = last + chunk.text
            else:
                runs.append(chunk.text)
            continue
        if isinstance(last, tuple):
            runs.pop()
        deleted, inserted = last if isinstance(last, tuple) else ("", "")
        if chunk.op == "delete":
            runs.append((deleted + chunk.text, inserted))
        else:
            runs.append((deleted, inserted + chunk.text))
        # A grown change may swallow the gap before it, and then the one before that.
        while len(runs) >= 3 and (folded := _fold(*runs[-3:])):
            runs[-3:] = [folded]
    chunks: list[Chunk] = []
    for run in runs:
        if isinstance(run, str):
            chunks.append(Chunk("equal", run))
            continue
        if run[0]:
            chunks.append(Chunk("delete", run[0]))
        if run[1]:
            chunks.append(Chunk("insert", run[1]))
    return chunks


def _fold(
    left: str | tuple[str, str], gap: str | tuple[str, str], right: str | tuple[str, str]
) -> tuple[str, str] | None:
    """One change for `left`, `gap`, `right` if the unchanged gap is not worth showing.

    That is whitespace, or at most one word and no longer than the changes on both sides
    (diff-match-patch's semantic cleanup, kept from swallowing phrases), but never a line
    break, so that paragraphs stay apart.
    """
    if not (isinstance(left, tuple) and isinstance(gap, str) and isinstance(right, tuple)):
        return None
    size = min(max(map(len, left)), max(map(len, right)))
    short = len(_WORD.findall(gap)) <= 1 and len(gap) <= size
    if _LINE_BREAK.search(gap) or not (gap.isspace() or short):
        return None
    return left[0] + gap + right[0], left[1] + gap + right[1]


def diff_stats(chunks: Iterable[Chunk]) -> tuple[int, int]:
    """Count (words inserted, words deleted) for a one-line summary of a revision.

    Counts what the reader sees marked, so an unchanged word folded into a change counts.
    """
    words = Counter[str]()
    for chunk in chunks:
        words[chunk.op] += len(_WORD.findall(chunk.text)) if chunk.op != "equal" else 0
    return words["insert"], words["delete"]
