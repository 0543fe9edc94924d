"""The templates' gettext says exactly what Jinja's i18n extension in its new style says:
the same strings, places filled and escaped alike, plural and context forms alike; and
`_("…")` read as a filter means what the call means, wherever it is written."""

from __future__ import annotations

import gettext

import pytest
from jinja2 import Environment

from site_builder.render.template_gettext import install

TEMPLATES = [
    '{{ _("Plans") }}',
    '{{ _("Up %(by)s from %(when)s", by="<b>12</b>", when="2024 H2") }}',
    '{{ _("100%% of the plan") }}',
    "{% trans count=1 %}{{ count }} member{% pluralize %}{{ count }} members{% endtrans %}",
    "{% trans count=3 %}{{ count }} member{% pluralize %}{{ count }} members{% endtrans %}",
    '{% trans name="<i>Ana</i>" %}Meets {{ name }}{% endtrans %}',
    '{{ pgettext("screen reader", "added") }}',
    '{{ npgettext("kind", "%(num)s pledge", "%(num)s pledges", 2) }}',
    '{{ gettext("Plans") }}{{ gettext("%(n)s <plans>", n="<b>") }}',
    '{{ _("Plans")|upper }} {{ _("Plans").upper() }} {{ _("Plans")[0] }}',
    '{{ _("A") ~ _("B") }} {{ "yes" if _("A") else "no" }} {{ _("A") is string }}',
    '{% set said = _("A & B") %}{{ said }} {{ _("A", ) }}',
    '{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(_("<%(n)s>", n=[1, (2, 3)])) }}',
    '{{ {"a": 1}.get("a") }} {{ (_("A"))[0] }} {{ _("A" ~ "B") }}',
]


def environment(fast: bool) -> Environment:
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    translations = gettext.NullTranslations()
    if fast:
        install(env, translations)
    else:
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


@pytest.mark.parametrize("source", TEMPLATES)
def test_a_string_is_said_as_jinja_says_it(source: str) -> None:
    said = environment(fast=True).from_string(source).render()
    assert said == environment(fast=False).from_string(source).render()
    assert said  # and it says something
