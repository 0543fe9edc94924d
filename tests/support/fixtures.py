"""The types of the fixtures `tests/conftest.py` gives, for the signatures of tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from bs4 import BeautifulSoup

Soup = Callable[[Path], BeautifulSoup]
TreeDigest = Callable[[Path], dict[str, str]]


class MakeSite(Protocol):
    """`make_site(files)`: the site written into a folder of the test's own."""

    def __call__(self, files: dict[str, str], site_yaml: str = ..., name: str = ...) -> Path: ...


class ColdDigest(Protocol):
    """`cold_digest(site, *options)`: the digest of a build from nothing."""

    def __call__(self, site: Path, *options: str) -> dict[str, str]: ...
