"""Templates in, HTML out: one Jinja environment per build and interface language,
autoescaped, strict; its strings through gettext (Jinja's i18n extension, new style: a
string's `%(name)s` places are filled and escaped by `_()` itself), its filters the
language's formats.

Content is only ever passed to templates as data (escaped, or Markdown rendered with raw
HTML off); it is never compiled as a template.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from ..content.theme import template_folders
from ..engine.cache import SignedBytecodeCache
from ..engine.errors import ContentError, Problem
from ..history.change_notes import told
from ..history.wording import describe
from ..site.administrations import Terms, holders_text
from ..site.field_words import phrase_text
from ..site.formats import Formats
from ..site.interface import ENGLISH, Interface
from ..site.language_history import language_history_urls
from ..site.language_pages import mirrored_urls
from ..site.page import Page, SiteData
from .markdown import render_markdown, site_link
from .noted_links import Links, keep_links, taken_links
from .redline import Redline, redline
from .template_gettext import install as install_gettext


@dataclass(frozen=True)
class PageLinks:
    """How the page being rendered links: from its place in the site (`root`), to the
    twins in its language where there are some (`prefix`, `mirrored`), and which items'
    words read in its language (`translated`). Its methods are the templates' `url` and
    `source_lang`: plain callables, since Jinja makes a new context for every call of a
    function that takes one in a loop (a page of every plan makes hundreds)."""

    root: str
    prefix: str  # '/es' on a page in another language than the first, else ''
    mirrored: frozenset[str]  # the addresses that have a twin in the page's language
    translated: frozenset[str]  # the items that have a translation in it
    first_language: str

    def in_language(self, path: str) -> str:
        """A site path as the page leads to it: from a page in another language than the
        first, to its twin in that language where it has one."""
        if self.prefix and path.partition("#")[0] in self.mirrored:
            return self.prefix + path
        return path

    def url(self, path: str) -> str:
        """A site path made relative to the page, in the page's language."""
        return site_link(self.in_language(path), self.root)

    def source_lang(self, item: Any = None) -> Markup:
        """` lang="en"` for an element, on a page in another language than the first,
        that shows the words of `item` when the item has no translation in that language,
        or (without an item) words that are never translated (a goal's unit): read as
        English."""
        if not self.prefix or getattr(item, "path", None) in self.translated:
            return Markup("")
        return Markup(' lang="{}"').format(self.first_language)


def _holders(formats: Formats) -> Callable[[Context, Terms], str]:
    """Who held office, in words; on a page in another language than the first, each
    office marked as the first language's words (`site.yaml` names it: 'Mayor')."""

    @pass_context
    def holders(context: Context, terms: Terms) -> str:
        if not context["language_prefix"]:
            return holders_text(terms, formats)
        marked = Markup('<span lang="{}">{}</span> {}')
        language = context["site"].language
        return Markup(formats.listed([marked.format(language, t.office, t.name) for t in terms]))

    return holders


@pass_context
def _markdown(context: Context, text: str, shift: int = 0) -> Markup:
    """Prose as HTML, its links to the site's pages leading to those of the page's language."""
    links: PageLinks = context["page_links"]
    told = links.in_language if links.prefix else None
    return Markup(render_markdown(text or "", links.root, shift, told))


def _redline(interface: Interface) -> Callable[..., Redline]:
    @pass_context
    def marked(context: Context, old: str, new: str) -> Redline:
        """The prose `new` rendered with its changes since `old` marked (see
        `render.redline`), its words `interface`'s."""
        return redline(old, new, context["root"], interface)

    return marked


#: How the templates are read: by the environments of a build and by the catalogs'
#: extraction of their strings (`render.strings`), which must parse them alike.
OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}


def make_environment(
    source: Path,
    theme: str,
    compiled: Path | None = None,
    interface: Interface = ENGLISH,
) -> Environment:
    """A Jinja environment of a build, telling pages in `interface`'s language; templates
    compiled once are kept in `compiled` (a folder of the cache), so a build that renders a
    few pages does not compile them all. The compiled code holds no string of a language,
    so every language's environment shares it."""
    env = Environment(
        loader=FileSystemLoader(template_folders(source, theme)),
        bytecode_cache=SignedBytecodeCache(compiled) if compiled else None,
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # a build reads each template once, not once per page
        extensions=["jinja2.ext.i18n"],
        **OPTIONS,
    )
    install_gettext(env, interface.translations)
    formats = interface.formats
    env.filters.update(
        long_date=formats.long_date,
        date_range=formats.date_range,
        money=formats.money,
        percent=formats.percent,
        share=formats.share,
        rate=formats.rate,
        number=formats.number,
        duration=interface.duration,
        markdown=_markdown,
        change_note=told,
        holders=_holders(formats),
    )
    env.globals.update(
        lang=interface.language,
        english=formats.english,
        describe=describe,
        redline=_redline(interface),
        word=interface.word,
        kind_name=interface.kind,
        phrase_text=functools.partial(phrase_text, interface=interface),
    )
    return env


class PageRenderer:
    """Makes a page's bytes (`renderer(page)`); and hands the links of the Markdown a
    worker rendered to the build, whose link check asks for them (see `stage_site`)."""

    def __init__(self, render: Callable[[Page], bytes]) -> None:
        self._render = render

    def __call__(self, page: Page) -> bytes:
        return self._render(page)

    @staticmethod
    def found() -> dict[bytes, Links]:
        return taken_links()

    @staticmethod
    def take(found: dict[bytes, Links]) -> None:
        keep_links(found)


def page_renderer(source: Path, site: SiteData, compiled: Path | None = None) -> PageRenderer:
    """What makes a page's bytes: ready-made, or rendered from its template in the
    environment of its interface language (see `make_environment`), each made once and
    when first needed."""
    environments: dict[str, Environment] = {}
    common = mirrored_urls(site.content) if len(site.config.languages) > 1 else frozenset()
    twinned: dict[str, frozenset[str]] = {}

    translated: dict[str, frozenset[str]] = {}

    def mirrored(interface: Interface | None) -> frozenset[str]:
        """The addresses of the pages that `interface`'s language has a twin of."""
        if interface is None:
            return frozenset()
        if interface.language not in twinned:
            twinned[interface.language] = common | language_history_urls(site, interface.language)
        return twinned[interface.language]

    def translated_in(interface: Interface | None) -> frozenset[str]:
        """The paths of the items that `interface`'s language has a translation of."""
        if interface is None:
            return frozenset()
        if interface.language not in translated:
            translated[interface.language] = frozenset(
                path
                for path, found in site.content.translations.items()
                if interface.language in found
            )
        return translated[interface.language]

    def environment(interface: Interface) -> Environment:
        if interface.language not in environments:
            environments[interface.language] = make_environment(
                source, site.config.theme, compiled, interface
            )
        return environments[interface.language]

    def render(page: Page) -> bytes:
        if page.make is not None:
            page = page.make()
        if page.data is not None:
            return page.data
        context = page_context(site, page, mirrored(page.interface), translated_in(page.interface))
        try:
            template = environment(page.interface or site.interface).get_template(
                page.template or ""
            )
            return template.render(context).encode("utf-8")
        except TemplateError as error:
            raise ContentError([template_problem(error, page.url, source)]) from None

    return PageRenderer(render)


#: The files of templates, as their frames in a traceback name them.
_TEMPLATE_FILES = (".html", ".xml", ".svg")


def template_problem(error: TemplateError, url: str, source: Path) -> Problem:
    """A theme's template mistake as a content mistake: the template's file and line (from
    the error, or the last template in its traceback, which Jinja writes with them), what
    is wrong, and the page it stopped."""
    path, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 0
    trace = error.__traceback__ if path is None else None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith(_TEMPLATE_FILES):
            path, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    where = Path(path) if path else Path(url)
    with contextlib.suppress(ValueError):
        where = where.relative_to(source)
    return Problem(
        str(where),
        line,
        f"{error.message or type(error).__name__} (making the page {url}); correct the "
        "template: a name it uses may not exist on this page, or a tag may be unclosed",
    )


def page_context(
    site: SiteData,
    page: Page,
    mirrored: frozenset[str] = frozenset(),
    translated: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """What every template sees, plus the page's own data: `root` (the way back to the
    site root), `home` (the way to the home page in the page's language), `canonical` (the
    page's full URL) and `section` (the first part of its path within its language,
    'plans' for /plans/riverton/ and /es/plans/riverton/, for the menu to mark);
    `mirrored` are the addresses that have a twin in the page's language, `translated` the
    items that have a translation in it."""
    root = site.config.base_path if page.served_anywhere else depth_root(page.url)
    language = page.interface.language if page.interface else ""
    prefix = f"/{language}" if language else ""
    links = PageLinks(root, prefix, mirrored, translated, site.config.language)
    return {
        "site": site.config,
        "page": page,
        "root": root,
        "home": f"{root}{language}/" if language else root,
        "language_prefix": prefix,
        "page_links": links,
        "url": links.url,
        "source_lang": links.source_lang,
        "canonical": site.config.absolute(page.url),
        "path": page.url.removeprefix(prefix),  # the page's address in the first language
        "section": page.url.removeprefix(prefix).split("/")[1],
        **site.chrome,
        **page.context,
    }


def depth_root(url: str) -> str:
    """The relative way from a page to the site root: '/plans/x/' → '../../'."""
    depth = url.count("/") - 1
    return "../" * depth if depth > 0 else "./"
