"""Living plans: every revision of a plan published from real git history."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser

from tests.support.fixtures import Soup
from tests.support.git import commit, log_follow
from tests.support.links import broken_links
from tests.support.sites import WITH_FAMILIES, living_plan, run_cli


def output_file(output: Path, url: str) -> Path:
    path = urlsplit(url).path.lstrip("/")
    return output / (path + "index.html" if path.endswith("/") or not path else path)


def test_history_json_matches_git_log_follow_and_urls_resolve(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    entries = json.loads((output / "plans/riverton/history.json").read_text())
    assert [e["commit"] for e in entries] == list(
        reversed(log_follow(site, "content/plans/riverton/plan.md"))
    )
    assert len(entries) == 5
    assert [e["date"] for e in entries] == [
        "2022-01-10T09:00:00-05:00",
        "2022-02-01T10:00:00+01:00",
        "2022-03-01T18:30:00+00:00",
        "2023-04-15T12:00:00-04:00",
        "2024-07-20T08:00:00+00:00",
    ]
    assert [e["author"] for e in entries] == [
        "Zoë Ngụyễn",
        "José Álvarez",
        "Jane Doe",
        "Zoë Ngụyễn",
        "Ana Ruiz",
    ]
    assert entries[2]["message"].startswith("Adopt the plan\n\nCouncil adopted")
    for entry in entries:
        assert output_file(output, entry["url"]).is_file()
        assert output_file(output, entry["changes_url"]).is_file()
    assert broken_links(output) == []


def test_no_email_address_is_published(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    for path in (site / "output").rglob("*"):
        if path.is_file():
            assert "@example.org" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_history_page_newest_first_with_escaped_messages(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    page = soup(site / "output/plans/riverton/history/index.html")
    titles = [h.get_text(strip=True) for h in page.select(".revisions h2")]
    assert titles[0] == "Mention families"
    assert titles[-1] == "First draft of the Riverton plan"
    assert page.find("script") is None
    assert "<script>alert(1)</script>" in page.get_text()
    plan_page = soup(site / "output/plans/riverton/index.html")
    assert plan_page.find("link", rel="alternate", type="application/atom+xml")
    assert "20 July 2024" in plan_page.get_text()  # last revised


def test_revision_page_shows_the_plan_as_it_was(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    first = log_follow(site, "content/plans/riverton/plan.md")[-1]
    page = soup(site / f"output/plans/riverton/revisions/{first[:12]}/index.html")
    banner = page.select_one(".banner--archive").get_text(" ", strip=True)
    assert "Archived version" in banner and "10 January 2022" in banner
    assert page.select_one(".summary-list .tag").get_text() == "Draft"
    current = page.select_one(".banner--archive a")
    assert current.get_text() == "Read the current plan"
    assert current["href"] == "../../../../plans/riverton/"


def test_changes_page_marks_fields_and_words(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    commits = log_follow(site, "content/plans/riverton/plan.md")
    lowered = soup(site / f"output/plans/riverton/revisions/{commits[1][:12]}/changes/index.html")
    change = lowered.select_one(".change-list li")
    assert change.get_text() == "Goal “Fewer people shot” › Target: 40 by 2030, was 50 by 2030"
    assert (change.find("del").get_text(), change.find("ins").get_text()) == (
        "50 by 2030",
        "40 by 2030",
    )
    assert "The text did not change." in lowered.get_text()
    adopted = soup(site / f"output/plans/riverton/revisions/{commits[2][:12]}/changes/index.html")
    status = [li.get_text() for li in adopted.select(".change-list li")]
    assert "Status: Adopted, was Draft" in status
    families = soup(site / f"output/plans/riverton/revisions/{commits[0][:12]}/changes/index.html")
    for hidden in families.select(".redline .visually-hidden"):
        assert hidden.get_text() == "added: "  # announced, not shown by colour alone
        hidden.decompose()
    assert [i.get_text() for i in families.select(".redline ins")] == [" and their families"]
    assert families.select(".redline del") == []
    assert families.select_one(".legend")
    assert "**" not in families.select_one(".redline").get_text()  # rendered, not Markdown


def test_adding_commits_never_moves_or_changes_a_revision_page(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    folder = site / "output/plans/riverton/revisions"
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.html")}
    commit(
        site,
        {"content/plans/riverton/plan.md": WITH_FAMILIES.replace("families", "friends")},
        "Say friends",
        date="2025-01-01T00:00:00+00:00",
    )
    assert run_cli("build", "--source", str(site)).returncode == 0
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.html")}
    assert set(before) < set(after)
    compared = {path for path in before if path.parent.name == "compare"}  # with today's plan
    assert compared and all(after[path] != before[path] for path in compared)
    assert all(after[path] == data for path, data in before.items() if path not in compared)


def test_minor_change_stays_in_history_but_not_in_feed(tmp_path: Path) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    feed = feedparser.parse((site / "output/plans/riverton/feed.xml").read_bytes())
    assert feed.bozo == 0
    titles = [e.title for e in feed.entries]
    assert "Safer Riverton 2030 revised: Adopt the plan" in titles
    assert not any("Mention families" in t for t in titles)
    assert any("outcome update" in t for t in titles)
    site_feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert site_feed.bozo == 0 and len(site_feed.entries) == len(feed.entries)


def test_shallow_clone_is_said_plainly(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{site}", str(clone)], check=True)
    result = run_cli("build", "--source", str(clone))
    assert result.returncode == 0
    assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr
    page = soup(clone / "output/plans/riverton/history/index.html")
    assert "This history is incomplete." in page.get_text()
    assert run_cli("build", "--source", str(clone), "--strict").returncode == 1


def test_folder_without_git_builds_without_history(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    subprocess.run(["rm", "-rf", str(site / ".git")], check=True)
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert "no git history" in result.stderr
    page = soup(site / "output/plans/riverton/history/index.html")
    assert "No history is available." in page.get_text()
    assert json.loads((site / "output/plans/riverton/history.json").read_text()) == []


def test_change_type_trailer_is_not_shown_to_residents(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    page = soup(site / "output/plans/riverton/history/index.html")
    assert "Change-Type" not in page.get_text()
    entries = json.loads((site / "output/plans/riverton/history.json").read_text())
    assert entries[-1]["message"] == "Mention families\n\nChange-Type: minor"
    assert entries[-1]["minor"] is True


def test_home_lists_major_revisions_and_updates_newest_first(tmp_path: Path, soup: Soup) -> None:
    site = living_plan(tmp_path / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    home = soup(site / "output/index.html")
    recent = [li.get_text(" ", strip=True) for li in home.select("#home-recent ~ ul li")]
    assert recent[0] == "Riverton outcome update: First half of 2024 15 July 2024"
    assert recent[1] == (
        "Riverton plan revised: Lower the 2030 shooting target after the "
        "spring review 15 April 2023"
    )
    assert not any("Mention families" in line for line in recent)


def test_change_notes_are_shown_flowing_without_the_trailers_for_the_build() -> None:
    from site_builder.history.change_notes import note_in, told

    assert (
        told("The executive table\nagreed today.\n\nChange-Type: minor")
        == "The executive table agreed today."
    )
    message = (
        "The table agreed.\n\nChange-Note-es: La mesa\n  lo acordó.\n"
        "change-note-vi : Bàn đã đồng ý.\nChange-Type: minor"
    )
    assert told(message) == "The table agreed."
    assert note_in(message, "es") == "La mesa lo acordó."
    assert note_in(message, "vi") == "Bàn đã đồng ý."
    assert note_in(message, "fr") is None
    assert note_in("Change-Note-es:   \n", "es") is None
