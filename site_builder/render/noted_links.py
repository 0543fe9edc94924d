"""The links each Markdown text's rendering found, kept by the text's digest: the link
check asks for them once the pages are made, so a rendered text is never parsed a second
time for its links. Forked workers hand theirs to the build (`taken_links`, `keep_links`).
"""

from __future__ import annotations

import hashlib

from markdown_it.token import Token

#: A text's links and images: (target, line within the text).
Links = tuple[tuple[str, int], ...]

#: The links of each text this process rendered that may hold one, by its `text_digest`.
_rendered_links: dict[bytes, Links] = {}


def text_digest(text: str) -> bytes:
    """A text's identity, as `markdown.links_in` and the link check's cache know it."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def note(text: str, tokens: list[Token]) -> None:
    """Keep the links of `text`, parsed into `tokens` for its rendering."""
    _rendered_links[text_digest(text)] = links_of(tokens)


def noted(digest: bytes) -> Links | None:
    """The links of the text of that `text_digest`, if this process rendered it."""
    return _rendered_links.get(digest)


def was_rendered(digest: bytes) -> bool:
    """Whether this process knows the links of the text of that `text_digest`."""
    return digest in _rendered_links


def taken_links() -> dict[bytes, Links]:
    """The links of the texts rendered here since last asked, forgotten here: a worker's,
    for the build to `keep_links`."""
    taken = dict(_rendered_links)
    _rendered_links.clear()
    return taken


def keep_links(found: dict[bytes, Links]) -> None:
    """Know the links a worker's rendering found (`taken_links`)."""
    _rendered_links.update(found)


def links_of(blocks: list[Token]) -> Links:
    """The links of parsed Markdown: a block's tokens know its first line only, so the
    line breaks before the link in the block's inline tokens are counted."""
    found: list[tuple[str, int]] = []
    for block in blocks:
        line = block.map[0] if block.map else 0
        for token in block.children or ():
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            href = (
                token.attrGet("href")
                if token.type == "link_open"
                else (token.attrGet("src") if token.type == "image" else None)
            )
            if isinstance(href, str) and block.map:
                found.append((href, line))
    return tuple(found)
