"""The preview's page while the content has mistakes: styled by the site's theme, each
mistake with the lines of its file around it (its own line marked), and a way to the last
good build of the page that was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..content.theme import template_folders
from ..engine.errors import Problem

TEMPLATE = "preview_error.html"
#: Lines shown before and after the line of a mistake.
AROUND = 2


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    marked: bool


@dataclass(frozen=True)
class Shown:
    """A mistake as the page shows it: `path:line: message`, and the lines around it."""

    text: str
    path: str
    lines: tuple[Line, ...]


def error_page(
    source: Path, theme: str, problems: list[Problem], failure: str, last_good: str | None
) -> bytes:
    """The page listing every mistake; `last_good` is the address of the page asked for
    as the last good build has it, when it has one."""
    environment = Environment(
        loader=FileSystemLoader(template_folders(source, theme)),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )
    shown = [Shown(str(p), p.path, excerpt(source, p)) for p in problems]
    page = environment.get_template(TEMPLATE).render(
        problems=shown, failure=failure, last_good=last_good
    )
    return page.encode("utf-8")


def excerpt(source: Path, problem: Problem) -> tuple[Line, ...]:
    """The lines of the problem's file around its line; none when it names no line or no
    readable file of the site."""
    if problem.line < 1:
        return ()
    file = source / problem.path
    try:
        if not file.resolve().is_relative_to(source.resolve()) or not file.is_file():
            return ()
        lines = file.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first = max(problem.line - AROUND, 1)
    last = min(problem.line + AROUND, len(lines))
    return tuple(
        Line(number, lines[number - 1].expandtabs(4), number == problem.line)
        for number in range(first, last + 1)
    )
