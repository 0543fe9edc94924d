"""Follow every internal link of a built site on disk, as a browser on a static host would."""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def page_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


@cache
def _ids(path: Path) -> frozenset[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return frozenset(str(tag["id"]) for tag in soup.find_all(id=True))


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    """Every link, stylesheet and image in the site's HTML that points nowhere."""
    broken = []
    for page in page_files(output):
        url_dir = "/" + page.parent.relative_to(output).as_posix() + "/"
        url_dir = url_dir.replace("//", "/")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "img", "script"]):
            target = tag.get("href") or tag.get("src")
            if not target or (tag.name == "link" and tag.get("rel") == ["canonical"]):
                continue
            parts = urlsplit(str(target))
            if parts.scheme or parts.netloc:
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in _ids(page):
                    broken.append(f"{page.relative_to(output)}: {target} (no such anchor)")
                continue
            if page.name == "404.html":
                path = parts.path  # served at any address: links are absolute
                if not path.startswith(base_path):
                    broken.append(f"{page}: {target}")
                    continue
                path = "/" + path[len(base_path) :]
            else:
                path = posixpath.normpath(posixpath.join(url_dir, unquote(parts.path)))
                if parts.path.endswith("/") and not path.endswith("/"):
                    path += "/"
            file = output / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(output)}: {target}")
            elif parts.fragment and file.suffix == ".html" and parts.fragment not in _ids(file):
                broken.append(f"{page.relative_to(output)}: {target} (no such anchor)")
    return broken
