"""Bytes of a content file to text: UTF-8, one kind of line end, and no character that no
text may hold (C0 controls, bidirectional controls, noncharacters), each refused with its
line; and what to say of such a character wherever it is found.

A file holds at most `MAX_FILE_BYTES` (a long plan is a few hundred KB; composing YAML
takes about a second and 50 MB of memory per MB), so no file can make loading cost more
than its size.
"""

from __future__ import annotations

import math
import re

from ..engine.characters import BIDI_CONTROLS, NOT_IN_TEXT
from ..engine.errors import ContentError, Problem

#: The largest content file, in bytes: far above any page written by hand.
MAX_FILE_BYTES = 2_000_000

#: Bytes a character of `NOT_IN_TEXT` starts with in UTF-8: the C0 controls are their own
#: byte, the bidirectional controls start with E2, U+FFFE and U+FFFF with EF.
_LEAD_BYTES = bytes(b for b in range(0x20) if NOT_IN_TEXT.match(chr(b))) + b"\xe2\xef"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _LEAD_BYTES)
#: The rest of their UTF-8 forms; a literal first byte lets the search skip ahead as fast
#: as a byte search, where one pattern for every character would look at every byte.
_BIDI_BYTES = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_NONCHARACTER_BYTES = re.compile(rb"\xef\xbf[\xbe\xbf]")


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without a byte-order mark), CRLF turned into LF; a file
    too large, or holding a character no text may hold, is refused with its line."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(
            [
                Problem(
                    path,
                    1,
                    f"the file is {math.ceil(len(raw) / 100_000) / 10} MB, more than the "
                    f"{MAX_FILE_BYTES // 1_000_000} MB a content file may be; put long "
                    "documents and "
                    "data in static/ (a PDF or CSV the page links to), or split the text "
                    "into pages",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    "the file is not UTF-8 text; save it with UTF-8 encoding "
                    'in your editor ("Save with encoding" → UTF-8)',
                )
            ]
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = NOT_IN_TEXT.search(text) if _may_hold_forbidden(raw) else None
    if found:
        raise ContentError(
            [
                Problem(
                    path, text.count("\n", 0, found.start()) + 1, character_message(found.group())
                )
            ]
        )
    return text


def _may_hold_forbidden(raw: bytes) -> bool:
    """Whether the bytes may hold a character of `NOT_IN_TEXT`, told by byte-level passes
    (a pattern over every character costs ten times as much, on every file)."""
    leads = raw.translate(None, _OTHER_BYTES)
    return bool(leads) and bool(
        leads.translate(None, b"\xe2\xef")  # a C0 control
        or (b"\xe2" in leads and _BIDI_BYTES.search(raw))
        or (b"\xef" in leads and _NONCHARACTER_BYTES.search(raw))
    )


def character_message(character: str) -> str:
    """What to say of a character of `NOT_IN_TEXT` (or one YAML refuses) in a file's line."""
    code = f"U+{ord(character):04X}"
    if BIDI_CONTROLS.match(character):
        return (
            f"the invisible bidirectional control {code} is in this line; it can make the "
            "text around it read in reverse, so it is not allowed — delete it "
            "(right-to-left text needs no such control)"
        )
    return (
        f"an invisible character ({code}) is in this line, perhaps from a copy and "
        "paste; delete it (retype the line if you cannot see it)"
    )


def escaped_character_message(where: str, character: str) -> str:
    """What to say of a character of `NOT_IN_TEXT` written as an escape in a value."""
    code = f"U+{ord(character):04X}"
    if BIDI_CONTROLS.match(character):
        return (
            f"{where} holds the bidirectional control {code} (written with a \\ escape), "
            "which can make the text around it read in reverse; remove it"
        )
    return f"{where} holds the invisible character {code} (written with a \\ escape); remove it"
