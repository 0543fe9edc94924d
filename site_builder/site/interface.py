"""The interface in one language: its strings (gettext, from the theme's catalogs) and its
formats (`formats.Formats`, from the language's locale).

A page is told in one `Interface`: the templates get its `gettext` and its filters (see
`render.templates`), and the words this package writes for pages take it as a value, so
a page in another language is the same page told with another `Interface`. A string a
catalog does not translate is said in English, as it is written here and in the
templates (`check` lists it).

Pure: the translations come already read (`content.catalogs` reads them from the theme).
"""

from __future__ import annotations

import gettext as gnu
import hashlib
import io
from dataclasses import dataclass, field

from .formats import ENGLISH as ENGLISH_FORMATS
from .formats import Formats, commitment_kind, locale_of, status_word


def N_(message: str) -> str:
    """A string of the interface named where it is declared and translated where it is
    shown (the catalogs' extraction reads `N_` as it reads `gettext`)."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """`N_` for a string with a plural (`Interface.ngettext`): a count in words."""
    return singular, plural


def NP_(context: str, message: str) -> str:
    """`N_` for a string said in a context (`Interface.pgettext`): a word that another
    place says otherwise."""
    return message


#: The words of statuses, directions, levels and cadences, as pages show them alone
#: ("In review"); what is not here (a goal's short name) is said as `status_word` says it.
STATUS_WORDS = {
    "draft": N_("Draft"),
    "adopted": N_("Adopted"),
    "in-review": N_("In review"),
    "retired": N_("Retired"),
    "promised": N_("Promised"),
    "in-progress": N_("In progress"),
    "kept": N_("Kept"),
    "missed": N_("Missed"),
    "withdrawn": N_("Withdrawn"),
    "dropped": N_("Dropped"),
    "overdue": N_("Overdue"),
    "on-track": N_("On track"),
    "at-risk": N_("At risk"),
    "off-track": N_("Off track"),
    "met": N_("Met"),
    "no-data": N_("No data yet"),
    "decrease": N_("Decrease"),
    "increase": N_("Increase"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "quarterly": N_("Quarterly"),
    "semiannual": N_("Semiannual"),
    "annual": N_("Annual"),
}
#: The kinds of commitment, by their key, said in the context "commitment kind".
KIND_WORDS = {
    "proclamation": NP_("commitment kind", "Proclamation"),
    "mou": NP_("commitment kind", "Memorandum of understanding"),
    "pledge": NP_("commitment kind", "Pledge"),
    "ordinance": NP_("commitment kind", "Ordinance"),
    "office": NP_("commitment kind", "Office"),
    "budget": NP_("commitment kind", "Budget"),
    "announcement": NP_("commitment kind", "Announcement"),
}


@dataclass(frozen=True)
class Interface:
    """The strings and formats of one interface language."""

    language: str  # as site.yaml writes it ('es', 'es-US'): the pages' `lang`
    translations: gnu.NullTranslations = field(default_factory=gnu.NullTranslations)
    formats: Formats = ENGLISH_FORMATS
    digest: str = ""  # of the compiled catalog: which translations these are

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        """Pickled (for the key of a page that holds it) as its language and the digest of
        its translations, and so unpickled only in the process that made it."""
        return _made, (self.language, self.digest)

    def gettext(self, message: str, /, **values: object) -> str:
        """`message` in this language, its `%(name)s` places filled from `values`."""
        said = self.translations.gettext(message)
        return said % values if values else said

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """`message` as said in `context` (a word that another place says otherwise)."""
        said = self.translations.pgettext(context, message)
        return said % values if values else said

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form of a message for `count` things; `%(num)s` is the count."""
        said = self.translations.ngettext(singular, plural, count)
        return said % {"num": count, **values}

    def word(self, status: str) -> str:
        """A status, direction, level or cadence as a word: 'in-review' → 'In review'."""
        known = STATUS_WORDS.get(status)
        return self.gettext(known) if known else status_word(status)

    def kind(self, kind: str) -> str:
        """A commitment's kind: 'mou' → 'Memorandum of understanding'."""
        known = KIND_WORDS.get(kind)
        return self.pgettext("commitment kind", known) if known else commitment_kind(kind)

    def duration(self, days: int | None) -> str:
        """A stretch of time as residents say it: '12 days', '5 months', '2 years and 3
        months'."""
        if days is None:
            return ""
        if days < 61:
            return self.ngettext("%(num)s day", "%(num)s days", days)
        months = int(days // 30.44)  # whole months, as people count them
        if months < 24:
            return self.ngettext("%(num)s month", "%(num)s months", months)
        years, months = divmod(months, 12)
        if not months:
            return self.ngettext("%(num)s year", "%(num)s years", years)
        return self.ngettext(
            "%(years)s years and %(num)s month",
            "%(years)s years and %(num)s months",
            months,
            years=years,
        )


def interface(language: str, compiled: bytes = b"") -> Interface:
    """The interface of `language` with the translations of a compiled (`.mo`) catalog
    (none: English)."""
    digest = hashlib.sha256(compiled).hexdigest() if compiled else ""
    if (language, digest) not in _MADE:
        translations = gnu.GNUTranslations(io.BytesIO(compiled)) if compiled else None
        _MADE[language, digest] = Interface(
            language, translations or gnu.NullTranslations(), Formats(locale_of(language)), digest
        )
    return _MADE[language, digest]


def _made(language: str, digest: str) -> Interface:
    return _MADE[language, digest]


#: Every interface made in this process, by its language and digest.
_MADE: dict[tuple[str, str], Interface] = {}
#: The interface of a site that sets no language, and of text told in English.
ENGLISH = _MADE.setdefault(("en", ""), Interface("en"))
