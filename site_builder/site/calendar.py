"""A convening as an iCalendar file (RFC 5545): one all-day event, CRLF lines folded at
75 octets, text escaped so that no field can start a property of its own.

Deterministic: the stamp is the convening file's last commit, so the same commit gives
the same bytes."""

from __future__ import annotations

import datetime as dt
import re

from ..content.models import Convening
from ..engine.characters import UNSAFE_IN_NAME, without_bidi_controls
from .page import SiteData
from .urls import convening_url


def calendar(site: SiteData, convening: Convening) -> bytes:
    """An RFC 5545 calendar with one all-day event (end date exclusive, CRLF, folded)."""
    host = site.config.absolute("/").split("://", 1)[-1].split("/", 1)[0] or "site-builder"
    stamp = site.last_modified.get(convening.path)
    stamp_text = (
        stamp.astimezone(dt.UTC) if stamp else dt.datetime.combine(site.today, dt.time(), dt.UTC)
    ).strftime("%Y%m%dT%H%M%SZ")
    location = ", ".join(x for x in (convening.venue, convening.city, convening.state) if x)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_ics_text(site.config.title)}//site-builder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{_ics_address(f'{convening.slug}@{host}')}",
        f"DTSTAMP:{stamp_text}",
        f"DTSTART;VALUE=DATE:{convening.start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(convening.last_day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text(convening.title)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{_ics_address(site.config.absolute(convening_url(convening.slug)))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode()


#: What `str.splitlines` ends a line at: in calendar text, each is written `\n`.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


#: What TEXT escapes (RFC 5545, 3.3.11), a CRLF (one line break), and every character
#: that may not stand as it is: controls, separators and lone surrogates.
_ICS_SPECIAL = re.compile(r"\r\n|[\\;,]|" + UNSAFE_IN_NAME.pattern)


_ICS_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\t": " "}


def _ics_text(text: str) -> str:
    """A TEXT value that ends where its property does: escaped, line breaks as `\\n`, other
    controls (and bidirectional overrides, which would reverse it) removed."""
    return _ICS_SPECIAL.sub(_ics_escape, without_bidi_controls(text))


def _ics_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found in _ICS_ESCAPES:
        return _ICS_ESCAPES[found]
    return "\\n" if found == "\r\n" or found in _LINE_BREAKS else ""


def _ics_address(text: str) -> str:
    """A URI value (not escaped in RFC 5545) with any line break or control removed: the
    base URL is checked when it is read, and this holds however a setting was made."""
    return UNSAFE_IN_NAME.sub("", text) if UNSAFE_IN_NAME.search(text) else text


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)
