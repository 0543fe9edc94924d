"""One exception tree: every content mistake carries a path, a line and a fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .characters import shown


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content, printed as `path:line: message` on one line, whatever
    characters a file name holds."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        path = shown(self.path, None)
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.message}"


class SiteError(Exception):
    """Base of every error the command line reports without a traceback."""


class ContentError(SiteError):
    """The site's content has one or more mistakes; all of them are listed at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SiteError):
    """The command was called wrongly (exit status 2)."""


class OutputError(SiteError):
    """The output folder cannot be written (permissions, disk full, unsafe location)."""
