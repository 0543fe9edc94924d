"""Changes and compare pages on a long real history: the redline reads as both revisions.

A plan of long paragraphs, lists and a table is edited over 56 commits (one-word edits,
rows and items added, a paragraph moved, one removed, the file renamed); every changes
page and every compare page is read back with BeautifulSoup: its unmarked and inserted
text must read as the newer revision, its unmarked and deleted text as the older one, as
the plan page renders them (no Markdown in the prose).
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from site_builder.render.markdown import render_markdown
from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, built

FRONT = FULL_PLAN[: FULL_PLAN.index("\n---\n", 4) + 5]
OLD_PATH, NEW_PATH = "content/plans/riverton.md", "content/plans/riverton/plan.md"
WORDS = [
    "council",
    "residents",
    "outreach",
    "workers",
    "violence",
    "program",
    "budget",
    "county",
    "review",
    "families",
    "youth",
    "school",
    "summer",
    "jobs",
    "street",
    "safety",
    "hospital",
    "partners",
    "trust",
    "data",
    "quarterly",
]


def paragraph(rng: random.Random, number: int) -> str:
    words = [rng.choice(WORDS) for _ in range(90)]
    return f"Paragraph {number} says the **{words[0]}** and [the {words[1]}](/about/) " + (
        " ".join(words[2:]) + "."
    )


def body(doc: dict[str, list[str]]) -> str:
    """The plan's Markdown from its parts: paragraphs, a list, a table, more paragraphs."""
    rows = "\n".join(f"| {year} | {amount} |" for year, amount in doc["rows"])
    return (
        "## Why this plan\n\n"
        + "\n\n".join(doc["intro"])
        + "\n\n## What we will do\n\n"
        + "\n".join(f"- {item}" for item in doc["items"])
        + "\n\n## Budget\n\n| Year | Amount |\n| --- | ---: |\n"
        + rows
        + "\n\n## How we report\n\n"
        + "\n\n".join(doc["outro"])
        + "\n"
    )


def history(repo: Path) -> list[tuple[str, str]]:
    """56 commits of one plan; each (commit id, body)."""
    rng = random.Random(15)
    doc: dict[str, list] = {
        "intro": [paragraph(rng, n) for n in range(12)],
        "items": [f"Hire {n} more {rng.choice(WORDS)} workers" for n in range(6)],
        "rows": [[str(2024 + n), f"${n * 100},000"] for n in range(4)],
        "outro": [paragraph(rng, 100 + n) for n in range(10)],
    }
    made = []
    for step in range(56):
        moved_file = step == 30
        if step == 20:  # a paragraph moves from the intro to the end
            doc["outro"].append(doc["intro"].pop(3))
        elif moved_file:  # the file moves to the folder layout, with a small edit
            doc["items"][0] += " soon"
        elif step % 7 == 1:
            doc["items"].insert(rng.randrange(len(doc["items"])), f"Open {step} centres")
        elif step % 7 == 2:
            doc["rows"].append([str(2030 + step), f"${step},500"])
        elif step % 7 == 3:
            doc["rows"][rng.randrange(len(doc["rows"]))][1] = f"${step}00"
        elif step % 7 == 4 and len(doc["outro"]) > 4:
            doc["outro"].pop(rng.randrange(len(doc["outro"])))
        elif step % 7 == 5:
            doc["intro"].insert(rng.randrange(len(doc["intro"])), paragraph(rng, 200 + step))
        elif step > 0:  # one word changed in one long paragraph
            part = doc["intro"] if step % 2 else doc["outro"]
            index = rng.randrange(len(part))
            part[index] = part[index].replace(" ", f" changed{step} ", 1)
        text = body(doc)
        date = f"2024-{1 + step // 28:02d}-{1 + step % 28:02d}T09:00:00+00:00"
        files: dict[str, str | bytes | None] = {NEW_PATH if step >= 30 else OLD_PATH: FRONT + text}
        if moved_file:
            files[OLD_PATH] = None
        made.append((commit(repo, files, f"Edit {step}", date=date), text))
    return made


def words(element: Tag | BeautifulSoup) -> list[str]:
    return re.findall(r"\w+", element.get_text(" "))


def plan_words(markdown: str) -> list[str]:
    return words(BeautifulSoup(render_markdown(markdown), "html.parser"))


def reading(redline: Tag, side: str) -> list[str]:
    """The words of the redline read as one side: "new" drops deletions, "old" insertions
    and puts each moved block back where it stood; labels and notes are not prose."""
    shown = copy.copy(redline)
    if side == "old":
        for moved in shown.select(".redline-moved"):
            away = shown.select_one(f'a[href="#{moved["id"]}"]').find_parent("p")
            away.replace_with(copy.copy(moved))
            moved.decompose()
    for tag in shown.select(
        f".visually-hidden, .redline-note, summary, {'del' if side == 'new' else 'ins'}"
    ):
        tag.decompose()
    return words(shown)


def page(output: Path, commit_id: str, kind: str) -> BeautifulSoup:
    path = output / f"plans/riverton/revisions/{commit_id[:12]}/{kind}/index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_changes_and_compare_page_reads_as_both_revisions(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "site")
    (repo / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    made = history(repo)
    built(repo)
    output = repo / "output"
    latest = made[-1][1]
    plan_text = len(BeautifulSoup(render_markdown(latest), "html.parser").get_text())
    moved_seen = False
    for index, (commit_id, new) in enumerate(made):
        old = made[index - 1][1] if index else ""
        changes = page(output, commit_id, "changes")
        redline = changes.select_one(".redline")
        if old == new:
            assert redline is None and "The text did not change." in changes.get_text()
            continue
        assert reading(redline, "new") == plan_words(new), index
        assert reading(redline, "old") == plan_words(old), index
        prose = redline.get_text()
        assert not re.search(r"\*\*|\]\(|^#|\| ---", prose, re.MULTILINE), index
        assert redline.select("table") and redline.select("ul li"), index  # still a table
        if index > 0 and index % 7 in (0, 6) and index not in (20, 30):
            # a one-word edit: a short page, most of the plan folded away
            assert len(redline.select("ins")) == 1 and not redline.select("del"), index
            shown = copy.copy(redline)
            for folded in shown.select("details"):
                folded.decompose()
            assert len(shown.get_text()) < plan_text / 4, index
        if index == 20:
            moved_seen = bool(redline.select(".redline-moved"))
            assert not redline.select("del"), "a moved paragraph is not deleted"
        compare = page(output, commit_id, "compare")
        if index < len(made) - 1 and made[index][1] != latest:
            compared = compare.select_one(".redline")
            assert reading(compared, "new") == plan_words(latest), index
            assert reading(compared, "old") == plan_words(new), index
    assert moved_seen
    assert "nothing has changed since" in page(output, made[-1][0], "compare").get_text()


def test_revision_page_links_to_its_comparison_with_the_current_plan(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "site")
    (repo / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    first = commit(repo, {NEW_PATH: FRONT + "Old words here.\n"}, "First")
    commit(repo, {NEW_PATH: FRONT + "New words here.\n"}, "Second", date="2024-02-01T00:00:00Z")
    built(repo)
    revision = page(repo / "output", first, "")
    link = revision.find("a", string="What changed since, to today")
    assert link["href"] == "compare/" or link["href"].endswith(f"{first[:12]}/compare/")
    compare = page(repo / "output", first, "compare")
    assert [d.get_text() for d in compare.select(".redline del")] == ["removed: Old"]
    assert [i.get_text() for i in compare.select(".redline ins")] == ["added: New"]
