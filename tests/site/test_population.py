"""A plan's population: the people its cost model serves as a share of residents, and
goals counted in people as rates per 100,000, on the plan page and in plans.json."""

from __future__ import annotations

import json

from tests.support.fixtures import MakeSite, Soup
from tests.support.sites import FULL_PLAN, UPDATE, built

PATH = "content/plans/riverton/plan.md"
WITH_POPULATION = FULL_PLAN.replace(
    "summary: Fewer people hurt by violence in Riverton.\n",
    "summary: Fewer people hurt by violence in Riverton.\npopulation: {value: 20000, year: 2020}\n",
)


def test_rates_and_share_of_residents_on_the_plan_page_and_in_plans_json(
    make_site: MakeSite, soup: Soup
) -> None:
    site = make_site({PATH: WITH_POPULATION, "content/plans/riverton/updates/2024-h1.md": UPDATE})
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    rows = page.find(id="plan-goals").find_parent("section").select("tbody tr")
    shootings = {td["data-label"]: td.get_text(" ", strip=True) for td in rows[0].find_all("td")}
    assert shootings["Baseline"] == "100 in 2020 500 per 100,000"
    assert shootings["Latest"] == "90 2024 H1 450 per 100,000"
    assert shootings["Target"] == "50 by 2030 250 per 100,000"
    cost = page.find(id="plan-budget").find_parent("section").get_text(" ", strip=True)
    assert (
        "It serves 100 people a year: 0.5% of Riverton's 20,000 residents (2020). The rule of "
        "thumb is to reach the 1–2% of residents most at risk of shooting or being shot."
    ) in cost
    [plan] = json.loads((site / "output/plans.json").read_text())
    assert plan["population"] == {"value": 20000, "year": 2020}
    assert plan["per_100k"]["shootings"] == {"baseline": 500.0, "latest": 450.0, "target": 250.0}
    assert "jobs" in plan["per_100k"]  # summer jobs are counted in people too


def test_without_a_population_no_rate_is_made_up(make_site: MakeSite, soup: Soup) -> None:
    site = make_site({PATH: FULL_PLAN})
    built(site)
    page = soup(site / "output/plans/riverton/index.html")
    assert "per 100,000" not in page.get_text()
    assert "of Riverton's" not in page.get_text()
    [plan] = json.loads((site / "output/plans.json").read_text())
    assert plan["population"] is None and plan["per_100k"] == {}
