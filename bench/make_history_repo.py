"""Generate a network-scale site repository with a long plan history, for benchmarks.

    python bench/make_history_repo.py DIR --plans 200 --revisions 40 \\
        --updates 1000 --fellows 300 --convenings 20
    python bench/make_history_repo.py DIR --plain 5000   # N free pages, nothing else

The plain mode is what every generator can build (one HTML page per Markdown page), for
comparing site-builder with the Python floor and with other generators. Its site.yaml
turns search off, since the others build no search index.

Every plan gets R revisions, one commit each (the first creates it). Most revisions move
the goal's target and a word of the prose, and walk the plan's commitments (each with an
`id`, a `due` date and an `owner` among its `partners`) through their history: statuses
go promised → in-progress → kept or missed, one commitment is withdrawn, one is reworded
(same id, new title), one gets a later due date, one is added part way and one is dropped
(removed without being marked withdrawn). One revision in ten changes nothing but the
`reviewed` date (the day of the plan's last public review), which the plan has from its
first review on. One plan in forty starts as `content/plans/<plan>.md` and is moved to
`content/plans/<plan>/plan.md` half way, in a commit of its own (a pure rename, so one
more revision in its history). Outcome updates, fellows and convenings arrive together
in one last commit. Dates, authors and messages are fixed, so two runs give the same
commit ids. The whole history goes through one `git fast-import`, which is what makes
8,000 commits take seconds, not minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

START = 1_609_750_800  # 2021-01-04 09:00 UTC, the first commit
STEP = 3 * 3600  # seconds between two commits
AUTHORS = (  # name, e-mail, UTC offset: non-ASCII names and an address used as a name
    ("Zoë Ngụyễn", "zoe@example.org", "-0500"),
    ("José Álvarez", "jose@example.org", "+0100"),
    ("Ana Ruiz", "ana@example.org", "+0000"),
    ("Sam Okafor", "sam@example.org", "+0200"),
    ("jane.doe@example.org", "jane.doe@example.org", "-0800"),
)
STATES = ("OH", "IL", "CA", "NY", "TX", "GA", "MI", "PA")
WORDS = ("residents", "families", "young people", "neighbours", "survivors", "partners")
CHANGES = (
    "Lower the shooting target",
    "Reword the plan's purpose",
    "Add the council's comments",
    "Fix a typo",
    "Update the outreach section",
)
MOVE_EVERY = 40  # one plan in this many starts as a single file and is moved to a folder
REVIEW_EVERY = 10  # one revision in this many records a public review and nothing else


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="where to create the repository")
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=40, help="commits per plan")
    parser.add_argument("--updates", type=int, default=0, help="outcome updates in all")
    parser.add_argument("--fellows", type=int, default=0)
    parser.add_argument("--convenings", type=int, default=0)
    parser.add_argument(
        "--translated",
        type=int,
        default=0,
        metavar="N",
        help="a Spanish translation of every Nth plan (the site then has two languages)",
    )
    parser.add_argument(
        "--plain", type=int, default=0, metavar="N", help="only N free pages, in one commit"
    )
    args = parser.parse_args()
    if args.plans < 1 or args.revisions < 1:
        sys.exit("--plans and --revisions must be at least 1")
    if args.directory.exists() and any(args.directory.iterdir()):
        sys.exit(f"{args.directory} is not empty")
    args.directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(args.directory)], check=True)
    if args.plain:
        stream = commit(0, f"Publish {args.plain} pages", plain_pages(args.plain))
    else:
        stream = b"".join(
            history(
                args.plans,
                args.revisions,
                args.updates,
                args.fellows,
                args.convenings,
                args.translated,
            )
        )
    subprocess.run(["git", "fast-import", "--quiet"], cwd=args.directory, input=stream, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=args.directory, check=True)


def history(
    plans: int, revisions: int, updates: int, fellows: int, convenings: int, translated: int = 0
) -> Iterator[bytes]:
    """The fast-import stream: revision r of every plan, for r = 0, 1, …, then the extras."""
    moved_at = revisions // 2 if revisions > 1 else None
    steps = step(revisions - 1) + 1
    reviewed: dict[int, dt.date] = {}  # plan: the day of its last public review
    number = 0
    for revision in range(revisions):
        for plan in range(plans):
            slug = f"plan-{plan:03d}"
            folder = f"content/plans/{slug}/plan.md"
            flat = plan % MOVE_EVERY == MOVE_EVERY - 1 and moved_at is not None
            before_move = flat and moved_at is not None and revision < moved_at
            path = f"content/plans/{slug}.md" if before_move else folder
            if flat and revision == moved_at:  # a pure `git mv`, as an editor would do it
                yield commit(
                    number,
                    f"Move the {city(plan)} plan into its own folder",
                    {},
                    ((f"content/plans/{slug}.md", folder),),
                )
                number += 1
            if review_only(revision):
                # The review is held the day before it is recorded: never after the
                # commit's day, whatever the author's time zone.
                reviewed[plan] = when(number).date() - dt.timedelta(days=1)
                message = f"Record the public review of {reviewed[plan]} ({city(plan)})"
            else:
                message = commit_message(plan, revision)
            tenth = step(revision) * 10 // steps
            files = {path: plan_text(plan, step(revision), tenth, reviewed.get(plan))}
            if translated and plan % translated == 0 and revision in translated_at(revisions):
                wording = translated_at(revisions).index(revision)
                files[f"content/plans/{slug}/plan.es.md"] = translation_text(plan, wording)
            if number == 0:
                languages = "languages: [en, es]\n" if translated else ""
                files["site.yaml"] = f"title: Bench network\n{languages}"
            yield commit(number, message, files)
            number += 1
    extras = {
        **update_files(plans, updates),
        **fellow_files(plans, fellows),
        **convening_files(plans, convenings),
    }
    if extras:
        yield commit(number, f"Publish {len(extras)} updates, fellows and convenings", extras)


def review_only(revision: int) -> bool:
    """Whether this revision of a plan changes its `reviewed` date and nothing else."""
    return revision % REVIEW_EVERY == REVIEW_EVERY - 1


def step(revision: int) -> int:
    """How many revisions before this one changed more than the `reviewed` date: what the
    plan says after `revision` depends on this alone, so a review-only revision repeats
    the revision before it."""
    return revision - (revision + 1) // REVIEW_EVERY


def plain_pages(count: int) -> dict[str, str]:
    """`count` free pages of a few hundred words with headings, a list, a table, a link."""
    files = {"site.yaml": "title: Bench pages\nsearch: false\n"}
    for number in range(count):
        word = WORDS[number % len(WORDS)]
        files[f"content/pages/page-{number:05d}.md"] = f"""---
title: Page {number} about {word}
description: What page {number} says about {word}.
---
## Why {word} matter

{f"The plan puts {word} first, and every review asks what changed for them. " * 6}

- Outreach workers meet {word} where they are.
- The city reports every six months.
- Partners share what works.

| Year | People reached | Budget |
| --- | --- | --- |
| 2024 | {number % 300 + 100} | $1,500,000 |
| 2025 | {number % 300 + 150} | $1,750,000 |

## What comes next

{f"Read [the previous page](/page-{max(number - 1, 0):05d}/) for the year before. " * 4}
"""
    return files


def commit(
    number: int, message: str, files: dict[str, str], renames: tuple[tuple[str, str], ...] = ()
) -> bytes:
    """One fast-import commit on main; its parent is the branch's previous commit."""
    name, email, offset = AUTHORS[number % len(AUTHORS)]
    identity = f"{name} <{email}> {START + number * STEP} {offset}".encode()
    parts = [
        b"commit refs/heads/main\n",
        b"author " + identity + b"\n",
        b"committer " + identity + b"\n",
        data(message),
    ]
    parts += [f"R {old} {new}\n".encode() for old, new in renames]
    for path, text in files.items():
        parts += [f"M 100644 inline {path}\n".encode(), data(text)]
    return b"".join(parts) + b"\n"


def data(text: str) -> bytes:
    encoded = text.encode()
    return b"data %d\n%s\n" % (len(encoded), encoded)


def when(number: int) -> dt.datetime:
    """The time of commit `number`, in UTC."""
    return dt.datetime.fromtimestamp(START + number * STEP, dt.UTC)


def city(plan: int) -> str:
    return f"Bench City {plan:03d}"


def commit_message(plan: int, revision: int) -> str:
    if revision == 0:
        return f"Add the {city(plan)} plan"
    subject = f"{CHANGES[(plan + revision) % len(CHANGES)]} ({city(plan)})"
    if revision % 5 == 0:
        return f"{subject}\n\nA small wording change.\n\nChange-Type: minor"
    return f"{subject}\n\nAgreed at the review meeting of revision {revision}."


def plan_text(plan: int, edits: int, tenth: int, reviewed: dt.date | None) -> str:
    """Plan `plan` after `edits` revisions that changed it (target and one word move each
    time), `tenth` tenths of the way through them, last reviewed on `reviewed`."""
    word = WORDS[(plan + edits) % len(WORDS)]
    review = f"review: semiannual\nreviewed: {reviewed}" if reviewed else "review: semiannual"
    return f"""\
---
title: Public Safety Plan for {city(plan)}
city: {city(plan)}
state: {STATES[plan % len(STATES)]}
status: adopted
adopted: 2020-11-17
period: {{start: 2021, end: 2030}}
{review}
summary: Fewer people hurt by violence in {city(plan)}.
partners:
{partner_list(plan)}goals:
  - id: shootings
    title: Fewer people shot
    indicator: people_shot
    unit: people
    direction: decrease
    baseline: {{value: 120, year: 2020}}
    target: {{value: {60 - edits % 20}, year: 2030}}
    owner: {partners(plan)[1][0]}
commitments:
{commitment_list(plan, tenth)}---
## Why this plan

{city(plan)} wrote this plan with {word} and residents who live with violence every day.
It sets one goal that everyone can check, and says who does what to reach it.

## What we will do

Outreach workers meet {word} where they are. The city funds the work for ten years, and
the council reviews the plan twice a year in public.

## How we will report

Every six months the city publishes an update with the number of people shot. Revision
{edits} of this plan was agreed at a public meeting.
"""


@cache
def partner_list(plan: int) -> str:
    """The plan's `partners` as YAML list items (the same in every revision)."""
    return "".join(yaml_item({"name": name, "role": role}) for name, role in partners(plan))


@cache
def commitment_list(plan: int, tenth: int) -> str:
    """The plan's `commitments` as YAML list items (at most ten versions a plan)."""
    names = [name for name, _ in partners(plan)]
    return "".join(yaml_item(item) for item in commitments(names, plan, tenth))


def partners(plan: int) -> tuple[tuple[str, str], ...]:
    """The plan's partners, name and role: outreach, and jobs (a name that is not ASCII)."""
    return (
        (f"{city(plan)} Peace Collective", "Street outreach"),
        (f"Fundación Vecinos de {city(plan)}", "Summer jobs"),
    )


def commitments(names: list[str], plan: int, tenth: int) -> list[dict[str, str]]:
    """The plan's commitments `tenth` tenths of the way through its history: statuses
    move on, one is postponed, one reworded, one added and later withdrawn, one dropped.
    Few and short, as the plan's other fields are: every kind of change, not a long plan."""
    outreach, jobs = names

    def status(*changes: tuple[int, str]) -> str:
        """'promised', then each (tenth, status) from that tenth on."""
        return next((now for at, now in reversed(changes) if tenth >= at), "promised")

    items = [
        {
            "id": "hire-outreach-workers",
            "kind": "pledge",
            "title": "Hire twelve street outreach workers",
            "owner": outreach,
            "due": "2022-03-31" if tenth < 6 else "2022-12-31",
            "status": status((2, "in-progress"), (8, "kept" if plan % 2 else "missed")),
        },
        {
            "id": "summer-jobs",
            "kind": "announcement",
            "title": "Summer jobs for 300 young people"
            if tenth < 4
            else "Paid summer jobs for 400 young people",
            "owner": jobs,
            "due": "2021-09-01",
            "status": status((7, "kept")),
        },
    ]
    if tenth < 6:  # then dropped: gone from the plan without being marked withdrawn
        items.append(
            {
                "id": "quarterly-reports",
                "kind": "pledge",
                "title": "Report to residents every quarter",
                "owner": outreach,
                "due": "2021-06-30",
                "status": status((2, "in-progress")),
            }
        )
    if tenth >= 3:  # added part way
        items.append(
            {
                "id": "hospital-intervention",
                "kind": "mou",
                "title": "Open a hospital violence intervention programme",
                "owner": outreach,
                "due": "2023-12-31",
                "status": status((7, "in-progress"), (9, "withdrawn")),
            }
        )
    return items


def yaml_item(fields: dict[str, str]) -> str:
    """One item of a YAML list of mappings (plain scalars: no value needs quoting)."""
    return "  - " + "    ".join(f"{key}: {value}\n" for key, value in fields.items())


def translated_at(revisions: int) -> tuple[int, ...]:
    """The revisions of a translated plan that change its translation: it is first
    translated half-way through its history (after any move into its folder), so its
    Spanish history has revisions of its own, and reworded a quarter later."""
    first, second = revisions // 2, revisions * 3 // 4
    return (first, second) if second > first else (first,)


def translation_text(plan: int, wording: int) -> str:
    """A Spanish translation of a plan (its title, summary, goal and prose), in the first
    or the later wording."""
    goal = ("Menos personas baleadas", "Menos personas heridas por disparos")[wording]
    return f"""\
---
title: Plan de seguridad pública de {city(plan)}
summary: Menos personas heridas por la violencia en {city(plan)}.
goals:
  - id: shootings
    title: {goal}
---
## Por qué este plan

{city(plan)} escribió este plan con los vecinos que viven la violencia cada día. Fija una
meta que todos pueden comprobar y dice quién hace qué para alcanzarla.
"""


def update_files(plans: int, count: int) -> dict[str, str]:
    """`count` outcome updates spread over the plans, six months apart."""
    files = {}
    for index in range(count):
        plan, period = index % plans, index // plans
        year, half = 2021 + period // 2, period % 2 + 1
        date = f"{year}-07-15" if half == 1 else f"{year + 1}-01-15"
        status = "on-track" if (plan + period) % 3 else "at-risk"
        files[f"content/plans/plan-{plan:03d}/updates/{year}-h{half}.md"] = f"""\
---
title: {year} H{half} update for {city(plan)}
date: {date}
period: {year} H{half}
metrics: {{people_shot: {max(0, 118 - 3 * period - plan % 7)}}}
goals: {{shootings: {status}}}
---
What happened in {city(plan)} in the {"first" if half == 1 else "second"} half of {year}.
"""
    return files


def fellow_files(plans: int, count: int) -> dict[str, str]:
    first = ("Amara", "Luis", "Keisha", "Tomás", "Mei", "Darnell", "Sofía", "Jamal")
    last = ("Johnson", "García", "Nguyen", "Okafor", "Williams", "Díaz", "Brown")
    return {
        f"content/fellows/fellow-{index:03d}.md": f"""\
---
name: {first[index % len(first)]} {last[index % len(last)]}
cohort: {2019 + index % 6}
city: {city(index % plans)}
---
A Young Leader fellow from {city(index % plans)}.
"""
        for index in range(count)
    }


def convening_files(plans: int, count: int) -> dict[str, str]:
    return {
        f"content/convenings/convening-{index + 1:02d}.md": f"""\
---
title: Annual convening {index + 1}
city: {city(index * 7 % plans)}
start: {2010 + index}-10-{1 + index % 28:02d}
---
The network's annual gathering.
"""
        for index in range(count)
    }


if __name__ == "__main__":
    main()
