"""Built pages read as a test reads them: a page of a built site parsed, and an element's
text in one line, as a reader hears it."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

#: The names of a sitemap's elements, and of its links to a page's other languages.
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def page(output: Path, path: str) -> BeautifulSoup:
    """The page at site path `path` ('plans/riverton/') of the site built in `output`."""
    return BeautifulSoup((output / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def said(element: Tag) -> str:
    """An element's text, its pieces joined by single spaces."""
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))
