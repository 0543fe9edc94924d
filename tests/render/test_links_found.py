"""Links are found alike however a text is read for them: the link check parses inline
only what may hold a link, a cold build of a large site parses its texts in forked
workers, and a page's rendering notes the links of its texts (in a worker, handed back to
the build); all must find what rendering the text would link to, at the same lines."""

from __future__ import annotations

import pytest

from site_builder.commands.build import build
from site_builder.render import links
from site_builder.render.links import broken_links
from site_builder.render.markdown import links_in, markdown_tokens, render_markdown
from site_builder.render.noted_links import taken_links, text_digest
from site_builder.site.page import Page
from tests.support.fixtures import MakeSite

TEXTS = [
    "Plain prose, no link at all.\n\nAnother paragraph.",
    "See [the plan](/plans/a/) and ![a chart](/c.png).",
    "[ref]: /plans/b/\n\nThe [plan][ref] and the [ref] again.\n\nNot [a link].",
    "An autolink <https://example.org> and <mail@example.org>.",
    "`[code](/not/)` and \\[escaped](/no/) and [real](/yes/)",
    "    [indented code](/not/)\n\n```\n[fenced](/not/)\n```\n\n[after](/yes/)",
    "## A [heading](/h/)\n\n| a | b |\n| --- | --- |\n| [cell](/t/) | x |",
    "A note[^1] here.\n\n[^1]: With [a link](/n/) in it.",
    "[![image in a link](/i.png)](/outer/)\n\n*[emphasis](/e/)* and **[strong](/s/)**",
    "- one\n- [two](/two/)\n  continued\n  - [nested](/nested/)\n\n> quote\n> [quoted](/q/)",
    "A line\nwith a break then [a link](/l/)\\\nand [another](/m/)",
]


def rendered_links(text: str) -> list[tuple[str, int]]:
    """The link and image targets of `text` as the renderer parses it, with their lines."""
    found = []
    for block in markdown_tokens(text):
        line = block.map[0] if block.map else 0
        for token in block.children or ():
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            href = token.attrGet("href" if token.type == "link_open" else "src")
            if token.type in ("link_open", "image") and isinstance(href, str) and block.map:
                found.append((href, line))
    return found


@pytest.mark.parametrize("text", TEXTS)
def test_the_link_check_finds_what_the_renderer_links_to(text: str) -> None:
    taken_links()  # what other tests rendered is forgotten: this text is parsed for its links
    assert list(links_in(text)) == rendered_links(text)


@pytest.mark.parametrize("text", TEXTS)
def test_rendering_a_text_notes_the_links_a_parse_finds(text: str) -> None:
    taken_links()
    render_markdown(text, "../", 1)
    noted = taken_links()
    assert list(noted.get(text_digest(text), ())) == rendered_links(text)
    assert list(links_in(text)) == rendered_links(text)  # parsed now: nothing noted


PAGES = 40


def test_pages_rendered_in_workers_hand_their_links_to_the_check(make_site: MakeSite) -> None:
    pages = {
        f"content/pages/p{n}.md": (
            f"---\ntitle: Page {n}\n---\n\nText.\n\n[next](/p{n + 1}/) and [gone](/gone{n}/)\n"
        )
        for n in range(PAGES)
    }
    site = make_site(pages)
    taken_links()
    shared = build(site, site / "shared", jobs=2)
    noted = taken_links()  # the workers' notes, handed to this process
    for n in range(PAGES):
        body = f"\nText.\n\n[next](/p{n + 1}/) and [gone](/gone{n}/)\n"  # after the front matter
        assert noted[text_digest(body)] == ((f"/p{n + 1}/", 3), (f"/gone{n}/", 3))
    alone = build(site, site / "alone", jobs=1)
    said = [warning for warning in shared.warnings if "leads to no page" in warning]
    assert len(said) == PAGES + 1  # every page's gone link, and the last page's next
    assert said == [warning for warning in alone.warnings if "leads to no page" in warning]
    assert "content/pages/p7.md:7: the link '/gone7/' leads to no page" in "\n".join(said)


def bodies(count: int) -> list[links.Body]:
    return [
        (f"content/pages/p{n}.md", f"/p{n}/", f"[next](/p{n + 1}/) and [gone](/gone{n}/)", 5)
        for n in range(count)
    ]


def test_texts_parsed_in_workers_give_the_problems_one_process_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = [Page(f"/p{n}/", data=b"") for n in range(40)]
    alone = broken_links(pages, lambda page: b"", bodies(40), ())
    monkeypatch.setattr(links, "PARALLEL_FROM", 10)
    monkeypatch.setattr(links, "CHUNK", 8)
    monkeypatch.setattr(links, "cores", lambda: 2)
    shared = broken_links(pages, lambda page: b"", bodies(40), ())
    assert shared == alone
    assert len(alone) == 41  # every page's gone link, and the last page's next
