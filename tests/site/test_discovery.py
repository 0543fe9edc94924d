"""What machines and subscribers read, parsed back from the built sample site (no browser).

Feeds with feedparser, the sitemap and robots.txt, the open data (JSON and CSV) checked
against each other, the calendar files against RFC 5545's basics, every page's metadata,
the weight of a plan page, and the search index: what it holds, that it is reproducible,
and that a failing Pagefind is a clear error rather than a traceback or a broken site.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from site_builder.commands.build import build
from site_builder.engine.errors import OutputError
from site_builder.output import search
from site_builder.site.urls import SEARCH_BUNDLE, output_file
from tests.support.fixtures import MakeSite, Soup, TreeDigest
from tests.support.sites import BASE_URL, PREFIX, REPO_ROOT, SITEMAP_NS, run_cli

#: Issue 5: a plan page's HTML + CSS + JavaScript (images and the search bundle excluded).
PLAN_PAGE_BUDGET = 100_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built for a sub-path so every absolute URL shows where it points."""
    output = tmp_path_factory.mktemp("discovery") / "site"
    build(REPO_ROOT, output, base_url=BASE_URL)
    return output


def local(site: Path, url: str) -> Path:
    """The built file an absolute URL of the site is served from (it must be under base_url)."""
    assert url.startswith(BASE_URL), f"{url} is not under {BASE_URL}"
    return site / output_file("/" + urlsplit(url).path[len(PREFIX) :])


def html_pages(site: Path) -> list[Path]:
    return [
        p
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith(SEARCH_BUNDLE)
    ]


def plan_folders(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "plans").glob("*/plan.json"))


# Feeds -------------------------------------------------------------------------------------


def test_site_and_plan_feeds_parse_and_every_entry_links_to_a_page(site: Path) -> None:
    feeds = [site / "feed.xml"] + [folder / "feed.xml" for folder in plan_folders(site)]
    assert len(feeds) >= 4
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10", path
        assert feed.feed.title and feed.entries, path
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links and local(site, self_links[0]) == path
        for entry in feed.entries:
            assert entry.title and entry.updated_parsed and entry.id, (path, entry)
            assert local(site, entry.link).is_file(), f"{path}: {entry.link} leads nowhere"
    site_feed = feedparser.parse((site / "feed.xml").read_bytes())
    kinds = {urlsplit(e.link).path.rstrip("/").split("/")[2] for e in site_feed.entries}
    assert {"plans", "convenings"} <= kinds, kinds


# Sitemap and robots.txt --------------------------------------------------------------------


def test_sitemap_lists_pages_under_base_url_with_git_dates(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    assert entries
    for loc, lastmod in entries.items():
        assert loc and local(site, loc).is_file(), loc
        assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), (loc, lastmod)
    # Every page made from a content file has its date from git.
    from_git = [
        loc
        for loc in entries
        if re.search(r"/(plans|fellows|convenings)/[a-z0-9-]+/$|/updates/[a-z0-9-]+/$", loc)
        or loc.endswith(("/about/", "/contact/"))
    ]
    assert len(from_git) > 30
    assert [loc for loc in from_git if not entries[loc]] == []
    assert not [loc for loc in entries if "/revisions/" in loc]


def test_robots_txt_names_the_sitemap(site: Path) -> None:
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots.splitlines()


# Open data -----------------------------------------------------------------------------------


def test_open_data_parses_back_and_agrees_with_itself(site: Path) -> None:
    plans = json.loads((site / "plans.json").read_text(encoding="utf-8"))
    assert [p["slug"] for p in plans] == [f.name for f in plan_folders(site)]
    for summary in plans:
        folder = site / "plans" / summary["slug"]
        assert local(site, summary["url"]) == folder / "index.html"
        assert local(site, summary["data_url"]) == folder / "plan.json"
        data = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
        # the translations' freshness is plans.json's alone: a plan.json has the shape of
        # its past revisions', and a past revision's does not change
        del summary["translations"]
        assert {k: data[k] for k in summary} == summary
        assert data["fields"]["title"] == data["title"] and data["body"]
        for update in data["updates"]:
            assert local(site, update["url"]).is_file(), update["url"]

        with (folder / "metrics.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert rows and list(rows[0]) == ["date", "period", "indicator", "value", "update"]
        expected = sorted(
            (u["date"], u["slug"], name, float(value))
            for u in data["updates"]
            for name, value in u["metrics"].items()
        )
        got = sorted((r["date"], r["update"], r["indicator"], float(r["value"])) for r in rows)
        assert got == expected, f"{summary['slug']}: one row per update and indicator"

        history = json.loads((folder / "history.json").read_text(encoding="utf-8"))
        assert history, summary["slug"]
        assert [h["date"] for h in history] == sorted(h["date"] for h in history)
        for revision in history:
            assert local(site, revision["url"]).is_file()
            assert local(site, revision["changes_url"]).is_file()
            assert "@" not in revision["author"]


# Calendars -----------------------------------------------------------------------------------


def test_calendar_files_follow_rfc_5545_basics(site: Path, soup: Soup) -> None:
    files = sorted((site / "convenings").glob("*/*.ics"))
    assert len(files) >= 2
    for path in files:
        data = path.read_bytes()
        assert data.endswith(b"\r\n"), path
        lines = data[:-2].split(b"\r\n")
        assert not [line for line in lines if b"\n" in line or b"\r" in line], (
            f"{path}: every line must end in CRLF"
        )
        assert [line for line in lines if len(line) > 75] == [], f"{path}: lines over 75 octets"
        unfolded = data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
        assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR", path
        for required in ("VERSION:2.0", "BEGIN:VEVENT", "END:VEVENT"):
            assert required in unfolded, (path, required)
        for name in ("PRODID:", "UID:", "DTSTAMP:", "SUMMARY:"):
            assert any(line.startswith(name) for line in unfolded), (path, name)
        assert any(re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", line) for line in unfolded), path
        page = soup(path.parent / "index.html")
        links = [a for a in page.find_all("a", href=True) if str(a["href"]).endswith(".ics")]
        assert [a for a in links if (path.parent / str(a["href"])).resolve() == path], (
            f"{path}: its convening page does not link it"
        )


# Every page ----------------------------------------------------------------------------------


def test_every_page_has_language_title_description_canonical_and_open_graph(
    site: Path, soup: Soup
) -> None:
    problems = []
    for path in html_pages(site):
        page = soup(path)
        name = path.relative_to(site).as_posix()
        html = page.find("html")
        if not html or not html.get("lang"):
            problems.append(f"{name}: no lang")
        if not page.title or not page.title.get_text(strip=True):
            problems.append(f"{name}: no <title>")
        description = page.find("meta", attrs={"name": "description"})
        if not description or not description.get("content", "").strip():
            problems.append(f"{name}: no meta description")
        canonical = page.find("link", rel="canonical")
        if not canonical or not str(canonical.get("href", "")).startswith(BASE_URL):
            problems.append(f"{name}: no canonical link under {BASE_URL}")
        og_title = page.find("meta", property="og:title")
        if not og_title or not og_title.get("content", "").strip():
            problems.append(f"{name}: no og:title")
        feeds = [
            link
            for link in page.find_all("link", rel="alternate")
            if link.get("type") == "application/atom+xml"
        ]
        if not any(str(link["href"]).endswith("feed.xml") for link in feeds):
            problems.append(f"{name}: the site's feed is not advertised")
    assert problems == [], "\n".join(problems)


def test_plan_page_with_its_css_stays_under_100_kb(site: Path, soup: Soup) -> None:
    for folder in plan_folders(site):
        page = folder / "index.html"
        parsed = soup(page)
        assets = [str(link["href"]) for link in parsed.find_all("link", rel="stylesheet")]
        assets += [str(script["src"]) for script in parsed.find_all("script", src=True)]
        assert not parsed.find_all("script"), f"{page}: a plan page needs no JavaScript"
        total = page.stat().st_size + sum(
            (folder / href).resolve().stat().st_size for href in assets
        )
        assert total < PLAN_PAGE_BUDGET, f"{folder.name}: {total} bytes with its CSS"


# Search --------------------------------------------------------------------------------------


def searchable(site: Path, soup: Soup) -> list[str]:
    """The pages that ask to be indexed, as paths under the site."""
    return [
        p.relative_to(site).as_posix()
        for p in html_pages(site)
        if (main := soup(p).find("main")) is not None and main.has_attr("data-pagefind-body")
    ]


def test_search_indexes_current_content_and_leaves_out_archived_pages(
    site: Path, soup: Soup
) -> None:
    pages = searchable(site, soup)
    kinds = {
        "plans": r"plans/[a-z0-9-]+",
        "updates": r"plans/[a-z0-9-]+/updates/[a-z0-9-]+",
        "fellows": r"fellows/[a-z0-9-]+",
        "convenings": r"convenings/[a-z0-9-]+",
        "free pages": r"(about|contact)",
    }
    for kind, pattern in kinds.items():
        assert [p for p in pages if re.fullmatch(f"{pattern}/index.html", p)], kind
    unexpected = [
        p
        for p in pages
        if not any(
            re.fullmatch(f"(es/)?{pattern}/index.html", p)  # or its Spanish twin
            for pattern in kinds.values()
        )
    ]
    assert unexpected == [], "only current content is searchable"
    entry = json.loads((site / SEARCH_BUNDLE / "pagefind-entry.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(pages), "Pagefind's file pattern misses pages that ask to be indexed"
    page = soup(site / "search/index.html")
    sources = [s["src"] for s in page.find_all("script", src=True)]
    assert sources == ["../search/pagefind/pagefind-ui.js", "../assets/search.js"], sources
    assert all((site / "search" / source).resolve().is_file() for source in sources)
    assert page.find("noscript") and page.find("noscript").find("a", href="../plans/")


def test_search_index_is_byte_identical_when_built_again(
    site: Path, tmp_path: Path, tree_digest: TreeDigest
) -> None:
    copies = []
    for name in ("one", "two"):
        copy = tmp_path / name
        shutil.copytree(site, copy)
        shutil.rmtree(copy / SEARCH_BUNDLE)
        assert search.index_site(copy) is None
        copies.append(tree_digest(copy / SEARCH_BUNDLE))
    assert copies[0] == copies[1]
    assert copies[0] == tree_digest(site / SEARCH_BUNDLE)


def test_failing_pagefind_is_a_clear_error_and_the_old_site_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree_digest: TreeDigest, make_site: MakeSite
) -> None:
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    (site / "content/pages/about.md").write_text("---\ntitle: About us\n---\nHi\n")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert "Pagefind could not build the search index" in result.stderr
    assert "the index could not be written" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(site / "output") == before
    with pytest.raises(OutputError, match="search index"):
        search.index_site(site / "output")


def test_site_builds_without_search_when_pagefind_is_missing(
    monkeypatch: pytest.MonkeyPatch, make_site: MakeSite
) -> None:
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    monkeypatch.setattr(search, "pagefind_available", lambda: False)
    result = build(site)
    assert [w for w in result.warnings if "pip install 'pagefind[bin]'" in w]
    assert (site / "output/search/index.html").is_file()
    assert not (site / "output" / SEARCH_BUNDLE).exists()


def test_pagefind_runs_from_this_python(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make_site: MakeSite
) -> None:
    """Pagefind is run as `python -m pagefind` with the interpreter running the build, so
    the one installed with site-builder is used whatever `pagefind` is on PATH."""
    decoy = tmp_path / "bin" / "pagefind"
    decoy.parent.mkdir()
    decoy.write_text("#!/bin/sh\necho 'the wrong pagefind' >&2\nexit 9\n")
    decoy.chmod(0o755)
    monkeypatch.setenv("PATH", f"{decoy.parent}{os.pathsep}{os.environ['PATH']}")
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    result = build(site)
    assert not [warning for warning in result.warnings if "Pagefind" in warning]
    assert (site / "output" / SEARCH_BUNDLE / "pagefind-ui.js").is_file()


def test_search_can_be_turned_off(soup: Soup, make_site: MakeSite) -> None:
    site = make_site(
        {"content/pages/about.md": "---\ntitle: About\n---\nHi\n"},
        site_yaml="title: Test network\nsearch: false\n",
    )
    result = build(site)
    assert not [warning for warning in result.warnings if "Pagefind" in warning]
    assert not (site / "output/search").exists()
    page = soup(site / "output/about/index.html")
    assert [a.get_text() for a in page.select(".site-nav a")] == [
        "Plans",
        "Fellows",
        "Convenings",
        "About",
    ]
