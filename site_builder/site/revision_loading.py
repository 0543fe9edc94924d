"""Past revisions of a plan read as plans: the same loading as the current plan, and what a
page shows of one that does not load (it was broken when committed, binary, too large, or
breaks the code that reads or compares it): its text and the reason. History cannot be
corrected, so no revision may stop a build (`revision_pages.past_page`).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..content.frontmatter import parse_content
from ..content.load import plan_of
from ..content.models import Plan
from ..content.text import decode
from ..engine.characters import visible
from ..engine.errors import ContentError, Problem
from ..history.change_notes import ChangeNote
from ..history.reading import Revision
from .administrations import Terms
from .urls import ID_LENGTH

#: A past revision larger than this is not read as a plan nor compared: a long plan is
#: 100 KB, and the cost and size of its pages grow with it (git hosts accept 100 MB files).
MAX_REVISION_BYTES = 4_000_000
#: How much of a revision's text its page shows when the revision is not read as a plan.
SHOWN_CHARACTERS = 1_000_000
#: Git's test for a binary file: a NUL byte in its first 8,000.
_BINARY_PROBE = 8_000


@dataclass(frozen=True)
class RevisionView:
    """One revision of a plan and its place in the plan's history."""

    revision: Revision
    number: int
    note: ChangeNote
    holders: Terms = ()  # who held office that day (`administrations`)
    #: In a history in another language (`language_history`): the language of the note
    #: when it is not the page's, and what the commit changed (the plan, its translation).
    note_language: str = ""
    changed: str = ""

    @property
    def id(self) -> str:
        return self.revision.commit[:ID_LENGTH]


@dataclass(frozen=True)
class LoadedRevision:
    """A revision's text read as a plan (or the problems that stopped it)."""

    plan: Plan | None
    data: dict[str, Any] | None  # None: its fields could not be read
    body: str
    problems: tuple[Problem, ...]
    source: str = ""  # what its page shows when it is not a plan: its text, cut and visible
    comparable: bool = True  # False: binary, too large or breaking the code, not compared


#: How a page reads a revision of its plan.
LoadRevision = Callable[[Revision], LoadedRevision]
#: Revisions read already in this build, pickled, by their path and blob: a plan's
#: timeline reads every revision of the plan as its pages do, in forked workers on a cold
#: build, and the pages unpickle each (about 25 times faster) instead of reading it again.
ReadRevisions = Mapping[tuple[str, str], bytes]
#: The same, as a build fills them.
KeptRevisions = dict[tuple[str, str], bytes]


def revision_reader(slug: str, read: ReadRevisions | None = None) -> LoadRevision:
    """Reads the revisions of plan `slug`, each once per process (its revision, changes,
    compare and data pages all read it, and every compare page reads the latest), from
    `read` when this build has read it already."""
    loaded: dict[str, LoadedRevision] = {}
    known = read or {}

    def load(revision: Revision) -> LoadedRevision:
        if revision.commit not in loaded:
            pickled = known.get((revision.path, revision.blob))
            loaded[revision.commit] = (
                pickle.loads(pickled) if pickled is not None else load_revision(slug, revision)
            )
        return loaded[revision.commit]

    return load


def keep_read(read: KeptRevisions, revision: Revision, loaded: LoadedRevision) -> None:
    """Keep a revision read as its pages read it, for them (see `ReadRevisions`)."""
    read[revision.path, revision.blob] = pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL)


def is_binary(raw: bytes) -> bool:
    """Git's test: a NUL byte in the first 8,000."""
    return b"\0" in raw[:_BINARY_PROBE]


def load_revision(slug: str, revision: Revision) -> LoadedRevision:
    """Read one revision through the same code as the current plan; never fail the build."""
    raw, path = revision.raw, revision.path
    if len(raw) > MAX_REVISION_BYTES:
        return unreadable(
            revision,
            f"this version is {len(raw) / 1e6:.1f} MB, more than the "
            f"{MAX_REVISION_BYTES / 1e6:.0f} MB a plan's page shows, so it is "
            "not read as a plan",
        )
    if is_binary(raw):
        return unreadable(
            revision,
            "this version is not UTF-8 text but a binary file (a "
            "picture saved in the plan's place, or text saved as UTF-16), so "
            "it cannot be shown",
        )
    problems: list[Problem] = []
    try:
        text = decode(raw, path)
        document = parse_content(text, path)
    except ContentError as error:
        text = raw.decode("utf-8", errors="replace")
        return _as_text(revision, text, error.problems, None, text)
    plan = plan_of(document, slug, problems)
    if problems or plan is None:
        return _as_text(revision, text, problems, document.data, document.body)
    return LoadedRevision(plan, document.data, document.body, ())


def unreadable(revision: Revision, reason: str) -> LoadedRevision:
    """A revision that is neither read as a plan nor compared: its text (none, if it is
    binary) and the reason."""
    raw = revision.raw[: SHOWN_CHARACTERS * 4 + 4]  # enough bytes for the characters shown
    text = "" if b"\0" in raw[:_BINARY_PROBE] else raw.decode("utf-8", errors="replace")
    return _as_text(revision, text, [Problem(revision.path, 1, reason)], None, "", comparable=False)


def _as_text(
    revision: Revision,
    text: str,
    problems: Iterable[Problem],
    data: dict[str, Any] | None,
    body: str,
    comparable: bool = True,
) -> LoadedRevision:
    """A revision published as its text with the problems that stopped it: cut at
    `SHOWN_CHARACTERS`, so a huge revision makes no huge page, and with every character a
    page may not carry written out (`visible`), problems too, which may quote the text."""
    reasons = list(problems)
    if len(text) > SHOWN_CHARACTERS:
        reasons.append(
            Problem(
                revision.path,
                0,
                f"only its first {SHOWN_CHARACTERS:,} "
                "characters are shown here; the whole of it is in the "
                f"repository, at commit {revision.commit[:ID_LENGTH]}",
            )
        )
    shown = tuple(Problem(p.path, p.line, visible(p.message)) for p in reasons)
    return LoadedRevision(None, data, body, shown, visible(text[:SHOWN_CHARACTERS]), comparable)
