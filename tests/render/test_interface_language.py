"""The interface in the site's language: a site with `language: es` is built with Spanish
words around its content, Spanish dates, numbers and money and `lang="es"`; a theme's own
catalog rewords a string or adds a language, a string no catalog translates is said in
English and `check` names it, and a catalog that cannot be read is a mistake at its line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel import Locale
from bs4 import BeautifulSoup

from site_builder.commands.build import build
from site_builder.commands.check import check
from site_builder.engine.errors import ContentError
from site_builder.site.formats import ENGLISH, Formats
from tests.support.git import commit
from tests.support.html import page, said
from tests.support.sites import FULL_PLAN, UPDATE

CATALOG = "themes/default/locale/{}/LC_MESSAGES/messages.po"
HEADER = (
    'msgid ""\nmsgstr ""\n"Language: {}\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
CONVENING = """\
---
title: Annual convening
city: Riverton
start: 2031-10-25
end: 2031-10-26
---
Two days together.
"""


def site_in(repo: Path, language: str, files: dict[str, str] | None = None) -> Path:
    """A plan with an update and a convening, committed, its interface in `language`."""
    commit(
        repo,
        {
            "site.yaml": f"title: Red de ciudades\nlanguage: {language}\nsearch: false\n",
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
            "content/convenings/annual.md": CONVENING,
            "content/pages/about.md": "---\ntitle: Acerca de\n---\nLa red.\n",
            **(files or {}),
        },
        "Publish the plan",
        date="2024-08-01T10:00:00+00:00",
    )
    return repo


def facts(html: BeautifulSoup) -> dict[str, str]:
    """Each fact of a page's lists of facts (a `dt` and its `dd`), as read."""
    return {
        said(pair.select_one("dt")): said(pair.select_one("dd"))
        for pair in html.select("dl > div")
        if pair.select_one("dt") and pair.select_one("dd")
    }


def catalog(language: str, pairs: dict[str, str]) -> str:
    entries = "".join(f'msgid "{english}"\nmsgstr "{said}"\n\n' for english, said in pairs.items())
    return HEADER.format(language) + entries


def test_a_spanish_site_has_spanish_words_dates_and_money_around_its_content(repo: Path) -> None:
    output = build(site_in(repo, "es")).output
    plan = page(output, "plans/riverton")
    assert plan.html is not None and plan.html["lang"] == "es"
    menu = [said(link) for link in plan.select("nav.site-nav a")]
    assert menu == ["Planes", "Becarios", "Encuentros", "Acerca de"]
    headings = [said(h) for h in plan.select("main h2")]
    assert "Metas y avances" in headings
    assert "Compromisos: lo que se prometió" in headings
    assert "Presupuesto y costo" in headings
    assert "Historial y datos abiertos" in headings
    shown = facts(plan)
    assert shown["Estado"] == "Aprobado — aprobado el 1 de marzo de 2022"
    assert shown["Periodo del plan"] == "De 2022 a 2030"
    assert shown["Próxima elección"] == "Mayor, 2 de noviembre de 2027"
    # the cost model in the locale's money, its lines in Spanish
    cost = said(plan.select_one("#plan-budget").find_parent("section"))
    assert "Programas 100 personas × 30.000 US$ 3.000.000 US$" in cost
    assert "Costo estimado" in cost
    # the content itself as it was written
    assert said(plan.select_one("h1")) == "Safer Riverton 2030"
    history = page(output, "plans/riverton/history")
    assert said(history.select_one("h1")) == "Historial de Safer Riverton 2030"
    assert "1 de agosto de 2024" in said(history.select_one("ol.revisions"))
    update = page(output, "plans/riverton/updates/2024-h1")
    assert "Publicado el 15 de julio de 2024" in said(update.select_one(".page-heading"))
    convening = page(output, "convenings/annual")
    assert "25–26 de octubre de 2031" in said(convening.select_one("dl"))


def test_an_english_site_keeps_its_own_date_number_and_money_patterns() -> None:
    spanish, region = Formats(Locale("es")), Formats(Locale.parse("es_US"))
    day = dt.date(2023, 10, 25)
    assert ENGLISH.long_date(day) == "25 October 2023"
    assert ENGLISH.date_range(day, dt.date(2023, 10, 26)) == "25–26 October 2023"
    assert ENGLISH.date_range(dt.date(2024, 9, 30), dt.date(2024, 10, 2)) == (
        "30 September – 2 October 2024"
    )
    assert ENGLISH.money(1250000) == "$1,250,000"
    assert ENGLISH.number(1234.5) == "1,234.5"
    assert ENGLISH.percent(0.52) == "52%"
    assert ENGLISH.share(0.0052) == "0.5%"
    assert ENGLISH.listed(["A", "B", "C"]) == "A, B and C"
    assert spanish.long_date(day) == "25 de octubre de 2023"
    assert spanish.date_range(day, dt.date(2023, 10, 26)) == "25–26 de octubre de 2023"
    assert spanish.money(1250000) == "1.250.000\xa0US$"
    assert spanish.number(1234.5) == "1.234,5"
    assert spanish.listed(["A", "B", "C"]) == "A, B y C"
    assert region.money(1250000) == "$1,250,000"


def test_a_theme_catalog_rewords_a_string_and_leaves_the_rest_to_the_shipped_one(
    repo: Path,
) -> None:
    files = {CATALOG.format("es"): catalog("es", {"Plans": "Planes locales"})}
    output = build(site_in(repo, "es", files)).output
    menu = [said(link) for link in page(output, "plans/riverton").select("nav.site-nav a")]
    assert menu == ["Planes locales", "Becarios", "Encuentros", "Acerca de"]


def test_a_string_no_catalog_translates_is_said_in_english_and_check_names_it(
    repo: Path,
) -> None:
    theme = {
        "themes/default/templates/404.html": (
            '{% extends "base.html" %}{% block main %}'
            '<h1>{{ _("Lost among the plans?") }}</h1>{% endblock %}\n'
        )
    }
    site = site_in(repo, "es", theme)
    output = build(site).output
    lost = (output / "404.html").read_text(encoding="utf-8")
    assert "<h1>Lost among the plans?</h1>" in lost
    assert 'lang="es"' in lost
    assert check(site).warnings == (
        f"{CATALOG.format('es')}: 1 interface string has no Spanish translation, so pages "
        "show it in English: “Lost among the plans?”",
    )


def test_a_theme_adds_a_language_with_a_catalog_and_check_lists_what_it_leaves_out(
    repo: Path,
) -> None:
    files = {CATALOG.format("fr"): catalog("fr", {"Plans": "Plans", "Fellows": "Lauréats"})}
    site = site_in(repo, "fr", files)
    output = build(site).output
    plan = page(output, "plans/riverton")
    assert plan.html is not None and plan.html["lang"] == "fr"
    menu = [said(link) for link in plan.select("nav.site-nav a")]
    assert menu == ["Plans", "Lauréats", "Convenings", "About"]  # the last two in English
    assert facts(plan)["Next election"] == "Mayor, 2 novembre 2027"  # French dates all the same
    (warning,) = check(site).warnings
    assert warning.startswith(f"{CATALOG.format('fr')}: ")
    assert "interface strings have no French translation" in warning
    assert "“Convenings”" in warning and "“Fellows”" not in warning


def test_a_language_without_a_catalog_is_said_once(repo: Path) -> None:
    (warning,) = check(site_in(repo, "de")).warnings
    assert warning == (
        "site.yaml: no catalog translates the interface into German ('de'), so every page "
        f"shows its interface in English; add {CATALOG.format('de')} (see the guide)"
    )


def test_a_catalog_that_cannot_be_read_is_a_mistake_at_its_line(repo: Path) -> None:
    broken = HEADER.format("es") + 'msgid "Plans"\nmsgstr "Planes\n'  # its quote not closed
    site = site_in(repo, "es", {CATALOG.format("es"): broken})
    for run in (build, check):
        with pytest.raises(ContentError) as caught:
            run(site)
        (problem,) = caught.value.problems
        assert (problem.path, problem.line) == (CATALOG.format("es"), 7)


def test_a_changed_catalog_renders_every_page_again(repo: Path) -> None:
    files = {CATALOG.format("es"): catalog("es", {"Plans": "Planes locales"})}
    site = site_in(repo, "es", files)
    build(site)
    commit(
        site,
        {CATALOG.format("es"): catalog("es", {"Plans": "Planes de la red"})},
        "Reword the menu",
        date="2024-08-02T10:00:00+00:00",
    )
    output = build(site).output
    for path in ("", "plans/riverton", "plans/riverton/history"):
        assert said(page(output, path).select_one("nav.site-nav a")) == "Planes de la red"


def test_a_note_the_site_writes_for_a_commit_is_in_the_site_language(repo: Path) -> None:
    site = site_in(repo, "es")
    lowered = FULL_PLAN.replace(
        "target: {value: 50, year: 2030}", "target: {value: 40, year: 2030}"
    )
    commit(
        site,
        {"content/plans/riverton/plan.md": lowered},
        "Update plan.md",
        date="2024-08-02T10:00:00+00:00",
    )
    history = page(build(site).output, "plans/riverton/history")
    newest = said(history.select_one("ol.revisions > li .revision__title"))
    assert newest == (
        "Meta “Fewer people shot” › Objetivo: 40 para 2030 (antes: 50 para 2030) (resumen "
        "redactado por el sitio a partir de los cambios; la nota del registro era «Update plan.md»)"
    )
