"""Small real sites for tests: the text of their files, a site with a history, writing
them into a folder, and running the real CLI on them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from site_builder.content.load import load_content
from site_builder.engine.errors import ContentError
from tests.support.git import commit, make_repo

#: The repository's root, which is also the sample site.
REPO_ROOT = Path(__file__).resolve().parents[2]
#: A site built for an address under a sub-path shows where each absolute URL points.
PREFIX = "/city-plans/"
BASE_URL = f"https://example.org{PREFIX}"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE_YAML = "title: Test network\nbase_url: https://example.org/\n"

MINIMAL_PLAN = """\
---
title: Safer Testville
city: Testville
status: draft
---
The plan's prose.
"""

FULL_PLAN = """\
---
title: Safer Riverton 2030
city: Riverton
state: OH
status: adopted
adopted: 2022-03-01
period: {start: 2022, end: 2030}
review: semiannual
summary: Fewer people hurt by violence in Riverton.
partners:
  - name: Riverton Youth Alliance
    role: Outreach
governance:
  - name: Executive table
    meets: Monthly
    members: [Mayor's office, Police chief]
goals:
  - id: shootings
    title: Fewer people shot
    indicator: people_shot
    unit: people
    direction: decrease
    baseline: {value: 100, year: 2020}
    target: {value: 50, year: 2030}
  - id: jobs
    title: More young people in summer jobs
    indicator: summer_jobs
    unit: people
    direction: increase
    baseline: {value: 200, year: 2020}
    target: {value: 600, year: 2030}
commitments:
  - kind: proclamation
    date: 2022-01-15
    title: Council proclamation on gun violence
    by: City council
    url: https://example.org/proclamation
    status: kept
budget:
  - {year: 2024, amount: 1500000, source: General fund}
cost_model:
  people_served: 100
  per_person: 30000
  staff: {count: 10, salary: 50000}
  supervisors: {count: 2, salary: 70000}
  office: 60000
  training: 20000
  wraparound_per_person: 5000
elections:
  - {date: 2027-11-02, office: Mayor}
readiness:
  political_will: {level: high, note: The mayor leads the table.}
  public_will: medium
  investment: {level: medium}
  cvi_ecosystem: {level: low}
---
## Why this plan

Riverton's plan is [about](/about/) people.
"""

UPDATE = """\
---
title: First half of 2024
date: 2024-07-15
period: 2024 H1
metrics:
  people_shot: 90
  summer_jobs: 250
goals:
  shootings: on-track
---
What happened.
"""

DRAFT = FULL_PLAN.replace("status: adopted\nadopted: 2022-03-01\n", "status: draft\n")
LOWER_TARGET = FULL_PLAN.replace(
    "target: {value: 50, year: 2030}", "target: {value: 40, year: 2030}"
)
WITH_FAMILIES = LOWER_TARGET.replace(
    "is [about](/about/) people.", "is [about](/about/) people and their families."
)


def billion_laughs(levels: int = 9) -> str:
    """Nine aliases to nine aliases to …: a few hundred bytes, 9**9 values if expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, levels):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def write_site(root: Path, files: dict[str, str], site_yaml: str = SITE_YAML) -> Path:
    """Write `site.yaml` and the given files (paths relative to the site) under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return root


def living_plan(root: Path) -> Path:
    """A plan with a move to the folder layout, several authors and notable messages."""
    make_repo(root)
    commit(
        root,
        {
            "site.yaml": SITE_YAML,
            "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
            "content/plans/riverton.md": DRAFT,
        },
        "First draft of the Riverton plan",
        author=("Zoë Ngụyễn", "zoe@example.org"),
        date="2022-01-10T09:00:00-05:00",
    )
    commit(
        root,
        {"content/plans/riverton.md": None, "content/plans/riverton/plan.md": DRAFT},
        "Move the plan into its own folder",
        author=("José Álvarez", "jose@example.org"),
        date="2022-02-01T10:00:00+01:00",
    )
    commit(
        root,
        {"content/plans/riverton/plan.md": FULL_PLAN},
        "Adopt the plan\n\nCouncil adopted the plan <script>alert(1)</script> today.",
        author=("jane.doe@example.org", "jane.doe@example.org"),
        date="2022-03-01T18:30:00+00:00",
    )
    commit(
        root,
        {"content/plans/riverton/plan.md": LOWER_TARGET},
        "Lower the 2030 shooting target after the spring review",
        author=("Zoë Ngụyễn", "zoe@example.org"),
        date="2023-04-15T12:00:00-04:00",
    )
    commit(
        root,
        {
            "content/plans/riverton/plan.md": WITH_FAMILIES,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
        },
        "Mention families\n\nChange-Type: minor",
        author=("Ana Ruiz", "ana@example.org"),
        date="2024-07-20T08:00:00+00:00",
    )
    return root


def problems_of(root: Path) -> list[str]:
    """What loading the site's content reports, as printed."""
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `site-builder` as a user would, in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def built(site: Path, *options: str) -> None:
    """Build through the command line: it must succeed, without a traceback."""
    result = run_cli("build", "--source", str(site), *options)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
