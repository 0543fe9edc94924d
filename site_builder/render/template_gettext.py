"""gettext for templates as Jinja's i18n extension says it in its new style — the
translation marked safe, then its `%(name)s` places filled and escaped — without the
extension's two calls through the template's context for each string, and each string
without places said once per build. A page says a hundred strings or more, so on a site
of tens of thousands of pages this is a good part of the render.

Only for autoescaped templates (every template of a theme is HTML).
"""

from __future__ import annotations

import functools
import gettext as gnu
from typing import Any

from jinja2 import Environment
from markupsafe import Markup


def install(env: Environment, translations: gnu.NullTranslations) -> None:
    """Install `translations` in `env` as `install_gettext_translations(…, newstyle=True)`
    does, with callables that are plain functions."""
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    @functools.cache
    def plain(message: str) -> Markup:
        return Markup(translations.gettext(message)) % {}

    def gettext(message: str, /, **variables: Any) -> str:
        if not variables:
            return plain(message)
        return Markup(translations.gettext(message)) % variables

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
