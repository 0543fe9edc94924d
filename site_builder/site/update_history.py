"""What an outcome update's history says: each later revision of its file is a correction,
and each figure that changed after it was first published is restated.

Every revision of an update file is read through the same record as the current file. One
that cannot be read (broken when committed, or written for an older content model) is
still listed as a correction, but its figures are not used: history cannot be corrected,
so no past revision may stop a build. Pure: the updates and their revisions in, records out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..content.frontmatter import parse_content
from ..content.load import UNREADABLE, load_item
from ..content.models import OutcomeUpdate
from ..content.text import decode
from ..engine.errors import ContentError, Problem
from ..history.change_notes import ChangeNote, says_nothing
from ..history.reading import Revision
from .interface import ENGLISH, Interface


@dataclass(frozen=True)
class FigureChange:
    """One figure a correction changed: None before when it was added, after when removed."""

    indicator: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Correction:
    """A later revision of an update file: when, by whom, why, and which figures it changed."""

    date: dt.datetime
    author: str
    note: ChangeNote
    changes: tuple[FigureChange, ...]
    readable: bool  # False: this version could not be read, so its figures are unknown


@dataclass(frozen=True)
class Report:
    """A value of a figure, and when it was published."""

    value: float
    date: dt.datetime


@dataclass(frozen=True)
class Restatement:
    """A figure as first reported, then each value it was restated to (the last is today's)."""

    indicator: str
    first: Report
    later: tuple[Report, ...]


@dataclass(frozen=True)
class UpdateHistory:
    first_published: dt.datetime
    corrections: tuple[Correction, ...]  # oldest first
    restated: Mapping[str, Restatement]  # by indicator


def update_histories(
    updates: Iterable[OutcomeUpdate],
    revisions: Mapping[str, tuple[Revision, ...]],
    interface: Interface = ENGLISH,
) -> dict[str, UpdateHistory]:
    """The history of each update that was corrected after it was first published, by the
    update's path; an update committed once (most of them) costs nothing here."""
    histories = {}
    for update in updates:
        versions = revisions.get(update.path, ())
        if len(versions) > 1:
            histories[update.path] = update_history(update, versions, interface)
    return histories


def update_history(
    update: OutcomeUpdate, versions: tuple[Revision, ...], interface: Interface = ENGLISH
) -> UpdateHistory:
    """Corrections and restated figures from the revisions of one update, oldest first. A
    revision that changes nothing (a pure rename) is no correction. The notes the site
    writes are in `interface`'s words."""
    corrections = []
    reports: dict[str, list[Report]] = {}
    shown: dict[str, float] = {}  # the figures of the last revision read
    last: dict[str, float] = {}  # each figure's last value, even if a revision dropped it
    previous: Revision | None = None
    for revision in versions:
        if previous is not None and revision.blob == previous.blob:
            continue
        figures = past_figures(update, revision)
        if previous is not None:
            changes = _changes(shown, figures) if figures is not None else ()
            note = _note(revision.subject, changes, interface)
            corrections.append(
                Correction(revision.date, revision.author, note, changes, figures is not None)
            )
        if figures is not None:
            for name, value in figures.items():
                if last.get(name) != value:
                    reports.setdefault(name, []).append(Report(value, revision.date))
            shown = figures
            last |= figures
        previous = revision
    restated = {
        name: Restatement(name, values[0], tuple(values[1:]))
        for name, values in reports.items()
        if len(values) > 1 and name in update.metrics
    }
    return UpdateHistory(versions[0].date, tuple(corrections), restated)


def _note(subject: str, changes: tuple[FigureChange, ...], interface: Interface) -> ChangeNote:
    """The correction's own note or, when it says nothing, one the site writes."""
    if not says_nothing(subject):
        return ChangeNote(subject)
    if changes:
        count = len(changes)
        said = interface.ngettext("%(num)s figure corrected", "%(num)s figures corrected", count)
    else:
        said = interface.gettext("The update's text or details corrected; no figure changed")
    return ChangeNote(said, True, subject)


def _changes(before: Mapping[str, float], after: Mapping[str, float]) -> tuple[FigureChange, ...]:
    names = [*before, *(name for name in after if name not in before)]
    return tuple(
        FigureChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )


def past_figures(update: OutcomeUpdate, revision: Revision) -> dict[str, float] | None:
    """The figures of one revision of an update file, or None when it cannot be read as
    an update (the current file's mistakes are reported by `check`, not here)."""
    problems: list[Problem] = []
    try:
        document = parse_content(decode(revision.raw, revision.path), revision.path)
        record = load_item(OutcomeUpdate, document, problems, slug=update.slug, plan=update.plan)
    except ContentError:
        return None
    except UNREADABLE:  # data no check foresaw, in a file that can no longer be corrected
        return None
    return dict(record.metrics) if record is not None and not problems else None


def restated_figures(
    histories: Mapping[str, UpdateHistory], updates: Iterable[OutcomeUpdate]
) -> dict[str, Mapping[str, Restatement]]:
    """The restated figures of these updates, by update slug then indicator: what a plan's
    chart tables and metrics.csv mark."""
    return {
        update.slug: histories[update.path].restated
        for update in updates
        if update.path in histories and histories[update.path].restated
    }
