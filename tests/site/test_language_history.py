"""A translated plan's history in its language (issue 19, point 5): its own history page
and revision pages under /es/, each revision the plan and its translation as they stood,
Spanish change notes from `Change-Note-es:` trailers and the English note otherwise
(marked), and switchers between the two histories — on a real git history."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.git import commit
from tests.support.html import SITEMAP, XHTML, page, said
from tests.support.links import broken_links
from tests.support.sites import built
from tests.support.translated import (
    COUNTED,
    PLAN,
    REWORDED,
    SPANISH,
    SPANISH_PLAN,
    TWO_LANGUAGES,
    day,
    translated_plan,
)

#: The Spanish words of the reworded goal, which the translator gives after the English.
RETRANSLATED = SPANISH.replace("Menos personas baleadas", "La mitad de personas baleadas")
REWORD_MESSAGE = (
    "Lower the 2030 target\n\nThe spring review asked for it.\n\n"
    "Change-Note-es: Se baja la meta de 2030\n  tras la revisión de primavera\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Riverton's plan published and worded in English, translated, counted anew; then
    reworded with a Spanish note, and its translation brought up to date by itself."""
    root = tmp_path_factory.mktemp("language-history") / "site"
    commits = translated_plan(root)
    commits["reworded"] = commit(root, {PLAN: REWORDED}, REWORD_MESSAGE, date=day("2026-03-03"))
    commits["retranslated"] = commit(
        root, {SPANISH_PLAN: RETRANSLATED}, "Translate the new goal", date=day("2026-03-10")
    )
    built(root)
    return root / "output", commits


def entries(history: BeautifulSoup) -> list[BeautifulSoup]:
    return history.select("ol.revisions > li")


def test_the_spanish_history_lists_every_change_of_the_plan_or_its_translation(
    site: tuple[Path, dict[str, str]],
) -> None:
    output, commits = site
    history = page(output, "es/plans/riverton/history")
    assert history.html["lang"] == "es"
    assert history.h1.get_text(strip=True) == "Historial de Riverton más segura 2030"
    listed = entries(history)
    # Newest first, from the commit that added the translation: four revisions.
    assert [said(e.h2) for e in listed] == [
        "Translate the new goal (nota en inglés)",
        "Se baja la meta de 2030 tras la revisión de primavera",
        "Budget and target for 2030 (nota en inglés)",
        "Translate the plan (nota en inglés)",
    ]
    # A note in English says so, to readers and to screen readers.
    assert listed[2].h2.span["lang"] == "en"
    assert not listed[1].h2.find(attrs={"lang": True})
    # The Spanish note stands for the message: its English words are not repeated.
    assert "spring review asked" not in said(listed[1])
    assert "Change-Note" not in str(history)
    # Which file changed, and the first language's changes where the plan changed.
    assert "cambió la traducción" in said(listed[0])
    assert "Qué cambió" not in said(listed[0])
    assert "cambió la traducción" in said(listed[3])  # the first: the translation's
    assert "traducción" not in said(listed[2])  # only the plan changed
    changes = listed[1].find("a", hreflang="en")
    assert (
        changes["href"]
        == f"../../../../plans/riverton/revisions/{commits['reworded'][:12]}/changes/"
    )
    # The two English revisions before the translation are the English history's.
    before = history.find("main").find("a", href="../../../../plans/riverton/history/")
    assert "2 revisiones antes de ser traducido" in said(before.parent)


def test_a_spanish_revision_is_the_plan_and_its_translation_as_they_stood(
    site: tuple[Path, dict[str, str]],
) -> None:
    output, commits = site
    counted = page(output, f"es/plans/riverton/revisions/{commits['counted'][:12]}")
    assert counted.html["lang"] == "es"
    assert counted.h1.get_text(strip=True) == "Riverton más segura 2030"
    goals = said(counted.find(id="plan-goals").parent)
    assert "Menos personas baleadas" in goals and "45" in goals  # its words, its numbers
    banner = counted.find(class_="banner--archive")
    assert "Versión archivada" in said(banner)
    compare = banner.find("a", href=lambda h: bool(h) and h.endswith("/compare/"))
    assert compare["hreflang"] == "en"
    # The revision where only the translation changed has the new words, and no changes
    # page of its own: the English plan is the one of the commit before.
    newest = page(output, f"es/plans/riverton/revisions/{commits['retranslated'][:12]}")
    assert "La mitad de personas baleadas" in said(newest.find(id="plan-goals").parent)
    banner = newest.find(class_="banner--archive")
    assert not banner.find("a", href=lambda h: bool(h) and h.endswith("/changes/"))
    english = {a["hreflang"]: a["href"] for a in newest.select("nav.languages a")}
    assert english == {"en": f"../../../../../plans/riverton/revisions/{commits['reworded'][:12]}/"}


def test_the_english_history_leads_to_the_spanish_one(site: tuple[Path, dict[str, str]]) -> None:
    output, commits = site
    history = page(output, "plans/riverton/history")
    switch = {a["hreflang"]: a["href"] for a in history.select("nav.languages a")}
    assert switch == {"es": "../../../es/plans/riverton/history/"}
    assert "Change-Note" not in str(history)
    assert "The spring review asked for it." in said(history)
    # An English revision leads to the Spanish one of the same commit, where there is one.
    counted = page(output, f"plans/riverton/revisions/{commits['counted'][:12]}")
    assert [a["hreflang"] for a in counted.select("nav.languages a")] == ["es"]
    published = page(output, f"plans/riverton/revisions/{commits['published'][:12]}")
    assert not published.select("nav.languages")
    # The Spanish plan's history link leads to its Spanish history.
    # Search engines learn of the two histories from the sitemap.
    urls = {
        url.findtext(f"{SITEMAP}loc"): [link.get("hreflang") for link in url.iter(f"{XHTML}link")]
        for url in ET.parse(output / "sitemap.xml").getroot()
    }
    assert urls["https://example.org/plans/riverton/history/"] == ["en", "es"]
    assert urls["https://example.org/es/plans/riverton/history/"] == ["en", "es"]
    assert broken_links(output) == []


def test_the_spanish_home_page_gives_a_change_its_spanish_note(
    site: tuple[Path, dict[str, str]],
) -> None:
    output, _ = site
    recent = page(output, "es").find("h2", string="Cambios recientes").find_next("ul")
    changes = {said(a): a.get("lang") for a in recent.find_all("a")}
    assert changes["Se baja la meta de 2030 tras la revisión de primavera"] is None
    assert changes["Budget and target for 2030"] == "en"


ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_feeds_in_spanish_tell_the_plan_in_spanish(site: tuple[Path, dict[str, str]]) -> None:
    output, _ = site
    feed = ET.parse(output / "es/plans/riverton/feed.xml").getroot()
    assert feed.get(XML_LANG) == "es"
    assert feed.findtext(f"{ATOM}title") == "Riverton más segura 2030: revisiones e informes"
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    reworded = entries[
        "Riverton más segura 2030 revisado: Se baja la meta de 2030 tras la revisión de primavera"
    ]
    assert reworded.get(XML_LANG) is None
    assert (
        reworded.findtext(f"{ATOM}summary")
        == "Se baja la meta de 2030 tras la revisión de primavera"
    )
    counted = entries["Riverton más segura 2030 revisado: Budget and target for 2030"]
    assert counted.get(XML_LANG) == "en"  # the commit has no Spanish note
    # The site's feed in Spanish; both linked from the Spanish pages.
    assert ET.parse(output / "es/feed.xml").getroot().get(XML_LANG) == "es"
    plan = page(output, "es/plans/riverton")
    feeds = {a["href"] for a in plan.find_all("link", type="application/atom+xml")}
    assert feeds == {"../../../es/feed.xml", "../../../es/plans/riverton/feed.xml"}
    # The English feed's entries say no trailer.
    english = ET.parse(output / "plans/riverton/feed.xml").getroot()
    summaries = [e.findtext(f"{ATOM}summary") or "" for e in english.iter(f"{ATOM}entry")]
    assert "The spring review asked for it." in summaries
    assert not any("Change-Note" in summary for summary in summaries)


def test_a_review_that_changed_nothing_is_marked_so_in_spanish(tmp_path: Path) -> None:
    """A commit that only records a public review of the English plan is no edit of the
    Spanish one either: its history says "reviewed, no change", as the English says."""
    root = tmp_path / "site"
    translated_plan(root)
    reviewed = COUNTED.replace("review: semiannual\n", "review: semiannual\nreviewed: 2026-02-27\n")
    commit(root, {PLAN: reviewed}, "Record the review of 27 February", date=day("2026-02-28"))
    built(root)
    output = root / "output"
    titles = [said(e.h2) for e in entries(page(output, "es/plans/riverton/history"))]
    assert titles == [
        "Evaluado, sin cambios",
        "Budget and target for 2030 (nota en inglés)",
        "Translate the plan (nota en inglés)",
    ]
    english = [said(e.h2) for e in entries(page(output, "plans/riverton/history"))]
    assert english[0] == "Reviewed, no change"


def test_a_translation_that_could_not_be_read_then_shows_the_plan_marked_english(
    tmp_path: Path,
) -> None:
    """A revision whose translation of that day is broken shows the plan in English: its
    words marked `lang="en"`, the banner saying why. Later revisions are translated."""
    root = tmp_path / "site"
    translated_plan(root)
    broken = commit(
        root, {SPANISH_PLAN: "---\ntitle: [sin cerrar\n---\n"}, "Break", date=day("2026-02-20")
    )
    commit(root, {SPANISH_PLAN: SPANISH}, "Mend", date=day("2026-02-21"))
    built(root)
    output = root / "output"
    shown = page(output, f"es/plans/riverton/revisions/{broken[:12]}")
    assert shown.html["lang"] == "es"
    marked = shown.select_one("main div[lang=en]")
    assert marked is not None and marked.h1.get_text(strip=True) == "Safer Riverton 2030"
    assert "La traducción de ese día no pudo leerse" in said(shown.select_one(".banner"))
    mended = page(output, "es/plans/riverton")
    assert mended.select_one("main div[lang=en]") is None


def test_offices_are_marked_as_english_words_on_spanish_pages(tmp_path: Path) -> None:
    """`site.yaml` names offices in English ('Mayor'): a Spanish page marks them so, and
    an English page says them plainly."""
    root = tmp_path / "site"
    translated_plan(root)
    terms = "administrations:\n  - {office: Mayor, name: Ana Ortiz, start: 2020-01-06}\n"
    commit(root, {"site.yaml": TWO_LANGUAGES + terms}, "Name the mayor", date=day("2026-02-16"))
    built(root)
    output = root / "output"
    for where in ("es/plans/riverton/history", "es/plans/riverton"):
        offices = page(output, where).select("main span[lang=en]")
        assert "Mayor" in [o.get_text() for o in offices], where
    english = page(output, "plans/riverton/history").select_one(".revision__meta")
    assert "under Mayor Ana Ortiz" in said(english)
    assert english.select("span[lang]") == []
