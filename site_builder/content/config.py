"""`site.yaml`: the site's settings, typed and documented, unknown keys rejected."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..engine.characters import BIDI_CONTROLS, UNSAFE_IN_NAME, XML_FORBIDDEN
from ..engine.errors import ContentError, Problem, UsageError
from .fields import Url, optional, required
from .frontmatter import Document
from .schema import Converter
from .text import decode
from .yaml_load import load_yaml

CONFIG_FILE = "site.yaml"
#: Not in a base URL, which every feed, the sitemap, robots.txt and each calendar repeat:
#: white space (line breaks included), quotes, angle brackets, the backslash and the other
#: characters RFC 3986 leaves out of URLs.
_NOT_IN_BASE_URL = re.compile(r"[\s\"'<>\\^`{|}]")
_FIX_BASE_URL = (
    "write the full address the site is published at, like https://example.org/city-plans/"
)


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    title: str = required("the site's name, shown on every page")
    description: str | None = optional("one sentence about the site, for search engines")
    base_url: Url = optional(
        "the address the site is published at, like https://example.org/city-plans/", "/"
    )
    language: str = optional("the language of the content, like en or es", "en")
    organization: str | None = optional("who publishes the site")
    organization_url: Url | None = optional("the publisher's website")
    theme: str = optional(
        "the folder under themes/ whose templates override the default", "default"
    )
    search: bool = optional("false to publish no search page and skip the search index", True)

    @functools.cached_property
    def base_path(self) -> str:
        """The path part of `base_url`, always ending in '/': '/city-plans/'."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    @functools.cached_property
    def _address(self) -> str:
        """What every full URL starts with: `base_url` without its last '/'."""
        return (self.base_url if "://" in self.base_url else self.base_path).rstrip("/")

    def absolute(self, site_path: str) -> str:
        """A full URL for a site path like '/plans/riverton/' (for canonical links, feeds)."""
        return self._address + site_path


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the address a site is published at, or None when it can.

    An absolute http(s) address with a host and nothing after its path, or '/' (what no
    address means): anything else would be a broken link in every feed, or a way to add
    lines to robots.txt and the calendars.
    """
    if url == "/":
        return None
    for pattern in (UNSAFE_IN_NAME, XML_FORBIDDEN, BIDI_CONTROLS, _NOT_IN_BASE_URL):
        found = pattern.search(url)
        if found:
            return f"holds {_character_named(found.group())}; {_FIX_BASE_URL}"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port beyond 65535, or one that is not a number
    except ValueError:
        return f"'{url}' is not a web address; {_FIX_BASE_URL}"
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        return f"'{url}' is not a full http(s) address; {_FIX_BASE_URL}"
    if "@" in parts.netloc:
        return f"'{url}' holds a user name or password, which would be published on every page"
    if "?" in url or "#" in url:
        return f"'{url}' must end with its path, without a '?' or '#' part"
    return None


def _character_named(character: str) -> str:
    if character == " ":
        return "a space"
    if character.isprintable() and not character.isspace():
        return f"the character '{character}'"
    return f"the invisible character U+{ord(character):04X}"


def load_config(source: Path, base_url: str | None = None) -> SiteConfig:
    """Read `site.yaml` from the site folder; `base_url` from the command line wins (and is
    a `UsageError` when it is not an address `base_url_problem` accepts)."""
    wrong = base_url_problem(base_url) if base_url is not None else None
    if wrong:
        raise UsageError(f"--base-url {wrong}")
    path = source / CONFIG_FILE
    if not path.is_file():
        raise ContentError(
            [
                Problem(
                    CONFIG_FILE,
                    0,
                    "there is no site.yaml in the site folder; "
                    "create one with at least 'title: Your site name'",
                )
            ]
        )
    text = decode(path.read_bytes(), CONFIG_FILE)
    data, lines = load_yaml(text, CONFIG_FILE)
    doc = Document(CONFIG_FILE, data if isinstance(data, dict) else {}, lines)
    problems: list[Problem] = []
    written = data.get("base_url") if isinstance(data, dict) else None
    if written is not None and not isinstance(written, (dict, list)):  # the converter names those
        wrong = base_url_problem(str(written))
        if wrong:
            problems.append(Problem(CONFIG_FILE, doc.line(("base_url",)), f"'base_url' {wrong}"))
            data = {k: v for k, v in data.items() if k != "base_url"}  # said once, not twice
    config = Converter(doc, problems).record(SiteConfig, data)
    if problems or config is None:
        raise ContentError(problems)
    if base_url is not None:
        config = replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return config
