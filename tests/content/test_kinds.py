"""The kinds table is the one list of content kinds: a kind added to it — its record, its
row and its template, nothing else — gets pages, search, `check`, `new` and the sitemap.

The table is swapped for this process only (`monkeypatch`), so the command line is run
in process, through `cli.main`.
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder import cli
from site_builder.commands.build import build
from site_builder.content import kinds
from site_builder.content.fields import derived, optional, required
from site_builder.content.kinds import Kind
from site_builder.content.load import load_content
from site_builder.content.starter import EDIT_ME
from site_builder.engine.errors import ContentError
from site_builder.output.search import pagefind_available
from site_builder.site.urls import SEARCH_BUNDLE
from tests.support.fixtures import Soup
from tests.support.sites import SITEMAP_NS, write_site


@dataclass(frozen=True, kw_only=True)
class Report:
    """A throwaway kind of content: a yearly report."""

    title: str = required("the report's title")
    year: int = required("the year it covers")
    summary: str | None = optional("one sentence for lists and search results")
    slug: str = derived("the file name")
    path: str = derived("the file, relative to the site")
    body: str = derived("the findings")
    body_line: int = derived("the file line the prose starts on", 1)

    @property
    def description(self) -> str:
        return self.summary or f"{self.title} ({self.year})."


REPORT = Kind(
    "report",
    Report,
    ("reports/{slug}.*",),
    "/reports/{slug}/",
    "report.html",
    "report",
    starter=f"{EDIT_ME} What the report found.\n",
)

TEMPLATE = """\
{% extends "base.html" %}
{% block main %}
<h1>{{ report.title }}</h1>
<p class="year">Covers {{ report.year }}</p>
<div class="prose">{{ report.body|markdown }}</div>
{% endblock %}
"""

ANNUAL = """\
---
title: Annual report on violence prevention
year: 2025
summary: What the network did in 2025.
---
Shootings fell by a third in the [plan's first year](/plans/riverton/).
"""


@pytest.fixture(autouse=True)
def with_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table with one kind more, for this test only."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, REPORT))


def report_site(root: Path, body: str = ANNUAL) -> Path:
    return write_site(
        root,
        {
            "content/plans/riverton/plan.md": "---\ntitle: Safer Riverton\ncity: Riverton\n"
            "status: draft\n---\nThe plan.\n",
            "content/reports/annual-2025.md": body,
            "themes/default/templates/report.html": TEMPLATE,
        },
    )


def test_an_item_of_a_new_kind_gets_its_page(tmp_path: Path, soup: Soup) -> None:
    site = report_site(tmp_path / "site")
    build(site)
    page = soup(site / "output/reports/annual-2025/index.html")
    assert page.h1 is not None and page.h1.get_text() == "Annual report on violence prevention"
    assert "Covers 2025" in page.get_text()
    assert page.title is not None and page.title.get_text().startswith("Annual report")
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == "What the network did in 2025."
    main = page.find("main")
    assert main is not None and main.has_attr("data-pagefind-body")
    assert main.find("a", string="plan's first year")["href"] == "../../plans/riverton/"


def test_the_sitemap_lists_the_new_kinds_pages(tmp_path: Path) -> None:
    site = report_site(tmp_path / "site")
    build(site)
    root = ET.parse(site / "output/sitemap.xml").getroot()
    locations = [
        u.findtext("s:loc", namespaces=SITEMAP_NS) for u in root.findall("s:url", SITEMAP_NS)
    ]
    assert "https://example.org/reports/annual-2025/" in locations


@pytest.mark.skipif(not pagefind_available(), reason="Pagefind is not installed")
def test_the_new_kinds_pages_are_in_the_search_index(tmp_path: Path) -> None:
    site = report_site(tmp_path / "site")
    build(site)
    indexed = {}
    for fragment in (site / "output" / SEARCH_BUNDLE / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        indexed[data["url"]] = data["content"]
    assert "/reports/annual-2025/" in indexed, sorted(indexed)
    assert "Shootings fell by a third" in indexed["/reports/annual-2025/"]


def test_check_reports_a_broken_link_in_the_new_kinds_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = report_site(tmp_path / "site", ANNUAL.replace("/plans/riverton/", "/plans/nowhere/"))
    assert cli.main(["check", "--source", str(site)]) == 1
    assert (
        "content/reports/annual-2025.md:6: the link '/plans/nowhere/' leads to no page on this site"
    ) in capsys.readouterr().err


def test_new_starts_an_item_of_the_new_kind_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], soup: Soup
) -> None:
    site = report_site(tmp_path / "site")
    assert cli.main(["new", "report", "midyear-2026", "--source", str(site)]) == 0
    assert "Created content/reports/midyear-2026.md" in capsys.readouterr().out
    text = (site / "content/reports/midyear-2026.md").read_text(encoding="utf-8")
    assert f"# {EDIT_ME} the report's title" in text
    assert "#summary: " in text and "# one sentence for lists and search results" in text
    build(site)
    page = soup(site / "output/reports/midyear-2026/index.html")
    prose = page.find("div", class_="prose")
    assert prose is not None and prose.get_text().strip() == f"{EDIT_ME} What the report found."


def test_a_misplaced_file_is_told_where_the_new_kind_goes(tmp_path: Path) -> None:
    site = report_site(tmp_path / "site")
    (site / "content/reports/2025").mkdir()
    (site / "content/reports/2025/annual.md").write_text(ANNUAL, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(site)
    assert [str(p) for p in raised.value.problems] == [
        "content/reports/2025/annual.md:1: not a place for a content file: a report is "
        "content/reports/<report>.md"
    ]


def test_a_free_page_may_not_take_the_new_kinds_folder(tmp_path: Path) -> None:
    site = report_site(tmp_path / "site")
    (site / "content/pages").mkdir()
    (site / "content/pages/reports.md").write_text(
        "---\ntitle: Reports\n---\nAll of them.\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="the page name 'reports' is used by the site"):
        build(site)
