"""`site-builder build` end to end: real folders, real git, pages parsed back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from site_builder.commands.build import build
from site_builder.commands.check import prepare
from tests.support.fixtures import MakeSite, Soup, TreeDigest
from tests.support.git import commit, make_repo
from tests.support.links import broken_links
from tests.support.sites import FULL_PLAN, MINIMAL_PLAN, REPO_ROOT, SITE_YAML, UPDATE, run_cli


def full_site(root: Path) -> Path:
    """The full plan with two updates, a fellow per cohort and two convenings, in git."""
    files = {
        "site.yaml": SITE_YAML,
        "content/plans/riverton/plan.md": FULL_PLAN,
        "content/plans/riverton/updates/2024-h1.md": UPDATE,
        "content/plans/riverton/updates/2025-h1.md": UPDATE.replace("2024-07-15", "2025-07-15")
        .replace("2024 H1", "2025 H1")
        .replace("people_shot: 90", "people_shot: 70"),
        "content/pages/about.md": "---\ntitle: About\n---\nSee [the plan](/plans/riverton/).\n",
        "content/fellows/ana.md": "---\nname: Ana Ruiz\ncohort: 2024\ncity: Riverton\n---\nBio\n",
        "content/fellows/bo.md": "---\nname: Bo Chen\ncohort: 2025\ncity: Lakeside\n---\nBio\n",
        "content/fellows/cy.yaml": "name: Cy Diaz\ncohort: 2025\ncity: Riverton\nbody: Bio\n",
        "content/convenings/first.md": "---\ntitle: First\ncity: New Orleans\nstart: 2014-06-01\n"
        "---\nThe first.\n",
        "content/convenings/next.md": "---\ntitle: Next\ncity: Atlanta\nstart: 2027-10-25\n"
        "end: 2027-10-26\n---\nThe next.\n",
    }
    make_repo(root)
    commit(root, files, "Publish the site", date="2026-02-01T09:00:00+00:00")
    return root


def test_sample_site_builds_and_every_link_resolves(tmp_path: Path) -> None:
    result = run_cli("build", "--source", str(REPO_ROOT), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    output = tmp_path / "out"
    assert broken_links(output) == []
    assert len(list((output / "plans").glob("*/index.html"))) >= 3


def test_footer_links_only_the_pages_that_ask_for_it(soup: Soup, make_site: MakeSite) -> None:
    """A network may publish thousands of free pages: listing them all on every page would
    make each page, and the build, grow with the site."""
    pages = {f"content/pages/note-{n}.md": f"---\ntitle: Note {n}\n---\nText.\n" for n in range(3)}
    pages["content/pages/about.md"] = "---\ntitle: About\nfooter: true\n---\nUs.\n"
    site = make_site(pages)
    assert run_cli("build", "--source", str(site)).returncode == 0
    page = soup(site / "output/note-1/index.html")
    assert [a.get_text() for a in page.select(".footer-links a")][:1] == ["About"]
    assert not [a for a in page.select(".footer-links a") if "Note" in a.get_text()]
    assert page.select_one(".site-nav a[href='../about/']")


def test_minimal_site_builds(soup: Soup, make_site: MakeSite) -> None:
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert "no git history" in result.stderr
    assert broken_links(site / "output") == []
    page = soup(site / "output/plans/testville/index.html")
    assert page.h1.get_text() == "Safer Testville"


def test_plan_page_goals_chart_and_cost(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    page = soup(site / "output/plans/riverton/index.html")
    rows = page.select("table.goals tbody tr")
    first = [cell.get_text(" ", strip=True) for cell in rows[0].find_all(["th", "td"])]
    assert first == [
        "Fewer people shot (people)",
        "100 in 2020",
        "70 2025 H1",
        "50 by 2030",
        "On track",
    ]
    # summer jobs: 200 → 250 of the way to 600 by 2030 is behind schedule, no reported status
    assert (
        rows[1].find_all("td")[-1].get_text(" ", strip=True) == "At risk estimated from the numbers"
    )
    charts = page.select("figure.chart")
    assert len(charts) == 2
    assert charts[0].svg["role"] == "img" and charts[0].svg.title.get_text()
    table_values = [td.get_text() for td in charts[0].select("table td")]
    assert table_values == ["100", "90", "70", "50"]
    assert len(charts[0].select("path.chart__point")) == 2
    budget = {
        row.th.get_text(" ", strip=True): row.find_all("td")[-1].get_text()
        for row in page.select("#plan-budget ~ div table tr")
        if row.th and row.td
    }
    # 100 × 30,000 + 10 × 50,000 + 2 × 70,000 + 60,000 + 20,000 + 100 × 5,000 = 4,220,000
    assert budget["Programming"] == "$3,000,000"
    assert budget["Staff"] == "$500,000"
    assert budget["Supervisors"] == "$140,000"
    assert budget["Wraparound services"] == "$500,000"
    assert budget["Estimated cost"] == "$4,220,000"
    assert budget["Budget 2024"] == "$1,500,000"
    assert budget["Share of the estimate the budget covers"] == "36%"


def test_review_overdue_and_upcoming_split_follow_source_date(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")  # 2025-12-01
    assert run_cli("build", "--source", str(site), env=env).returncode == 0
    plan = soup(site / "output/plans/riverton/index.html").get_text(" ", strip=True)
    assert "Public review Next due 15 January 2026" in plan
    assert run_cli("build", "--source", str(site)).returncode == 0  # today = commit date 2026
    plan = soup(site / "output/plans/riverton/index.html").get_text(" ", strip=True)
    assert "Public review Overdue since 15 January 2026" in plan
    convenings = soup(site / "output/convenings/index.html")
    upcoming = [a.get_text() for a in convenings.select("#upcoming ~ ul a")][:1]
    assert upcoming == ["Next"]
    past = convenings.find(id="past").find_next("ul")
    assert [a.get_text() for a in past.select("li > a:first-child")] == ["First"]


def test_fellows_grouped_by_cohort_and_city(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    page = soup(site / "output/fellows/index.html")
    cohorts = {
        h3.get_text(" ", strip=True).split(" (")[0]: [
            a.get_text() for a in h3.find_next("ul").find_all("a")
        ]
        for h3 in page.find(id="by-cohort").find_all_next("h3")
        if h3.find_previous("h2") == page.find(id="by-cohort")
    }
    assert cohorts == {"Cohort of 2025": ["Bo Chen", "Cy Diaz"], "Cohort of 2024": ["Ana Ruiz"]}
    cities = [h3.get_text() for h3 in page.find(id="by-city").find_all_next("h3")]
    assert cities == ["Lakeside", "Riverton"]


def test_progress_is_shown_from_the_first_page_with_search_on(tmp_path: Path) -> None:
    """With search on the current pages are staged before the rest is listed: progress
    counts them alone first, then every page, and never goes back."""
    site = full_site(tmp_path / "site")
    shown: list[tuple[int, int]] = []
    result = build(site, progress=lambda done, total: shown.append((done, total)))
    searchable = [done for done, total in shown if total < result.pages]
    assert searchable and searchable[-1] == shown[0][1]  # the current pages, all of them
    assert shown[-1] == (result.pages, result.pages)
    assert [done for done, _ in shown] == sorted(done for done, _ in shown)


def test_the_menu_marks_the_section_of_the_page(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    marked = {
        page: [a.text for a in soup(site / "output" / page).select("nav a[aria-current]")]
        for page in (
            "index.html",
            "plans/index.html",
            "plans/riverton/index.html",
            "plans/riverton/history/index.html",
            "fellows/index.html",
            "convenings/first/index.html",
            "about/index.html",
        )
    }
    assert marked == {
        "index.html": [],
        "plans/index.html": ["Plans"],
        "plans/riverton/index.html": ["Plans"],
        "plans/riverton/history/index.html": ["Plans"],
        "fellows/index.html": ["Fellows"],
        "convenings/first/index.html": ["Convenings"],
        "about/index.html": ["About"],
    }


def test_sub_path_links_and_canonical(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    result = run_cli(
        "build", "--source", str(site), "--base-url", "https://example.org/city-plans/"
    )
    assert result.returncode == 0, result.stderr
    output = site / "output"
    assert broken_links(output, base_path="/city-plans/") == []
    plan = soup(output / "plans/riverton/index.html")
    assert (
        plan.find("link", rel="canonical")["href"]
        == "https://example.org/city-plans/plans/riverton/"
    )
    for page in output.rglob("*.html"):
        hrefs = [a["href"] for a in soup(page).find_all(["a", "link"], href=True)]
        root_relative = [h for h in hrefs if h.startswith("/")]
        if page.name == "404.html":
            assert root_relative and all(h.startswith("/city-plans/") for h in root_relative)
        else:
            assert root_relative == [], page
    about = soup(output / "about/index.html")
    assert about.select_one(".prose a")["href"] == "../plans/riverton/"


def test_same_commit_builds_byte_identical(tmp_path: Path, tree_digest: TreeDigest) -> None:
    site = full_site(tmp_path / "site")
    for name in ("one", "two"):
        assert (
            run_cli("build", "--source", str(site), "--output", str(tmp_path / name)).returncode
            == 0
        )
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_failed_build_leaves_previous_output_untouched(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    site = full_site(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    (site / "content/fellows/ana.md").write_text("---\nname: Ana\ncohort: soon\ncity: R\n---\n")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith("content/fellows/ana.md:3: 'cohort' must be")
    assert tree_digest(site / "output") == before


def test_output_that_is_or_contains_the_source_is_refused(tmp_path: Path) -> None:
    site = full_site(tmp_path / "site")
    for output in (site, tmp_path):
        result = run_cli("build", "--source", str(site), "--output", str(output))
        assert result.returncode == 1
        assert "is or contains the site folder" in result.stderr
    assert (site / "content/plans/riverton/plan.md").is_file()


def test_foreign_non_empty_output_folder_is_refused(tmp_path: Path) -> None:
    site = full_site(tmp_path / "site")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("keep me")
    result = run_cli("build", "--source", str(site), "--output", str(documents))
    assert result.returncode == 1 and "was not made by site-builder" in result.stderr
    assert (documents / "letter.txt").read_text() == "keep me"


def test_site_theme_overrides_one_template(tmp_path: Path, soup: Soup) -> None:
    site = full_site(tmp_path / "site")
    override = site / "themes/default/templates/404.html"
    override.parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "themes/default/templates/404.html", override)
    override.write_text(override.read_text().replace("Page not found", "Nothing here"))
    assert run_cli("build", "--source", str(site)).returncode == 0
    assert soup(site / "output/404.html").h1.get_text() == "Nothing here"
    assert soup(site / "output/index.html").h1.get_text() == "Test network"


def test_a_template_mistake_is_named_with_its_line_not_a_traceback(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    site = full_site(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    templates = site / "themes/default/templates"
    templates.mkdir(parents=True)
    page = (
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ nosuch.thing }}</p>\n{% endblock %}\n'
    )
    (templates / "fellow.html").write_text(page)
    (templates / "convening.html").write_text("{% if x %}\n<p>never closed</p>\n")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [said, *_] = result.stderr.splitlines()
    assert said.startswith("themes/default/templates/") and "(making the page /" in said
    assert said in (
        "themes/default/templates/fellow.html:3: 'nosuch' is undefined (making the page "
        "/fellows/ana/); correct the template: a name it uses may not exist on this page, "
        "or a tag may be unclosed",
        "themes/default/templates/convening.html:2: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block "
        "that needs to be closed is 'if'. (making the page /convenings/summit/); correct the "
        "template: a name it uses may not exist on this page, or a tag may be unclosed",
    )
    assert tree_digest(site / "output") == before


def test_an_update_page_costs_its_figures_plus_the_goals_not_their_product(
    make_site: MakeSite,
) -> None:
    """Each reported figure looked for its goal among all of them: 2,000 goals with a figure
    each took a minute to render."""
    count = 1000
    goals = "".join(
        f"  - {{id: g{i}, title: Goal {i}, indicator: m{i}, unit: people}}\n" for i in range(count)
    )
    figures = "".join(f"  m{i}: {i}\n" for i in range(count))
    site = make_site(
        {
            "content/plans/big/plan.md": f"---\ntitle: Big\ncity: Bigtown\nstatus: draft\n"
            f"goals:\n{goals}---\nProse.\n",
            "content/plans/big/updates/u.md": f"---\ntitle: U\ndate: 2024-01-01\n"
            f"metrics:\n{figures}---\nWhat happened.\n",
        },
    )
    prepared = prepare(site, write_cache=False)
    page = next(p for p in prepared.pages if p.template == "update.html")
    started = time.perf_counter()
    html = prepared.render(page)
    assert time.perf_counter() - started < 1.5  # well under 0.1 s; a minute when quadratic
    rows = BeautifulSoup(html, "html.parser").select("table tbody th")
    assert [row.get_text(" ", strip=True) for row in rows] == [
        f"Goal {i} (people)" for i in range(count)
    ]


def test_starting_the_command_line_imports_no_html_parser() -> None:
    """BeautifulSoup takes a tenth of a second to import; the command line and a warm build
    need it only to read the ids of a page rendered for a link's `#anchor`."""
    said = subprocess.run(
        [sys.executable, "-c", "import sys, site_builder.cli; print('bs4' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert said.stdout.strip() == "False"
