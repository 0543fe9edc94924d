"""The content model: what a plan, an outcome update, a fellow, a convening and a free page
are.

Each record is the single declaration of its fields (type, required or not, one-line
doc); `schema.Converter` reads YAML into them. Cross-field rules that a type hint cannot
say (an adopted plan's date, a convening's end after its start) are `rules.py`'s.
Every record of a content kind has a `title` and a `description`, which the generic page
of an item shows (`kinds.py` lists the kinds). A field marked `translatable` is one a
translation beside the file may carry (`translations.py`): text, or the records holding
it, matched by id; everything else a translation takes from its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .fields import SitePath, Slug, Url, derived, optional, required

PlanStatus = Literal["draft", "adopted", "in-review", "retired"]
ReviewCadence = Literal["quarterly", "semiannual", "annual"]
Direction = Literal["decrease", "increase"]
CommitmentKind = Literal[
    "proclamation", "mou", "pledge", "ordinance", "office", "budget", "announcement"
]
CommitmentStatus = Literal["promised", "in-progress", "kept", "missed", "withdrawn"]
GoalStatus = Literal["on-track", "at-risk", "off-track", "met"]
Level = Literal["low", "medium", "high"]


@dataclass(frozen=True, kw_only=True)
class Partner:
    name: str = required("the organisation or office", label="Name")
    role: str | None = optional("what it does in the plan", label="Role")


@dataclass(frozen=True, kw_only=True)
class GoverningBody:
    name: str = required("e.g. Executive table, Action table, Youth workgroup", label="Name")
    meets: str | None = optional("when it meets, e.g. 'Monthly, first Tuesday'", label="Meets")
    members: tuple[str, ...] = optional("who sits at the table", (), label="Members")


@dataclass(frozen=True, kw_only=True)
class Measure:
    value: float = required("the number", label="Value", shown="number")
    year: int | None = optional("the year it refers to", label="Year")


@dataclass(frozen=True, kw_only=True)
class Goal:
    id: Slug = required(
        "a short name used by updates, like 'fewer-shootings'", label="Short name", shown="word"
    )
    title: str = required("the goal in plain words", label="Goal", translatable=True)
    indicator: str | None = optional(
        "the measure updates report, like 'people_shot'", label="Indicator", shown="word"
    )
    unit: str | None = optional("what the numbers count, like 'people' or '%'", label="Unit")
    direction: Direction | None = optional(
        "whether the number should go down or up", label="Direction", shown="word"
    )
    baseline: Measure | None = optional("where the plan started: value and year", label="Baseline")
    target: Measure | None = optional("where the plan aims to be: value and year", label="Target")
    owner: str | None = optional(
        "the partner answerable for it, by its name in 'partners'", label="Owner"
    )


@dataclass(frozen=True, kw_only=True)
class Commitment:
    id: Slug | None = optional(
        "a short name that stays when the wording changes, like 'hire-outreach-workers'",
        label="Short name",
        shown="word",
    )
    kind: CommitmentKind = required(
        "proclamation, mou, pledge, ordinance, office, budget or announcement",
        label="Kind",
        shown="kind",
    )
    title: str = required("what was promised", label="Commitment", translatable=True)
    date: dt.date | None = optional("when it was made", label="Date", shown="date")
    by: str | None = optional("who made it", label="By")
    url: Url | None = optional("a link to the document", label="Link to the document")
    status: CommitmentStatus | None = optional(
        "promised, in-progress, kept, missed or withdrawn", label="Status", shown="word"
    )
    due: dt.date | None = optional("when it should be done", label="Due", shown="date")
    owner: str | None = optional(
        "the partner answerable for it, by its name in 'partners'", label="Owner"
    )


@dataclass(frozen=True, kw_only=True)
class BudgetLine:
    year: int = required("the budget year", label="Year")
    amount: float = required("dollars committed that year", label="Amount", shown="money")
    source: str | None = optional("where the money comes from", label="Source")


@dataclass(frozen=True, kw_only=True)
class Staffing:
    count: int = required("how many people", label="Count", shown="number")
    salary: float = required("yearly cost of one, in dollars", label="Salary", shown="money")


@dataclass(frozen=True, kw_only=True)
class CostModel:
    people_served: int = required(
        "people reached each year (often 1–2% of the population)",
        label="People served each year",
        shown="number",
    )
    per_person: float = required(
        "programming per person per year ($25,000–$45,000)",
        label="Programming per person",
        shown="money",
    )
    staff: Staffing | None = optional(
        "outreach and intervention staff: count and salary", label="Staff"
    )
    supervisors: Staffing | None = optional("supervisors: count and salary", label="Supervisors")
    office: float | None = optional("office space per year", label="Office", shown="money")
    training: float | None = optional("training per year", label="Training", shown="money")
    wraparound_per_person: float | None = optional(
        "wraparound services per person per year",
        label="Wraparound services per person",
        shown="money",
    )


@dataclass(frozen=True, kw_only=True)
class Election:
    date: dt.date = required("election day", label="Date", shown="date")
    office: str = required("the office on the ballot, e.g. Mayor", label="Office")


@dataclass(frozen=True, kw_only=True)
class ReadinessFactor:
    scalar_field = "level"
    level: Level = required("low, medium or high", label="Level", shown="word")
    note: str | None = optional("why", label="Note", translatable=True)


@dataclass(frozen=True, kw_only=True)
class Readiness:
    political_will: ReadinessFactor | None = optional(
        "elected leaders' commitment", label="Political will", translatable=True
    )
    public_will: ReadinessFactor | None = optional(
        "residents' support", label="Public will", translatable=True
    )
    investment: ReadinessFactor | None = optional(
        "money committed", label="Investment", translatable=True
    )
    cvi_ecosystem: ReadinessFactor | None = optional(
        "community violence intervention groups",
        label="Community violence intervention ecosystem",
        translatable=True,
    )


@dataclass(frozen=True, kw_only=True)
class Period:
    start: int = required("first year of the plan", label="Start")
    end: int = required("last year of the plan", label="End")


@dataclass(frozen=True, kw_only=True)
class Plan:
    title: str = required("the plan's name", label="Title", translatable=True)
    city: str = required("the city or county", label="City")
    status: PlanStatus = required(
        "draft, adopted, in-review or retired", label="Status", shown="word"
    )
    state: str | None = optional("the state, like OH", label="State")
    adopted: dt.date | None = optional(
        "the date it was adopted (required when adopted)", label="Adopted on", shown="date"
    )
    period: Period | None = optional("the years it covers: start and end", label="Plan period")
    review: ReviewCadence | None = optional(
        "quarterly, semiannual or annual", label="Public review", shown="word"
    )
    reviewed: dt.date | None = optional(
        "the day of the plan's last public review", label="Last reviewed", shown="date"
    )
    summary: str | None = optional(
        "one or two sentences for lists and search results", label="Summary", translatable=True
    )
    population: Measure | None = optional(
        "the city's population and the year it was counted, like {value: 48200, year: 2020}",
        label="Population",
    )
    partners: tuple[Partner, ...] = optional("partners and their roles", (), label="Partners")
    governance: tuple[GoverningBody, ...] = optional(
        "tables and workgroups", (), label="Tables and workgroups"
    )
    goals: tuple[Goal, ...] = optional("measurable goals", (), label="Goals", translatable=True)
    commitments: tuple[Commitment, ...] = optional(
        "what was promised, by whom, when", (), label="Commitments", translatable=True
    )
    budget: tuple[BudgetLine, ...] = optional(
        "money committed, year by year", (), label="Budget by year"
    )
    cost_model: CostModel | None = optional("what the work costs, line by line", label="Cost model")
    elections: tuple[Election, ...] = optional("upcoming elections", (), label="Elections")
    readiness: Readiness | None = optional(
        "political will, public will, investment, CVI ecosystem",
        label="Readiness",
        translatable=True,
    )
    slug: str = derived("the plan's folder name", "")
    path: str = derived("the plan file, relative to the site", "")
    body: str = derived("the Markdown prose", "")
    body_line: int = derived("the file line the prose starts on", 1)

    @property
    def description(self) -> str:
        return self.summary or f"{self.title}, {self.city}."


@dataclass(frozen=True, kw_only=True)
class GoalProgress:
    scalar_field = "status"
    status: GoalStatus = required("on-track, at-risk, off-track or met")
    note: str | None = optional("a sentence on why", translatable=True)


@dataclass(frozen=True, kw_only=True)
class OutcomeUpdate:
    title: str = required("the update's headline", translatable=True)
    date: dt.date = required("the date it was published")
    period: str | None = optional("the time it covers, like '2024 H2'")
    metrics: dict[str, float] = optional("indicator: value, for the plan's indicators", {})
    goals: dict[str, GoalProgress] = optional(
        "goal id: on-track, at-risk, off-track or met", {}, translatable=True
    )
    slug: str = derived("the update's file name")
    plan: str = derived("the plan's slug")
    path: str = derived("the update file, relative to the site")
    body: str = derived("the Markdown prose")
    body_line: int = derived("the file line the prose starts on", 1)

    @property
    def description(self) -> str:
        """The headline; its page adds the plan's city, which only the plan knows."""
        return self.title


@dataclass(frozen=True, kw_only=True)
class Link:
    label: str = required("the link text")
    url: Url = required("the address")


@dataclass(frozen=True, kw_only=True)
class Fellow:
    name: str = required("the fellow's name")
    cohort: int = required("the year the cohort began, like 2024")
    city: str = required("home city")
    state: str | None = optional("home state")
    photo: SitePath | None = optional(
        "a picture in static/, like /images/fellows/ana.jpg for static/images/fellows/ana.jpg"
    )
    pronouns: str | None = optional("e.g. she/her")
    focus: tuple[str, ...] = optional("areas of work", ())
    quote: str | None = optional("a sentence in their words", translatable=True)
    links: tuple[Link, ...] = optional("links: label and url", ())
    slug: str = derived("the file name")
    path: str = derived("the file, relative to the site")
    body: str = derived("the bio")
    body_line: int = derived("the file line the prose starts on", 1)

    @property
    def title(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return f"{self.name}, Young Leader Fellow ({self.cohort}), {city_name(self)}."


@dataclass(frozen=True, kw_only=True)
class Session:
    title: str = required("the session's title")
    date: dt.date | None = optional("its day")
    time: str | None = optional("its start time, like 09:30")
    speakers: tuple[str, ...] = optional("who speaks", ())


@dataclass(frozen=True, kw_only=True)
class Convening:
    title: str = required("the convening's name", translatable=True)
    city: str = required("host city")
    start: dt.date = required("first day")
    state: str | None = optional("host state")
    end: dt.date | None = optional("last day (leave out for one day)")
    number: int | None = optional("which annual convening, like 10")
    host: str | None = optional("who hosts it")
    venue: str | None = optional("where")
    expected_attendance: int | None = optional("how many people are expected")
    agenda: tuple[Session, ...] = optional("sessions: date, time, title, speakers", ())
    registration_url: Url | None = optional("where to register")
    registration_opens: dt.date | None = optional(
        "the day registration opens; the Register button shows from then"
    )
    slug: str = derived("the file name")
    path: str = derived("the file, relative to the site")
    body: str = derived("the description")
    body_line: int = derived("the file line the prose starts on", 1)

    @property
    def last_day(self) -> dt.date:
        return self.end or self.start

    @property
    def description(self) -> str:
        return f"{self.title}, {city_name(self)}."


@dataclass(frozen=True, kw_only=True)
class FreePage:
    """A page of prose at the top of the site (/about/), in content/pages/."""

    title: str = required("the page title", translatable=True)
    description: str | None = optional(
        "one sentence for search engines and link previews", translatable=True
    )
    footer: bool = optional("true to link the page from the footer of every page", False)
    slug: str = derived("the file name")
    path: str = derived("the file, relative to the site")
    body: str = derived("the Markdown text")
    body_line: int = derived("the file line the prose starts on", 1)


def city_name(item: Plan | Fellow | Convening) -> str:
    """'Riverton, OH', or the city alone when no state is given."""
    return f"{item.city}, {item.state}" if item.state else item.city
