"""One example item of each kind of the kinds table, for a site made by `site-builder init`:
fictional, real-looking text that builds with `--strict`, each file saying in its first
comment that it is an example (its title says so too, for whoever previews the site).

The paths come from the kinds table (`kinds.py`), so a kind's files are where discovery
looks for them; a kind of the table without an example here is a test failure.
"""

from __future__ import annotations

import datetime as dt

from . import kinds

#: The first line of every example's front matter.
EXAMPLE_NOTE = (
    "# Example written by 'site-builder init': fictional, to show how a {kind} is written."
    "\n# Rewrite it as your own, or delete it; 'site-builder new {kind} NAME' starts a"
    " file\n# with every field explained."
)
#: The example's file name ({slug}) and, for an item of a plan, its plan's ({plan}).
EXAMPLE_SLUG = {
    "plan": "alder-bend",
    "update": "first-report",
    "fellow": "jordan-avila",
    "convening": "alder-bend-gathering",
    "page": "about",
}


def example_files(today: dt.date) -> dict[str, str]:
    """The example files, by path, dated around `today`."""
    texts = _texts(today)
    files = {}
    for kind in kinds.KINDS:
        path = kind.files[0].format(slug=EXAMPLE_SLUG[kind.name], plan=EXAMPLE_SLUG["plan"])
        note = EXAMPLE_NOTE.format(kind=kind.name)
        if path.endswith(".*"):  # any of the content suffixes: Markdown, with front matter
            path = path.removesuffix(".*") + ".md"
        files[f"content/{path}"] = f"---\n{note}\n{texts[kind.name]}"
    return files


def _texts(today: dt.date) -> dict[str, str]:
    """The fields and prose of each example, after its note."""
    year = today.year
    return {
        "plan": f"""\
title: Alder Bend public safety plan (example)
city: Alder Bend
status: adopted
adopted: {today}
period: {{start: {year}, end: {year + 9}}}
review: semiannual
summary: Fewer young people hurt by violence in Alder Bend, led by the people closest to it.
partners:
  - name: Alder Bend Youth Alliance
    role: Street outreach and mentoring
governance:
  - name: Executive table
    meets: Monthly, first Tuesday
    members: [Mayor's office, Police department, Alder Bend Youth Alliance]
goals:
  - id: fewer-shootings
    title: Fewer people shot
    indicator: people_shot
    unit: people
    direction: decrease
    baseline: {{value: 48, year: {year - 1}}}
    target: {{value: 24, year: {year + 9}}}
    owner: Alder Bend Youth Alliance
commitments:
  - id: hire-outreach-workers
    kind: pledge
    date: {today}
    title: Hire six outreach workers
    by: Mayor's office
    due: {dt.date(year + 1, 6, 30)}
    owner: Alder Bend Youth Alliance
    status: promised
budget:
  - {{year: {year}, amount: 450000, source: General fund}}
---
## Why this plan

Alder Bend is a small river town in an example. Most of the people hurt by gun violence
here are young men between 16 and 24, and most of them know the person who hurt them.

## What we will do

The Youth Alliance's outreach workers meet young people where they are; the executive
table meets every month to see what works and to change what does not.

## How we will know it works

The number of people shot, counted every year, and a public review twice a year.
""",
        "update": f"""\
title: First report (example)
date: {today}
period: {year} H{1 if today.month <= 6 else 2}
metrics:
  people_shot: 45
goals:
  fewer-shootings: on-track
---
The outreach team started work in three neighbourhoods and met 120 young people.
""",
        "fellow": f"""\
name: Jordan Avila (example)
cohort: {year}
city: Alder Bend
focus: [Youth employment, Violence interruption]
---
Jordan grew up in Alder Bend and runs the Youth Alliance's summer jobs programme.
""",
        "convening": f"""\
title: Alder Bend gathering (example)
city: Alder Bend
start: {today + dt.timedelta(days=180)}
host: Alder Bend Youth Alliance
---
Two days for the plan's partners and residents to review the first year together.
""",
        "page": """\
title: About this site (example)
footer: true
---
This site publishes the city's public safety plans, every revision of them, and how they
are doing. Write here who publishes it and how to reach them.
""",
    }
