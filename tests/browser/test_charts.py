"""Chart labels as residents see them in Chromium: at least 12 CSS px at 320 px wide and on a
desktop, inside the screen, and not on top of one another; the chart pages pass axe and the
Nu Html Checker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.commands.build import build
from tests.support.browser import (
    accessibility_problems,
    nu_html_errors,
    require_browser_tools,
    require_nu_html_checker,
    run_node,
    served,
)
from tests.support.sites import BASE_URL, FULL_PLAN, UPDATE, write_site

#: A plan reported on once (a single point), and one whose counts have seven digits.
ONE_REPORT = FULL_PLAN
LONG_LABELS = FULL_PLAN.replace("Safer Riverton 2030", "Safer Bigton").replace(
    "baseline: {value: 100, year: 2020}\n    target: {value: 50, year: 2030}",
    "baseline: {value: 2000004, year: 2020}\n    target: {value: 2000000, year: 2030}",
)
PATHS = ["plans/riverton/", "plans/bigton/", "plans/bigton/goals/shootings/"]


def report(period: str, date: str, shot: int) -> str:
    return (
        UPDATE.replace("2024 H1", period)
        .replace("2024-07-15", date)
        .replace("people_shot: 90", f"people_shot: {shot}")
    )


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts")
    files = {
        "content/plans/riverton/plan.md": ONE_REPORT,
        "content/plans/riverton/updates/2024-h1.md": UPDATE,
        "content/plans/bigton/plan.md": LONG_LABELS,
        "content/plans/bigton/updates/2023-q4.md": report("2023 Q4", "2024-01-20", 2_000_003),
        "content/plans/bigton/updates/2024-h1.md": report("2024 H1", "2024-07-15", 2_000_002),
        "content/plans/bigton/updates/2025.md": report("2025", "2026-01-20", 2_000_001),
    }
    site = write_site(root / "site", files)
    build(site, root / "output", base_url=BASE_URL)
    return root / "output"


@pytest.fixture(scope="module")
def laid_out(output: Path) -> Iterator[list[dict[str, Any]]]:
    require_browser_tools()
    with served(output) as base:
        yield run_node("chart_labels.mjs", {"base": base, "paths": PATHS, "widths": [320, 1280]})[
            "pages"
        ]


def overlapping(boxes: list[dict[str, float]]) -> bool:
    return any(
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def test_chart_labels_are_at_least_12_px_inside_the_screen_and_apart(
    laid_out: list[dict[str, Any]],
) -> None:
    """The labels rendered at about 8.8 px on a phone: SVG text shrank with the drawing."""
    problems = []
    for entry in laid_out:
        where = f"/{entry['path']} at {entry['width']} px"
        assert entry["status"] == 200 and entry["charts"], where
        for chart in entry["charts"]:
            kinds = {label["kind"] for label in chart["labels"]}
            assert {"chart__tick", "chart__label", "chart__ref"} <= kinds, (where, kinds)
            for label in chart["labels"]:
                box, text = label["box"], label["text"]
                if label["fontSize"] < 12 or box["bottom"] - box["top"] < 12:
                    problems.append(f"{where}: {text!r} is {label['fontSize']} px")
                if box["left"] < 0 or box["right"] > entry["viewport"]:
                    problems.append(f"{where}: {text!r} is cut off at {box}")
            for kind in ("chart__tick", "chart__label"):
                boxes = [label["box"] for label in chart["labels"] if label["kind"] == kind]
                if overlapping(boxes):
                    problems.append(f"{where}: the {kind} labels overlap")
    assert problems == [], "\n".join(problems)


def test_a_single_report_is_a_point_with_its_label(laid_out: list[dict[str, Any]]) -> None:
    for entry in laid_out:
        if entry["path"] == "plans/riverton/":
            values = [
                lb["text"] for lb in entry["charts"][0]["labels"] if lb["kind"] == "chart__value"
            ]
            assert values == ["2024 H1: 90"], entry["width"]


def test_chart_pages_pass_axe_and_the_nu_html_checker(output: Path) -> None:
    require_browser_tools()
    assert accessibility_problems(output, PATHS) == []
    require_nu_html_checker()
    files = [str(output / path / "index.html") for path in PATHS]
    errors = [
        f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in nu_html_errors(*files)
    ]
    assert errors == [], "\n".join(errors)
