"""What of a commit may be published: its author's name and its message, scrubbed.

A commit cannot be corrected once pushed, and the site shows every revision's author and
change note on pages and in feeds, so each is cleaned on the way in: no e-mail address in
any spelling (in angle brackets, bare, quoted, with invisible characters inside it, or with
'@' spelt `%40`, `&#64;`, full-width or "(at)"), and no character that feeds cannot carry
or that would show the text around it reversed.
"""

from __future__ import annotations

import functools
import re

from ..engine.characters import NOT_IN_TEXT

# An e-mail address, as the folded text (`_folded`) spells it: a local part of RFC 5322's
# characters, quotes (a quoted "lee smith") and dots, then '@' and a domain or an IP literal
# ([192.168.0.1], [IPv6:…]). Each part starts only where it may (a local part not inside
# another, a run of spaces at its start) and no part can run past the next '@' or '[', so
# that a long message is read in one pass, not once per character.
_LOCAL = r"""[\w!#$%&'*+/=?^`{|}~."-]"""
_ADDRESS = re.compile(
    rf"""(?<!{_LOCAL})(?:"[^"\n]*"{_LOCAL}*|{_LOCAL}+)"""
    r"@(?:\[[^\[\]\n@]*\]|[\w-]+(?:\.[\w-]+)*)"
)
# One between angle brackets, as git and trailers write it after a name: taken out whole.
_BRACKETED_ADDRESS = re.compile(r"(?<![ \t])[ \t]*<[^<>\n@]*@[^<>\n]*>")
_ANY_ADDRESS = re.compile(f"(?P<bracketed>{_BRACKETED_ADDRESS.pattern})|{_ADDRESS.pattern}")
# What hides an address from a search but not from a reader: invisible characters inside it
# (zero-width spaces and joiners, word joiner, soft hyphen, byte-order mark) and other
# spellings of '@': percent-encoded, as an HTML character reference, full-width, or (at).
# ("jane at example.org" is left alone: "at" is too common a word.)
_HIDDEN = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_AT_WORD = r"[(\[{<] *[aA][tT] *[)\]}>]"  # (at), [at], {at}, <at>
_AT = rf"%40|&#0*64;|&#[xX]0*40;|&commat;|[\uff20\ufe6b]|(?P<word>{_AT_WORD}[ \t]*)"
_FOLDED = re.compile(f"{_HIDDEN.pattern}|(?P<at>{_AT})")  # every branch starts with a class,
# which lets `re` skip ahead to where one may match
_MAYBE_ADDRESS = re.compile(rf"[@\uff20\ufe6b]|%40|&#|&commat;|{_AT_WORD}")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
# Characters no name or change note keeps: those XML 1.0 forbids (feeds carry both), the
# bidirectional controls, which would show the text around them reversed, and carriage
# returns. A colour code keeps its visible '[31m', as git shows it.
_UNSHOWN = re.compile(f"{NOT_IN_TEXT.pattern}|\r")


def split_message(message: str) -> tuple[str, str]:
    """Subject (the first line) and body, with e-mail addresses scrubbed from both, and
    characters that feeds cannot carry or that would reverse the text around them."""
    message = _without_addresses(_UNSHOWN.sub("", message), "", "[address removed]")
    subject, _, body = message.lstrip("\n").partition("\n")
    return subject.strip(), body.lstrip("\n").rstrip()


@functools.cache
def display_name(name: str) -> str:
    """An author's name with no e-mail address in it, ever.

    A name that is only an address becomes its local part in words: `jane.doe@x.org` is
    shown as "Jane Doe", `"lee smith"@x.org` as "Lee Smith".
    """
    name = _UNSHOWN.sub("", name)
    cleaned = _EMPTY_BRACKETS.sub(" ", _without_addresses(name, " ", " "))
    cleaned = " ".join(cleaned.split()).strip(" ,;:-")
    if _HIDDEN.sub("", cleaned):  # something visible is left
        return cleaned
    folded, _ = _folded(name)
    address = _ADDRESS.search(folded)
    local = address.group().rpartition("@")[0] if address else ""
    words = re.split(r"[\s._+\"\\-]+", local)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Unnamed contributor"


def _without_addresses(text: str, bracketed: str, bare: str) -> str:
    """`text` with each e-mail address replaced: one in angle brackets by `bracketed`, any
    other by `bare`, however it is spelt (see `_folded`). No address spans two lines, so
    only the lines that may hold one are read closely."""
    if not _MAYBE_ADDRESS.search(text):
        return text
    return "\n".join(
        _line_without_addresses(line, bracketed, bare) if _MAYBE_ADDRESS.search(line) else line
        for line in text.split("\n")
    )


def _line_without_addresses(line: str, bracketed: str, bare: str) -> str:
    folded, origin = _folded(line)
    kept, position = [], 0
    for match in _ANY_ADDRESS.finditer(folded):
        kept += [
            line[position : origin[match.start()]],
            bracketed if match.group("bracketed") else bare,
        ]
        position = origin[match.end()]
    return "".join([*kept, line[position:]])


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` without invisible characters and with every spelling of '@' as '@' (see
    `_FOLDED`; the spaces around an '(at)' go with it), and where each of its characters,
    and its end, are in `text`."""
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _FOLDED.finditer(text):
        start, end = match.span()
        if match.group("word"):  # and the spaces before it
            start = position + len(text[position:start].rstrip(" \t"))
        pieces.append(text[position:start])
        origin.extend(range(position, start))
        if match.group("at"):
            pieces.append("@")
            origin.append(start)
        position = end
    pieces.append(text[position:])
    origin.extend(range(position, len(text) + 1))
    return "".join(pieces), origin
