"""Change notes residents can read, for commits whose own note says nothing.

A commit noted "Update plan.md" (a web editor's default) or not at all is shown on the
history, changes and plan pages and in the feeds with a note written from its diff instead,
marked as written by the site: what changed in the plan's fields, in the plan page's own
words, and how many paragraphs of its prose ("Goal “Fewer people shot” › Target: 40, was
50; 3 paragraphs changed"). Pure: revisions in, notes out. Only the commits that need one
are read, so a history of good notes costs nothing here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..content.kinds import Content
from ..content.load import UNREADABLE
from ..engine.cache import Memo
from ..engine.characters import visible
from ..history.change_notes import ChangeNote, says_nothing
from ..history.reading import Revision
from ..history.redline import align
from .field_changes import FieldLine, field_changes
from .field_words import phrase_text
from .revision_loading import LoadedRevision, load_revision

#: Field changes named in a note; the rest are counted.
NAMED_CHANGES = 2


def note_of(notes: Mapping[str, ChangeNote], revision: Revision) -> ChangeNote:
    """The note a page shows for `revision` (see `change_notes`)."""
    return notes.get(revision.commit + revision.path) or ChangeNote(revision.subject)


def change_notes(
    content: Content, revisions: Mapping[str, tuple[Revision, ...]], memo: Memo | None = None
) -> dict[str, ChangeNote]:
    """Notes written from the diff for the plan revisions whose own note says nothing,
    by commit and path. Each is written once: `memo` keeps them, by the two blobs compared,
    for the next builds."""
    known: dict[tuple[str, str], str] = (memo.load("notes") if memo else None) or {}
    written: dict[tuple[str, str], str] = {}
    notes: dict[str, ChangeNote] = {}
    for plan in content.plans:
        history = revisions.get(plan.path, ())
        for number, revision in enumerate(history):
            if not says_nothing(revision.subject):
                continue
            earlier = history[number - 1] if number else None
            pair = (
                f"{earlier.path}:{earlier.blob}" if earlier else "",
                f"{revision.path}:{revision.blob}",
            )
            if pair not in written:
                written[pair] = known.get(pair) or summary(
                    load_revision(plan.slug, earlier) if earlier else None,
                    load_revision(plan.slug, revision),
                )
            notes[revision.commit + revision.path] = ChangeNote(
                written[pair], True, revision.subject
            )
    if memo is not None and written != known:
        memo.save("notes", written)
    return notes


def summary(before: LoadedRevision | None, after: LoadedRevision) -> str:
    """What changed from `before` (None: this is the first version) to `after`, in a line."""
    if before is None:
        return "First recorded version of the plan"
    if not (before.comparable and after.comparable):
        return "The plan's file changed; this version cannot be compared"
    parts: list[str] = []
    try:
        fields = (
            field_changes(before.data, after.data)
            if before.data is not None and after.data is not None
            else None
        )
    except UNREADABLE:  # data no check foresaw, in a revision that cannot be corrected
        fields = None
    if fields is None:
        parts.append("the plan's details changed")
    else:
        lines = [line for section in fields for line in section.lines]
        parts += [_line_text(line) for line in lines[:NAMED_CHANGES]]
        if len(lines) > NAMED_CHANGES:
            more = len(lines) - NAMED_CHANGES
            parts.append(f"{more} more detail{'s' if more != 1 else ''} changed")
    parts += _prose_counts(before.body, after.body)
    if not parts:
        return "No change to the plan's text or details"
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _line_text(line: FieldLine) -> str:
    label = phrase_text(line.label)
    if line.kind == "changed" and line.words:
        return f"{label} reworded"
    if line.kind == "changed":
        return f"{label}: {phrase_text(line.new)}, was {phrase_text(line.old)}"
    return f"{label} {line.kind}"


def _prose_counts(old: str, new: str) -> list[str]:
    """How many paragraphs of the prose changed, came, went and moved ("3 paragraphs
    changed, 1 added"), or nothing if none did."""
    counts: Counter[str] = Counter(
        "moved and changed" if step.op == "moved_here" and step.old >= 0 else step.op
        for step in align(_paragraphs(old), _paragraphs(new))
    )
    found = [
        (counts[op], how)
        for op, how in (
            ("changed", "changed"),
            ("added", "added"),
            ("removed", "removed"),
            ("moved_here", "moved"),
            ("moved and changed", "moved and changed"),
        )
        if counts[op]
    ]
    if not found:
        return []
    said = [f"{count} {how}" for count, how in found]
    first = found[0][0]
    said[0] = f"{first} paragraph{'s' if first != 1 else ''} {found[0][1]}"
    return [", ".join(said)]


def _paragraphs(body: str) -> list[str]:
    return [" ".join(part.split()) for part in visible(body).split("\n\n") if part.strip()]
