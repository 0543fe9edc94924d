"""Whether a commit's note says nothing a resident could read: empty, or the default a git
host's web editor or a content tool writes ("Update plan.md", "Add files via upload").

Such notes are 8–15% of the commits of real plan repositories, more once a web editor is
used; the site shows a note written from the diff in their place (`site.change_summary`)
and `check` warns on them. A note that names the file and says more ("Update plan.md:
lower the shooting target to 40") is the writer's own, and kept.
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
