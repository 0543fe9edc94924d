"""The Markdown renderer: site links made relative, tables reachable, headings in place."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from site_builder.markdown import _renderer, render_markdown

#: Markdown made of the characters every optional rule needs: footnotes, strikethrough,
#: tables, code, quotes, references, headings, breaks, escapes, entities, links, emphasis.
_MARKDOWN = st.text(alphabet="ab ~^[]():#*\n\t\r-|1`>\\&<!=_;", max_size=120)


def test_site_links_are_made_relative_to_the_page() -> None:
    html = BeautifulSoup(render_markdown("[plan](/plans/x/#goals) [out](https://e.org/)",
                                         "../../"), "html.parser")
    assert [a["href"] for a in html.find_all("a")] == ["../../plans/x/#goals", "https://e.org/"]


def test_tables_scroll_in_a_keyboard_reachable_region() -> None:
    html = BeautifulSoup(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n"), "html.parser")
    wrapper = html.find("table").parent
    assert (wrapper.name, wrapper["role"], wrapper["tabindex"]) == ("div", "region", "0")


def test_headings_shift_under_a_page_heading_and_keep_their_anchors() -> None:
    html = BeautifulSoup(render_markdown("## Why\n\n### How\n", shift=1), "html.parser")
    assert [(h.name, h["id"]) for h in html.find_all(["h2", "h3", "h4"])] == [
        ("h3", "why"), ("h4", "how")]
    assert BeautifulSoup(render_markdown("## Why\n"), "html.parser").h2["id"] == "why"


def test_footnotes_and_strikethrough_render() -> None:
    html = BeautifulSoup(render_markdown("A claim.[^1] ~~Old~~ new.\n\n[^1]: The source.\n"),
                         "html.parser")
    assert html.find("s").text == "Old"
    assert "The source." in html.find("section", class_="footnotes").text


#: Markdown made of the pieces of every construct: containers, breaks, underlines, tables,
#: fences, references, entities, links, footnotes; so that lines often start or end in them.
_PIECES = ["    ", "\t", "> ", "- ", "* ", "1. ", "2) ", "```", "~~~", "---", "===", "***",
           "- - -", "_ _ _", "| a |", "|---|", "a | b", "[a]: /u", "[a]", "# ", "## ", "&amp;",
           "\\", "`", "<http://x.y>", "![x](/y)", "[l](/p)", "_e_", "*e*", "~~s~~", "[^1]",
           "[^1]: n", "^[n]", "word ", "=", "-", "\n", "\n", "\n\n", "\r\n"]
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
