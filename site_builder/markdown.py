"""The one configured Markdown renderer: CommonMark, tables, footnotes, heading anchors.

Raw HTML is off (it is shown as text), and markdown-it's link validation already refuses
`javascript:`, `vbscript:`, `file:` and `data:` (except images) links. Links written
site-absolute (`/plans/riverton/`) are made relative to the page so the site works under
any sub-path.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin


def slugify(text: str) -> str:
    """A heading's anchor: lowercase words joined by hyphens, accents kept as letters."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def site_link(href: str, root: str) -> str:
    """`/plans/x/` seen from a page whose way back to the site root is `root` ('../../')."""
    if href.startswith("/") and not href.startswith("//"):
        return root + href[1:]
    return href


def _rewrite_attr(attr: str):
    def rule(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: EnvType) -> str:
        token = tokens[idx]
        value = token.attrGet(attr)
        if isinstance(value, str):
            token.attrSet(attr, site_link(value, env.get("root", "/")))
        if token.type == "image":
            token.attrSet("loading", "lazy")
            return self.image(tokens, idx, options, env)
        return self.renderToken(tokens, idx, options, env)

    return rule


def _table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    """A table that may scroll sideways on a phone, reachable by keyboard."""
    return ('<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
            + self.renderToken(tokens, idx, options, env))


def _table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _shifted_heading(self: RendererHTML, tokens: Sequence[Token], idx: int,
                     options: OptionsDict, env: EnvType) -> str:
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
    ("code", "\t", "\t"), ("code", " ", "    "),  # an indented code block: four columns
    ("fence", "`", "```"), ("fence", "~", "~~~"),
    ("blockquote", ">", ">"),
    ("reference", ":", "]:"),
    ("heading", "#", "#"),
    ("backticks", "`", "`"),
    ("escape", "\\", "\\"),
    ("entity", "&", "&"),
    ("autolink", "<", "<"),
    ("image", "!", "!["),
    ("emphasis", "*", "*"), ("emphasis", "_", "_"),
    ("strikethrough", "~", "~"),
    ("footnote", "^", "[^"), ("footnote", "^", "^["),
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
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable(["html_block", "html_inline"])  # raw HTML is off: they never match
    md.enable([rule for rule in ("table", "strikethrough") if rule in usable])
    if "footnote" in usable:
        md.use(footnote_plugin)
    md.disable([rule for rule in _OPTIONAL - usable
                if rule not in ("table", "strikethrough", "footnote")])
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=slugify)
    md.add_render_rule("link_open", _rewrite_attr("href"))
    md.add_render_rule("image", _rewrite_attr("src"))
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("heading_open", _shifted_heading)
    md.add_render_rule("heading_close", _shifted_heading)
    return md


def render_markdown(text: str, root: str = "/", shift: int = 0) -> str:
    """Markdown to safe HTML; `root` is the relative way from the page to the site root,
    `shift` moves headings down (1: `##` becomes h3) under a heading of the page."""
    env: dict[str, Any] = {"root": root, "shift": shift}
    return _renderer(_usable_rules(text)).render(text, env)


def links_in(text: str) -> list[tuple[str, int]]:
    """Every link and image target in Markdown with its line (0-based within `text`)."""
    found: list[tuple[str, int]] = []
    for block in _renderer().parse(text, {}):
        for token in block.children or ():
            href = token.attrGet("href") if token.type == "link_open" else (
                token.attrGet("src") if token.type == "image" else None)
            if isinstance(href, str) and block.map:
                found.append((href, block.map[0]))
    return found
