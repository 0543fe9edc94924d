"""Characters that are unsafe in one place or another, named once for every module.

A file name with a line break can plant a line in a listing; a character XML 1.0 forbids
makes a feed unreadable; a bidirectional override in a name reverses the text around it.
Each pattern below says where its characters may not go, and why; `shown` and `visible`
write them out where a message or a page quotes a text that holds them.
"""

from __future__ import annotations

import re

#: Not in a file or folder name of the site: the C0 and C1 controls, DEL, every character
#: `str.splitlines` splits on (LF, CR, VT, FF, U+001C–U+001E, U+0085, U+2028, U+2029) and
#: lone surrogates, which is how Python spells the bytes of a name that is not UTF-8.
UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

#: Not in any text of the site: what XML 1.0 forbids (C0 controls but tab, LF and CR; lone
#: surrogates; U+FFFE and U+FFFF), since feeds and sitemaps carry content text.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: The bidirectional embedding, override and isolate controls (U+202A–U+202E,
#: U+2066–U+2069): invisible, and able to show the text around them in reverse. Right-to-
#: left scripts need none of them; the Unicode bidirectional algorithm orders them itself.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

#: What no text of the site may hold: characters XML 1.0 forbids (feeds would break) and
#: the bidirectional controls (they can show the text around them reversed).
NOT_IN_TEXT = re.compile(f"{XML_FORBIDDEN.pattern}|{BIDI_CONTROLS.pattern}")

#: What a page may not show as it is: characters XML 1.0 forbids, the bidirectional controls
#: (they would show the text around them reversed), and the other controls and the
#: noncharacters, which HTML calls parse errors. One character class (the shared patterns
#: are classes), many times faster than alternatives; it takes in every character from
#: U+1FFFE up, as a list of the astral noncharacters would be slow, and `_written_out`
#: leaves the others as they are.
_NOT_SHOWN = re.compile(
    f"[{XML_FORBIDDEN.pattern[1:-1]}{BIDI_CONTROLS.pattern[1:-1]}"
    "\x7f-\x9f\ufdd0-\ufdef\U0001fffe-\U0010ffff]"
)

#: Written as escapes when a message shows a value: what could break or reverse its line.
_SHOWN_ESCAPED = re.compile(f"{UNSAFE_IN_NAME.pattern}|{NOT_IN_TEXT.pattern}")


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be part of the site, or None when it can."""
    found = UNSAFE_IN_NAME.search(name)
    if found is None:
        return None
    character = found.group()
    if "\ud800" <= character <= "\udfff":
        return (
            "the name is not valid UTF-8 text; rename the file (its name was saved in "
            "another encoding)"
        )
    return (
        f"the name holds the invisible character U+{ord(character):04X} (a line break or "
        "control character); rename the file using letters, digits, '-', '_' and '.'"
    )


def shown(text: str, limit: int | None = 60) -> str:
    """`text` as a message quotes it: invisible and line-breaking characters written as
    escapes and a long text cut short, so that the message stays one readable line."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return _SHOWN_ESCAPED.sub(lambda found: repr(found.group())[1:-1], text)


def without_bidi_controls(text: str) -> str:
    """`text` with the bidirectional controls removed, so that it cannot reverse the text
    it is shown in (commit messages and author names, which cannot be corrected)."""
    return BIDI_CONTROLS.sub("", text) if BIDI_CONTROLS.search(text) else text


def visible(text: str) -> str:
    """`text` with each character a page may not show written out (`<U+202E>`), so that a
    reader sees it and it has no effect: text from a past revision cannot be corrected."""
    if not _NOT_SHOWN.search(text):
        return text
    return _NOT_SHOWN.sub(_written_out, text)


def _written_out(found: re.Match[str]) -> str:
    character = found.group()
    if character > "\uffff" and ord(character) & 0xFFFE != 0xFFFE:  # not a noncharacter
        return character
    return f"<U+{ord(character):04X}>"
