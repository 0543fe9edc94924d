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
import re
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
        as one compiled (`.mo`) catalog. Its plural forms are those of the last catalog
        (the shipped one, when there is one for the language), which the other catalogs'
        plural translations are written for. Empty when no catalog was found."""
        if not self.found:
            return b""
        chosen: dict[tuple[str, str | None], Message] = {}
        for _, catalog in self.found:
            for message in translated(catalog):
                key = message.id if isinstance(message.id, str) else message.id[0]
                chosen.setdefault((key, message.context), message)
        merged = Catalog(locale=None, domain="messages")
        merged.mime_headers = self.found[-1][1].mime_headers
        for message in chosen.values():
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
            data = path.read_bytes()
            text = data.decode("utf-8")
        except OSError as error:
            problems.append(Problem(name, 0, f"cannot be read ({error.strerror})"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(name, 0, "is not UTF-8 text; save it as UTF-8"))
            continue
        written = [Problem(name, line, said) for line, said in misquoted(text)]
        if written:
            problems += written
            continue
        try:
            found.append((name, read_po(io.BytesIO(data), abort_invalid=True)))
        except PoFileError as error:
            problems.append(Problem(name, error.lineno, f"{error}; {_FIX}"))
        except (ValueError, LookupError, UnknownLocaleError) as error:  # a bad header, say
            problems.append(Problem(name, 0, f"cannot be read as a catalog ({error}); {_FIX}"))
    return Catalogs(language, tuple(found), tuple(problems))


#: A line of a catalog: a comment, a keyword and its quoted text, or more quoted text.
_LINE = re.compile(
    r'\s*(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*)?'
)


def misquoted(text: str) -> Iterable[tuple[int, str]]:
    """The lines of a catalog that are not a comment, a keyword with its text in double
    quotes, or more quoted text: Babel would read them, silently, as something else."""
    for number, line in enumerate(text.splitlines(), 1):
        if not _LINE.fullmatch(line):
            yield (
                number,
                (
                    f"this line is not a keyword (msgid, msgstr, …) with its text in double "
                    f'quotes: {line.strip()[:60]!r}; write it like msgstr "Planes" (a quote inside '
                    'the text as \\")'
                ),
            )


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
