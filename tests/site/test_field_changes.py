"""Field changes in plain language: the plan page's labels and formats, records as their
fields, long texts as word diffs, one line per change, grouped as the plan page is."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from site_builder.content import models
from site_builder.content.fields import yaml_fields
from site_builder.content.models import Plan
from site_builder.render.templates import make_environment
from site_builder.site.field_changes import SECTIONS, field_changes
from tests.support.git import commit, make_repo
from tests.support.sites import REPO_ROOT, SITE_YAML, run_cli

PLAN = {
    "title": "Riverton Community Safety Plan",
    "city": "Riverton",
    "status": "adopted",
    "adopted": "2023-06-13",
    "summary": "A ten-year plan to reduce shootings in Riverton, written with residents.",
    "goals": [
        {
            "id": "fewer-shootings",
            "title": "Fewer people shot",
            "indicator": "people_shot",
            "baseline": {"value": 120, "year": 2021},
            "target": {"value": 50, "year": 2030},
        }
    ],
    "commitments": [{"kind": "mou", "title": "Share data", "status": "in-progress"}],
    "budget": [{"year": 2024, "amount": 400000, "source": "the general fund"}],
}


def lines(old: dict[str, Any], new: dict[str, Any], tmp_path: Path) -> list[str]:
    """The field changes from `old` to `new` as the changes page shows them."""
    return [li.get_text() for li in _page(old, new, tmp_path).select(".change-list li")]


def _page(old: dict[str, Any], new: dict[str, Any], tmp_path: Path) -> BeautifulSoup:
    env = make_environment(tmp_path, "default")
    template = env.from_string('{% include "_field_changes.html" %}')
    html = template.render(fields=field_changes(old, new), previous=bool(old), root="./")
    return BeautifulSoup(html, "html.parser")


def changed(**fields: Any) -> dict[str, Any]:
    return {**PLAN, **fields}


def test_a_record_added_reads_as_its_fields(tmp_path: Path) -> None:
    budget = [*PLAN["budget"], {"year": 2025, "amount": 450000, "source": "the general fund"}]
    assert lines(PLAN, changed(budget=budget), tmp_path) == [
        "Budget 2025: $450,000 from the general fund, added"
    ]


def test_status_words_and_dates_as_the_plan_page_writes_them(tmp_path: Path) -> None:
    draft = {k: v for k, v in PLAN.items() if k != "adopted"} | {"status": "draft"}
    assert lines(draft, changed(status="in-review"), tmp_path) == [
        "Status: In review, was Draft",
        "Adopted on: 13 June 2023, added",
    ]


def test_a_target_changed_shows_the_whole_target(tmp_path: Path) -> None:
    goal = {**PLAN["goals"][0], "target": {"value": 40, "year": 2030}}
    page = _page(PLAN, changed(goals=[goal]), tmp_path)
    [line] = page.select(".change-list li")
    assert line.get_text() == "Goal “Fewer people shot” › Target: 40 by 2030, was 50 by 2030"
    assert (line.ins.get_text(), line.find("del").get_text()) == ("40 by 2030", "50 by 2030")


def test_a_changed_long_text_is_its_word_diff_in_full(tmp_path: Path) -> None:
    summary = "A ten-year plan to halve shootings in Riverton, written with residents and partners."
    [line] = _page(PLAN, changed(summary=summary), tmp_path).select(".change-list li")
    words = line.select_one(".field-changes__words")
    new = "".join(t for t in words.find_all(string=True) if t.parent.name != "del")
    old = "".join(t for t in words.find_all(string=True) if t.parent.name != "ins")
    assert (old, new) == (PLAN["summary"], summary)
    assert line.get_text().startswith("Summary, changed: ")


def test_the_first_revision_lists_every_record_with_its_value(tmp_path: Path) -> None:
    first = changed(period={"start": 2022, "end": 2030}, review="semiannual")
    assert lines({}, first, tmp_path) == [
        "Title: Riverton Community Safety Plan, added",
        "City: Riverton, added",
        "Status: Adopted, added",
        "Adopted on: 13 June 2023, added",
        "Plan period: 2022 to 2030, added",
        "Public review: Semiannual, added",
        f"Summary: {PLAN['summary']}, added",
        "Goal “Fewer people shot”: baseline 120 in 2021; target 50 by 2030, added",
        "Commitment “Share data”: Memorandum of understanding; status: In progress, added",
        "Budget 2024: $400,000 from the general fund, added",
    ]


def test_sections_follow_the_plan_page(tmp_path: Path) -> None:
    new = changed(
        readiness={"investment": {"level": "low"}},
        budget=[],
        partners=[{"name": "Riverton Peace Walkers"}],
        commitments=[{**PLAN["commitments"][0], "status": "kept"}],
        title="Riverton Plan",
    )
    headings = [h.get_text() for h in _page(PLAN, new, tmp_path).select("h3")]
    assert headings == [
        "About the plan",
        "Commitments",
        "Budget and cost",
        "Who is at the table",
        "Readiness",
    ]
    assert lines(PLAN, new, tmp_path)[-1] == "Investment: Low, added"


def test_a_field_the_model_no_longer_has_still_reads_as_words(tmp_path: Path) -> None:
    old = changed(old_review_board={"met_on": "2021-05-04", "state": "in-review", "seats": 12000})
    assert lines(old, PLAN, tmp_path) == [
        "Old review board: Met on: 4 May 2021; State: In review; Seats: 12,000, removed"
    ]


def test_every_field_of_the_model_has_a_label() -> None:
    """A field added to the content model without a label would show as its key."""
    todo: list[type] = [Plan]
    seen: set[type] = set()
    while todo:
        record = todo.pop()
        seen.add(record)
        labelled = {f.name for f in dataclasses.fields(record) if f.metadata.get("label")}
        assert {f.name for f in yaml_fields(record)} <= labelled, record
        hints = typing.get_type_hints(record, vars(models))
        for hint in hints.values():
            for inner in (hint, *typing.get_args(hint)):
                if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                    todo += [inner] if inner not in seen else []
    assert {key for _, keys in SECTIONS for key in keys} >= {f.name for f in yaml_fields(Plan)}


# --- every field change of a real history --------------------------------------------

#: What no field change may show: a key or status as written in YAML, an ISO date, a
#: number without separators, or the repr of a tuple, dict or list.
_SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONG_NUMBER = re.compile(r"(?<![\d,.$])\d{4,}(?![\d,])")
_REPR = re.compile(r"[\[{(]'|'[\]})]|\(\w+: |\b(?:None|True|False)\b|datetime")
_URL = re.compile(r"https?://[^\s,]+")


def identifiers(data: Any) -> set[str]:
    """Every key and every value of a plan's data that is an identifier (`in-review`,
    `people_shot`, `cost_model`): none may appear in a field change as it is."""
    found: set[str] = set()
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            found |= {k for k in value if isinstance(k, str) and re.search(r"[-_]", k)}
            todo += value.values()
        elif isinstance(value, list):
            todo += value
        elif isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", value):
            found.add(value)
    return found


def split(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def joined(data: dict[str, Any], body: str) -> str:
    return f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n{body}"


def earlier(data: dict[str, Any]) -> dict[str, Any]:
    """An earlier version of a plan: fewer goals, budget lines and commitments, a target
    and statuses that differ, no cost model, and a field the model no longer has."""
    old = {k: v for k, v in data.items() if k not in ("cost_model", "adopted")}
    old |= {"status": "draft", "summary": "An outline of the plan, to be written with residents."}
    old["goals"] = [dict(g) for g in data["goals"][:-1]]
    old["goals"][0]["target"] = {**old["goals"][0]["target"], "value": 123456}
    old["budget"] = data["budget"][:-1]
    old["commitments"] = [{**c, "status": "promised"} for c in data["commitments"][1:]]
    old["period"] = {"start": 2020, "end": 2029}
    old["planning_committee"] = {"formed_on": "2021-05-04", "stage": "in-review", "cost": 98765}
    return old


def test_every_field_change_of_the_sample_plans_reads_as_plain_language(tmp_path: Path) -> None:
    site = make_repo(tmp_path / "site")
    plans = sorted((REPO_ROOT / "content/plans").glob("*/plan.md"))
    versions = {p.parent.name: split(p.read_text(encoding="utf-8")) for p in plans}
    names = {f"content/plans/{slug}/plan.md": v for slug, v in versions.items()}
    commit(
        site,
        {"site.yaml": SITE_YAML} | {path: joined(earlier(d), b) for path, (d, b) in names.items()},
        "Outline the plans",
        date="2022-01-10T09:00:00+00:00",
    )
    commit(
        site,
        {path: joined(d, b) for path, (d, b) in names.items()},
        "Write the plans in full",
        date="2023-01-10T09:00:00+00:00",
    )
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    forbidden = set().union(*(identifiers(earlier(d)) | identifiers(d) for d, _ in names.values()))
    texts = plain_lines(site / "output", forbidden)
    assert len(texts) > 100  # every plan, first version and second
    assert any("was 123,456 by" in text for text in texts)
    assert any(text.startswith("Planning committee: Formed on: 4 May 2021") for text in texts)


def test_the_sample_sites_own_history_reads_as_plain_language(tmp_path: Path) -> None:
    """The sample site as this repository's git log of content/ has it."""
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("the sample site's history is in this repository's git folder")
    result = run_cli("build", "--source", str(REPO_ROOT), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    plans = (REPO_ROOT / "content/plans").glob("*/plan.md")
    forbidden = set().union(*(identifiers(split(p.read_text())[0]) for p in plans))
    assert plain_lines(tmp_path / "out", forbidden)


def plain_lines(output: Path, forbidden: set[str]) -> list[str]:
    """Every field change on every changes page, each checked to read as plain language."""
    texts = []
    for page in sorted(output.glob("plans/*/revisions/*/changes/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for line in soup.select(".change-list li"):
            text = line.get_text()
            assert re.search(r", (?:added|removed|was |changed: )", text), text
            # a word diff is checked as each version reads: unmarked and inserted words,
            # unmarked and deleted words
            for side in ("del", "ins"):
                seen = "".join(t for t in line.find_all(string=True) if t.parent.name != side)
                assert_plain(_URL.sub("", seen), forbidden)
            texts.append(text)
    return texts


def assert_plain(text: str, forbidden: set[str]) -> None:
    assert not _SNAKE.search(text), text
    assert not _ISO_DATE.search(text), text
    assert not _REPR.search(text), text
    for number in _LONG_NUMBER.findall(text):
        assert 1900 <= int(number) <= 2100, text  # a year, as the plan page has it
    words = set(re.findall(r"[\w-]+", text))
    assert not words & forbidden, (words & forbidden, text)
