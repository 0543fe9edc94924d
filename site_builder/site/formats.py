"""How the site writes a value for residents: dates, money and numbers, as the interface
language writes them (Babel's data for each locale), and the status words.

One `Formats` per locale serves the templates (as filters) and the text the site writes
itself (a change note made from a diff, a feed entry), so a value reads the same wherever
it appears. English keeps the site's own patterns — "3 March 2025", "$25,000", "A, B and
C" — whichever region is named (`en`, `en-US`): a day before its month is unambiguous for
residents in any country. Other languages take their locale's long date, date ranges,
separators, list words and currency pattern. Money is in US dollars, as plans count it.

The module-level functions are the English ones, for text that is not told per language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

#: The currency of every amount: plans budget in US dollars.
CURRENCY = "USD"
#: Commitment kinds whose name is not their key capitalized.
_KINDS = {"mou": "Memorandum of understanding"}
#: The months of a chart's time axis in English ("Sept 2025"), as plans write them.
_ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
#: The last digit of a number pattern's whole part ("#,##0 %" → the 0 before " %").
_LAST_DIGIT = re.compile(r"0(?![0#.,])")
#: How many values each Babel call below remembers. Babel works a value out anew at each
#: call (its pattern parsed, the locale's names and symbols looked up: 3–10 µs), and a
#: site says the same dates, amounts and counts on page after page; bounded for `serve`.
_REMEMBERED = 1 << 15


@functools.cache
def locale_of(language: str) -> Locale:
    """The Babel locale of a language tag as site.yaml writes it ('es', 'es-US', 'en');
    English for a tag Babel does not know, so that a page still reads."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale("en")


class Formats:
    """Dates, numbers and money as one locale writes them."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self.english = locale.language == "en"
        currency = locale.currency_formats["standard"].pattern.split(";")[0]
        self._money = re.sub(r"\.0+", "", currency)  # whole dollars: "¤#,##0"
        percent = "0%" if self.english else locale.percent_formats[None].pattern.split(";")[0]
        self._percent = percent
        self._share = _LAST_DIGIT.sub("0.0", percent, count=1)
        self._long_date = "d MMMM y" if self.english else "long"

    def long_date(self, value: dt.date | dt.datetime | None) -> str:
        """'3 March 2025', '3 de marzo de 2025'."""
        if value is None:
            return ""
        day = value.date() if isinstance(value, dt.datetime) else value
        return _date(day, self._long_date, self.locale)

    def date_range(self, start: dt.date, end: dt.date | None = None) -> str:
        """'25–26 October 2023', '30 September – 2 October 2024': what two dates share is
        said once, as people write a stretch of days; one day is just its date."""
        if end is None or end == start:
            return self.long_date(start)
        if not self.english:
            return _interval(start, end, "yMMMMd", self.locale)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}\u2013{self.long_date(end)}"
        if start.year == end.year:
            return f"{_date(start, 'd MMMM', self.locale)} \u2013 {self.long_date(end)}"
        return f"{self.long_date(start)} \u2013 {self.long_date(end)}"

    def month(self, value: dt.date) -> str:
        """A month of a chart's time axis: 'Apr 2025', 'abr 2025'."""
        if self.english:
            return f"{_ENGLISH_MONTHS[value.month - 1]} {value.year}"
        return _date(value, "MMM y", self.locale)

    def listed(self, words: list[str]) -> str:
        """'A', 'A and B', 'A, B and C': a few things named in a sentence."""
        if len(words) < 2 or not self.english:
            return format_list(words, locale=self.locale) if words else ""
        return f"{', '.join(words[:-1])} and {words[-1]}"

    def money(self, value: float | None) -> str:
        """Whole dollars: '$1,250,000', '1.250.000 US$'."""
        return "" if value is None else _money(value, self._money, self.locale)

    def percent(self, value: float | None) -> str:
        """A share to a whole percent: 0.52 → '52%'."""
        return "" if value is None else _percent(value, 0, self._percent, self.locale)

    def share(self, value: float | None) -> str:
        """A small share to a tenth of a percent: 0.0052 → '0.5%'."""
        return "" if value is None else _percent(value, 1, self._share, self.locale)

    def rate(self, value: float | None) -> str:
        """A rate per 100,000 to a tenth: 450.0 → '450', 12.345 → '12.3'."""
        return "" if value is None else self.number(round(value, 1))

    def number(self, value: float) -> str:
        """1234.0 → '1,234'; 12.5 → '12.5'; at most two decimals."""
        return _number(value, self.locale)


@functools.lru_cache(maxsize=_REMEMBERED)
def _date(day: dt.date, pattern: str, locale: Locale) -> str:
    return format_date(day, pattern, locale=locale)


@functools.lru_cache(maxsize=_REMEMBERED)
def _interval(start: dt.date, end: dt.date, skeleton: str, locale: Locale) -> str:
    return format_interval(start, end, skeleton, locale=locale)


@functools.lru_cache(maxsize=_REMEMBERED)
def _money(value: float, pattern: str, locale: Locale) -> str:
    return format_currency(_exact(round(value)), CURRENCY, pattern, locale, currency_digits=False)


@functools.lru_cache(maxsize=_REMEMBERED)
def _percent(value: float, places: int, pattern: str, locale: Locale) -> str:
    """`value` as a percent rounded to `places` decimals, in `pattern`."""
    return format_percent(_exact(round(value * 100, places)) / 100, pattern, locale)


@functools.lru_cache(maxsize=_REMEMBERED)
def _number(value: float, locale: Locale) -> str:
    return format_decimal(_exact(round(value, 2)), "#,##0.##", locale)


def _exact(value: float) -> Decimal:
    """A value already rounded as Python rounds (to the nearest, ties to even, on the
    binary value), written out exactly, so that Babel has nothing left to round."""
    return Decimal(repr(float(value)))


def status_word(status: str) -> str:
    """'in-review' → 'In review': a status or a short name as English words."""
    return status.replace("-", " ").capitalize()


def commitment_kind(kind: str) -> str:
    """A commitment's kind in English: 'mou' → 'Memorandum of understanding'."""
    return _KINDS.get(kind, kind.capitalize())


#: The English formats, and their functions for text the site writes in English.
ENGLISH = Formats(Locale("en"))
long_date = ENGLISH.long_date
date_range = ENGLISH.date_range
listed = ENGLISH.listed
money = ENGLISH.money
percent = ENGLISH.percent
share = ENGLISH.share
rate = ENGLISH.rate
format_number = ENGLISH.number
