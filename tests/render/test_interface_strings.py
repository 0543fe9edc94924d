"""The default theme's catalogs hold exactly the strings its templates and the site's words
say: `messages.pot` every one, the Spanish catalog a translation of each, with the same
`%(name)s` places.

When a template or a module of `site/` gains or loses a string, the catalogs are written
anew with

    SITE_BUILDER_CATALOGS=1 .venv/bin/python -m pytest tests/render/test_interface_strings.py

(the new strings come untranslated: translate them in
themes/default/locale/es/LC_MESSAGES/messages.po, then run the tests again).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment

from site_builder.content.catalogs import translated
from site_builder.content.theme import DEFAULT_THEME
from site_builder.render.strings import NOT_PAGES, TEMPLATE, package_strings, pot_text
from site_builder.render.templates import OPTIONS

SPANISH = DEFAULT_THEME / "locale" / "es" / "LC_MESSAGES" / "messages.po"
#: Attributes whose words residents read or hear.
_SAID_ATTRIBUTES = re.compile(r'(?:aria-label|alt|title|placeholder|data-label)="([^"]*)"')
WRITE = "SITE_BUILDER_CATALOGS"


def keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {
        (message.id if isinstance(message.id, str) else "\0".join(message.id), message.context)
        for message in catalog
        if message.id
    }


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def write_catalogs(found: Catalog) -> None:
    """The template written from what the templates say, the Spanish catalog brought in
    line with it (new strings untranslated, strings gone dropped)."""
    TEMPLATE.write_bytes(pot_text(found))
    spanish = read(SPANISH) if SPANISH.exists() else Catalog(locale="es")
    spanish.update(found, no_fuzzy_matching=True, update_creation_date=False)
    spanish.revision_date = found.creation_date
    spanish.language_team = "site-builder"
    written = io.BytesIO()
    write_po(
        written, spanish, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False
    )
    SPANISH.parent.mkdir(parents=True, exist_ok=True)
    SPANISH.write_bytes(written.getvalue())


def test_the_template_catalog_holds_every_string_the_pages_say() -> None:
    found = package_strings()
    if os.environ.get(WRITE):
        write_catalogs(found)
    shipped = read(TEMPLATE)
    assert (sorted(keys(found) - keys(shipped)), sorted(keys(shipped) - keys(found))) == (
        [],
        [],
    ), f"new and gone strings: write the catalogs anew ({WRITE}=1, see this module's docstring)"


def test_the_spanish_catalog_translates_every_string_with_its_places() -> None:
    template, spanish = read(TEMPLATE), read(SPANISH)
    done = Catalog(locale="es")
    for message in translated(spanish):
        done[message.id] = message
    missing = sorted(keys(template) - keys(done))
    assert missing == [], "strings with no Spanish translation (see this module's docstring)"
    assert sorted(keys(spanish) - keys(template)) == [], "strings no page says any more"
    wrong = [
        (message.id, [str(error) for error in errors])
        for message, errors in spanish.check()
        if errors
    ]
    assert wrong == [], "translations whose %(name)s places differ from the English"


def words_outside_gettext(source: str) -> list[str]:
    """The words of a template that no `_()`, `ngettext()` or `{% trans %}` says: its
    literal text outside tags and `<style>`, and the said attributes of its tags."""
    env = Environment(extensions=["jinja2.ext.i18n"], **OPTIONS)
    tokens = [token for token in env.lex(source) if token[1] != "whitespace"]
    text, depth = [], 0
    for n, (_, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and tokens[n - 1][1] == "block_begin":
            depth += 1
        elif kind == "name" and value == "endtrans":
            depth -= 1
        elif kind == "data" and depth == 0:
            text.append(value)
        elif kind in ("variable_begin", "block_begin", "comment_begin"):
            text.append("\0")  # what a tag says, its own way
    joined = re.sub(r"<style.*?</style>", "", "".join(text), flags=re.S)
    said = [value for value in _SAID_ATTRIBUTES.findall(joined)]
    said += re.sub(r"<[^>]*>", " ", joined).split()
    return [words for words in said if re.search(r"[A-Za-z]{2,}", words)]


def test_every_word_of_every_template_goes_through_gettext() -> None:
    found = {
        path.name: words
        for path in sorted((DEFAULT_THEME / "templates").glob("*.html"))
        if path.name not in NOT_PAGES
        and (words := words_outside_gettext(path.read_text(encoding="utf-8")))
    }
    assert found == {}, 'wrap these in {{ _("…") }} or {% trans %} (see the README\'s Themes)'


def test_words_outside_gettext_are_found_in_text_and_said_attributes() -> None:
    template = (
        '<nav aria-label="Main"><a title="{{ t }}">Plans</a> {{ _("Fellows") }} '
        "{% trans %}By {{ x }}{% endtrans %}<style>.a { content: 'added' }</style></nav>"
    )
    assert words_outside_gettext(template) == ["Main", "Plans"]
