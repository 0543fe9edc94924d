"""History as data: each revision's plan.json, linked from history.json, compared by script."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.commands.build import build
from tests.support.git import commit
from tests.support.sites import LOWER_TARGET, living_plan


def local(output: Path, url: str) -> Path:
    return output / urlsplit(url).path.lstrip("/")


def test_two_revisions_compared_from_their_data(tmp_path: Path, fixed_git: None) -> None:
    site = living_plan(tmp_path / "site")
    build(site)
    output = site / "output"
    entries = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    assert all(e["data_url"] for e in entries)
    adopted, lowered = (json.loads(local(output, e["data_url"]).read_text()) for e in entries[2:4])
    current = json.loads((output / "plans/riverton/plan.json").read_text(encoding="utf-8"))
    assert adopted.keys() == current.keys(), "a revision's data has the current plan.json's shape"
    targets = [[g["target"]["value"] for g in d["fields"]["goals"]] for d in (adopted, lowered)]
    assert targets == [[50, 600], [40, 600]]
    assert lowered["last_revised"] == "2023-04-15"
    assert lowered["updates"] == [], "the update was published after this revision"
    assert (
        urlsplit(lowered["url"]).path == f"/plans/riverton/revisions/{entries[3]['commit'][:12]}/"
    )


def test_a_revision_whose_data_cannot_be_read_has_no_data_url(
    tmp_path: Path, fixed_git: None
) -> None:
    site = living_plan(tmp_path / "site")
    plan = "content/plans/riverton/plan.md"
    commit(site, {plan: LOWER_TARGET.replace("status: adopted", "status: [")}, "Broken")
    commit(site, {plan: LOWER_TARGET}, "Fixed")
    result = build(site)
    assert result.git_processes == 3
    output = site / "output"
    entries = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    broken, fixed = entries[-2:]
    assert broken["data_url"] is None
    said = json.loads(
        (output / "plans/riverton/revisions" / broken["commit"][:12] / "plan.json").read_text(
            encoding="utf-8"
        )
    )
    assert said["readable"] is False and said["commit"] == broken["commit"]
    assert json.loads(local(output, fixed["data_url"]).read_text())["status"] == "adopted"


def test_revision_data_is_not_made_again_when_nothing_changed(
    tmp_path: Path, fixed_git: None
) -> None:
    site = living_plan(tmp_path / "site")
    build(site)
    data = site / "output/plans/riverton/history.json"
    first = data.stat().st_mtime_ns
    again = build(site)
    assert again.git_processes == 1
    assert data.stat().st_mtime_ns == first
