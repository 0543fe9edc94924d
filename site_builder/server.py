"""`site-builder serve`: build, serve on loopback, rebuild on every save, reload the browser.

The last good build keeps being served; a content mistake is shown in the page (and the
terminal) until the next good save. Pages get a "preview — not yet published" banner while
the content has uncommitted edits. Nothing here is written into the site folder's output.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.watcher import Watcher
from tornado.ioloop import PeriodicCallback

from .build import build
from .errors import ContentError, Problem, SiteError

WATCHED = ("content", "site.yaml", "static", "themes")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Preview:
    """The state of the preview: where the last good build is, and the current mistakes."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self.failure = ""
        self.unpublished = False

    def rebuild(self) -> None:
        """Build into the preview folder; on a mistake keep the last good site."""
        started = time.perf_counter()
        try:
            result = build(self.source, self.folder, base_url="/")
        except ContentError as error:
            self.problems, self.failure = error.problems, ""
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print("The preview shows these mistakes until the next good save.", file=sys.stderr)
            return
        except SiteError as error:
            self.problems, self.failure = [], str(error)
            print(f"site-builder: {error}", file=sys.stderr)
            return
        self.problems, self.failure = [], ""
        self.unpublished = has_uncommitted_edits(self.source)
        print(f"Rebuilt {result.pages} pages in {time.perf_counter() - started:.2f} s.",
              file=sys.stderr)

    def app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """A WSGI app: the error page while something is wrong, else the built files."""
        if self.problems or self.failure:
            return _respond(start_response, "200 OK", "text/html; charset=utf-8",
                            error_page(self.problems, self.failure))
        path = environ.get("PATH_INFO", "/")
        file = self._file(path)
        if file is None:
            missing = self.folder / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return _respond(start_response, "404 Not Found", "text/html; charset=utf-8",
                            self._banner(body))
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        body = file.read_bytes()
        return _respond(start_response, "200 OK", kind,
                        self._banner(body) if kind.startswith("text/html") else body)

    def _file(self, path: str) -> Path | None:
        target = (self.folder / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.folder.resolve()):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _banner(self, page: bytes) -> bytes:
        if not self.unpublished:
            return page
        banner = ('<div class="banner" role="note" style="margin:0"><p><strong>Preview — not '
                  "yet published.</strong> This page shows edits that are not committed.</p>"
                  "</div>").encode()
        return page.replace(b"<body>", b"<body>" + banner, 1)


class _QuickWatcher(Watcher):
    """Polls every 0.15 s instead of livereload's 0.8 s, so a save shows well within 2 s."""

    def start(self, callback: Callable[[], None]) -> bool:
        PeriodicCallback(callback, 150).start()
        return True


class _QuietServer(Server):
    """livereload's server without its per-request and per-poll log lines."""

    def _setup_logging(self) -> None:
        logging.getLogger("livereload").setLevel(logging.WARNING)


def serve(source: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Build, serve and rebuild on change until interrupted."""
    source = source.resolve()
    folder = Path(tempfile.mkdtemp(prefix="site-builder-preview-")) / "site"
    preview = Preview(source, folder)
    preview.rebuild()
    server = _QuietServer(app=preview.app, watcher=_QuickWatcher())
    for name in WATCHED:
        if (source / name).exists():
            server.watch(str(source / name), preview.rebuild)
    print(f"Serving the preview at http://{host}:{port}/ (Ctrl+C to stop).", file=sys.stderr)
    try:
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def has_uncommitted_edits(source: Path) -> bool:
    """True when content, settings, static files or themes differ from the last commit."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--", *WATCHED], cwd=source,
                                capture_output=True, text=True, check=False)
    except OSError:
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def error_page(problems: list[Problem], failure: str) -> bytes:
    """A plain page listing every mistake as `path:line: message`."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    if failure:
        items += f"<li>{html.escape(failure)}</li>"
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Fix the content to update the preview</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}li{margin:.5rem 0}code{white-space:pre-wrap}"
        "</style></head><body><h1>The site could not be rebuilt</h1>"
        "<p>Fix these mistakes and save; this page reloads by itself.</p>"
        f"<ol>{items}</ol></body></html>"
    ).encode()


def _respond(start_response: StartResponse, status: str, kind: str,
             body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store")])
    return [body]
