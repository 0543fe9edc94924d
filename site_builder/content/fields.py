"""How a record declares its fields: required, optional or derived, each with a one-line
doc, whether a translation may carry it, and the marks that say more than a type (a link,
a slug, a file in `static/`, a language code).

The records in `models.py` and `config.py` *are* the schema: a field's type hint says
what it accepts, a field without a default is required, and `field_doc` holds the
one-line explanation used in messages and in the starter files of `site-builder new`.
`schema.Converter` reads YAML into them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any, Literal

from ..engine.characters import UNSAFE_IN_NAME

#: A link that will be put in an `href`: only these schemes, or a path on the site.
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_IN_A_FILE_NAME = re.compile(rf"[\\?#]|{UNSAFE_IN_NAME.pattern}")
#: A language code as BCP 47 writes the usual ones: a language (`es`), maybe a script
#: (`zh-Hant`), maybe a region (`pt-BR`, `es-419`); case aside, as BCP 47 has it.
_LANGUAGE = re.compile(r"([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?", re.IGNORECASE)


class UrlMark:
    """Marks a string field that becomes a link."""


class SlugMark:
    """Marks a string field that must be a slug (`[a-z0-9-]+`)."""


class SitePathMark:
    """Marks a string field naming a file that `static/` publishes, like /images/ana.jpg."""


class LanguageMark:
    """Marks a string field that is a language code (`en`, `pt-BR`), kept as BCP 47 writes
    it whatever its case: `pt-br` is `pt-BR`."""


Url = Annotated[str, UrlMark]
Slug = Annotated[str, SlugMark]
SitePath = Annotated[str, SitePathMark]
Language = Annotated[str, LanguageMark]


#: How a page shows a field's value: words as they are ("text"), a date (`long_date`),
#: money, a number, a status word ("In review") or a commitment's kind.
Shown = Literal["text", "date", "money", "number", "word", "kind"]


def required(
    doc: str, *, label: str = "", shown: Shown = "text", translatable: bool = False
) -> Any:
    """A field the author must write; `label` is what a page calls it (a field change
    names it so), `shown` how a page writes its value; a `translatable` field is one a
    translation may carry (text, or records holding text: see `translations.py`)."""
    return dataclasses.field(metadata=_metadata(doc, label, shown, translatable))


def optional(
    doc: str,
    default: Any = None,
    *,
    label: str = "",
    shown: Shown = "text",
    translatable: bool = False,
) -> Any:
    """A field the author may leave out; an empty mapping default is a fresh dict each time."""
    metadata = _metadata(doc, label, shown, translatable)
    if isinstance(default, dict):
        if default:
            raise TypeError("only an empty mapping can be a default")
        return dataclasses.field(default_factory=dict, metadata=metadata)
    if isinstance(default, list):
        raise TypeError("use a tuple as a list default")
    return dataclasses.field(default=default, metadata=metadata)


def _metadata(doc: str, label: str, shown: Shown, translatable: bool) -> dict[str, Any]:
    metadata: dict[str, Any] = (
        {"doc": doc, "label": label, "shown": shown} if label else {"doc": doc}
    )
    return metadata | ({"translatable": True} if translatable else {})


def derived(doc: str, default: Any = None) -> Any:
    """A field filled in by the loader (slug, path, body), never read from YAML."""
    return dataclasses.field(default=default, metadata={"doc": doc, "derived": True})


def field_doc(cls: type, name: str) -> str:
    """The one-line explanation of a field."""
    return next(f.metadata.get("doc", "") for f in dataclasses.fields(cls) if f.name == name)


def yaml_fields(cls: type) -> list[dataclasses.Field[Any]]:
    """The fields an author writes, in declaration order."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("derived")]


def is_translatable(f: dataclasses.Field[Any]) -> bool:
    """Whether a translation may carry the field: text a reader reads, never a number, a
    date, a status or an id, which come from the source."""
    return bool(f.metadata.get("translatable"))


def is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto, tel and scheme-less links; never javascript: or data:."""
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


def is_site_path(text: str) -> bool:
    """True for `/a/b.jpg`: rooted, no empty, `.` or `..` part, no backslash or query."""
    parts = text.split("/")
    return (
        len(parts) > 1
        and parts[0] == ""
        and all(p not in ("", ".", "..") and not _NOT_IN_A_FILE_NAME.search(p) for p in parts[1:])
    )


def language_code(text: str) -> str | None:
    """`text` as BCP 47 writes it (`pt-BR`, `zh-Hant`), or None when it is not such a code."""
    found = _LANGUAGE.fullmatch(text)
    if found is None:
        return None
    language, script, region = found.groups()
    return "-".join(
        part
        for part in (language.lower(), script and script.title(), region and region.upper())
        if part
    )
