"""Pages per language (issue 19, point 2): the first language at the root with its URLs
unchanged, every current page's twin under /es/ told in Spanish, an untranslated item's
twin that says so and links the original, `lang` and `hreflang`, a switcher on each page,
and the notice on a translation whose source changed since — on a real git history."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.git import commit
from tests.support.html import SITEMAP, XHTML, page, said
from tests.support.sites import FULL_PLAN, built
from tests.support.translated import reword, translated_plan

OTHER_PLAN = "content/plans/oakdale/plan.md"
CONTACT = "content/pages/contact.md"
PRIVACY = "content/pages/privacy.md"  # in the footer, not translated


NEXT_CONVENING = "content/convenings/2027-next.md"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverton's plan translated into Spanish and reworded in English since; Oakdale's
    plan not translated."""
    site = tmp_path_factory.mktemp("languages") / "site"
    translated_plan(site)
    oakdale = FULL_PLAN.replace("Riverton", "Oakdale").replace("riverton", "oakdale")
    files = {OTHER_PLAN: oakdale, CONTACT: "---\ntitle: Contact us\nfooter: true\n---\nWrite.\n"}
    files[PRIVACY] = "---\ntitle: Privacy\nfooter: true\n---\nWe keep no data.\n"
    files[NEXT_CONVENING] = (
        "---\ntitle: Next convening\ncity: Riverton\nstart: 2027-05-01\n---\nWe meet.\n"
    )
    files[CONTACT.replace(".md", ".es.md")] = (
        "---\ntitle: Contacto\n---\nEscríbanos sobre [el plan](/plans/riverton/#plan-goals) "
        "o [los datos](/plans.json).\n"
    )
    commit(site, files, "Add Oakdale's plan", date="2026-02-20T09:00:00+00:00")
    reword(site)
    built(site)
    return site / "output"


def address(at: str, href: str) -> str:
    """Where a relative link of the page at site address `at` leads."""
    return posixpath.normpath(posixpath.join(at, href)) + ("/" if href.endswith("/") else "")


def switcher(shown: BeautifulSoup) -> dict[str, str]:
    """The language switcher's entries: the language's name → where it leads ('' for the
    page's own language)."""
    nav = shown.find("nav", class_="languages")
    return {
        item.get_text(strip=True): (item.a["href"] if item.a else "") for item in nav.find_all("li")
    }


def test_the_first_language_keeps_its_addresses_and_links_its_twin(output: Path) -> None:
    english = page(output, "plans/riverton")
    assert english.html["lang"] == "en"
    assert switcher(english) == {"English": "", "Español": "../../es/plans/riverton/"}
    [alternate] = [a["href"] for a in english.find_all("link", hreflang="es")]
    assert alternate.endswith("/es/plans/riverton/")
    assert (output / "plans/oakdale/index.html").is_file()
    # Oakdale's plan has no Spanish translation: no hreflang for it, a switcher all the same.
    oakdale = page(output, "plans/oakdale")
    assert not oakdale.find_all("link", hreflang="es")
    assert switcher(oakdale)["Español"] == "../../es/plans/oakdale/"


def test_a_translated_plan_is_told_in_spanish_with_its_own_words(output: Path) -> None:
    spanish = page(output, "es/plans/riverton")
    assert spanish.html["lang"] == "es"
    assert spanish.h1.get_text(strip=True) == "Riverton más segura 2030"
    assert "Menos personas baleadas" in said(spanish.find(id="plan-goals").parent)
    assert spanish.find(id="plan-goals").get_text(strip=True) == "Metas y avances"
    assert switcher(spanish) == {"English": "../../../plans/riverton/", "Español": ""}
    # The menu stays in Spanish, and so does the plan's history (`test_language_history`).
    menu = {a.get_text(strip=True): a["href"] for a in spanish.select("nav.site-nav a")}
    assert address("/es/plans/riverton/", menu["Planes"]) == "/es/plans/"
    history = spanish.find("a", href=lambda href: bool(href) and href.endswith("history/"))
    assert address("/es/plans/riverton/", history["href"]) == "/es/plans/riverton/history/"
    main = spanish.find("main")
    assert main.has_attr("data-pagefind-body")  # searched, in the Spanish index
    # Residents narrow the results by filters named in their language.
    filters = [main["data-pagefind-filter"]] + [
        tag["data-pagefind-filter"] for tag in main.find_all(attrs={"data-pagefind-filter": True})
    ]
    assert [f.split(":")[0] for f in filters] == ["tipo", "ciudad", "año"]


def test_a_translation_whose_source_changed_since_says_so_and_links_the_changes(
    output: Path,
) -> None:
    spanish = page(output, "es/plans/riverton")
    notice = spanish.find("div", class_="banner")
    assert "El original en inglés ha cambiado desde esta traducción." in said(notice)
    assert "Esta traducción sigue la versión del 20 de enero de 2026." in said(notice)
    link = notice.find("a")["href"]
    assert "/plans/riverton/revisions/" in link and link.endswith("/compare/")
    assert (output / "es/plans/riverton" / link / "index.html").resolve().is_file()
    english = page(output, "plans/riverton")
    assert "ha cambiado" not in said(english)


def test_an_untranslated_plan_has_a_page_that_says_so_and_links_the_original(
    output: Path,
) -> None:
    shown = page(output, "es/plans/oakdale")
    assert shown.html["lang"] == "es"
    assert shown.h1["lang"] == "en"
    assert "Esta página todavía no está traducida." in said(shown)
    link = shown.find("a", string="Leerla en inglés")
    assert link["href"] == "../../../plans/oakdale/"
    assert not shown.find("main").has_attr("data-pagefind-body")  # not searched
    sitemap = ET.parse(output / "sitemap.xml").getroot()
    listed = {url.findtext(f"{SITEMAP}loc"): url for url in sitemap}
    assert not [loc for loc in listed if loc.endswith("/es/plans/oakdale/")]
    [riverton] = [url for loc, url in listed.items() if loc.endswith("/es/plans/riverton/")]
    alternates = {
        link.get("hreflang"): link.get("href") for link in riverton.findall(f"{XHTML}link")
    }
    assert sorted(alternates) == ["en", "es"]
    assert alternates["en"].endswith("/plans/riverton/") and "/es/" not in alternates["en"]


def test_lists_and_the_home_page_have_their_spanish_twins(output: Path) -> None:
    home = page(output, "es")
    assert home.html["lang"] == "es"
    footer = {a.get_text(strip=True): a["href"] for a in home.select("footer a")}
    assert footer["Contacto"] == "../es/contact/"  # the page's translated title
    plans = page(output, "es/plans")
    titles = [a.get_text(strip=True) for a in plans.select("main table a[href$='/']")]
    assert "Riverton más segura 2030" in titles
    links = {a.get_text(strip=True): a["href"] for a in plans.select("main table a")}
    spanish_twin = address("/es/plans/", links["Riverton más segura 2030"])
    assert spanish_twin == "/es/plans/riverton/"


def test_links_in_translated_prose_lead_to_the_pages_in_its_language(output: Path) -> None:
    spanish = page(output, "es/contact")
    links = [address("/es/contact/", a["href"]) for a in spanish.find("main").find_all("a")]
    # A page that has a Spanish twin is linked in Spanish; data has no twin, and stays.
    assert links == ["/es/plans/riverton/#plan-goals", "/plans.json"]


def test_words_left_in_english_on_spanish_pages_say_so(output: Path) -> None:
    plans = page(output, "es/plans")
    links = {a.get_text(strip=True): a for a in plans.select("main table th a")}
    assert links["Safer Oakdale 2030"]["lang"] == "en"  # not translated
    assert not links["Riverton más segura 2030"].has_attr("lang")
    home = page(output, "es")
    recent = home.find("h2", string="Cambios recientes").find_next("ul")
    changes = {a.get_text(strip=True): a.get("lang") for a in recent.find_all("a")}
    assert changes["Lower the 2030 target"] == "en"  # the commit has no Spanish note
    # A goal's unit, who made a commitment, a budget's source, the tables and partners are
    # never translated: English on the Spanish plan page too.
    spanish = page(output, "es/plans/riverton")
    units = spanish.select("#plan-goals ~ * .unit")
    assert units and all(unit["lang"] == "en" for unit in units)
    english_words = {said(tag) for tag in spanish.find("main").find_all(lang="en")}
    assert {"City council", "General fund"} <= english_words
    for english in (page(output, "plans"), page(output, "plans/riverton")):
        assert not english.select("main [lang]")  # the first language's pages are as they were


def test_every_plan_as_of_a_convening_marks_the_titles_not_translated(output: Path) -> None:
    spanish = page(output, "es/convenings/2027-next/plans")
    lead = spanish.select_one(".lead a")
    assert (said(lead), lead.span["lang"]) == ("Next convening", "en")
    plans = {a.get_text(strip=True): a.get("lang") for a in spanish.select("tbody th a")}
    assert plans["Safer Oakdale 2030"] == "en"
    assert plans["Riverton más segura 2030"] is None
    assert not page(output, "convenings/2027-next/plans").select("main [lang]")


def test_the_footer_marks_the_titles_of_pages_not_translated(output: Path) -> None:
    def footer(at: str) -> dict[str, str | None]:
        links = page(output, at).select("footer .footer-links a")
        return {a.get_text(strip=True): a.get("lang") for a in links}

    for spanish in (footer("es"), footer("es/plans/riverton"), footer("es/plans/oakdale")):
        assert (spanish["Contacto"], spanish["Privacy"]) == (None, "en")
    english = footer("")
    assert (english["Contact us"], english["Privacy"]) == (None, None)
