"""Commitments and goals that can be followed across revisions: a stable `id`, a `due`
date and an `owner` among the plan's partners (old plans without them still build)."""

from __future__ import annotations

from pathlib import Path

from site_builder.content.load import load_content
from site_builder.site.field_changes import field_changes
from tests.support.fixtures import MakeSite, Soup
from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, SITE_YAML, built, problems_of, run_cli

PATH = "content/plans/riverton/plan.md"
OWNED = FULL_PLAN.replace(
    "    target: {value: 50, year: 2030}\n",
    "    target: {value: 50, year: 2030}\n    owner: Riverton Youth Alliance\n",
    1,
).replace(
    "  - kind: proclamation\n",
    "  - id: council-proclamation\n    kind: proclamation\n    due: 2026-06-30\n"
    "    owner: Riverton Youth Alliance\n",
)


def test_ids_due_dates_and_owners_load_and_show_on_the_plan_page(
    make_site: MakeSite, soup: Soup
) -> None:
    site = make_site({PATH: OWNED})
    plan = load_content(site).plans[0]
    promise = plan.commitments[0]
    assert (promise.id, promise.due.isoformat(), promise.owner) == (
        "council-proclamation",
        "2026-06-30",
        "Riverton Youth Alliance",
    )
    assert plan.goals[0].owner == "Riverton Youth Alliance"
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    table = page.find(id="plan-commitments").find_parent("section").table
    headers = [th.get_text() for th in table.thead.find_all("th")]
    assert headers == ["Commitment", "Kind", "By", "Date", "Owner", "Due", "Status"]
    cells = {td["data-label"]: td.get_text() for td in table.tbody.find_all("td")}
    assert (cells["Owner"], cells["Due"]) == ("Riverton Youth Alliance", "30 June 2026")
    assert "Owner: Riverton Youth Alliance" in page.find(id="plan-goals").find_parent(
        "section"
    ).get_text(" ")


def test_a_plan_without_them_keeps_its_table(make_site: MakeSite, soup: Soup) -> None:
    site = make_site({PATH: FULL_PLAN})
    built(site)
    table = soup(site / "output/plans/riverton/index.html").find(id="plan-commitments")
    headers = [th.get_text() for th in table.find_parent("section").table.thead.find_all("th")]
    assert headers == ["Commitment", "Kind", "By", "Date", "Status"]


def test_owners_and_ids_are_checked_all_at_once(make_site: MakeSite) -> None:
    text = (
        OWNED.replace("    owner: Riverton Youth Alliance\n", "    owner: Riverton Youth Aliance\n")
        .replace("    role: Outreach\n", "    role: Outreach\n  - name: City hall\n")
        .replace(
            "budget:\n",
            "  - id: council-proclamation\n    kind: pledge\n    title: Again\n"
            "    owner: Police\nbudget:\n",
        )
    )
    site = make_site({PATH: text})
    lines = text.splitlines()

    def line_of(needle: str, start: int = 0) -> int:
        return next(n for n, row in enumerate(lines, 1) if n > start and needle in row)

    goal_owner = line_of("owner: Riverton Youth Aliance")
    promise_owner = line_of("owner: Riverton Youth Aliance", goal_owner)
    assert problems_of(site) == [  # in the file's order
        f"{PATH}:{goal_owner}: the owner 'Riverton Youth Aliance' is not among the plan's "
        "partners — did you mean 'Riverton Youth Alliance'?",
        f"{PATH}:{promise_owner}: the owner 'Riverton Youth Aliance' is not among the plan's "
        "partners — did you mean 'Riverton Youth Alliance'?",
        f"{PATH}:{line_of('id: council-proclamation', line_of('id: council-proclamation'))}: "
        "two commitments have the id 'council-proclamation'; give each its own",
        f"{PATH}:{line_of('owner: Police')}: the owner 'Police' is not among the plan's "
        "partners (Riverton Youth Alliance, City hall); use one of their names, or add it "
        "under 'partners'",
    ]


def test_an_owner_in_a_plan_without_partners_says_to_add_them(make_site: MakeSite) -> None:
    text = OWNED.replace(
        "partners:\n  - name: Riverton Youth Alliance\n    role: Outreach\n", ""
    ).replace("    owner: Riverton Youth Alliance\n", "    owner: City hall\n")
    site = make_site({PATH: text})
    problems = problems_of(site)
    assert problems and all(
        "is not among the plan's partners, which it has none of; add it under 'partners'" in p
        for p in problems
    )


def test_a_reworded_commitment_with_an_id_is_one_change(tmp_path: Path) -> None:
    def plan(title: str) -> dict[str, object]:
        promise = {"id": "hire", "kind": "pledge", "title": title, "status": "promised"}
        return {"title": "T", "city": "C", "status": "draft", "commitments": [promise]}

    sections = field_changes(plan("Hire 10 outreach workers"), plan("Hire 12 outreach workers"))
    lines = [line for section in sections for line in section.lines]
    assert [line.kind for line in lines] == ["changed"]  # not removed and added


def _with_promise(promise_id: str, title: str) -> str:
    return FULL_PLAN.replace(
        "  - kind: proclamation\n",
        f"  - id: {promise_id}\n    kind: pledge\n    title: {title}\n  - kind: proclamation\n",
    )


def test_check_warns_when_an_id_seems_renamed(tmp_path: Path) -> None:
    site = make_repo(tmp_path / "site")
    commit(
        site,
        {
            "site.yaml": SITE_YAML,
            "content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
            PATH: _with_promise("hire-workers", "Hire ten outreach workers"),
        },
        "Promise ten outreach workers",
        date="2024-01-01T09:00:00+00:00",
    )
    renamed = _with_promise("hire-staff", "Hire ten outreach workers this year")
    (site / PATH).write_text(renamed)
    line = next(n for n, row in enumerate(renamed.splitlines(), 1) if "id: hire-staff" in row)
    expected = (
        f"warning: {PATH}:{line}: the commitment id 'hire-workers' is gone and 'hire-staff' "
        "(“Hire ten outreach workers this year”) is new; if it is the same promise, keep the "
        "id 'hire-workers', so that its history goes on"
    )

    def warnings() -> list[str]:
        result = run_cli("check", "--source", str(site))
        assert result.returncode == 0, result.stderr
        return [row for row in result.stderr.splitlines() if "commitment id" in row]

    assert warnings() == [expected]  # before the commit
    commit(site, {PATH: renamed}, "Say when", date="2024-02-01T09:00:00+00:00")
    assert warnings() == [expected]  # and by the commit that made it
    other = renamed.replace("Hire ten outreach workers this year", "Open a youth centre")
    commit(site, {PATH: other}, "A new promise instead", date="2024-03-01T09:00:00+00:00")
    assert warnings() == []  # the commitment before was not alike: a new promise


def test_a_commitment_past_due_and_not_settled_is_overdue(make_site: MakeSite, soup: Soup) -> None:
    promises = "".join(
        f"  - id: p{n}\n    kind: pledge\n    title: Promise {n}\n    due: {due}\n"
        f"    status: {status}\n"
        for n, (due, status) in enumerate(
            [
                ("2000-01-31", "promised"),
                ("2000-01-31", "in-progress"),
                ("2000-01-31", "kept"),
                ("2000-01-31", "withdrawn"),
                ("2999-01-31", "promised"),
            ]
        )
    )
    site = make_site({PATH: FULL_PLAN.replace("commitments:\n", "commitments:\n" + promises)})
    built(site)
    table = soup(site / "output/plans/riverton/index.html").find(id="plan-commitments")
    rows = table.find_parent("section").select("tbody tr")
    due = [row.find("td", attrs={"data-label": "Due"}).get_text(" ", strip=True) for row in rows]
    assert due[:5] == [
        "31 January 2000 Overdue",
        "31 January 2000 Overdue",
        "31 January 2000",
        "31 January 2000",
        "31 January 2999",
    ]
