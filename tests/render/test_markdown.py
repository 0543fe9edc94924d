"""The Markdown renderer: site links made relative, tables reachable, headings in place."""

from __future__ import annotations

import inspect
import re
import sys
import time

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from site_builder.render.markdown import _renderer, links_in, render_markdown, slugify

#: Markdown made of the characters every optional rule needs: footnotes, strikethrough,
#: tables, code, quotes, references, headings, breaks, escapes, entities, links, emphasis.
_MARKDOWN = st.text(alphabet="ab ~^[]():#*\n\t\r-|1`>\\&<!=_;", max_size=120)


def test_site_links_are_made_relative_to_the_page() -> None:
    html = BeautifulSoup(
        render_markdown("[plan](/plans/x/#goals) [out](https://e.org/)", "../../"), "html.parser"
    )
    assert [a["href"] for a in html.find_all("a")] == ["../../plans/x/#goals", "https://e.org/"]


def test_tables_scroll_in_a_keyboard_reachable_region() -> None:
    html = BeautifulSoup(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n"), "html.parser")
    wrapper = html.find("table").parent
    assert (wrapper.name, wrapper["role"], wrapper["tabindex"]) == ("div", "region", "0")


def test_a_table_stacks_on_a_phone_each_cell_named_by_its_column() -> None:
    """A Markdown table's last column ran past a phone's edge with nothing to say so."""
    text = "| Strategy | **2026** budget |\n|---|--:|\n| Outreach | $1 |\n| Jobs |\n"
    html = BeautifulSoup(render_markdown(text), "html.parser")
    assert html.table["class"] == ["table--stack"]
    assert [
        [td.get("data-label") for td in tr.find_all("td")] for tr in html.select("tbody tr")
    ] == [
        ["Strategy", "2026 budget"],
        ["Strategy", "2026 budget"],  # a row short of cells is filled, and labelled the same
    ]


def test_headings_shift_under_a_page_heading_and_keep_their_anchors() -> None:
    html = BeautifulSoup(render_markdown("## Why\n\n### How\n", shift=1), "html.parser")
    assert [(h.name, h["id"]) for h in html.find_all(["h2", "h3", "h4"])] == [
        ("h3", "why"),
        ("h4", "how"),
    ]
    assert BeautifulSoup(render_markdown("## Why\n"), "html.parser").h2["id"] == "why"


def test_footnotes_and_strikethrough_render() -> None:
    html = BeautifulSoup(
        render_markdown("A claim.[^1] ~~Old~~ new.\n\n[^1]: The source.\n"), "html.parser"
    )
    assert html.find("s").text == "Old"
    assert "The source." in html.find("section", class_="footnotes").text


#: Markdown made of the pieces of every construct: containers, breaks, underlines, tables,
#: fences, references, entities, links, footnotes; so that lines often start or end in them.
_PIECES = [
    "    ",
    "\t",
    "> ",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "```",
    "~~~",
    "---",
    "===",
    "***",
    "- - -",
    "_ _ _",
    "| a |",
    "|---|",
    "a | b",
    "[a]: /u",
    "[a]",
    "# ",
    "## ",
    "&amp;",
    "\\",
    "`",
    "<http://x.y>",
    "![x](/y)",
    "[l](/p)",
    "_e_",
    "*e*",
    "~~s~~",
    "[^1]",
    "[^1]: n",
    "^[n]",
    "word ",
    "=",
    "-",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
]
_STRUCTURED = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@given(_MARKDOWN | _STRUCTURED)
@example("> Quoted\n> ---\n")  # an underline inside a quote
@example("- Item\n  ===\n")  # an underline inside a list item
@example("- ***\n\n> _ _ _\n")  # breaks after a list mark and a quote mark
@example("    code\n\n\tcode\n")  # indented code, by spaces and by a tab
@example("[a]\n\n[a]: /there\n")  # a reference
def test_a_text_renders_as_with_every_rule(text: str) -> None:
    """The lighter renderers, picked by what a text contains, give the same HTML."""
    env = {"root": "../", "shift": 0}
    assert render_markdown(text, "../") == _renderer().render(text, dict(env))


def heading_ids(html: str) -> list[str]:
    return [h["id"] for h in BeautifulSoup(html, "html.parser").find_all(["h2", "h3", "h4"])]


def test_thirty_two_thousand_headings_of_one_title_take_linear_time() -> None:
    """Issue 15: anchors_plugin tried every suffix from 1 for each heading (69 s here)."""
    started = time.perf_counter()
    html = render_markdown("## Notes\n\n" * 32_000)
    assert time.perf_counter() - started < 20
    assert heading_ids(html) == ["notes"] + [f"notes-{n}" for n in range(1, 32_000)]


#: Titles whose slugs collide with each other's numbered forms ('notes-1' is also the
#: second 'Notes'), at every level and outside the levels given ids.
_HEADINGS = st.lists(
    st.tuples(
        st.sampled_from(["#", "##", "###", "####", "#####"]),
        st.sampled_from(
            ["Notes", "Notes 1", "Notes-1", "notes-1-1", "Notes-2", "NOTES", "A", "a-1", "`a`", "?"]
        ),
    ),
    max_size=40,
)


@given(_HEADINGS)
def test_heading_anchors_are_those_anchors_plugin_gives(headings: list[tuple[str, str]]) -> None:
    """Same ids as before for any document: the anchors are part of permanent URLs."""
    text = "".join(f"{marks} {title}\n\n" for marks, title in headings)
    reference = MarkdownIt("commonmark").use(
        anchors_plugin, min_level=2, max_level=4, slug_func=slugify
    )
    assert heading_ids(render_markdown(text)) == heading_ids(reference.render(text))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+[0-9]*", text)


def nested_list(depth: int, mark: str = "-") -> str:
    return "".join(
        " " * (len(mark) + 1) * level + f"{mark} item{level}\n" for level in range(depth)
    )


#: Markdown nested past markdown-it's limit (twenty levels: each quote counts one, each
#: list two), each followed by a paragraph of the top level.
_TOO_DEEP = {
    "quotes": ">" * 30 + " deep words\n" + ">" * 30 + " more words\nlazy line\n",
    "spaced quotes": "> " * 25 + "deep\n\n" + "> " * 25 + "deeper still\n",
    "quotes of headings": "".join(">" * n + f" # title{n}\n" for n in range(1, 40)),
    "list": nested_list(15),
    "ordered list": nested_list(12, "1."),
    "loose list": nested_list(12).replace("\n", "\n\n"),
    "lists in quotes": "> - " * 12 + "inside\n",
    "footnotes": "[^7]: " * 25 + "note\n\nsee[^7]\n",
}


@pytest.mark.parametrize("text", _TOO_DEEP.values(), ids=_TOO_DEEP.keys())
def test_markdown_nested_past_the_parser_limit_loses_no_text(text: str) -> None:
    """Issue 16: markdown-it dropped, silently, what was nested too deep and all that
    followed it in its parent; it is shown as text now, and what follows stays in place."""
    html = BeautifulSoup(render_markdown(text + "\nafter\n"), "html.parser")
    assert sorted(words(html.get_text())) == sorted(words(text + "after"))  # notes go last
    assert html.find_all("p", recursive=False)[-1].get_text() == "after"


_DEEPEST = {
    "quotes": ">" * 100_000 + " x\n",
    "spaced quotes": "> " * 100_000 + "x\n",
    "list marks": "- " * 100_000 + "x\n",
    "ordered list marks": "1. " * 100_000 + "x\n",
    "lists in quotes": "> - " * 100_000 + "x\n",
    "indented lists": "".join(" " * (2 * level) + "- x\n" for level in range(1_000)),
    "footnotes": "[^a]: " * 10_000 + "x\n",
    "brackets": "[" * 5_000 + "x" + "](/u)" * 5_000,
    "images": "![" * 5_000 + "x" + "](/u)" * 5_000,
    "emphasis": "**" * 5_000 + "x" + "**" * 5_000,
    "inline footnotes": "^[" * 5_000 + "x" + "]" * 5_000,
}


@pytest.mark.parametrize("text", _DEEPEST.values(), ids=_DEEPEST.keys())
def test_markdown_nested_100000_deep_renders_on_a_short_stack(text: str) -> None:
    """No recursion depends on the depth of the text: rendering and listing links need
    the same few hundred frames for any text (inline marks are nested 5,000 deep only,
    to keep the test quick: markdown-it takes linear, but slow, time on them)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 300)
    try:
        html = render_markdown(text)
        links_in(text)
    finally:
        sys.setrecursionlimit(limit)
    assert "x" in html  # in an image's alt text, for images
