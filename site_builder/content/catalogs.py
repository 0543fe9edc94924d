"""The interface catalogs of a language, read from the theme folders: gettext `.po` files,
read as they are written (nothing to compile), merged into one set of translations.

A theme adds a language by adding `locale/<language>/LC_MESSAGES/messages.po` (its
language as `es`, or `es_US` for one region's words), and rewords any string of another
theme's catalog by translating it in its own: the first catalog in the lookup order
(`theme.catalog_files`) that translates a string wins, and a string none translates is
said in English. An empty or fuzzy translation is no translation.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ..engine.errors import Problem
from .theme import catalog_files


@dataclass(frozen=True)
class Catalogs:
    """The catalogs of one language in lookup order, each with its name for a writer."""

    language: str
    found: tuple[tuple[str, Catalog], ...]
    problems: tuple[Problem, ...] = ()

    def compiled(self) -> bytes:
        """Every string some catalog translates, the first catalog's translation winning,
        as one compiled (`.mo`) catalog; plural forms as the first catalog's header says.
        Empty when no catalog was found."""
        if not self.found:
            return b""
        merged = Catalog(locale=None, domain="messages")
        merged.mime_headers = self.found[0][1].mime_headers
        for _, catalog in reversed(self.found):
            for message in translated(catalog):
                merged[message.id] = message
        compiled = io.BytesIO()
        write_mo(compiled, merged)
        return compiled.getvalue()


def translated(catalog: Catalog) -> Iterable[Message]:
    """The messages `catalog` translates: every form given, and not marked fuzzy."""
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if strings and all(strings):
            yield message


def language_folders(language: str) -> list[str]:
    """The folders under `locale/` that hold a language's catalogs, the most particular
    first: 'es-US' → ['es_US', 'es']."""
    tag = language.replace("-", "_")
    folders = [tag]
    if "_" in tag:
        folders.append(tag.split("_")[0])
    return folders


def read_catalogs(source: Path, theme: str, language: str) -> Catalogs:
    """The catalogs of `language` in the site's themes, each one that cannot be read said
    as a problem at its line (and left out, so its strings are said in English)."""
    found: list[tuple[str, Catalog]] = []
    problems: list[Problem] = []
    for name, path in catalog_files(source, theme, language_folders(language)):
        try:
            with path.open("rb") as file:
                found.append((name, read_po(file, abort_invalid=True)))
        except PoFileError as error:
            problems.append(Problem(name, error.lineno, f"{error}; {_FIX}"))
        except (OSError, ValueError, LookupError, UnknownLocaleError) as error:  # a bad charset
            problems.append(Problem(name, 0, f"cannot be read as a catalog ({error}); {_FIX}"))
    return Catalogs(language, tuple(found), tuple(problems))


def language_name(language: str) -> str:
    """A language in English words, for messages to writers: 'es' → 'Spanish'."""
    try:
        return Locale.parse(language.replace("-", "_")).get_display_name("en") or language
    except (ValueError, TypeError, UnknownLocaleError):
        return language


_FIX = (
    "write it as a gettext catalog (msgid and msgstr pairs, in quotes), "
    "like the default theme's locale/es/LC_MESSAGES/messages.po"
)
