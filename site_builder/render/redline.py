"""A plan's prose as it reads on the plan page, with what changed marked inside it.

Both revisions are parsed once by the one Markdown renderer and cut into blocks (a
paragraph, heading, list item, table, footnote), which `history.redline` aligns and folds;
a changed block is marked by `marks.merged`. Unchanged blocks are rendered as the plan page
renders them, without what may not appear twice on one page (heading ids, footnote links).
The words the redline adds (notes of moved text, the marks' hidden labels) are in the
interface's language: rendered blocks are kept in English and their words put in the
language's when a redline is made of them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token
from markupsafe import Markup, escape

from ..history.prose_diff import diff_stats
from ..history.redline import Folded, Step, align, fold
from ..site.interface import ENGLISH, N_, Interface
from .markdown import markdown_tokens, render_tokens
from .marks import Block, block_of, hidden, merged

#: Headings of the prose sit under the page's "Text of the plan" heading.
_SHIFT = 1
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")


@dataclass(frozen=True)
class FoldedBlocks:
    """Unchanged blocks shown collapsed, behind a summary."""

    blocks: list[Markup]


@dataclass
class Redline:
    """The redline of one body of prose against another, ready for a template to loop."""

    items: list[Markup | FoldedBlocks] = field(default_factory=list)
    words_added: int = 0
    words_removed: int = 0
    changed: bool = False


def redline(old: str, new: str, root: str = "/", interface: Interface = ENGLISH) -> Redline:
    """The prose `new` as it reads, with what changed since `old` marked inside it."""
    before, after = blocks_of(old), blocks_of(new)
    steps = align([b.key for b in before], [b.key for b in after])
    result = Redline(changed=any(step.op != "same" for step in steps))
    said = _words(interface)
    for item in fold(steps):
        if isinstance(item, Folded):
            blocks = [Markup(_unchanged(after[s.new], root)) for s in item.steps]
            result.items.append(FoldedBlocks(blocks))
        else:
            html = _step_html(item, before, after, root, result, interface)
            result.items.append(Markup(said(html)))
    return result


def _words(interface: Interface) -> Callable[[str], str]:
    """What puts a marked block's English words (kept with it) in `interface`'s."""
    if interface.formats.english and not interface.digest:
        return lambda html: html
    _, reader = interface.gettext, interface.pgettext
    pairs = [(_SAME_WORDS, _note(_(_SAME_WORDS_SAID)))]
    pairs += [
        (hidden(label), hidden(f"{reader('screen reader', word)}: ")) for word, label in _SAID
    ]

    def said(html: str) -> str:
        for english, words in pairs:
            html = html.replace(english, words)
        return html

    return said


def _note(words: str) -> str:
    return f'<p class="redline-note">{escape(words)}</p>\n'


def _step_html(
    step: Step,
    before: Sequence[Block],
    after: Sequence[Block],
    root: str,
    tally: Redline,
    interface: Interface,
) -> str:
    """One step of the redline as HTML; the words it marks are added to `tally`."""
    _ = interface.gettext
    if step.op == "same":
        return _unchanged(after[step.new], root)
    if step.op == "moved_away":
        where = (
            _("A part of the text moved from here to further down")
            if step.later
            else _("A part of the text moved from here to further up")
        )
        return f'<p class="redline-note"><a href="#moved-{step.move}">{escape(where)}</a>.</p>\n'
    if step.op == "moved_here":
        if step.old >= 0:  # moved and changed: marked as a changed block is
            body, added, removed = _changed(before[step.old], after[step.new], root)
            tally.words_added += added
            tally.words_removed += removed
            how = (
                _("Moved here from above, and changed:")
                if step.later
                else _("Moved here from below, and changed:")
            )
        else:
            body = _unchanged(after[step.new], root)
            how = (
                _("Moved here from above, unchanged:")
                if step.later
                else _("Moved here from below, unchanged:")
            )
        return f'<div class="redline-moved" id="moved-{step.move}">{_note(how)}{body}</div>\n'
    old = before[step.old] if step.old >= 0 else None
    new = after[step.new] if step.new >= 0 else None
    html, added, removed = _changed(old, new, root)
    tally.words_added += added
    tally.words_removed += removed
    return html


#: Blocks rendered, kept for the next pages of the same plan: a block is shown by every
#: revision's pages until it changes, and a changed one by each compare page until the
#: latest revision changes it again. Bounded: emptied when full.
_MEMO_SIZE = 4096
_shown: dict[tuple[str, str], str] = {}
_marked: dict[tuple[str, str, str], tuple[str, int, int]] = {}


def _unchanged(block: Block, root: str) -> str:
    key = (block.exact, root)
    if key not in _shown:
        if len(_shown) >= _MEMO_SIZE:
            _shown.clear()
        _shown[key] = _render(block.tokens, root, _SHIFT)
    return _shown[key]


def _changed(old: Block | None, new: Block | None, root: str) -> tuple[str, int, int]:
    """A changed, added or removed block marked, and the words it adds and removes."""
    key = (old.exact if old else "\0", new.exact if new else "\0", root)
    if key not in _marked:
        if len(_marked) >= _MEMO_SIZE:
            _marked.clear()
        tokens, chunks = merged(old, new)
        html = "".join(_render(part, root, _SHIFT) for part in tokens)
        if old and new and all(chunk.op == "equal" for chunk in chunks):
            html = _SAME_WORDS + html  # bold, a link's address: nothing to mark in the words
        _marked[key] = (html, *diff_stats(chunks))
    return _marked[key]


_SAME_WORDS_SAID = N_("Same words; their formatting or a link changed:")
_SAME_WORDS = _note(_SAME_WORDS_SAID)
#: The hidden words of a mark, for screen readers, as `marks` writes them in English.
_SAID = (("added", "added: "), ("removed", "removed: "))


@functools.lru_cache(maxsize=16)
def blocks_of(body: str) -> tuple[Block, ...]:
    """The blocks of Markdown prose, as the plan page renders them, in reading order.

    Kept for the next pages: a revision's body is compared with the one before it on its
    changes page and with the latest on its compare page, and the latest with every one.
    So the tokens are never changed after this: see `_render`."""
    tokens = _plain(markdown_tokens(body))
    blocks: list[Block] = []
    for group in _top_level(tokens):
        first = group[0]
        if first.type in _LIST_OPEN:
            start = int(first.attrGet("start") or 1)
            for number, item in enumerate(_top_level(group[1:-1], level=1)):
                wrapper = copy.copy(first)
                if first.type == "ordered_list_open":
                    wrapper.attrs = {**first.attrs, "start": start + number}
                blocks.append(block_of([wrapper, *item, group[-1]]))
        elif first.type == "footnote_block_open":
            blocks += [block_of(note) for note in _footnotes(group)]
        else:
            blocks.append(block_of(group))
    return tuple(blocks)


#: Tokens the renderer changes as it renders them (a link made relative to the page, a
#: heading moved down a level): copied before, as the same tokens serve many pages.
_CHANGED_BY_RENDERING = frozenset({"link_open", "image", "heading_open", "heading_close"})


def _render(tokens: Sequence[Token], root: str, shift: int) -> str:
    return render_tokens([_fresh(t) for t in tokens], root, shift)


def _fresh(token: Token) -> Token:
    if token.type in _CHANGED_BY_RENDERING:
        token = copy.copy(token)
        token.attrs = dict(token.attrs)
    elif token.children:
        token = copy.copy(token)
        token.children = [_fresh(child) for child in token.children or ()]
    return token


def _top_level(tokens: Sequence[Token], level: int = 0) -> Iterator[list[Token]]:
    """The token runs of each block at `level`: from an opening token to its closing one."""
    depth, start = 0, 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0 and token.nesting <= 0 and token.level <= level:
            yield list(tokens[start : index + 1])
            start = index + 1


def _footnotes(group: list[Token]) -> Iterator[list[Token]]:
    """Each footnote as its paragraphs, its number first: shown once, without the links and
    ids the plan page gives it (both revisions' footnotes may be on the page)."""
    note: list[Token] = []
    for token in group[1:-1]:
        if token.type == "footnote_open":
            note = []
            number = token.meta["id"] + 1
        elif token.type == "footnote_close":
            first = next((t for t in note if t.type == "inline"), None)
            if first is not None:
                space = Token("text", "", 0, content=" ")
                first.children = [_reference(number), space, *(first.children or ())]
            yield note
        elif token.type != "footnote_anchor":
            note.append(token)


def _reference(number: int) -> Token:
    return Token("html_inline", "", 0, content=f'<sup class="redline-ref">[{number}]</sup>')


def _plain(tokens: list[Token]) -> list[Token]:
    """Tokens without what may not appear twice on a page: heading ids, footnote links."""
    for token in tokens:
        if token.type == "heading_open":
            token.attrs.pop("id", None)
        if token.children:
            token.children = [
                _reference(t.meta["id"] + 1) if t.type == "footnote_ref" else t
                for t in token.children
            ]
    return tokens
