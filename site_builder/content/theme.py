"""Where templates, assets and interface catalogs come from: the site's theme first, then
the default theme.

Lookup order, for templates, assets and catalogs (documented in the README):
1. `<site>/themes/<theme>/` where `<theme>` is `theme:` in site.yaml (default `default`);
2. the default theme shipped with site_builder.
A site overrides one template or one asset by placing a file of the same name there; a
catalog (`locale/<language>/LC_MESSAGES/messages.po`) translates the strings it has and
leaves the others to the next theme's catalog of that language (see `content.catalogs`).

A theme is walked as `static/` is (see `walk`): hidden files are left out, a name with
a line break or control character is a mistake, and a link is followed only to a file in
the same theme folder — a template or asset read through any other link could publish a
file from outside the site.
"""

from __future__ import annotations

from pathlib import Path

from ..engine.characters import name_problem
from ..engine.errors import ContentError, Problem
from .walk import walk

#: The default theme: `themes/default` in a source checkout, package data when installed.
_PACKAGED = Path(__file__).parent.parent / "default_theme"
_CHECKOUT = Path(__file__).parent.parent.parent / "themes" / "default"
DEFAULT_THEME = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
#: Each theme folder in lookup order, its files ('assets/site.css') and their problems.
Walked = list[tuple[Path, list[str], list[Problem]]]


def theme_folders(source: Path, theme: str) -> list[Path]:
    """The theme folders in lookup order, existing ones only; a theme named out of
    `themes/` is left out (`theme_problems` says so)."""
    folders = [source / "themes" / theme] if _is_folder_name(theme) else []
    if theme != "default":
        folders.append(source / "themes" / "default")
    folders.append(DEFAULT_THEME)
    unique: list[Path] = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def template_folders(source: Path, theme: str) -> list[str]:
    return [str(folder / "templates") for folder in theme_folders(source, theme)]


def theme_problems(source: Path, theme: str) -> list[Problem]:
    """Why the site's theme may not be used: a theme named out of `themes/`, or a theme
    folder of the site holding a name or a link that `static/` may not hold either."""
    return _problems(theme, _walked(source, theme))


def assets(source: Path, theme: str) -> dict[str, Path]:
    """Every asset file by its path under /assets/, the first theme that has it winning;
    none that `theme_problems` refuses."""
    found: dict[str, Path] = {}
    for folder, files, _ in _walked(source, theme):
        for relative in files:
            if relative.startswith("assets/"):
                found.setdefault(relative.removeprefix("assets/"), folder / relative)
    return found


def catalog_files(source: Path, theme: str, folders: list[str]) -> list[tuple[str, Path]]:
    """The interface catalogs of the language folders `folders` ('es_US', 'es'), in lookup
    order: theme by theme, the first folder first; each named by the site path a writer
    knows it by ('themes/mine/locale/es/LC_MESSAGES/messages.po', the default theme's as
    'themes/default/…'). None that `theme_problems` refuses."""
    found = []
    for folder, files, _ in _walked(source, theme):
        shown = folder.relative_to(source) if folder.is_relative_to(source) else None
        for language in folders:
            relative = f"locale/{language}/LC_MESSAGES/messages.po"
            if relative in files:
                name = f"{(shown or Path('themes/default')).as_posix()}/{relative}"
                found.append((name, folder / relative))
    return found


def template_files(source: Path, theme: str) -> list[tuple[str, Path]]:
    """Every template and catalog file (what a rendered page may depend on), named by its
    place in the lookup order and its path in the theme — never by where the site folder
    is.

    Every command lists them before a page is rendered, so this is where a theme that
    `theme_problems` refuses stops the build (or `check`), before a template is read."""
    walked = _walked(source, theme)
    problems = _problems(theme, walked)
    if problems:
        raise ContentError(problems)
    return [
        (f"{place}/{relative.removeprefix('templates/')}", folder / relative)
        for place, (folder, files, _) in enumerate(walked)
        for relative in files
        if relative.startswith(("templates/", "locale/"))
    ]


def _is_folder_name(theme: str) -> bool:
    """True for the name of one folder: no '/', not '.' or '..', nothing unsafe in a name."""
    return theme not in ("", ".", "..") and "/" not in theme and name_problem(theme) is None


def _problems(theme: str, walked: Walked) -> list[Problem]:
    if not _is_folder_name(theme):
        return [
            Problem(
                "site.yaml",
                0,
                f"the theme {theme!r} is not a folder under themes/; "
                "write the name of one (like 'mine'), without '/' or '..'",
            )
        ]
    return [problem for _, _, problems in walked for problem in problems]


def _walked(source: Path, theme: str) -> Walked:
    """Each theme folder in lookup order, with its files relative to it ('assets/site.css')
    and what may not be used there. The site's own theme folders are walked within the
    site, so that one linked out of it is refused; the default theme is our own."""
    walked = []
    for folder in theme_folders(source, theme):
        inside = folder.is_relative_to(source)
        base = source if inside else folder.parent
        prefix = folder.relative_to(base).as_posix()
        files, problems = walk(base, prefix)
        walked.append(
            (folder, [path[len(prefix) + 1 :] for path in files], problems if inside else [])
        )
    return walked
