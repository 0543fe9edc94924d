"""Marks of a changed block: its new version with what changed since the old one marked.

A block of the same shape is merged word by word on its *visible* text, never its Markdown
source, so a mark can never fall inside a link's address, an attribute or a code span:
unchanged and inserted text is drawn from the new revision's tokens, deleted text from the
old one's, and `<ins>`/`<del>` always open inside the inline elements they mark, closing
and opening again where one ends. A table is aligned row by row and merged cell by cell.
Marks are announced by words hidden on screen ("added:"), never by colour alone.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markdown_it.token import Token

from ..history.prose_diff import Chunk, Op, word_diff
from ..history.redline import align

#: What an image or a footnote reference counts as in the visible text: one character, so a
#: change never falls inside it.
_OBJECT = "\ufffc"
_LABELS = {"insert": ("ins", "added: "), "delete": ("del", "removed: ")}


@dataclass(frozen=True)
class Block:
    """Block tokens that render alone (a list item comes wrapped in its list)."""

    tokens: list[Token]
    key: str  # what makes two blocks the same: their kinds and their Markdown
    exact: str  # everything their HTML is made of, so pages may share it

    @property
    def table(self) -> bool:
        return self.tokens[0].type == "table_open"


def block_of(tokens: list[Token]) -> Block:
    parts = [
        " ".join(t.content.split()) if t.type == "inline" else f"{t.type}:{t.tag}:{t.content}"
        for t in tokens
        if t.nesting >= 0
    ]
    return Block(tokens, "\x1f".join(parts), "\x1f".join(map(_exact, tokens)))


def _exact(token: Token) -> str:
    """What a token renders from: an inline's Markdown decides its children, but for the
    footnote numbers put in among them (the same words may be note 1 or note 2)."""
    made = f"{token.type}:{token.tag}:{token.info}:{sorted(token.attrs.items())}:{token.content}"
    if token.type == "inline":
        made += "".join(c.content for c in token.children or () if c.type == "html_inline")
    return made


def merged(old: Block | None, new: Block | None) -> tuple[list[list[Token]], list[Chunk]]:
    """The block changed from `old` to `new` as token lists to render, and its word chunks."""
    if old is not None and new is not None:
        if old.table and new.table:
            table = _merged_table(old.tokens, new.tokens)
            if table is not None:
                return [table[0]], table[1]
        elif _shape(old.tokens) == _shape(new.tokens):
            merged, changes = _merged_tokens(old.tokens, new.tokens)
            return [merged], changes
    tokens: list[list[Token]] = []
    chunks: list[Chunk] = []
    sides: tuple[tuple[Block | None, Op], ...] = ((old, "delete"), (new, "insert"))
    for block, op in sides:
        if block is not None:
            tag, label = _LABELS[op]
            text = "".join(t.content for t in block.tokens if t.type == "inline")
            chunks.append(Chunk(op, text))
            tokens.append([_html(f'<{tag} class="redline-block">'), _hidden(label)])
            tokens += [block.tokens, [_html(f"</{tag}>\n")]]
    return tokens, chunks


def _shape(tokens: list[Token]) -> list[tuple[str, str, str]]:
    return [(t.type, t.tag, t.content) for t in tokens if t.type != "inline"]


def _merged_tokens(old: list[Token], new: list[Token]) -> tuple[list[Token], list[Chunk]]:
    """Blocks of one shape: the new tokens, each inline merged with the old one."""
    merged: list[Token] = []
    chunks: list[Chunk] = []
    for before, after in zip(old, new, strict=True):
        if after.type == "inline":
            children, changes = _merged_inline(before.children or [], after.children or [])
            after = copy.copy(after)
            after.children = children
            chunks += changes
        merged.append(after)
    return merged, chunks


def _merged_table(old: list[Token], new: list[Token]) -> tuple[list[Token], list[Chunk]] | None:
    """A table changed row by row, cells merged; None if its columns changed."""
    old_rows, new_rows = _rows(old), _rows(new)
    if _width(old_rows[0]) != _width(new_rows[0]):
        return None
    tokens = [new[0], Token("thead_open", "thead", 1)]
    header, chunks = _merged_tokens(old_rows[0], new_rows[0])
    tokens += [*header, Token("thead_close", "thead", -1), Token("tbody_open", "tbody", 1)]
    keys = [[block_of(row).key for row in rows[1:]] for rows in (old_rows, new_rows)]
    for step in align(*keys):
        # A row that moved is shown where it went, whole, and as removed where it was.
        before = old_rows[1 + step.old] if step.old >= 0 and step.op != "moved_here" else None
        after = new_rows[1 + step.new] if step.new >= 0 else None
        if before and after and _width(before) == _width(after):
            row, changes = _merged_tokens(before, after)
        else:  # a row added or removed, or a move inside a table: marked whole
            row, changes = [], []
            if before is not None:
                row, changes = _merged_tokens(before, _emptied(before))
            if after is not None:
                added, more = _merged_tokens(_emptied(after), after)
                row, changes = row + added, changes + more
        tokens += row
        chunks += changes
    tokens += [Token("tbody_close", "tbody", -1), new[-1]]
    return tokens, chunks


def _rows(table: list[Token]) -> list[list[Token]]:
    rows, start = [], 0
    for index, token in enumerate(table):
        if token.type == "tr_open":
            start = index
        elif token.type == "tr_close":
            rows.append(table[start : index + 1])
    return rows


def _width(row: list[Token]) -> int:
    return sum(token.type == "inline" for token in row)


def _emptied(row: list[Token]) -> list[Token]:
    """The row with every cell empty: what a row added or removed is merged against."""
    emptied = []
    for token in row:
        if token.type == "inline":
            token = copy.copy(token)
            token.children = []
        emptied.append(token)
    return emptied


@dataclass(frozen=True)
class _Leaf:
    """A piece of visible inline content and the inline elements (link, bold) it is in."""

    token: Token
    text: str
    within: tuple[Token, ...]


def _leaves(children: Sequence[Token]) -> list[_Leaf]:
    leaves: list[_Leaf] = []
    within: list[Token] = []
    for token in children:
        if token.nesting == 1:
            within.append(token)
        elif token.nesting == -1:
            within.pop()
        elif token.type in ("text", "code_inline"):
            if token.content:
                leaves.append(_Leaf(token, token.content, tuple(within)))
        elif token.type in ("softbreak", "hardbreak"):
            leaves.append(_Leaf(token, "\n", tuple(within)))
        else:  # an image, a footnote reference
            leaves.append(_Leaf(token, _OBJECT, tuple(within)))
    return leaves


def _merged_inline(old: Sequence[Token], new: Sequence[Token]) -> tuple[list[Token], list[Chunk]]:
    """Inline content marked word by word: kept and inserted text from `new`, deleted text
    from `old`, each mark closed before any inline element opens or closes around it."""
    sides = {"delete": _Cursor(_leaves(old)), "insert": _Cursor(_leaves(new))}
    chunks = word_diff(sides["delete"].text, sides["insert"].text)
    out: list[Token] = []
    within: tuple[Token, ...] = ()
    mark, labelled = "", ""  # the mark open now; the last mark announced
    for chunk in chunks:
        if chunk.op == "equal":
            sides["delete"].take(len(chunk.text))
        pieces = sides["insert" if chunk.op == "equal" else chunk.op].take(len(chunk.text))
        wanted = "" if chunk.op == "equal" else chunk.op
        for leaf, piece in pieces:
            if (
                _shared_prefix(leaf.within, within) != len(within)
                or len(leaf.within) != len(within)
                or wanted != mark
            ):
                if mark:
                    out.append(_html(f"</{_LABELS[mark][0]}>"))
                shared = _shared_prefix(within, leaf.within)
                out += [_closing(t) for t in reversed(within[shared:])]
                out += leaf.within[shared:]
                within = leaf.within
                if wanted:
                    out.append(_html(f"<{_LABELS[wanted][0]}>"))
                    if labelled != wanted:
                        out.append(_hidden(_LABELS[wanted][1]))
                mark = wanted
            labelled = wanted
            out.append(piece)
    if mark:
        out.append(_html(f"</{_LABELS[mark][0]}>"))
    out += [_closing(t) for t in reversed(within)]
    return out, chunks


class _Cursor:
    """Leaves read forward by lengths of visible text, cut where a length ends."""

    def __init__(self, leaves: list[_Leaf]) -> None:
        self.leaves = leaves
        self.text = "".join(leaf.text for leaf in leaves)
        self.index = 0
        self.offset = 0  # into the leaf at `index`

    def take(self, length: int) -> list[tuple[_Leaf, Token]]:
        pieces: list[tuple[_Leaf, Token]] = []
        while length > 0:
            leaf = self.leaves[self.index]
            end = min(len(leaf.text), self.offset + length)
            pieces.append((leaf, _cut(leaf, self.offset, end)))
            length -= end - self.offset
            self.offset = end
            if end == len(leaf.text):
                self.index, self.offset = self.index + 1, 0
        return pieces


def _cut(leaf: _Leaf, start: int, end: int) -> Token:
    if leaf.token.type not in ("text", "code_inline") or (start, end) == (0, len(leaf.text)):
        return leaf.token
    piece = copy.copy(leaf.token)
    piece.content = leaf.text[start:end]
    return piece


def _shared_prefix(a: tuple[Token, ...], b: tuple[Token, ...]) -> int:
    """How many of the elements two pieces are in are the same (a link to the same place),
    whichever revision they come from: a deleted word in bold stays in the bold."""
    shared = 0
    while shared < min(len(a), len(b)) and (a[shared].type, a[shared].attrs) == (
        b[shared].type,
        b[shared].attrs,
    ):
        shared += 1
    return shared


def _closing(opening: Token) -> Token:
    return Token(opening.type.removesuffix("_open") + "_close", opening.tag, -1)


def _html(content: str) -> Token:
    return Token("html_inline", "", 0, content=content)


def hidden(label: str) -> str:
    """Words for screen readers alone, as a mark writes them ("added: ")."""
    return f'<span class="visually-hidden">{escape(label)}</span>'


def _hidden(label: str) -> Token:
    return _html(hidden(label))
