"""A link's line is its own line, not the first line of the paragraph, list or table it
is written in: markdown-it gives blocks their lines only."""

from __future__ import annotations

from site_builder.render.markdown import links_in

TEXT = """\
Intro.

A paragraph [first](/a/)
runs on to a second line
and a third with [another](/b/) and a hard break\\
then [a third](/c/) on the line after it.

- an item
  continued with [a link](/d/)
- and ![an image](/e.png) in the next

> a quote
> quoting [a page](/f/)

| name | where |
| --- | --- |
| one | [g](/g/) |
| two | [h](/h/) |
"""


def test_each_link_has_its_own_line() -> None:
    lines = TEXT.split("\n")
    found = links_in(TEXT)
    expected = ["/a/", "/b/", "/c/", "/d/", "/e.png", "/f/", "/g/", "/h/"]
    assert [href for href, _ in found] == expected
    for href, line in found:
        assert f"({href})" in lines[line], (href, line, lines[line])
