"""`site-builder new`: starter files that load as written and document every field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from pathlib import Path

import pytest

from site_builder.commands.new import new_item
from site_builder.content import kinds
from site_builder.content.fields import yaml_fields
from site_builder.content.load import load_content
from site_builder.content.models import Convening, Fellow, OutcomeUpdate, Plan
from site_builder.content.starter import EDIT_ME, examples
from site_builder.engine.errors import ContentError, SiteError, UsageError
from tests.support.fixtures import MakeSite
from tests.support.sites import FULL_PLAN, MINIMAL_PLAN

TODAY = dt.date(2026, 11, 25)
#: A commented-out field line: '#' then YAML, unlike a '# ' note.
FIELD_LINE = re.compile(r"^#(?=\S|  )")


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A site with one full plan (goals with indicators) and one minimal plan."""
    return make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/testville/plan.md": MINIMAL_PLAN,
        },
        "title: T\n",
    )


def startable_records() -> dict[str, type]:
    """The record of each kind `new` can start, by the kind's name."""
    return {kind.name: kind.record for kind in kinds.KINDS if kind.starter is not None}


def uncommented(text: str) -> str:
    """The file with every optional field switched on, as an author would do it."""
    return "\n".join(FIELD_LINE.sub("", line) for line in text.split("\n"))


def all_fields(cls: type) -> set[str]:
    """The YAML names of `cls` and of every record nested in it."""
    names = set()
    hints = typing.get_type_hints(cls)
    for f in yaml_fields(cls):
        names.add(f.name)
        for inner in (hints[f.name], *typing.get_args(hints[f.name])):
            for kind in (inner, *typing.get_args(inner)):
                if dataclasses.is_dataclass(kind):
                    names |= all_fields(kind)  # type: ignore[arg-type]
    return names


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("plan", "lakeside", "content/plans/lakeside/plan.md"),
        ("fellow", "ana-ruiz", "content/fellows/ana-ruiz.md"),
        ("convening", "2026-new-orleans", "content/convenings/2026-new-orleans.md"),
    ],
)
def test_each_kind_loads_as_written_and_with_every_field_on(
    site: Path, kind: typing.Any, name: str, expected: str
) -> None:
    path = new_item(site, kind, name, TODAY)
    assert path == site / expected
    text = path.read_text(encoding="utf-8")
    assert f"{EDIT_ME}" in text and text.startswith("---\n# Started with")
    load_content(site)
    photo = site / f"static/images/fellows/{name}.jpg"  # the photo line names it
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff")
    path.write_text(uncommented(text), encoding="utf-8")
    content = load_content(site)
    items = {"plan": content.plans, "fellow": content.fellows, "convening": content.convenings}[
        kind
    ]
    assert name in [item.slug for item in items]


def test_a_new_plan_is_a_draft(site: Path) -> None:
    new_item(site, "plan", "lakeside", TODAY)
    plan = next(p for p in load_content(site).plans if p.slug == "lakeside")
    assert plan.status == "draft" and plan.title == "Lakeside public safety plan"
    assert "## Why this plan" in plan.body


def test_an_update_loads_as_written(site: Path) -> None:
    path = new_item(site, "update", "riverton", TODAY)
    assert path == site / "content/plans/riverton/updates/2026-11-25.md"
    updates = load_content(site).updates["riverton"]
    assert [u.date for u in updates if u.slug == "2026-11-25"] == [TODAY]


def test_an_update_lists_and_prefills_the_plans_goals_and_indicators(site: Path) -> None:
    path = new_item(site, "update", "riverton", TODAY)
    text = path.read_text(encoding="utf-8")
    assert "# - shootings: Fewer people shot — people_shot" in text
    assert "# - jobs: More young people in summer jobs — summer_jobs" in text
    assert re.search(
        r"^#  people_shot: 100  # «edit me» Fewer people shot \(people\)$", text, re.MULTILINE
    )
    assert re.search(r"^#  jobs:  # More young people in summer jobs$", text, re.MULTILINE)
    path.write_text(uncommented(text), encoding="utf-8")
    update = next(u for u in load_content(site).updates["riverton"] if u.slug == "2026-11-25")
    assert update.metrics == {"people_shot": 100, "summer_jobs": 200}
    assert set(update.goals) == {"shootings", "jobs"}


def test_an_update_for_a_plan_without_goals_says_so(site: Path) -> None:
    text = new_item(site, "update", "testville", TODAY).read_text(encoding="utf-8")
    assert "has no goals yet" in text


def test_an_update_may_be_named_when_the_plan_is_given(site: Path) -> None:
    path = new_item(site, "update", "2026-h2", TODAY, plan="riverton")
    assert path == site / "content/plans/riverton/updates/2026-h2.md"


@pytest.mark.parametrize("cls", [Plan, OutcomeUpdate, Fellow, Convening])
def test_every_field_of_the_model_is_in_the_file(site: Path, cls: type) -> None:
    kind = next(k for k, model in startable_records().items() if model is cls)
    text = new_item(site, kind, "riverton" if kind == "update" else "new-one", TODAY).read_text(
        encoding="utf-8"
    )
    for name in all_fields(cls):
        assert re.search(rf"^#?\s*(- )?{name}:", text, re.MULTILINE), name
    for f in yaml_fields(cls):
        assert f.metadata["doc"] in text


def test_every_example_names_a_real_field() -> None:
    """An example for a renamed or removed field would silently stop being used."""
    names: set[str] = set()
    for cls in startable_records().values():
        names |= all_fields(cls)
    records = {
        "Plan",
        "Period",
        "Partner",
        "GoverningBody",
        "Goal",
        "Measure",
        "Commitment",
        "BudgetLine",
        "Staffing",
        "CostModel",
        "Election",
        "ReadinessFactor",
        "OutcomeUpdate",
        "GoalProgress",
        "Fellow",
        "Link",
        "Convening",
        "Session",
        "baseline",
        "target",
        "population",
        "staff",
        "supervisors",
        "metrics",
    }
    for key in examples(TODAY, "x"):
        owner, _, name = key.rpartition(".")
        assert name in names | {"name"}, key
        assert not owner or owner in records, key


def test_refuses_to_overwrite(site: Path) -> None:
    (site / "content/fellows").mkdir(parents=True)
    (site / "content/fellows/ana.yaml").write_text("name: Ana\ncohort: 2024\ncity: X\n")
    with pytest.raises(
        SiteError,
        match=r"^content/fellows/ana\.yaml already exists; choose "
        r"another name or edit it$",
    ):
        new_item(site, "fellow", "ana", TODAY)
    with pytest.raises(SiteError, match=r"content/plans/riverton/plan\.md already exists"):
        new_item(site, "plan", "riverton", TODAY)
    new_item(site, "update", "riverton", TODAY)
    with pytest.raises(SiteError, match=r"2026-11-25\.md already exists; edit it$"):
        new_item(site, "update", "riverton", TODAY)


@pytest.mark.parametrize(
    ("name", "hint"),
    [("Ana Ruiz", "like 'ana-ruiz'"), ("../../etc", "like 'etc'"), ("", "hyphens$")],
)
def test_refuses_a_bad_name(site: Path, name: str, hint: str) -> None:
    with pytest.raises(UsageError, match=f"cannot be a fellow name: use only lowercase .*{hint}"):
        new_item(site, "fellow", name, TODAY)
    assert not (site / "content/fellows").exists()


def test_an_update_needs_its_plan(site: Path) -> None:
    with pytest.raises(
        SiteError,
        match=r"^there is no plan 'nowhere': content/plans/nowhere/"
        r"plan.md does not exist; start it with 'site-builder "
        r"new plan nowhere'$",
    ):
        new_item(site, "update", "nowhere", TODAY)
    assert not (site / "content/plans/nowhere").exists()


def test_an_update_for_a_broken_plan_reports_the_plan(site: Path) -> None:
    (site / "content/plans/riverton/plan.md").write_text("---\ntitle: X\n---\n")
    with pytest.raises(ContentError, match=r"riverton/plan\.md:2: missing required"):
        new_item(site, "update", "riverton", TODAY)
