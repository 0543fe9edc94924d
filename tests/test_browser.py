"""The built sample site as residents get it: in headless Chromium, and in the Nu Html Checker.

Issue 5's promises, checked on every page of the sample site (this repository): no WCAG 2.1
A/AA violations found by axe-core at 1280 and 320 px wide, no sideways page scroll at
320 px, a skip link and visible focus, HTML valid by the Nu Html Checker, and a search
that finds a plan by a word of its prose on a site served under a sub-path.

The tools come from `tests/browser/` (`npm ci --ignore-scripts` there: playwright-core,
axe-core, vnu-jar), the system's Chromium and Java; `.ci/run` installs them all. A missing
tool skips these tests on a developer's machine and fails them in CI (`CI` set), so CI can
never pass without running them.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from site_builder.commands.build import build
from site_builder.output.search import pagefind_available

REPO_ROOT = Path(__file__).resolve().parent.parent
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VNU_JAR = BROWSER_DIR / "node_modules/vnu-jar/build/dist/vnu.jar"
PREFIX = "/city-plans/"
BASE_URL = f"https://example.org{PREFIX}"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Pages whose keyboard use is walked through: the home page and a plan cover every template
#: part (header, navigation, tables that scroll, footer) the other pages share; the search
#: page adds Pagefind's search box.
KEYBOARD_PATHS = ["", "plans/halverton/", "search/"]


def require(ready: bool, message: str) -> None:
    """A missing tool fails the test in CI and skips it elsewhere, saying how to get it."""
    if ready:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so browser tests may not be skipped)")
    pytest.skip(message)


def require_browser_tools() -> None:
    require(shutil.which("node") is not None, "Node.js is not installed (apt-get install nodejs)")
    require(
        (BROWSER_DIR / "node_modules/playwright-core").is_dir()
        and (BROWSER_DIR / "node_modules/axe-core").is_dir(),
        "the browser test helpers are not installed: run "
        "'npm ci --ignore-scripts --prefix tests/browser'",
    )
    require(
        os.access(CHROMIUM, os.X_OK),
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built for https://example.org/city-plans/, search index included."""
    require(pagefind_available(), "Pagefind is not installed: pip install 'pagefind[bin]'")
    output = tmp_path_factory.mktemp("browser") / "site"
    result = build(REPO_ROOT, output, base_url=BASE_URL)
    assert not [w for w in result.warnings if "Pagefind" in w], result.warnings
    return output


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under PREFIX only, as a host does for a site in a sub-folder:
    any link that escapes the sub-path gets a 404, as it would there."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if not path.startswith(PREFIX):
            self.send_error(404, f"outside {PREFIX}")
            return None
        self.path = "/" + self.path[len(PREFIX) :]
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests report what matters."""


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 under /city-plans/; yields its address."""
    handler = functools.partial(SubPathHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def run_node(script: str, job: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    """Run one helper of tests/browser with its job; its JSON answer, or the test fails."""
    try:
        done = subprocess.run(
            ["node", script, json.dumps(job)],
            cwd=BROWSER_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"tests/browser/{script} did not finish in {timeout:.0f} s")
    if done.returncode != 0:
        pytest.fail(f"tests/browser/{script} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


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


def describe(path: str, violations: list[dict[str, Any]], width: str) -> list[str]:
    return [
        f"/{path} at {width}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"] for n in v["nodes"])
        for v in violations
    ]


def test_axe_finds_no_wcag_21_aa_violations_on_any_page(audit: dict[str, dict[str, Any]]) -> None:
    assert all(entry["status"] == 200 for entry in audit.values()), [
        p for p, e in audit.items() if e["status"] != 200
    ]
    problems = [
        line
        for path, entry in audit.items()
        for width, key in (("1280 px", "wide"), ("320 px", "narrow"))
        for line in describe(path, entry[key], width)
    ]
    assert problems == [], "\n".join(problems)


def test_no_page_scrolls_sideways_at_320_px(audit: dict[str, dict[str, Any]]) -> None:
    problems = [
        f"/{path}: {', '.join(entry['overflow'])}"
        for path, entry in audit.items()
        if entry["overflow"]
    ]
    assert problems == [], "\n".join(problems)


def test_skip_link_comes_first_and_focus_is_always_visible(
    audit: dict[str, dict[str, Any]],
) -> None:
    for path in KEYBOARD_PATHS:
        assert audit[path]["keyboard"] == [], f"/{path}: {audit[path]['keyboard']}"


def distinctive_word(site: Path) -> tuple[str, str]:
    """A word of one plan's prose that no other searchable page uses, and the plan's path."""
    texts = {}
    for file in sorted(site.rglob("index.html")):
        main = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").find("main")
        if main is not None and main.has_attr("data-pagefind-body"):
            texts[file.parent.relative_to(site).as_posix()] = main.get_text(" ").lower()
    for folder in texts:
        if not re.fullmatch(r"plans/[a-z0-9-]+", folder):
            continue
        prose = BeautifulSoup(
            (site / folder / "index.html").read_text(encoding="utf-8"), "html.parser"
        ).select_one("section[aria-labelledby=plan-text]")
        words = re.findall(r"\b[a-z]{8,}\b", prose.get_text(" ").lower() if prose else "")
        for word in words:
            if not any(word in other for name, other in texts.items() if name != folder):
                return word, f"{folder}/"
    pytest.fail("no plan of the sample site has a word of its own in its prose")


def test_search_finds_a_plan_by_a_word_of_its_prose_under_a_sub_path(
    site: Path, server: str
) -> None:
    require_browser_tools()
    word, plan = distinctive_word(site)
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


def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    require(
        shutil.which("java") is not None,
        "Java is not installed (apt-get install default-jre-headless)",
    )
    require(
        VNU_JAR.is_file(),
        "vnu-jar is not installed: run 'npm ci --ignore-scripts --prefix tests/browser'",
    )
    done = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--skip-non-html",
            "--errors-only",
            "--format",
            "json",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(done.stderr or done.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"the Nu Html Checker did not run: {done.stderr[-2000:]}")
    errors = [
        f"{m.get('url', '').removeprefix(site.as_uri())}:{m.get('lastLine', '?')}: "
        f"{m.get('message')}"
        for m in messages
        if m.get("type") != "info"
    ]
    assert errors == [], "\n".join(errors)
    assert done.returncode == 0, done.stderr[-2000:]
