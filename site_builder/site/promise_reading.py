"""What one revision of a plan says of its promises: its title, status, commitments and
goals, converted and checked as the plan's are, and the rest of it as written. A timeline
(`promises`) reads every revision of a plan through here; history cannot be corrected, so a
revision that cannot be read is passed over, never stops a build.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content import models
from ..content.frontmatter import parse_content
from ..content.load import UNREADABLE
from ..content.models import Commitment, Goal, Plan, PlanStatus
from ..content.schema import Converter
from ..content.text import decode
from ..engine.errors import ContentError, Problem
from ..history.reading import Revision
from .revision_loading import KeptRevisions, keep_read, load_revision


@dataclass(frozen=True)
class Version:
    """What one revision of a plan says of its promises, and the rest of it as written."""

    title: str
    status: PlanStatus
    commitments: tuple[Commitment, ...]
    goals: tuple[Goal, ...]
    data: Mapping[str, Any]  # its fields as written
    body: str


def read_versions(
    slug: str,
    history: Sequence[Revision],
    read: KeptRevisions | None = None,
) -> Iterator[tuple[int, Version]]:
    """The revisions whose commitments and goals can be read, with their numbers; one that
    cannot (broken when it was committed) says nothing of the plan's promises, so it is
    passed over. Each revision is kept in `read` as its pages read it."""
    for number, revision in enumerate(history, start=1):
        version = _version(slug, revision, read)
        if version is not None:
            yield number, version


#: The types of the fields a timeline reads, as the plan declares them.
_HINTS = typing.get_type_hints(Plan, vars(models))


def _version(slug: str, revision: Revision, read: KeptRevisions | None) -> Version | None:
    """Its title, status, commitments and goals: from the revision read as its pages read
    it, or, when it does not read as a plan, converted and checked as the plan's are (the
    rest of the plan is not: a revision whose budget is broken still tells what it
    promised)."""
    try:
        loaded = load_revision(slug, revision)
    except UNREADABLE:  # it breaks the code reading the rest of the plan
        pass
    else:
        if read is not None:
            keep_read(read, revision, loaded)
        if loaded.data is None:  # its fields could not be read
            return None
        if (plan := loaded.plan) is not None:
            return Version(
                plan.title, plan.status, plan.commitments, plan.goals, loaded.data, loaded.body
            )
    problems: list[Problem] = []
    raw, path = revision.raw, revision.path
    try:
        document = parse_content(decode(raw, path), path)
        convert = Converter(document, problems)
        title, status, commitments, goals = (
            convert.value(_HINTS[name], document.data.get(name) or default, (name,))
            for name, default in (("title", ""), ("status", ""), ("commitments", []), ("goals", []))
        )
    except (ContentError, *UNREADABLE):  # history cannot be corrected: never stop a build
        return None
    if problems:
        return None
    return Version(title, status, commitments, goals, document.data, document.body)
