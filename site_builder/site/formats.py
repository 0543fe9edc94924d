"""How the site writes a value for residents: dates, money, numbers, status words.

One set of functions for the templates (as filters and globals) and for text the site
writes itself (a change note made from a diff, a feed entry), so a value reads the same
wherever it appears.
"""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Commitment kinds whose name is not their key capitalized.
_KINDS = {"mou": "Memorandum of understanding"}


def long_date(value: dt.date | dt.datetime | None) -> str:
    """'3 March 2025' — unambiguous for residents in any country."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def date_range(start: dt.date, end: dt.date | None = None) -> str:
    """'25–26 October 2023', '30 September – 2 October 2024': what two dates share is said
    once, as people write a stretch of days; one day is just its date."""
    if end is None or end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{long_date(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} \u2013 {long_date(end)}"
    return f"{long_date(start)} \u2013 {long_date(end)}"


def listed(words: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': a few things named in a sentence."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def money(value: float | None) -> str:
    if value is None:
        return ""
    return f"${value:,.0f}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def share(value: float | None) -> str:
    """A small share to a tenth of a percent: 0.0052 → '0.5%'."""
    return "" if value is None else f"{value * 100:.1f}%"


def rate(value: float | None) -> str:
    """A rate per 100,000 to a tenth: 450.0 → '450', 12.345 → '12.3'."""
    return "" if value is None else format_number(round(value, 1))


def format_number(value: float) -> str:
    """1234.0 → '1,234'; 12.5 → '12.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def duration(days: int | None) -> str:
    """A stretch of time as residents say it: '12 days', '5 months', '2 years and 3 months'."""
    if days is None:
        return ""
    if days < 61:
        return f"{days} day{'s' if days != 1 else ''}"
    months = int(days // 30.44)  # whole months, as people count them
    if months < 24:
        return f"{months} months"
    years, months = divmod(months, 12)
    said = f"{years} years"
    return f"{said} and {months} month{'s' if months != 1 else ''}" if months else said


def status_word(status: str) -> str:
    """'in-review' → 'In review'."""
    return status.replace("-", " ").capitalize()


def commitment_kind(kind: str) -> str:
    return _KINDS.get(kind, kind.capitalize())
