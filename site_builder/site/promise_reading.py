"""What one revision of a plan says of its promises: its title, status, commitments and
goals, converted and checked as the plan's are, and the rest of it as written. A timeline
(`promises`) reads every revision of a plan through here; history cannot be corrected, so a
revision that cannot be read is passed over, never stops a build.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..content import models
from ..content.frontmatter import parse_content, split_front_matter
from ..content.load import UNREADABLE
from ..content.models import Commitment, Goal, Plan, PlanStatus
from ..content.schema import Converter
from ..content.text import decode
from ..engine.errors import ContentError, Problem
from ..history.reading import Revision
from .revision_loading import MAX_REVISION_BYTES, is_binary


@dataclass(frozen=True)
class Version:
    """What one revision of a plan says of its promises, and the rest of it as written."""

    title: str
    status: PlanStatus
    commitments: tuple[Commitment, ...]
    goals: tuple[Goal, ...]
    data: Mapping[str, Any]  # its fields as written
    body: str


def read_versions(history: Sequence[Revision]) -> Iterator[tuple[int, Version]]:
    """The revisions whose commitments and goals can be read, with their numbers; one that
    cannot (broken when it was committed) says nothing of the plan's promises, so it is
    passed over."""
    fields: str | None = None  # the front matter of `last`
    last: Version | None = None
    for number, revision in enumerate(history, start=1):
        front, body = _parts(revision)
        if last is not None and front is not None and front == fields:
            yield number, replace(last, body=body)  # most commits change the prose alone
            continue
        last, fields = _version(revision), front
        if last is not None:
            yield number, last


#: The types of the fields a timeline reads, as the plan declares them.
_HINTS = typing.get_type_hints(Plan, vars(models))


def _version(revision: Revision) -> Version | None:
    """Its title, status, commitments and goals, converted and checked as the plan's are
    (the rest of the plan is not: a revision whose budget is broken still tells what it
    promised)."""
    raw, path = revision.raw, revision.path
    if len(raw) > MAX_REVISION_BYTES or is_binary(raw):
        return None
    problems: list[Problem] = []
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


def _parts(revision: Revision) -> tuple[str | None, str]:
    """A revision's front matter and prose, as text; None for a file that has none."""
    try:
        front, body, _ = split_front_matter(revision.raw.decode("utf-8"), revision.path)
    except (UnicodeDecodeError, ContentError):
        return None, ""
    return front, body
