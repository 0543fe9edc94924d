"""The sample site, committed twice with fixed dates, builds exactly the bytes recorded in
`recorded_output.json`. The record was made before the code was laid out in layers, so a
change of structure that changes one byte of one page fails here, naming the files.

A change of output that is meant (a new page, an edited template) is recorded anew with

    SITE_BUILDER_RECORD=1 .venv/bin/python -m pytest tests/commands/test_recorded_output.py

and the record is committed with the change, so a review sees which files it changed.
Pagefind's index is left out (its bytes are Pagefind's and change with its version), and
so is the output folder's marker (it lists file times).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from site_builder.commands.build import build
from tests.support.git import commit
from tests.support.sites import REPO_ROOT

RECORD = Path(__file__).with_name("recorded_output.json")
LEFT_OUT = ("search/pagefind/", ".site-builder-output")


def sample_site(repo: Path) -> Path:
    """The sample site in `repo`: published once, then one plan's note revised."""
    for folder in ("content", "static"):
        shutil.copytree(REPO_ROOT / folder, repo / folder)
    shutil.copy(REPO_ROOT / "site.yaml", repo / "site.yaml")
    commit(repo, {}, "Publish the sample site", date="2025-01-15T10:00:00+00:00")
    plan = repo / "content/plans/halverton/plan.md"
    revised = plan.read_text(encoding="utf-8").replace(
        "fictional sample content.", "fictional sample content, revised after the spring review."
    )
    commit(
        repo,
        {"content/plans/halverton/plan.md": revised},
        "Revise the note on figures after the spring review",
        date="2025-06-02T09:30:00+00:00",
    )
    return repo


def digests(output: Path) -> dict[str, str]:
    return {
        str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(output.rglob("*"))
        if path.is_file() and not str(path.relative_to(output)).startswith(LEFT_OUT)
    }


def test_the_sample_site_builds_the_recorded_bytes(repo: Path) -> None:
    built = digests(build(sample_site(repo)).output)
    if os.environ.get("SITE_BUILDER_RECORD"):
        RECORD.write_text(json.dumps(built, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    changed = sorted(
        path for path in recorded.keys() & built.keys() if recorded[path] != built[path]
    )
    assert (changed, sorted(built.keys() - recorded), sorted(recorded.keys() - built)) == (
        [],
        [],
        [],
    ), "changed, new and missing files (see this module's docstring to record a meant change)"
