"""The stretch of time a period label names ("2025 H1", "2024 Q4", "2023", "May 2024"), so
that a chart places a reported value by date, not by its place in a list.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..content.schema import YEARS

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Month names, whole or cut to three letters ("Sep" and "Sept" too), to their number.
MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_YEAR = r"(?P<year>\d{4})"
_HALF = r"H(?P<half>[12])"
_QUARTER = r"Q(?P<quarter>[1-4])"
_MONTH_NAME = r"(?P<name>[A-Za-z]{3,})\.?"
#: Each way a period is commonly written, either way round ("2025 H1", "H1 2025").
_PATTERNS = [
    re.compile(rf"^{_YEAR}$"),
    *(
        re.compile(pattern, re.IGNORECASE)
        for part in (_HALF, _QUARTER, _MONTH_NAME)
        for pattern in (rf"^{_YEAR}[\s-]*{part}$", rf"^{part}[\s-]*{_YEAR}$")
    ),
    re.compile(rf"^{_YEAR}-(?P<month>\d{{2}})$"),
]


@dataclass(frozen=True)
class Span:
    """Days from `start` up to, not including, `end`."""

    start: dt.date
    end: dt.date

    @property
    def middle(self) -> float:
        """The span's middle as a day number (`date.toordinal`), where its value is drawn."""
        return (self.start.toordinal() + self.end.toordinal()) / 2


def months_after(year: int, month: int, count: int) -> dt.date:
    """The first day of the month `count` months after `month` of `year`."""
    index = year * 12 + month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def year_span(year: int) -> Span:
    return Span(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


@functools.lru_cache(maxsize=4096)  # each plan's charts read the same few labels
def period_span(label: str, day: dt.date) -> Span:
    """The months a period label names; a label that names none (or a date) is the one day
    `day` it was reported for."""
    text = label.strip()
    for pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        parts = {k: v for k, v in found.groupdict().items() if v is not None}
        year = int(parts["year"])
        if "half" in parts:
            first, count = 6 * int(parts["half"]) - 5, 6
        elif "quarter" in parts:
            first, count = 3 * int(parts["quarter"]) - 2, 3
        elif "month" in parts:
            first, count = int(parts["month"]), 1
        elif "name" in parts:
            first, count = MONTHS.get(parts["name"].lower(), 0), 1
        else:
            first, count = 1, 12
        if 1 <= first <= 12 and year in YEARS:
            return Span(dt.date(year, first, 1), months_after(year, first, count))
    return Span(day, day + dt.timedelta(days=1))
