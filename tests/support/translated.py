"""A plan and its Spanish translation with a real git history of fixed dates: the source
worded before the translation, then changed in numbers and a status alone, then (by
`reword`) in its words."""

from __future__ import annotations

from pathlib import Path

from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, SITE_YAML

TWO_LANGUAGES = SITE_YAML + "languages: [en, es]\n"
PLAN = "content/plans/riverton/plan.md"
SPANISH_PLAN = "content/plans/riverton/plan.es.md"
ABOUT = "content/pages/about.md"
PAGE = "---\ntitle: About\n---\nUs.\n"  # the plan links to it
SPANISH = """\
---
title: Riverton más segura 2030
summary: Menos personas heridas por la violencia en Riverton.
goals:
  - id: shootings
    title: Menos personas baleadas
---
## Por qué este plan
"""
#: The plan as the translation found it.
WORDED = FULL_PLAN.replace("Fewer people hurt", "Fewer people hurt or killed")
#: Numbers and a status changed, no word: the Spanish plan still says what the English says.
COUNTED = (
    WORDED.replace("target: {value: 50", "target: {value: 45")
    .replace("amount: 1500000", "amount: 1750000")
    .replace("status: kept", "status: in-progress")
)
#: The goal's words changed too.
REWORDED = COUNTED.replace("title: Fewer people shot", "title: Half as many people shot")


def day(text: str) -> str:
    """A commit date: nine in the morning, UTC, of the day `text` names."""
    return f"{text}T09:00:00+00:00"


def with_mark(commit_id: str, text: str = SPANISH) -> str:
    """The translation `text` marked as checked against `commit_id` (on its line 7)."""
    return text.replace("---\n## Por", f"translation_of: {commit_id}\n---\n## Por")


def translated_plan(root: Path) -> dict[str, str]:
    """The plan published, worded anew, translated into Spanish, then counted anew: the
    four commits, by those names."""
    make_repo(root)
    return {
        "published": commit(
            root,
            {"site.yaml": TWO_LANGUAGES, PLAN: FULL_PLAN, ABOUT: PAGE},
            "Publish the plan",
            date=day("2026-01-10"),
        ),
        "worded": commit(root, {PLAN: WORDED}, "Say who the plan protects", date=day("2026-01-20")),
        "translated": commit(
            root, {SPANISH_PLAN: SPANISH}, "Translate the plan", date=day("2026-02-01")
        ),
        "counted": commit(
            root, {PLAN: COUNTED}, "Budget and target for 2030", date=day("2026-02-15")
        ),
    }


def reword(root: Path, date: str = "2026-03-03") -> str:
    """The English goal reworded after the translation: the commit."""
    return commit(root, {PLAN: REWORDED}, "Lower the 2030 target", date=day(date))
