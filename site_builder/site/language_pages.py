"""The pages of the current content in the site's other languages, under `/<language>/`.

The first language of `site.yaml` stays at the root, so no address of a one-language site
moves. Every page of the current content (home, the lists, each item's page) has a twin in
each other language: told in that language's interface, with every item laid over by its
translation where it has one. An item with no translation in a language gets a short page
there that says so and links the original, so a language switcher always leads somewhere.
Pages made from history are the first language's, but for the history and revision pages
of a translated plan (`language_history`).

Pure: the site's data in, `Page` records out.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..content import kinds
from ..content.kinds import Content
from ..content.translations import translated
from .content_pages import content_pages
from .formats import locale_of
from .page import Page, SiteData
from .urls import SEARCH_URL, convening_plans_url, item_url

#: The pages of the lists, which every language has.
LIST_URLS = ("/", "/plans/", "/fellows/", "/convenings/", SEARCH_URL)
#: The page of the site that has no twin: shown at any address, in the first language.
_NOT_TWINNED = ("/404.html",)


@dataclass(frozen=True)
class Alternate:
    """The same page in one of the site's languages, for the switcher and `hreflang`."""

    language: str
    url: str
    name: str  # the language in its own words: 'Español'
    translated: bool  # False: a page that says it is not translated yet


def in_language(url: str, language: str, default: str) -> str:
    """Where `url` is in `language`: itself in the first language, under `/<language>/`
    in any other ('/plans/x/' → '/es/plans/x/')."""
    return url if language == default else f"/{language}{url}"


def mirrored_urls(content: Content) -> frozenset[str]:
    """The addresses that have a twin in every language: the lists and each item's page
    (and each convening's page of the plans as they stood), from the table of kinds."""
    urls = set(LIST_URLS)
    for kind in kinds.KINDS:
        urls.update(item_url(kind, item) for item in content.of(kind.name))
    urls.update(convening_plans_url(c.slug) for c in content.convenings)
    return frozenset(urls)


def translated_content(content: Content, language: str) -> tuple[Content, frozenset[str]]:
    """The content as `language` reads it: each item with a translation laid over by it;
    and the paths of the items that have one."""
    done: set[str] = set()
    items: dict[str, list[Any]] = {}
    for name, listed in content.items.items():
        items[name] = []
        for item in listed:
            translation = content.translations.get(item.path, {}).get(language)
            if translation is not None:
                done.add(item.path)
                item = translated(item, translation)
            items[name].append(item)
    return replace(content, items=items), frozenset(done)


def language_pages(site: SiteData, first: list[Page]) -> list[Page]:
    """The `first` language's pages of the current content with their language switcher,
    then their twins in every other language of the site."""
    languages = site.config.languages
    if len(languages) < 2:
        return first
    default = languages[0]
    mirrored = mirrored_urls(site.content)
    pages = [
        _switched(site, page, page, default) if page.url in mirrored else page for page in first
    ]
    for language in languages[1:]:
        content, done = translated_content(site.content, language)
        told = replace(site, content=content, interface=site.interfaces[language])
        for page in content_pages(told):
            if page.url in _NOT_TWINNED:
                continue
            item = _item_of(page)
            twin = replace(
                page,
                url=in_language(page.url, language, default),
                interface=told.interface,
                context={**page.context, **told.chrome},  # the footer's pages, translated
            )
            if item is not None and item.path not in done:
                twin = _not_translated(
                    page, twin, item, default, named_in(default, language), told.chrome
                )
            elif item is not None:
                freshness = site.translation_states.get(item.path, {}).get(language)
                original = named_in(default, language)
                twin = replace(
                    twin,
                    context={**twin.context, "freshness": freshness, "original_language": original},
                )
            pages.append(_switched(site, page, twin, default))
    return pages


def _switched(site: SiteData, first: Page, page: Page, default: str) -> Page:
    """`page` with the addresses of its twins: `first` is its first-language page."""
    item = _item_of(first)
    alternates = tuple(
        Alternate(
            language,
            in_language(first.url, language, default),
            own_name(language),
            item is None or language == default or _has(site, item, language),
        )
        for language in site.config.languages
    )
    return replace(page, context={**page.context, "alternates": alternates})


def _has(site: SiteData, item: Any, language: str) -> bool:
    return language in site.content.translations.get(item.path, {})


def past_alternates(site: SiteData, urls: Mapping[str, str]) -> tuple[Alternate, ...]:
    """The switcher of a page of a plan's history, given its address in each language that
    has it (`language_history`): none when only one language does."""
    if len(urls) < 2:
        return ()
    return tuple(
        Alternate(language, urls[language], own_name(language), True)
        for language in site.config.languages
        if language in urls
    )


@functools.cache
def own_name(language: str) -> str:
    """A language in its own words, as a switcher offers it: 'es' → 'Español'."""
    name = locale_of(language).get_display_name(locale_of(language)) or language
    return name[:1].upper() + name[1:]


def _item_of(page: Page) -> Any:
    """The item an item's page shows, or None for a list."""
    for kind in kinds.KINDS:
        item = page.context.get(kind.variable)
        if item is not None and hasattr(item, "path") and item_url(kind, item) == page.url:
            return item
    return None


def named_in(language: str, reader: str) -> str:
    """`language` as `reader`'s language names it: 'en' in Spanish → 'inglés'."""
    return locale_of(reader).languages.get(language.split("-")[0], language)


def _not_translated(
    first: Page,
    twin: Page,
    item: Any,
    default: str,
    original_language: str,
    chrome: Mapping[str, Any],
) -> Page:
    """The page an untranslated item has in another language: it says so, in that
    language (its footer's pages too), and links the original. Not searched, not in the
    sitemap."""
    return Page(
        twin.url,
        item.title,
        "not_translated.html",
        {
            "original": first.url,
            "title": item.title,
            "original_lang": default,
            "original_language": original_language,
            **chrome,
        },
        in_sitemap=False,
        interface=twin.interface,
    )
