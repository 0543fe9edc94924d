"""gettext for templates as Jinja's i18n extension says it in its new style — the
translation marked safe, then its `%(name)s` places filled and escaped — without the
extension's two calls through the template's context for each string, and each string
without places said once per build. A page says a hundred strings or more, so on a site
of tens of thousands of pages this is a good part of the render.

`_("…")` and `gettext("…")` are read as a filter of the string (`DirectStrings`): Jinja
calls a filter directly, where it calls a function through the template's context
(`Context.call`, which inspects the callee at every call). The compiled templates still
hold only the English strings, so every language's environment shares them.

Only for autoescaped templates (every template of a theme is HTML).
"""

from __future__ import annotations

import functools
import gettext as gnu
from collections.abc import Iterator, Sequence
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_COMMA,
    TOKEN_DOT,
    TOKEN_LBRACE,
    TOKEN_LBRACKET,
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_PIPE,
    TOKEN_RBRACE,
    TOKEN_RBRACKET,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)
from jinja2.runtime import Context
from markupsafe import Markup

#: The filter a string said through `_()` or `gettext()` is read as.
FILTER = "said_in_language"
#: The names of gettext without plural or context, as templates call it.
_GETTEXT = frozenset({"_", "gettext"})
_OPENING = frozenset({TOKEN_LPAREN, TOKEN_LBRACKET, TOKEN_LBRACE})
_CLOSING = frozenset({TOKEN_RPAREN, TOKEN_RBRACKET, TOKEN_RBRACE})
#: What may follow a call and act on its result: an attribute, an item, a call.
_POSTFIX = frozenset({TOKEN_DOT, TOKEN_LBRACKET, TOKEN_LPAREN})


def install(env: Environment, translations: gnu.NullTranslations) -> None:
    """Install `translations` in `env` as `install_gettext_translations(…, newstyle=True)`
    does, with callables that are plain functions, and `_("…")` read as a filter."""
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    @functools.cache
    def translated(message: str) -> Markup:
        return Markup(translations.gettext(message))

    @functools.cache
    def plain(message: str) -> Markup:
        return translated(message) % {}

    def gettext(message: str, /, **variables: Any) -> str:
        if not variables:
            return plain(message)
        return translated(message) % variables

    @pass_context  # said as the page is rendered, never folded into the compiled template
    def said(context: Context, message: str, /, **variables: Any) -> str:
        return gettext(message, **variables)

    def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return Markup(translations.ngettext(singular, plural, num)) % variables

    def pgettext(context: str, message: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        return Markup(translations.pgettext(context, message)) % variables

    def npgettext(context: str, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return Markup(translations.npgettext(context, singular, plural, num)) % variables

    env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
    env.filters[FILTER] = said
    env.add_extension(DirectStrings)


class DirectStrings(Extension):
    """Reads `_("…", …)` and `gettext("…", …)` as `"…"|said_in_language(…)`, as the
    template is read; a call whose result is used further (`_("…").upper()`) or whose
    string is not one literal stays a call."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        index = 0
        while index < len(tokens):
            end = _direct_call_end(tokens, index)
            if end is None:
                yield tokens[index]
                index += 1
                continue
            string, after = tokens[index + 2], tokens[index + 3]
            yield string
            yield Token(string.lineno, TOKEN_PIPE, "|")
            yield Token(string.lineno, TOKEN_NAME, FILTER)
            if after.type == TOKEN_COMMA:  # the other arguments become the filter's
                yield Token(after.lineno, TOKEN_LPAREN, "(")
                yield from tokens[index + 4 : end + 1]
            index = end + 1


def _direct_call_end(tokens: Sequence[Token], index: int) -> int | None:
    """Where the call of gettext at `index` closes, when it can be read as a filter: one
    string literal first, nothing after it that acts on its result."""
    if not (
        index + 3 < len(tokens)
        and tokens[index].type == TOKEN_NAME
        and tokens[index].value in _GETTEXT
        and (index == 0 or tokens[index - 1].type != TOKEN_DOT)
        and tokens[index + 1].type == TOKEN_LPAREN
        and tokens[index + 2].type == TOKEN_STRING
        and tokens[index + 3].type in (TOKEN_COMMA, TOKEN_RPAREN)
    ):
        return None
    depth, end = 0, index + 1
    while end < len(tokens):
        if tokens[end].type in _OPENING:
            depth += 1
        elif tokens[end].type in _CLOSING:
            depth -= 1
            if depth == 0:
                break
        end += 1
    else:
        return None  # unclosed: left for the parser to say so
    if end + 1 < len(tokens) and tokens[end + 1].type in _POSTFIX:
        return None
    return end
