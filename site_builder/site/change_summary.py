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
from .interface import ENGLISH, NN_, Interface
from .revision_loading import LoadedRevision, load_revision

#: Field changes named in a note; the rest are counted.
NAMED_CHANGES = 2


def note_of(notes: Mapping[str, ChangeNote], revision: Revision) -> ChangeNote:
    """The note a page shows for `revision` (see `change_notes`)."""
    return notes.get(revision.commit + revision.path) or ChangeNote(revision.subject)


def change_notes(
    content: Content,
    revisions: Mapping[str, tuple[Revision, ...]],
    memo: Memo | None = None,
    interface: Interface = ENGLISH,
) -> dict[str, ChangeNote]:
    """Notes written from the diff for the plan revisions whose own note says nothing,
    by commit and path, in `interface`'s words. Each is written once: `memo` keeps them,
    by the two blobs compared (and the interface they are said in), for the next builds."""
    name = f"notes-{interface.language}-{interface.digest[:16]}" if interface.digest else "notes"
    known: dict[tuple[str, str], str] = (memo.load(name) if memo else None) or {}
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
                    interface,
                )
            notes[revision.commit + revision.path] = ChangeNote(
                written[pair], True, revision.subject
            )
    if memo is not None and written != known:
        memo.save(name, written)
    return notes


def summary(
    before: LoadedRevision | None, after: LoadedRevision, interface: Interface = ENGLISH
) -> str:
    """What changed from `before` (None: this is the first version) to `after`, in a line."""
    _ = interface.gettext
    if before is None:
        return _("First recorded version of the plan")
    if not (before.comparable and after.comparable):
        return _("The plan's file changed; this version cannot be compared")
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
        parts.append(_("the plan's details changed"))
    else:
        lines = [line for section in fields for line in section.lines]
        parts += [_line_text(line, interface) for line in lines[:NAMED_CHANGES]]
        if len(lines) > NAMED_CHANGES:
            more = len(lines) - NAMED_CHANGES
            parts.append(
                interface.ngettext(
                    "%(num)s more detail changed", "%(num)s more details changed", more
                )
            )
    parts += _prose_counts(before.body, after.body, interface)
    if not parts:
        return _("No change to the plan's text or details")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _line_text(line: FieldLine, interface: Interface) -> str:
    _ = interface.gettext
    label = phrase_text(line.label, interface)
    if line.kind == "changed" and line.words:
        return _("%(label)s reworded", label=label)
    if line.kind == "changed":
        new, old = phrase_text(line.new, interface), phrase_text(line.old, interface)
        return _("%(label)s: %(new)s, was %(old)s", label=label, new=new, old=old)
    if line.kind == "added":
        return _("%(label)s added", label=label)
    return _("%(label)s removed", label=label)


#: How the prose's paragraphs changed, each said first with its noun ("3 paragraphs
#: changed"), then without ("1 added").
_PARAGRAPHS = (
    (
        "changed",
        NN_("%(num)s paragraph changed", "%(num)s paragraphs changed"),
        NN_("%(num)s changed", "%(num)s changed"),
    ),
    (
        "added",
        NN_("%(num)s paragraph added", "%(num)s paragraphs added"),
        NN_("%(num)s added", "%(num)s added"),
    ),
    (
        "removed",
        NN_("%(num)s paragraph removed", "%(num)s paragraphs removed"),
        NN_("%(num)s removed", "%(num)s removed"),
    ),
    (
        "moved_here",
        NN_("%(num)s paragraph moved", "%(num)s paragraphs moved"),
        NN_("%(num)s moved", "%(num)s moved"),
    ),
    (
        "moved and changed",
        NN_("%(num)s paragraph moved and changed", "%(num)s paragraphs moved and changed"),
        NN_("%(num)s moved and changed", "%(num)s moved and changed"),
    ),
)


def _prose_counts(old: str, new: str, interface: Interface) -> list[str]:
    """How many paragraphs of the prose changed, came, went and moved ("3 paragraphs
    changed, 1 added"), or nothing if none did."""
    counts: Counter[str] = Counter(
        "moved and changed" if step.op == "moved_here" and step.old >= 0 else step.op
        for step in align(_paragraphs(old), _paragraphs(new))
    )
    said: list[str] = []
    for op, first, rest in _PARAGRAPHS:
        if counts[op]:
            said.append(interface.ngettext(*(rest if said else first), counts[op]))
    return [", ".join(said)] if said else []


def _paragraphs(body: str) -> list[str]:
    return [" ".join(part.split()) for part in visible(body).split("\n\n") if part.strip()]
