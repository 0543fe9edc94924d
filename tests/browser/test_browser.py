"""The built sample site as residents get it: in headless Chromium, and in the Nu Html Checker.

Issue 5's promises, checked on every page of the sample site (this repository): no WCAG 2.1
A/AA violations found by axe-core at 1280 and 320 px wide, no sideways page scroll at
320 px, a skip link and visible focus, HTML valid by the Nu Html Checker, and a search
that finds a plan by a word of its prose on a site served under a sub-path.

The tools come from this folder (`npm ci --ignore-scripts` here: playwright-core,
axe-core, vnu-jar), the system's Chromium and Java; `.ci/run` installs them all. A missing
tool skips these tests on a developer's machine and fails them in CI (`CI` set), so CI can
never pass without running them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.commands.build import build
from site_builder.output.search import pagefind_available
from tests.support.browser import (
    WCAG_TAGS,
    nu_html_errors,
    require,
    require_browser_tools,
    require_nu_html_checker,
    run_node,
    served,
    violations,
)
from tests.support.fixtures import Soup
from tests.support.sites import BASE_URL, PREFIX, REPO_ROOT

#: Pages whose keyboard use is walked through: the home page and a plan cover every template
#: part (header, navigation, tables that scroll, footer) the other pages share; the search
#: page adds Pagefind's search box.
KEYBOARD_PATHS = ["", "plans/halverton/", "search/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built for https://example.org/city-plans/, search index included."""
    require(pagefind_available(), "Pagefind is not installed: pip install 'pagefind[bin]'")
    output = tmp_path_factory.mktemp("browser") / "site"
    result = build(REPO_ROOT, output, base_url=BASE_URL)
    assert not [w for w in result.warnings if "Pagefind" in w], result.warnings
    return output


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 under /city-plans/; yields its address."""
    with served(site) as address:
        yield address


def html_paths(site: Path) -> list[str]:
    """Every HTML page of the site as a path under the site's address ('' is the home)."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        if relative.startswith("search/pagefind/"):
            continue
        paths.append(relative.removesuffix("index.html"))
    return paths


@pytest.fixture(scope="module")
def audit(site: Path, server: str) -> dict[str, dict[str, Any]]:
    """axe, sideways scroll and keyboard checks of every page, in one browser session."""
    require_browser_tools()
    paths = html_paths(site)
    assert len(paths) > 50, "the sample site should have every kind of page"
    result = run_node(
        "accessibility.mjs",
        {"base": server, "paths": paths, "keyboard": KEYBOARD_PATHS, "tags": WCAG_TAGS},
    )
    return {entry["path"]: entry for entry in result["pages"]}


def test_axe_finds_no_wcag_21_aa_violations_on_any_page(audit: dict[str, dict[str, Any]]) -> None:
    assert all(entry["status"] == 200 for entry in audit.values()), [
        p for p, e in audit.items() if e["status"] != 200
    ]
    problems = [line for entry in audit.values() for line in violations(entry)]
    assert problems == [], "\n".join(problems)


def test_no_page_scrolls_sideways_at_320_px(audit: dict[str, dict[str, Any]]) -> None:
    problems = [
        f"/{path}: {', '.join(entry['overflow'])}"
        for path, entry in audit.items()
        if entry["overflow"]
    ]
    assert problems == [], "\n".join(problems)


def test_no_table_cell_is_clipped_at_320_px(audit: dict[str, dict[str, Any]]) -> None:
    """A phone showed a plan's "2026 budget" column and the agenda's dates cut off."""
    problems = [
        f"/{path}: {', '.join(entry['clipped'])}"
        for path, entry in audit.items()
        if entry["clipped"]
    ]
    assert problems == [], "\n".join(problems)


def test_skip_link_comes_first_and_focus_is_always_visible(
    audit: dict[str, dict[str, Any]],
) -> None:
    for path in KEYBOARD_PATHS:
        assert audit[path]["keyboard"] == [], f"/{path}: {audit[path]['keyboard']}"


def distinctive_word(site: Path, soup: Soup) -> tuple[str, str]:
    """A word of one plan's prose that no other searchable page uses, and the plan's path."""
    texts = {}
    for file in sorted(site.rglob("index.html")):
        main = soup(file).find("main")
        if main is not None and main.has_attr("data-pagefind-body"):
            texts[file.parent.relative_to(site).as_posix()] = main.get_text(" ").lower()
    for folder in texts:
        if not re.fullmatch(r"plans/[a-z0-9-]+", folder):
            continue
        prose = soup(site / folder / "index.html").select_one("section[aria-labelledby=plan-text]")
        words = re.findall(r"\b[a-z]{8,}\b", prose.get_text(" ").lower() if prose else "")
        for word in words:
            if not any(word in other for name, other in texts.items() if name != folder):
                return word, f"{folder}/"
    pytest.fail("no plan of the sample site has a word of its own in its prose")


def test_search_finds_a_plan_by_a_word_of_its_prose_under_a_sub_path(
    site: Path, server: str, soup: Soup
) -> None:
    require_browser_tools()
    word, plan = distinctive_word(site, soup)
    result = run_node(
        "search.mjs",
        {"url": f"{server}search/", "query": word, "expect": f"{PREFIX}{plan}", "tags": WCAG_TAGS},
    )
    assert result["errors"] == [], result["errors"]
    assert result["label"], "the search box has no label of its own"
    assert result["found"], f"searching {word!r} did not show {PREFIX}{plan}: {result['results']}"
    hrefs = [r["href"] for r in result["results"]]
    assert all(h.startswith(PREFIX) for h in hrefs), hrefs
    assert not [h for h in hrefs if "/revisions/" in h or h.endswith("/history/")], hrefs
    assert result["violations"] == [], result["violations"]


def test_a_search_in_spanish_finds_the_spanish_plan(site: Path, server: str) -> None:
    """Issue 19: /es/search/ searches the Spanish pages (Pagefind's index of the pages
    whose `lang` is es) and finds the Spanish plan by a word only its Spanish text has."""
    require_browser_tools()
    expect = f"{PREFIX}es/plans/port-delmar/"
    result = run_node(
        "search.mjs",
        {
            "url": f"{server}es/search/",
            "query": "baleadas",
            "expect": expect,
            "tags": WCAG_TAGS,
            "named": "busca",
        },
    )
    assert result["errors"] == [], result["errors"]
    assert result["found"], f"'baleadas' did not show {expect}: {result['results']}"
    hrefs = [r["href"] for r in result["results"]]
    assert all(h.startswith(f"{PREFIX}es/") for h in hrefs), hrefs
    assert result["violations"] == [], result["violations"]


def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    require_nu_html_checker()
    errors = [
        f"{m.get('url', '').removeprefix(site.as_uri())}:{m.get('lastLine', '?')}: "
        f"{m.get('message')}"
        for m in nu_html_errors("--skip-non-html", str(site))
    ]
    assert errors == [], "\n".join(errors)


#: Words of every sample plan that short pages use too: a convening's title has "Safety",
#: one plan's title has neither word.
PLAN_WORDS = "safety plan"


def test_search_answers_with_type_city_and_date_and_narrows_by_filters(
    site: Path, server: str, soup: Soup
) -> None:
    """Issue 18, point 6: the first result for plan words is a plan, showing its type, city
    and date; ticking a type and then a city narrows the results to those; no excerpt
    glues table headers together; axe finds nothing with the results and filters open."""
    require_browser_tools()
    result = run_node(
        "search_answers.mjs",
        {"url": f"{server}search/", "query": PLAN_WORDS, "type": "Plan", "tags": WCAG_TAGS},
    )
    assert result["errors"] == [], result["errors"]
    found = result["found"]["list"]
    first = found[0]
    assert re.fullmatch(f"{PREFIX}plans/[a-z0-9-]+/", first["href"]), found
    page = soup(site / first["href"].removeprefix(PREFIX) / "index.html")
    meta = dict(
        element["data-pagefind-meta"].split(":", 1)
        for element in page.find_all(attrs={"data-pagefind-meta": True})
    )
    assert first["tags"] == {
        "type": "Type: Plan",
        "city": f"City: {meta['city']}",
        "updated": f"Updated: {meta['updated']}",
    }
    assert meta["city"] in page.select_one(".page-heading").get_text()
    types = [r["tags"]["type"] for r in found]
    plans = [n for n, shown in enumerate(types) if shown == "Type: Plan"]
    assert all(n > max(plans) for n, shown in enumerate(types) if shown == "Type: Convening")
    for entry in found:
        assert not re.search(r"[a-z][A-Z][a-z]+[A-Z]", entry["excerpt"]), entry
        assert "values by period" not in entry["excerpt"], entry
    by_type, by_city = result["by_type"]["list"], result["by_city"]["list"]
    counts = [int(result[step]["message"].split()[0]) for step in ("found", "by_type", "by_city")]
    assert counts[0] > counts[1] > counts[2] > 0, counts
    assert all(r["tags"]["type"] == "Type: Plan" for r in by_type), by_type
    assert all(r["tags"]["city"] == f"City: {result['city']}" for r in by_city), by_city
    assert all(r["tags"]["type"] == "Type: Plan" for r in by_city), by_city
    problems = [f"{width}: {v}" for width, found in result["violations"].items() for v in found]
    assert problems == [], problems
    assert not result["overflow"], "the search page scrolls sideways at 320 px with filters"
