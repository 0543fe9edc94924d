"""The one configured Markdown renderer: CommonMark, tables, footnotes, heading anchors.

Raw HTML is off (it is shown as text), and markdown-it's link validation already refuses
`javascript:`, `vbscript:`, `file:` and `data:` (except images) links. Links written
site-absolute (`/plans/riverton/`) are made relative to the page so the site works under
any sub-path.

A block that would open past markdown-it's `maxNesting` (quotes in quotes, lists in lists,
twenty levels deep) is shown as a paragraph of its text, its marks as written: markdown-it
would silently drop it and all that follows in its parent. The limit stays, since it keeps
the parser's recursion, and so the stack, bounded whatever the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock, blockquote, list_block
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_def

from .noted_links import Links, links_of, note, noted, text_digest

#: The block rules that parse blocks inside their own, with the levels each opens first
#: (a list opens the list and its item): what markdown-it would parse at `maxNesting`
#: levels or deeper, it drops.
_CONTAINERS = ((list_block, 2), (blockquote, 1), (footnote_def, 1))


def slugify(text: str) -> str:
    """A heading's anchor: lowercase words joined by hyphens, accents kept as letters."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def _anchors(state: StateCore) -> None:
    """Ids for the headings h2–h4: their slug, then 'notes-1', 'notes-2' … for the same
    title again, as mdit_py_plugins' anchors_plugin names them. It tries every suffix from
    1 for each heading, which takes the square of the number of headings of one title
    (32,000 `## Notes`: a minute); here the next suffix to try is kept per slug. A suffix
    below it was taken when it was tried, and stays taken, so the ids are the same."""
    taken: set[str] = set()
    untried: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3", "h4"):
            continue
        slug = slugify(
            "".join(
                child.content
                for child in tokens[index + 1].children or ()
                if child.type in ("text", "code_inline")
            )
        )
        if slug in taken:
            suffix = untried.get(slug, 1)
            while f"{slug}-{suffix}" in taken:
                suffix += 1
            untried[slug] = suffix + 1
            slug = f"{slug}-{suffix}"
        taken.add(slug)
        token.attrSet("id", slug)


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block that would open too deep, and what follows it in its parent: one paragraph
    of their lines, to where the parent ends (as markdown-it ends it: at a line indented
    less, a lazy line of a quote excepted). Tried before every other block rule; only a
    text nested eighteen levels deep pays more than one comparison."""
    deepest = state.md.options.maxNesting
    if (
        silent
        or state.level + 2 < deepest
        or not any(
            state.level + opens >= deepest and rule(state, start, end, True)
            for rule, opens in _CONTAINERS
        )
    ):
        return False
    line = start + 1
    while line < end and (
        state.isEmpty(line) or state.sCount[line] >= state.blkIndent or state.sCount[line] < 0
    ):  # negative: a lazy line of a quote
        line += 1
    # not a "paragraph": a tight list would hide its <p> and run it into the line above
    state.push("too_deep_open", "p", 1).map = [start, line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start, line, state.blkIndent, False).strip()
    inline.map = [start, line]
    inline.children = []
    state.push("too_deep_close", "p", -1)
    state.line = line
    return True


def site_link(href: str, root: str) -> str:
    """`/plans/x/` seen from a page whose way back to the site root is `root` ('../../')."""
    if href.startswith("/") and not href.startswith("//"):
        return root + href[1:]
    return href


def _rewrite_attr(attr: str) -> Callable[..., str]:
    def rule(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        value = token.attrGet(attr)
        if isinstance(value, str):
            if env.get("told") and token.type == "link_open":
                value = env["told"](value)
            token.attrSet(attr, site_link(value, env.get("root", "/")))
        if token.type == "image":
            token.attrSet("loading", "lazy")
            return self.image(tokens, idx, options, env)
        return self.renderToken(tokens, idx, options, env)

    return rule


def _table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A table that may scroll sideways on a wide screen, reachable by keyboard; on a phone
    it stacks, each cell named by its column (see `_label_cells`)."""
    tokens[idx].attrSet("class", "table--stack")
    return (
        '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
        + self.renderToken(tokens, idx, options, env)
    )


def _label_cells(state: StateCore) -> None:
    """Each body cell of a table gets its column's heading as `data-label`, so that a table
    stacked on a phone still says what each value is."""
    headings: list[str] = []
    column = 0
    for index, token in enumerate(state.tokens):
        if token.type == "thead_open":
            headings = []
        elif token.type == "th_open" and state.tokens[index + 1].type == "inline":
            children = state.tokens[index + 1].children or []
            headings.append("".join(c.content for c in children if c.type in _WORDS).strip())
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            if column < len(headings) and headings[column]:
                token.attrSet("data-label", headings[column])
            column += 1


#: The inline tokens whose content is words a reader sees.
_WORDS = frozenset({"text", "code_inline"})


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _shifted_heading(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Headings one level lower when the prose sits under a heading of the page."""
    token = tokens[idx]
    shift = env.get("shift", 0)
    if shift:
        token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    return self.renderToken(tokens, idx, options, env)


#: Parsing rules that cannot match a text without one of their strings: a text lacking
#: them all is parsed without the rule. A failing rule still costs its call on every line
#: or mark, so leaving out those a text cannot use saves a tenth to a quarter of the time.
#: Each entry is (rule, the string's rarest character, the string): the character is
#: looked for first, since finding one is ten times faster than finding a string.
_RULE_NEEDS: tuple[tuple[str, str, str], ...] = (
    ("table", "|", "|"),
    ("code", "\t", "\t"),
    ("code", " ", "    "),  # an indented code block: four columns
    ("fence", "`", "```"),
    ("fence", "~", "~~~"),
    ("blockquote", ">", ">"),
    ("reference", ":", "]:"),
    ("heading", "#", "#"),
    ("backticks", "`", "`"),
    ("escape", "\\", "\\"),
    ("entity", "&", "&"),
    ("autolink", "<", "<"),
    ("image", "!", "!["),
    ("emphasis", "*", "*"),
    ("emphasis", "_", "_"),
    ("strikethrough", "~", "~"),
    ("footnote", "^", "[^"),
    ("footnote", "^", "^["),
)
#: The same for rules that need a line ending in marks: a thematic break ends in three of
#: one mark (`***`, `- - -`), a setext underline is one mark repeated (`===`, `---`) after
#: any blockquote marks and indentation. Both patterns take linear time on any line.
_RULE_PATTERNS: dict[str, re.Pattern[str]] = {
    "hr": re.compile(r"([-*_])[ \t]*\1[ \t]*\1[ \t]*$", re.MULTILINE),
    "lheading": re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE),
}
#: What both need, looked for first: most texts have no line ending in a mark.
_LINE_ENDING_IN_A_MARK = re.compile(r"[-*_=][ \t]*$", re.MULTILINE)
_OPTIONAL = frozenset(rule for rule, _, _ in _RULE_NEEDS) | frozenset(_RULE_PATTERNS)


def _usable_rules(text: str) -> frozenset[str]:
    """The optional rules `text` may need. Markdown-it reads CR and CRLF as LF, which the
    line patterns do not; such a text gets every rule."""
    if "\r" in text:
        return _OPTIONAL
    usable = [rule for rule, mark, need in _RULE_NEEDS if mark in text and need in text]
    if _LINE_ENDING_IN_A_MARK.search(text):
        usable += [rule for rule, pattern in _RULE_PATTERNS.items() if pattern.search(text)]
    return frozenset(usable)


@functools.cache
def _renderer(usable: frozenset[str] = _OPTIONAL) -> MarkdownIt:
    """The renderer, with those of the optional rules that are `usable` (all by default):
    the same HTML for any text those rules cover, see `_usable_rules`."""
    return _configured(usable)


@functools.cache
def _link_reader(usable: frozenset[str]) -> MarkdownIt:
    """The parser of `_renderer(usable)` for finding links: the same blocks, their inline
    content parsed only where a link may be."""
    md = _configured(usable)
    md.core.ruler.at("inline", _inline_where_links_may_be)
    return md


def _inline_where_links_may_be(state: StateCore) -> None:
    """markdown-it's inline rule for the blocks that may hold a link: a link, an image and
    a reference to a link definition have a '[', an autolink a '<' (raw HTML is off). Most
    blocks of prose have neither, and their inline parse is most of the parse."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if "[" in token.content or "<" in token.content:
                state.md.inline.parse(token.content, state.md, state.env, token.children)


def _configured(usable: frozenset[str]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.block.ruler.before("table", "too_deep", _too_deep)
    md.disable(["html_block", "html_inline"])  # raw HTML is off: they never match
    md.enable([rule for rule in ("table", "strikethrough") if rule in usable])
    if "footnote" in usable:
        md.use(footnote_plugin)
    md.disable(
        [rule for rule in _OPTIONAL - usable if rule not in ("table", "strikethrough", "footnote")]
    )
    md.core.ruler.push("anchor", _anchors)
    if "table" in usable:
        md.core.ruler.push("table_labels", _label_cells)
    md.add_render_rule("link_open", _rewrite_attr("href"))
    md.add_render_rule("image", _rewrite_attr("src"))
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("heading_open", _shifted_heading)
    md.add_render_rule("heading_close", _shifted_heading)
    return md


def render_markdown(
    text: str, root: str = "/", shift: int = 0, told: Callable[[str], str] | None = None
) -> str:
    """Markdown to safe HTML; `root` is the relative way from the page to the site root,
    `shift` moves headings down (1: `##` becomes h3) under a heading of the page, and
    `told` gives the site path a link leads to in the page's language."""
    env: dict[str, Any] = {"root": root, "shift": shift, "told": told}
    md = _renderer(_usable_rules(text))
    tokens = md.parse(text, env)
    if "[" in text or "<" in text:  # what a link needs: see `_inline_where_links_may_be`
        note(text, tokens)
    return md.renderer.render(tokens, md.options, env)


def markdown_tokens(text: str) -> list[Token]:
    """The block tokens of Markdown, parsed as `render_markdown` parses it (for a redline)."""
    return _renderer(_usable_rules(text)).parse(text, {})


def render_tokens(tokens: Sequence[Token], root: str = "/", shift: int = 0) -> str:
    """Tokens of `markdown_tokens`, rearranged or not, to HTML as `render_markdown` makes it."""
    md = _renderer()
    return md.renderer.render(tokens, md.options, {"root": root, "shift": shift})


def links_in(text: str, digest: bytes | None = None) -> Links:
    """Every link and image target in Markdown with its own line (0-based within `text`),
    as the text's rendering found them or parsed for them now; `digest` is the text's
    `text_digest`, where the caller has it."""
    found = noted(digest or text_digest(text))
    if found is None:
        found = links_of(_link_reader(_usable_rules(text)).parse(text, {}))
    return found
