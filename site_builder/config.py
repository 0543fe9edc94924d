"""`site.yaml`: the site's settings, typed and documented, unknown keys rejected."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ContentError, Problem
from .frontmatter import Document, decode, load_yaml
from .schema import Converter, Url, optional, required

CONFIG_FILE = "site.yaml"


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    title: str = required("the site's name, shown on every page")
    description: str | None = optional("one sentence about the site, for search engines")
    base_url: Url = optional("the address the site is published at, like "
                             "https://example.org/city-plans/", "/")
    language: str = optional("the language of the content, like en or es", "en")
    organization: str | None = optional("who publishes the site")
    organization_url: Url | None = optional("the publisher's website")
    theme: str = optional("the folder under themes/ whose templates override the default",
                          "default")
    search: bool = optional("false to publish no search page and skip the search index",
                            True)

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


def load_config(source: Path, base_url: str | None = None) -> SiteConfig:
    """Read `site.yaml` from the site folder; `base_url` from the command line wins."""
    path = source / CONFIG_FILE
    if not path.is_file():
        raise ContentError([Problem(CONFIG_FILE, 0, "there is no site.yaml in the site folder; "
                                    "create one with at least 'title: Your site name'")])
    text = decode(path.read_bytes(), CONFIG_FILE)
    data, lines = load_yaml(text, CONFIG_FILE)
    doc = Document(CONFIG_FILE, data if isinstance(data, dict) else {}, lines)
    problems: list[Problem] = []
    config = Converter(doc, problems).record(SiteConfig, data)
    if problems or config is None:
        raise ContentError(problems)
    if base_url is not None:
        config = replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return config
