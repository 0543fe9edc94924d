"""The preview follows git and keeps the last good page reachable: a real `site-builder
serve` over real HTTP, real commits and branch switches, pages parsed."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.commands.serve import free_after
from tests.support.git import commit, git
from tests.support.serve import PLAN_PAGE, Preview, launch, site_in_git, start
from tests.support.sites import MINIMAL_PLAN

HISTORY_PAGE = "/plans/testville/history/"
PLAN_FILE = "content/plans/testville/plan.md"
BANNER = "not yet published"


def until(served: Preview, path: str, holds: Callable[[str], bool], seconds: float = 30) -> str:
    """The page at `path` once `holds(page)`; fails after `seconds` (bounded wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = served.request(path)[2]
        if holds(page):
            return page
        time.sleep(0.1)
    raise AssertionError(f"{path} never changed as expected: {page[:2000]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Preview]:
    preview = start(tmp_path)
    try:
        yield preview
    finally:
        preview.stop()
    assert "Traceback" not in preview.log.read_text(), preview.log.read_text()


def test_a_commit_shows_in_the_history_and_ends_the_banner(served: Preview) -> None:
    plan = served.site / PLAN_FILE
    plan.write_text(MINIMAL_PLAN + "A new paragraph.\n")
    until(served, PLAN_PAGE, lambda page: "A new paragraph" in page and BANNER in page)

    commit(served.site, {}, "Add the outreach paragraph", date="2026-02-01T00:00:00+00:00")

    history = until(served, HISTORY_PAGE, lambda page: "Add the outreach paragraph" in page)
    assert BANNER not in history
    assert BANNER not in until(served, PLAN_PAGE, lambda page: BANNER not in page)


def test_a_branch_switch_shows_the_other_branchs_history(served: Preview) -> None:
    git(served.site, "checkout", "-q", "-b", "other")
    ignored = {".gitignore": ".site-builder-cache/\n"}  # the build's cache is not content
    commit(
        served.site, {PLAN_FILE: MINIMAL_PLAN + "Only on the other branch.\n", **ignored}, "Other"
    )
    until(served, HISTORY_PAGE, lambda page: "Other" in page)

    git(served.site, "checkout", "-q", "-")  # back: the working tree and HEAD change

    until(served, PLAN_PAGE, lambda page: "Only on the other branch" not in page)
    page = until(served, HISTORY_PAGE, lambda page: ">Other<" not in page and "Other\n" not in page)
    assert BANNER not in page


def test_the_error_page_is_styled_shows_the_line_and_links_the_last_good_page(
    served: Preview,
) -> None:
    plan = served.site / PLAN_FILE
    plan.write_text(MINIMAL_PLAN.replace("city: Testville", "city: [Testville"))

    page = BeautifulSoup(
        until(served, PLAN_PAGE, lambda p: "could not be rebuilt" in p), "html.parser"
    )

    assert page.find("link", rel="stylesheet")["href"] == "/assets/site.css"
    assert served.request("/assets/site.css")[0] == 200  # the theme's own, still served
    assert page.find("code").get_text().startswith(f"{PLAN_FILE}:3: ")
    excerpt = page.find("pre", class_="preview-excerpt")
    [marked] = excerpt.find_all("mark")
    assert "3 ▶ city: [Testville" in marked.get_text()
    assert "Line with the mistake" in marked.get_text()  # not by colour alone
    assert [
        line.get_text().split()[0] for line in excerpt.find_all(class_="preview-excerpt__line")
    ] == [
        "1",
        "2",
        "Line",
        "4",
        "5",
    ]
    # One row per line: the block-displayed lines have no newline between them.
    assert "\n" not in excerpt.get_text().strip()
    link = page.find("a", string=lambda text: "last good build" in (text or ""))
    assert (
        link["href"] == "/plans/testville?last-good"
        or link["href"] == "/plans/testville/?last-good"
    )
    last_good = BeautifulSoup(served.request(link["href"])[2], "html.parser")
    assert last_good.find("h1").get_text(strip=True) == "Safer Testville"


def test_a_mistake_in_a_file_that_is_gone_lists_it_without_lines(tmp_path: Path) -> None:
    from site_builder.commands.preview_error import excerpt
    from site_builder.engine.errors import Problem

    assert excerpt(tmp_path, Problem("content/gone.md", 3, "x")) == ()
    assert excerpt(tmp_path, Problem("../../etc/passwd", 1, "x")) == ()


def test_a_busy_port_suggests_a_port_that_is_free() -> None:
    with socket.socket() as busy, socket.socket() as next_one:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        try:
            next_one.bind(("127.0.0.1", port + 1))
            next_one.listen()
        except OSError:
            pass  # taken already, which is what the test needs
        suggested = free_after("127.0.0.1", port)
    assert suggested not in (port, port + 1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # it is free indeed


def test_a_preview_started_on_a_mistake_shows_the_error_page(tmp_path: Path) -> None:
    site = site_in_git(tmp_path)
    (site / PLAN_FILE).write_text(MINIMAL_PLAN.replace("city: Testville", "city: [Testville"))
    preview = launch(site, tmp_path)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                status, _, page = preview.request(PLAN_PAGE)
                break
            except OSError:
                time.sleep(0.05)
        assert status == 200 and "could not be rebuilt" in page, page
        assert f"{PLAN_FILE}:3: " in page
        assert "last good build" not in page  # nothing was built yet to fall back on
        assert preview.request("/assets/site.css")[0] == 200  # the page is styled all the same
        assert preview.request("/plans/nowhere.css")[0] == 404
    finally:
        preview.stop()
