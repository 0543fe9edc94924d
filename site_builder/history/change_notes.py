"""Whether a commit's note says nothing a resident could read: empty, or the default a git
host's web editor or a content tool writes ("Update plan.md", "Add files via upload").

Such notes are 8–15% of the commits of real plan repositories, more once a web editor is
used; the site shows a note written from the diff in their place (`site.change_summary`)
and `check` warns on them. A note that names the file and says more ("Update plan.md:
lower the shooting target to 40") is the writer's own, and kept.

A commit may also carry its note in the site's other languages, as trailers of its
message (`Change-Note-es: Se baja la meta de 2030`): `note_in` finds one, and `told`
is the message as residents read it, without the trailers that are for the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERB = (
    r"(?:add|create|update|edit|change|modify|delete|remove|rename|upload|revise|save|"
    r"fix|commit)(?:s|d|ed)?"
)
#: A file name, with or without folders: what a web editor puts after its verb.
_FILE = r"[\w.\-/ ]*\.(?:md|markdown|ya?ml|txt|json|csv)"
_DEFAULTS = re.compile(
    "|".join(
        (
            rf"{_VERB}(?: (?:the )?files?)? {_FILE}(?: to {_FILE})?",  # Update plan.md
            rf"{_FILE}(?: (?:edited|created|updated) online with \w+)?",  # plan.md edited …
            r"add(?:ed)? files via upload",  # GitHub
            rf"{_VERB} \w+(?: \w+)? [“\"'].*[”\"']",  # Decap CMS: Update Plans “halverton”
            r"(?:update|edit|commit)(?:ed)? (?:from|with|via|by) [\w.]+",  # Update from TinaCMS
            r"(?:\w+ )?content update",  # TinaCMS content update
            rf"{_VERB}|wip|misc|minor|changes|edits|stuff|tmp|test|\W*",  # one word, or none
        )
    ),
    re.IGNORECASE,
)


#: A line of a message that is for the build, not for residents: `Change-Type: minor`, or a
#: note in another language (`Change-Note-es: …`). Lines indented below one continue it.
_BUILD_TRAILER = re.compile(r"\s*change-(?:type|note-[a-z0-9-]+)\s*:", re.IGNORECASE)


def note_in(body: str, language: str) -> str | None:
    """The note a commit's message gives in `language` (its `Change-Note-<language>:`
    trailer, continued on indented lines), or None."""
    key = re.compile(rf"\s*change-note-{re.escape(language)}\s*:(.*)", re.IGNORECASE)
    lines = body.splitlines()
    for n, line in enumerate(lines):
        if found := key.fullmatch(line):
            note = " ".join([found[1], *lines[n + 1 : _end_of_trailer(lines, n)]])
            return " ".join(note.split()) or None
    return None


def told(body: str) -> str:
    """A commit body as residents read it: paragraphs flowing (messages are wrapped at 72
    columns), without the trailers that are for the build."""
    lines = body.splitlines()
    kept: list[str] = []
    n = 0
    while n < len(lines):
        if _BUILD_TRAILER.match(lines[n]):
            n = _end_of_trailer(lines, n)
        else:
            kept.append(lines[n])
            n += 1
    paragraphs = "\n".join(kept).strip().split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _end_of_trailer(lines: list[str], at: int) -> int:
    """Where the trailer on line `at` ends: after the indented lines that continue it."""
    n = at + 1
    while n < len(lines) and lines[n][:1].isspace() and lines[n].strip():
        n += 1
    return n


def says_nothing(subject: str) -> bool:
    """Whether a commit subject is empty or a tool's default rather than a change note."""
    return _DEFAULTS.fullmatch(subject.strip().rstrip(".!").strip()) is not None


@dataclass(frozen=True)
class ChangeNote:
    """What a page says a revision changed, and whether the site wrote it from the diff."""

    text: str
    generated: bool = False
    original: str = ""  # the commit's own subject, when the site wrote the note instead

    @property
    def why(self) -> str:
        """Why the site wrote this note, told beside it."""
        said = (
            f"the commit's note was “{self.original}”"
            if self.original.strip()
            else "the commit had no note"
        )
        return f"summary written by the site from the changes; {said}"
