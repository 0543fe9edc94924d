"""The Markdown renderer: site links made relative, tables reachable, headings in place."""

from __future__ import annotations

from bs4 import BeautifulSoup

from site_builder.markdown import render_markdown


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
