"""Where templates and assets come from: the site's theme first, then the default theme.

Lookup order, for both templates and assets (documented in the README):
1. `<site>/themes/<theme>/` where `<theme>` is `theme:` in site.yaml (default `default`);
2. the default theme shipped with site_builder.
A site overrides one template or one asset by placing a file of the same name there.
"""

from __future__ import annotations

from pathlib import Path

#: The default theme: `themes/default` in a source checkout, package data when installed.
_PACKAGED = Path(__file__).parent / "default_theme"
_CHECKOUT = Path(__file__).parent.parent / "themes" / "default"
DEFAULT_THEME = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def theme_folders(source: Path, theme: str) -> list[Path]:
    """The theme folders in lookup order, existing ones only."""
    folders = [source / "themes" / theme]
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


def assets(source: Path, theme: str) -> dict[str, Path]:
    """Every asset file by its path under /assets/, the first theme that has it winning."""
    found: dict[str, Path] = {}
    for folder in theme_folders(source, theme):
        root = folder / "assets"
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found.setdefault(path.relative_to(root).as_posix(), path)
    return found


def template_files(source: Path, theme: str) -> list[tuple[str, Path]]:
    """Every template file (what a rendered page may depend on), named by its place in the
    lookup order and its path in the theme — never by where the site folder is."""
    return [(f"{place}/{path.relative_to(folder).as_posix()}", path)
            for place, folder in enumerate(map(Path, template_folders(source, theme)))
            for path in sorted(folder.rglob("*")) if path.is_file()]
