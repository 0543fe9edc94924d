"""Odd but real git histories build, through the command line, into sensible pages.

A detached HEAD (CI checks out a commit, not a branch), merges, names and messages in any
script, an e-mail address typed as the author's name, author dates out of order (a
rebase, a wrong clock), an empty commit message (allowed on git hosts' web editors), a
binary file beside the content and even a plan overwritten by one, and a plan rewritten
from end to end.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

from tests.support.fixtures import Soup
from tests.support.git import commit, git, log_follow, make_repo, merge
from tests.support.links import broken_links
from tests.support.sites import FULL_PLAN, LOWER_TARGET, SITE_YAML, WITH_FAMILIES, run_cli

PLAN = "content/plans/riverton/plan.md"
#: The first bytes of a PNG file: not UTF-8, with NUL bytes, as git hosts' uploads are.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00"


def odd_history(root: Path) -> dict[str, str]:
    """Every oddity in one repository, left on a detached HEAD; the commits by name."""
    repo = make_repo(root)
    made = {}
    made["first"] = commit(
        repo,
        {
            "site.yaml": SITE_YAML,
            "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
            "content/plans/riverton/map.png": PNG,
            PLAN: FULL_PLAN,
        },
        "Première ébauche — 第一稿",
        author=("Zoë Ngụyễn", "zoe@example.org"),
        date="2024-05-01T10:00:00+02:00",
    )
    made["empty message"] = commit(
        repo,
        {PLAN: LOWER_TARGET},
        "",
        author=("maria.lopez@example.org", "x@example.org"),
        date="2024-03-01T10:00:00+00:00",
    )  # earlier than its parent
    made["binary plan"] = commit(
        repo, {PLAN: PNG + b"\xff" * 64}, "Upload the map", date="2024-05-02T09:00:00-05:00"
    )
    made["restored"] = commit(
        repo,
        {PLAN: LOWER_TARGET},
        "Put the plan \x1b[1mback\x1b[0m\n\n\x0cPasted from a terminal.",
        author=("Bo\x07 Chen", "bo@example.org"),
        date="2024-05-02T09:30:00-05:00",
    )
    git(repo, "switch", "-q", "-c", "side")
    made["on a branch"] = commit(
        repo,
        {PLAN: WITH_FAMILIES},
        "Mention families",
        author=("Nguyễn Văn Anh", "anh@example.org"),
        date="2024-06-01T08:00:00+07:00",
    )
    git(repo, "switch", "-q", "main")
    made["beside"] = commit(
        repo,
        {"content/plans/riverton/map.png": PNG + b"\x01"},
        "Sharper map",
        date="2024-06-02T08:00:00+00:00",
    )
    made["merge"] = merge(repo, "side", "Merge branch 'side'", date="2024-06-03T08:00:00+00:00")
    made["after"] = commit(
        repo,
        {PLAN: FULL_PLAN},
        "Not built: after the checked-out commit",
        date="2024-07-01T08:00:00+00:00",
    )
    git(repo, "switch", "-q", "--detach", made["merge"])
    return made


def by_commit(output: Path) -> dict[str, dict[str, str]]:
    """The entries of history.json by commit id."""
    entries = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    return {entry["commit"]: entry for entry in entries}


def test_odd_history_builds_with_every_revision(tmp_path: Path, soup: Soup) -> None:
    site = tmp_path / "site"
    made = odd_history(site)
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    entries = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    assert [e["commit"] for e in entries] == log_follow(site, PLAN)[::-1]
    names = ["first", "empty message", "binary plan", "restored", "on a branch"]
    assert {e["commit"] for e in entries} == {made[name] for name in names}
    by_commit = {e["commit"]: e for e in entries}
    assert by_commit[made["first"]]["message"] == "Première ébauche — 第一稿"
    assert by_commit[made["first"]]["author"] == "Zoë Ngụyễn"
    assert by_commit[made["empty message"]]["author"] == "Maria Lopez"
    assert by_commit[made["empty message"]]["message"] == ""
    assert by_commit[made["empty message"]]["date"] == "2024-03-01T10:00:00+00:00"
    assert by_commit[made["on a branch"]]["author"] == "Nguyễn Văn Anh"
    for entry in entries:
        assert (output / entry["url"].removeprefix("https://example.org/") / "index.html").is_file()
    assert broken_links(output) == []
    # The detached HEAD is what is built: the merge's plan, not the later commit's.
    plan_page = soup(output / "plans/riverton/index.html").get_text(" ", strip=True)
    assert "people and their families" in plan_page


def test_odd_history_pages_read_sensibly(tmp_path: Path, soup: Soup) -> None:
    site = tmp_path / "site"
    made = odd_history(site)
    assert run_cli("build", "--source", str(site)).returncode == 0
    output = site / "output"
    history = soup(output / "plans/riverton/history/index.html")
    titles = [h.get_text(" ", strip=True) for h in history.select(".revisions h2")]
    assert "Première ébauche — 第一稿" in titles
    # The empty message gets a note written from its diff, and says so.
    assert (
        "Goal “Fewer people shot” › Target: 40 by 2030, was 50 by 2030 (summary written by "
        "the site from the changes; the commit had no note)"
    ) in titles
    assert "Maria Lopez" in history.get_text()

    # An empty message never makes an empty link or a title that stops short.
    for page in output.rglob("*.html"):
        for link in soup(page).find_all("a", href=True):
            assert link.get_text(strip=True) or link.find("img"), (page, link)
    for path in [output / "feed.xml", output / "plans/riverton/feed.xml"]:
        for entry in feedparser.parse(path.read_bytes()).entries:
            assert not entry.title.rstrip().endswith(":"), (path, entry.title)

    # Terminal colour codes and a form feed in a message are left out; the feeds stay XML.
    restored = by_commit(output)[made["restored"]]
    assert (restored["message"], restored["author"]) == (
        "Put the plan [1mback[0m\n\nPasted from a terminal.",
        "Bo Chen",
    )
    for path in output.rglob("*.xml"):
        ET.parse(path)

    # The plan overwritten by a binary file is archived as unreadable, not as a crash.
    binary = made["binary plan"][:12]
    archived = soup(output / f"plans/riverton/revisions/{binary}/index.html")
    assert "not UTF-8" in archived.get_text()
    assert (output / f"plans/riverton/revisions/{binary}/changes/index.html").is_file()

    # No e-mail address anywhere, even one typed as a name.
    for path in output.rglob("*"):
        if path.is_file():
            assert "@example.org" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_plan_of_20000_lines_rewritten_builds_its_changes(tmp_path: Path, soup: Soup) -> None:
    site = make_repo(tmp_path / "site")
    old = "".join(
        f"Line {n}: the table meets on Tuesdays about block {n}.\n" for n in range(20_000)
    )
    new = "".join(
        f"Row {n}: outreach workers walk block {n * 7} every night.\n" for n in range(20_000)
    )
    commit(
        site,
        {"site.yaml": "title: T\n", PLAN: FULL_PLAN + old},
        "Long plan",
        date="2024-01-01T00:00:00+00:00",
    )
    rewritten = commit(
        site, {PLAN: FULL_PLAN + new}, "Rewrite every line", date="2024-02-01T00:00:00+00:00"
    )
    started = time.perf_counter()
    result = run_cli("build", "--source", str(site))
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert seconds < 60, f"{seconds:.1f} s"
    changes = soup(site / f"output/plans/riverton/revisions/{rewritten[:12]}/changes/index.html")
    inserted = " ".join(tag.get_text() for tag in changes.find_all("ins"))
    deleted = " ".join(tag.get_text() for tag in changes.find_all("del"))
    assert "outreach workers walk block 139993" in inserted
    assert "the table meets on Tuesdays about block 19999" in deleted


def test_a_commit_dated_before_its_parent_keeps_its_place_in_the_history(tmp_path: Path) -> None:
    """Clocks skew and commits get backdated: a plan's revisions are in the order of the
    commits, not of their dates, even where a merged branch is newer than both."""
    site = make_repo(tmp_path / "site")
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    plan = "content/plans/riverton/plan.md"
    first = commit(site, {plan: FULL_PLAN}, "Adopt", date="2024-01-10T10:00:00+00:00")
    git(site, "switch", "-q", "-c", "side")
    about = "---\ntitle: About\n---\nWho we are.\n"
    commit(site, {"content/pages/about.md": about}, "About", date="2024-03-01T10:00:00+00:00")
    git(site, "switch", "-q", "main")
    second = commit(site, {plan: LOWER_TARGET}, "Lower", date="2024-02-01T10:00:00+00:00")
    third = commit(site, {plan: WITH_FAMILIES}, "Backdated", date="2024-01-05T10:00:00+00:00")
    merge(site, "side", "Merge the about page", date="2024-03-02T10:00:00+00:00")
    assert run_cli("build", "--source", str(site)).returncode == 0
    history = json.loads((site / "output/plans/riverton/history.json").read_text("utf-8"))
    assert [h["commit"] for h in history] == [first, second, third]
