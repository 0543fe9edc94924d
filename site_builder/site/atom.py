"""Atom documents (RFC 4287): a feed and its entries as XML.

Built with ElementTree so every text is escaped. Characters XML 1.0 forbids are refused in
content and dropped from commit messages; they are removed here too, so that no text that
slipped past (a field a check misses, a setting made in code) can make a feed unreadable.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..content.config import SiteConfig
from ..engine.characters import XML_FORBIDDEN

ATOM = "http://www.w3.org/2005/Atom"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: a revision, an outcome update or a convening."""

    updated: dt.datetime
    title: str
    url: str
    summary: str
    author: str
    lang: str = ""  # the entry's language, when it is not the feed's (not translated)


@dataclass(frozen=True)
class Feed:
    """What a feed says of itself."""

    config: SiteConfig
    #: "Today", for a feed with no entries, which says it was updated then; None for one
    #: with entries, so that its bytes (and its key) do not change from day to day.
    today: dt.date | None
    title: str
    self_url: str
    page_url: str
    language: str = ""  # said in the feed (xml:lang) when it is not the site's first


def atom(about: Feed, entries: list[FeedEntry]) -> bytes:
    """An Atom document of `entries` (`newest` first)."""
    ET.register_namespace("", ATOM)
    config = about.config
    feed = ET.Element(f"{{{ATOM}}}feed", {_LANG: about.language} if about.language else {})
    _text(feed, "id", config.absolute(about.self_url))
    _text(feed, "title", about.title)
    newest = entries[0].updated if entries else midnight(about.today or dt.date.min)
    _text(feed, "updated", newest.isoformat())
    _link(feed, config.absolute(about.self_url), rel="self")
    _link(feed, config.absolute(about.page_url), rel="alternate", type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", config.organization or config.title)
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry", {_LANG: entry.lang} if entry.lang else {})
        _text(node, "id", config.absolute(entry.url))
        _text(node, "title", entry.title)
        _text(node, "updated", entry.updated.isoformat())
        _link(node, config.absolute(entry.url), rel="alternate", type="text/html")
        entry_author = ET.SubElement(node, f"{{{ATOM}}}author")
        _text(entry_author, "name", entry.author)
        if entry.summary:
            _text(node, "summary", entry.summary)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _xml(text)


def _link(parent: ET.Element, href: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", attributes, href=_xml(href))


def _xml(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (searched first: almost never found)."""
    return XML_FORBIDDEN.sub("", text) if XML_FORBIDDEN.search(text) else text


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)
