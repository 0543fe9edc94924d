"""The strings of the interface: what the templates and this package's words say, found as
Babel's extraction finds them, and which of them a language's catalogs leave in English.

The default theme ships them as `locale/messages.pot`, kept equal to what its templates
and the package say by a test (which also writes it anew, see
tests/render/test_interface_strings.py); `check` adds what a site's own theme templates
say, and lists what the site language's catalogs do not translate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po, write_po

from ..content import models
from ..content.catalogs import Catalogs, language_folders, language_name, translated
from ..content.kinds import KINDS
from ..content.theme import DEFAULT_THEME, template_files
from .templates import OPTIONS

#: How a string is marked: gettext's names, and `N_` (`NN_` with a plural, `NP_` with a
#: context) for one declared apart from where it is shown (`site.interface.N_`).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NN_": (1, 2), "NP_": ((1, "c"), 2)}
#: The default theme's template of every catalog.
TEMPLATE = DEFAULT_THEME / "locale" / "messages.pot"
#: Templates that are not pages of the site: the preview's page of mistakes is for the
#: writer, in English, and stands alone (site.yaml, and so the language, may be wrong).
NOT_PAGES = ("preview_error.html",)
#: The package whose words for pages are in the catalogs (what `site/` writes).
PACKAGE = Path(__file__).parent.parent
#: Where those words are: the modules that write for residents.
WORD_FOLDERS = ("site", "render")

#: One string: its id (a tuple with its plural), its context, where it was found.
Found = tuple[str | tuple[str, ...], str | None, str]


def template_strings(name: str, text: bytes) -> Iterator[Found]:
    """The strings one template says, read as the build's environments read it."""
    options = {key: str(value) for key, value in OPTIONS.items()}
    for line, message, _, context in extract(
        "jinja2.ext:babel_extract", io.BytesIO(text), KEYWORDS, options=options
    ):
        yield message, context, f"{name}:{line}"


def python_strings(name: str, text: bytes) -> Iterator[Found]:
    """The strings one module of this package says."""
    for line, message, _, context in extract("python", io.BytesIO(text), KEYWORDS):
        yield message, context, f"{name}:{line}"


def package_strings(theme: Path = DEFAULT_THEME) -> Catalog:
    """Every string of the default theme's templates and of this package's words: what
    `messages.pot` must hold."""
    made = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # fixed: written anew, it changes as they do
    catalog = Catalog(project="site-builder", fuzzy=False, creation_date=made, revision_date=made)
    for path in sorted((theme / "templates").glob("*.html")):
        if path.name not in NOT_PAGES:
            _add(catalog, template_strings(f"templates/{path.name}", path.read_bytes()))
    for folder in WORD_FOLDERS:
        for path in sorted((PACKAGE / folder).glob("*.py")):
            name = f"site_builder/{folder}/{path.name}"
            _add(catalog, python_strings(name, path.read_bytes()))
    _add(catalog, declared_strings())
    return catalog


def declared_strings() -> Iterator[Found]:
    """The words declared in the tables of content: each field's label in the content
    model, as a field change names it, and each kind's name, as a search result types it."""
    for record in vars(models).values():
        if dataclasses.is_dataclass(record) and isinstance(record, type):
            for field in dataclasses.fields(record):
                if field.metadata.get("label"):
                    yield field.metadata["label"], None, "site_builder/content/models.py:1"
    for kind in KINDS:
        yield kind.shown_as, None, "site_builder/content/kinds.py:1"


def _add(catalog: Catalog, found: Iterable[Found]) -> None:
    for message, context, where in found:
        if not (message[0] if isinstance(message, tuple) else message):
            continue
        file, line = where.rsplit(":", 1)
        catalog.add(message, locations=[(file, int(line))], context=context)


def pot_text(catalog: Catalog) -> bytes:
    """A catalog written as `messages.pot` is: sorted, files named without line numbers
    (so that an edit elsewhere in a template leaves it as it was)."""
    written = io.BytesIO()
    write_po(written, catalog, width=100, sort_output=True, include_lineno=False)
    return written.getvalue()


def site_strings(source: Path, theme: str) -> set[tuple[str, str | None]]:
    """Every string the site's pages may say: the default theme's (its messages.pot) and
    those of the templates the site's own themes hold."""
    with TEMPLATE.open("rb") as file:
        ids = {_key(message.id, message.context) for message in read_po(file) if message.id}
    for name, path in template_files(source, theme):
        if path.is_relative_to(source) and name.endswith(".html") and "/locale/" not in name:
            for message, context, _ in template_strings(name, path.read_bytes()):
                ids.add(_key(message, context))
    return ids


def _key(message: str | tuple[str, ...] | list[str], context: str | None) -> tuple[str, str | None]:
    return (message[0] if isinstance(message, tuple | list) else message), context


def untranslated(theme: str, catalogs: Catalogs, strings: set[tuple[str, str | None]]) -> list[str]:
    """What `check` says of strings the site language's catalogs leave in English: one
    warning naming them all, at the catalog a translation belongs in (the site theme's
    own, the first in the lookup order)."""
    language = catalogs.language
    if language.split("-")[0].split("_")[0] == "en":
        return []
    where = f"themes/{theme}/locale/{language_folders(language)[-1]}/LC_MESSAGES/messages.po"
    named = language_name(language)
    if not catalogs.found:
        return [
            f"site.yaml: no catalog translates the interface into {named} ('{language}'), "
            f"so every page shows its interface in English; add {where} (see the guide)"
        ]
    done = {
        _key(message.id, message.context)
        for _, catalog in catalogs.found
        for message in translated(catalog)
    }
    missing = sorted(strings - done, key=lambda key: (key[0].lower(), key[1] or ""))
    if not missing:
        return []
    first = catalogs.found[0][0]
    at = first if first.startswith(f"themes/{theme}/") else where
    said = "; ".join(f"“{text}”" for text, _ in missing)
    count = len(missing)
    return [
        f"{at}: {count} interface string{'s' if count != 1 else ''} ha"
        f"{'ve' if count != 1 else 's'} no {named} translation, so pages show "
        f"{'them' if count != 1 else 'it'} in English: {said}"
    ]
