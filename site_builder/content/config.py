"""`site.yaml`: the site's settings, typed and documented, unknown keys rejected.

A site has one or more languages: `languages: [en, es]`, the first the default (the
language of the source files; the others are their translations'). The older
`language: es` is a site of that one language; both may be written only when they agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..engine.characters import BIDI_CONTROLS, UNSAFE_IN_NAME, XML_FORBIDDEN, shown
from ..engine.errors import ContentError, Problem, UsageError
from .fields import Language, Url, optional, required
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
class Administration:
    """One term of an office, so that each revision of a plan can say who held it then."""

    office: str = required("the office, like Mayor or County Executive")
    name: str = required("who held it")
    start: dt.date = required("the day the term began")
    end: dt.date | None = optional("the day it ended; leave it out while still in office")
    city: str | None = optional(
        "the city whose plans it concerns; leave it out for an office over every plan"
    )

    def concerns(self, city: str) -> bool:
        """Whether the term concerns a plan of `city` (a term without a city concerns all)."""
        return self.city is None or folded(self.city) == folded(city)

    def held_on(self, day: dt.date) -> bool:
        """In office on `day`, its first and its last day included."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    title: str = required("the site's name, shown on every page")
    description: str | None = optional("one sentence about the site, for search engines")
    base_url: Url = optional(
        "the address the site is published at, like https://example.org/city-plans/", "/"
    )
    language: Language = optional(
        "the language of the content, like en or es (with 'languages', their first)", "en"
    )
    languages: tuple[Language, ...] = optional(
        "the languages of the content, the default first, like [en, es]", ()
    )
    organization: str | None = optional("who publishes the site")
    organization_url: Url | None = optional("the publisher's website")
    theme: str = optional(
        "the folder under themes/ whose templates override the default", "default"
    )
    search: bool = optional("false to publish no search page and skip the search index", True)
    administrations: tuple[Administration, ...] = optional(
        "who held which office when: office, name, start, end and city", ()
    )

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


def with_languages(config: SiteConfig, doc: Document, problems: list[Problem]) -> SiteConfig:
    """`config` with `languages` and `language` made one: the first of `languages` is the
    default language; without `languages`, the site has the one `language` says. A
    language listed twice, or a `language` that is not the first of `languages`, is a
    mistake: which one is the default would be a guess."""
    if not config.languages:
        return replace(config, languages=(config.language,))
    default = config.languages[0]
    for index, code in enumerate(config.languages):
        if code in config.languages[:index]:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    doc.line(("languages", index)),
                    f"'{code}' is listed twice in 'languages'; list each language once",
                )
            )
    if doc.data.get("language") is not None and config.language != default:
        problems.append(
            Problem(
                CONFIG_FILE,
                doc.line(("language",)),
                f"'language' says {config.language}, but the first of 'languages' ({default}) "
                f"is the default language; remove 'language', or put {config.language} "
                "first in 'languages'",
            )
        )
    return replace(config, language=default)


def _written_terms(doc: Document, data: Any) -> list[tuple[int, Administration]]:
    """Each term of `administrations` that reads as one, with its place in the list: so
    that its dates are checked even when another setting has a mistake (said already by
    the reading of the whole file), and every mistake is said at once."""
    written = data.get("administrations") if isinstance(data, dict) else None
    if not isinstance(written, list):
        return []
    scratch = Converter(doc, [])
    terms = [
        scratch.record(Administration, t, ("administrations", i)) for i, t in enumerate(written)
    ]
    return [(index, term) for index, term in enumerate(terms) if term is not None]


def term_problems(terms: list[tuple[int, Administration]], doc: Document) -> list[Problem]:
    """A term that ends before it starts, and two terms of one office (for one city) at
    once: a revision could not say who held the office. A term may end on the day the
    next one starts, a handover. `terms` are the terms and their places in the list."""
    problems = [
        Problem(
            doc.path,
            doc.line(("administrations", index, "end")),
            f"the term of {_who(term)} ends ({term.end}) before it starts "
            f"({term.start}); correct one of the dates, or leave 'end' out while the term "
            "lasts",
        )
        for index, term in terms
        if term.end is not None and term.end < term.start
    ]
    dated = [(i, t) for i, t in terms if t.end is None or t.end >= t.start]
    by_index = dict(terms)
    told: set[int] = set()  # a term is said to overlap once, with the first it overlaps
    for earlier, later in _overlaps(dated):
        if later not in told:
            told.add(later)
            problems.append(
                Problem(
                    doc.path,
                    doc.line(("administrations", later, "start")),
                    _overlap_message(by_index[earlier], by_index[later]),
                )
            )
    return sorted(problems, key=lambda problem: problem.line)


def _overlaps(terms: list[tuple[int, Administration]]) -> list[tuple[int, int]]:
    """The pairs (earlier, later) of indexes of terms of one office that overlap: per
    office and city, terms without a city included, in order of start, each against the
    one reaching furthest before it (sorted, so that a long list costs no more than it
    must)."""
    offices: dict[str, list[tuple[int, Administration]]] = {}
    for index, term in terms:
        offices.setdefault(folded(term.office), []).append((index, term))
    pairs: set[tuple[int, int]] = set()
    for office in offices.values():
        cities = {folded(t.city) for _, t in office if t.city is not None} or {""}
        for city in cities:
            shared = sorted(
                (t.start, i, t) for i, t in office if t.city is None or folded(t.city) == city
            )
            reach: tuple[int, Administration] | None = None
            for _, index, term in shared:
                if reach is not None and (reach[1].end is None or term.start < reach[1].end):
                    pairs.add((reach[0], index))
                if reach is None or (
                    reach[1].end is not None and (term.end is None or term.end > reach[1].end)
                ):
                    reach = (index, term)
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def _overlap_message(earlier: Administration, later: Administration) -> str:
    every = next(
        (t for t in (earlier, later) if t.city is None and later.city != earlier.city), None
    )
    why = (
        f"; the term of {shown(every.name)} names no city, so it concerns every plan"
        if every is not None
        else ""
    )
    return (
        f"the terms of {_who(earlier)} ({_span(earlier)}) and {_who(later)} "
        f"({_span(later)}) overlap{why}; an office has one "
        "holder at a time: end the first term on or before the day the second starts"
    )


def _who(term: Administration) -> str:
    """'Mayor Ana Ortiz', as a message quotes it (one line, whatever the names hold)."""
    return f"{shown(term.office)} {shown(term.name)}"


def _span(term: Administration) -> str:
    return f"{term.start} to {term.end}" if term.end else f"from {term.start}, still in office"


def folded(text: str) -> str:
    """A name compared as people read it, case and spacing aside: "Mayor" is "mayor"."""
    return " ".join(text.split()).casefold()


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
    if config is not None:
        config = with_languages(config, doc, problems)
    problems += term_problems(_written_terms(doc, data), doc)
    if problems or config is None:
        raise ContentError(problems)
    if base_url is not None:
        config = replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return config
