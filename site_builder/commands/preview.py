"""The state of the preview: the last complete build, the pages of newer content while the
next complete build is made, and the content's mistakes.

A save or a commit is met in two steps. First the content is loaded in this process and
the pages of the current content (home, lists, an item's page) become pages of the newer
content, each rendered when a browser asks for it: the edited page is shown at once.
Then a complete build runs in a process of its own and, when it is done, replaces the
last one; history, changes and data pages come with it. A page is therefore always
either the last complete build's or the newer content's, never a mix within one page.
"""

from __future__ import annotations

import html
import mimetypes
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..content.theme import assets
from ..engine.errors import ContentError, Problem, SiteError
from .build import build
from .preview_draft import Draft, Drafting
from .preview_error import error_page
from .publish import uncommitted

#: The query that asks for the last good page while the content has mistakes.
LAST_GOOD = "last-good"
#: How a build's warning begins on its error stream.
WARNING = "warning: "
#: Seconds between a save and the start of the complete build: the edited page, asked
#: for as the browser reloads, is rendered with the cores to itself.
BEHIND_AFTER = 1.0
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"

Answer = tuple[str, str, bytes]  # status, content type, body


class Preview:
    """What the preview serves, and how it follows the content."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self.failure = ""
        self.unpublished = False
        self.warnings: tuple[str, ...] = ()  # of the last complete build, atop every page
        self.theme = "default"
        self.draft: Draft | None = None
        self.drafting = Drafting(source)
        self.built = False  # the folder holds a complete build
        self.on_new: Callable[[], None] = lambda: None  # tells the open pages to reload
        self._building: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._started = 0.0
        self._due: float | None = None  # when the complete build asked for is to start
        self._again = False  # the content changed while the complete build ran

    def changed(self) -> None:
        """A save or a commit: the newer content's pages at once, the complete build
        behind them."""
        if self.refresh():
            self.start_build(after=BEHIND_AFTER)
        self.on_new()

    def committed(self) -> None:
        """A commit, a checkout or a branch switch: the history is read again too."""
        self.drafting.git_moved = True
        self.changed()

    def rebuild(self) -> None:
        """Both steps in this process, one after the other (for a library caller)."""
        if self.refresh():
            try:
                result = build(self.source, self.folder, base_url="/")
            except SiteError as error:
                self._failed(str(error))
                return
            self.built, self.draft, self.warnings = True, None, result.warnings

    def refresh(self) -> bool:
        """Load the content and make its current pages; on a mistake keep the last good
        pages and say what is wrong. True when the content is good."""
        started = time.perf_counter()
        try:
            draft = self.drafting.draft()
        except ContentError as error:
            self.problems, self.failure = error.problems, ""
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print("The preview shows these mistakes until the next good save.", file=sys.stderr)
            return False
        except SiteError as error:
            self._failed(str(error))
            return False
        self.draft, self.theme, self.problems, self.failure = draft, draft.theme, [], ""
        self.unpublished = _unpublished(self.source)
        print(
            f"The pages of the new content are ready ({time.perf_counter() - started:.2f} s); "
            "the rest of the site follows.",
            file=sys.stderr,
        )
        return True

    def start_build(self, after: float = 0.0) -> None:
        """The complete build, in a process of its own, `after` seconds from now (see
        `poll`); one at a time, the next one started when it ends if the content changed
        meanwhile."""
        if self._building is not None:
            self._again = True
        elif after > 0:
            self._due = self._due or time.perf_counter() + after
        else:
            self._launch()

    def _launch(self) -> None:
        self._started, self._again, self._due = time.perf_counter(), False, None
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `_finish`)
        self._building = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "build",
                "--quiet",
                "--base-url",
                "/",
                "--source",
                str(self.source),
                "--output",
                str(self.folder),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
            preexec_fn=_behind,
        )

    def poll(self) -> None:
        """Start the complete build once it is due; take it in once its process has ended."""
        if self._due is not None and time.perf_counter() >= self._due:
            self._launch()
        if self._building is not None and self._building.poll() is not None:
            self._finish()

    def wait(self) -> None:
        """Wait for the complete build, for a page only it makes."""
        if self._due is not None:
            self._launch()
        if self._building is not None:
            self._building.wait()
            self._finish()

    def stop(self) -> None:
        """End the complete build, if one runs (its output folder is about to go)."""
        self._due = None
        if self._building is not None:
            self._building.terminate()
            self._building.wait()
            self._building = None

    def _finish(self) -> None:
        assert self._building is not None and self._errors is not None
        process, errors, self._building = self._building, self._errors, None
        errors.seek(0)
        said = errors.read().decode("utf-8", errors="replace").strip()
        errors.close()
        if process.returncode == 0:
            self.built, self.failure = True, ""
            lines = said.splitlines()
            self.warnings = tuple(w.removeprefix(WARNING) for w in lines if w.startswith(WARNING))
            for warning in self.warnings:
                print(f"{WARNING}{warning}", file=sys.stderr)
            if not self._again:
                self.draft = None  # the complete build shows the same content
            seconds = time.perf_counter() - self._started
            print(f"Rebuilt the whole preview in {seconds:.2f} s.", file=sys.stderr)
        else:
            self._failed(said.removeprefix("site-builder: "))
        if self._again:
            self.start_build()
        self.on_new()

    def _failed(self, failure: str) -> None:
        self.problems, self.failure = [], failure
        print(f"site-builder: {failure}", file=sys.stderr)

    def answer(self, parts: list[str], query: str) -> Answer:
        """Status, content type and body for the site path made of `parts`."""
        relative = self._relative(parts)
        page = relative is not None and relative.endswith(".html")
        if page and (self.problems or self.failure) and query != LAST_GOOD:
            known = relative is not None and self._holds(relative)
            last_good = "/" + "/".join(parts) + f"?{LAST_GOOD}" if known else None
            shown = error_page(self.source, self.theme, self.problems, self.failure, last_good)
            return "200 OK", _HTML, shown
        body = None if relative is None else self._body(relative)
        if body is None or relative is None:
            missing = self._body("404.html") or b"Not found"
            return "404 Not Found", _HTML, self._banner(missing)
        kind = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        return "200 OK", kind, self._banner(body) if kind.startswith("text/html") else body

    def _relative(self, parts: list[str]) -> str | None:
        """The site file `parts` names: itself, or the index of the folder it names (a
        last part without a suffix names a folder); never a hidden one (the output's
        marker is one)."""
        if any(part.startswith(".") for part in parts):
            return None
        relative = "/".join(parts)
        index = f"{relative}/index.html" if relative else "index.html"
        if self.draft is not None and self.draft.holds(relative):
            return relative
        if not relative or (self.draft is not None and self.draft.holds(index)):
            return index
        if not self.built:
            self.wait()
        try:
            target = self.folder / relative
            if target.is_dir() or ("." not in parts[-1] and not target.exists()):
                return index  # a folder's address, even before anything was built
            return relative
        except OSError:  # a name too long for the file system, say
            return relative

    def _holds(self, relative: str) -> bool:
        if self.draft is not None and self.draft.holds(relative):
            return True
        if not self.built:
            self.wait()
        return self._file(relative) is not None

    def _body(self, relative: str) -> bytes | None:
        """The newer content's file, else the last complete build's."""
        if self.draft is not None and (body := self.draft.get(relative)) is not None:
            return body
        if not self.built:
            self.wait()  # a page only the complete build makes: history, data, feeds
        file = self._file(relative)
        if file is None and relative.startswith("assets/"):
            file = self._asset(relative.removeprefix("assets/"))
        return None if file is None else file.read_bytes()

    def _asset(self, name: str) -> Path | None:
        """The theme's own asset, for the error page when nothing was built yet."""
        try:
            return assets(self.source, self.theme).get(name)
        except OSError:
            return None

    def _file(self, relative: str) -> Path | None:
        target = self.folder / relative
        try:
            inside = target.resolve().is_relative_to(self.folder.resolve())
            return target if inside and target.is_file() else None
        except OSError:  # a name too long for the file system, say
            return None

    def _banner(self, page: bytes) -> bytes:
        if self.warnings:
            page = page.replace(b"<body>", b"<body>" + warnings_note(self.warnings), 1)
        if not self.unpublished:
            return page
        banner = (
            '<div class="banner" role="note" style="margin:0"><p><strong>Preview — not '
            "yet published.</strong> This page shows edits that are not committed.</p>"
            "</div>"
        ).encode()
        return page.replace(b"<body>", b"<body>" + banner, 1)


def warnings_note(warnings: tuple[str, ...]) -> bytes:
    """What the last build warned about (example text left, a broken link), atop each page
    of the preview: `publish` would refuse it."""
    items = "".join(f"<li><code>{html.escape(warning)}</code></li>" for warning in warnings)
    return (
        '<div class="banner" role="note" style="margin:0"><p><strong>Check before '
        f"publishing:</strong> the last build warns of these.</p><ul>{items}</ul></div>"
    ).encode()


def _behind() -> None:
    """The complete build yields the cores to the pages asked for (and to the editor)."""
    os.nice(10)


def _unpublished(source: Path) -> bool:
    """True when `publish` would refuse the content as not committed."""
    try:
        return bool(uncommitted(source))
    except SiteError:  # no git, or no repository: nothing to compare with
        return False
