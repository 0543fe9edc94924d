"""`site-builder serve`: build, serve on loopback, rebuild on every save, reload the browser.

The last good build keeps being served; a content mistake is shown in the page (and the
terminal) until the next good save. Pages get a "preview — not yet published" banner while
the content has changes `publish` would refuse. Nothing here is written into the site
folder's output.

Only this computer's browser is answered. A request whose Host header names another site
(a page whose name was made to point at 127.0.0.1: DNS rebinding) gets 421, and a page of
another site cannot open the reload socket (403); an IP address, `localhost` and the name
given with `--host` are this computer. Hidden files and the output's marker are never
served, and a path that cannot name a file (NUL or another control character, not UTF-8,
a `..` part) is 400. The port is taken before the first build, so a busy port or an
address that is not this computer's is one line and exit status 2. SIGTERM and SIGHUP stop
the preview as Ctrl+C does, and its temporary folder goes with it.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import logging
import mimetypes
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import Watcher
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest, split_host_and_port
from tornado.ioloop import PeriodicCallback
from tornado.netutil import bind_sockets
from tornado.routing import Matcher, Rule
from tornado.web import Application, FallbackHandler, RequestHandler

from ..engine.characters import UNSAFE_IN_NAME
from ..engine.errors import ContentError, Problem, SiteError, UsageError
from .build import build
from .publish import BUILT_FROM, uncommitted

#: This computer, whatever `--host` says (an IP address also is: see `host_allowed`).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})
_STOPS = (signal.SIGTERM, signal.SIGHUP)  # stop as Ctrl+C (SIGINT) does
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Preview:
    """The state of the preview: where the last good build is, and the current mistakes."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self.problems: list[Problem] = []
        self.failure = ""
        self.unpublished = False
        self.warnings: tuple[str, ...] = ()  # of the last good build, shown on every page

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
        self.problems, self.failure, self.warnings = [], "", result.warnings
        self.unpublished = _unpublished(self.source)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(
            f"Rebuilt {result.pages} pages in {time.perf_counter() - started:.2f} s.",
            file=sys.stderr,
        )

    def app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """A WSGI app: the error page while something is wrong, else the built files (for
        HEAD, their headers alone)."""
        status, kind, body = self._answer(environ.get("PATH_INFO", "/"))
        start_response(
            status,
            [
                ("Content-Type", kind),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _answer(self, path: str) -> tuple[str, str, bytes]:
        """Status, content type and body for a request of `path`."""
        parts = _parts(path)
        if parts is None:
            return "400 Bad Request", _TEXT, b"This address cannot name a file of the site.\n"
        if self.problems or self.failure:
            return "200 OK", _HTML, error_page(self.problems, self.failure)
        file = self._file(parts)
        if file is None:
            missing = self.folder / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return "404 Not Found", _HTML, self._banner(body)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        body = file.read_bytes()
        return "200 OK", kind, self._banner(body) if kind.startswith("text/html") else body

    def _file(self, parts: list[str]) -> Path | None:
        """The built file `parts` names; never a hidden one (the marker is one)."""
        if any(part.startswith(".") for part in parts):
            return None
        target = self.folder.joinpath(*parts)
        try:
            if target.is_dir():
                target = target / "index.html"
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


class _QuickWatcher(Watcher):
    """Polls every 0.15 s instead of livereload's 0.8 s, so a save shows well within 2 s."""

    def start(self, callback: Callable[[], None]) -> bool:
        PeriodicCallback(callback, 150).start()
        return True


class _PreviewServer(Server):
    """livereload's server on sockets taken before the first build, answering this
    computer's browser only, without livereload's per-request and per-poll log lines."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], sockets: list[socket.socket], host: str
    ) -> None:
        super().__init__(app=app, watcher=_QuickWatcher())
        self.sockets = sockets
        self.hosts = allowed_hosts(host)

    def _setup_logging(self) -> None:
        logging.getLogger("livereload").setLevel(logging.WARNING)

    def application(
        self,
        port: int,
        host: str,
        liveport: int | None = None,
        debug: bool | None = None,
        live_css: bool = True,
    ) -> None:
        """livereload's routes (its script, its socket, then the site) behind the Host
        check. `host`, `liveport` and `debug` are unused: the sockets are bound already,
        and the reload socket shares the site's port."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()
        hosts = {"hosts": self.hosts}
        routes: list[Rule | tuple[str, Any] | tuple[str, Any, dict[str, Any]]] = [
            Rule(_OtherSite(self.hosts), _Refused),
            (r"/livereload", _ReloadSocket, hosts),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r".*", FallbackHandler, {"fallback": LiveScriptContainer(self.app, script)}),
        ]
        HTTPServer(Application(routes)).add_sockets(self.sockets)


class _OtherSite(Matcher):
    """A request whose Host header names another site than this computer."""

    def __init__(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return None if host_allowed(request.host_name, self.hosts) else {}


class _Refused(RequestHandler):
    def prepare(self) -> None:
        self.set_status(421)
        self.set_header("Content-Type", _TEXT)
        self.finish(
            "This preview answers only at this computer's addresses, such as "
            "127.0.0.1 and localhost.\n"
        )


class _ReloadSocket(LiveReloadHandler):
    """livereload's socket, which accepts any page (and tells it the path of each changed
    file), opened only from a page of this computer."""

    def initialize(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def check_origin(self, origin: str) -> bool:
        return host_allowed(split_host_and_port(urlsplit(origin).netloc.lower())[0], self.hosts)


def allowed_hosts(host: str) -> frozenset[str]:
    """The names a request may use for the preview: this computer's, and `--host`."""
    return LOOPBACK | {_named(host)}


def host_allowed(name: str, hosts: frozenset[str]) -> bool:
    """True for a name of `hosts` and for any IP address: a page can make only a *name*
    point at this computer (an IP address in the Host header is reached as itself)."""
    if name in hosts:
        return True
    try:
        ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _named(host: str) -> str:
    """`host` as a URL (and a Host header) names it: lowercase, IPv6 in brackets."""
    host = host.lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _parts(path: str) -> list[str] | None:
    """The parts of a request's path, or None when it cannot name a file of the site: a
    control character or line break, not UTF-8 once percent-decoded, or a `..` part."""
    try:
        text = path.encode("latin-1").decode("utf-8")  # WSGI passes the bytes as latin-1
    except UnicodeError:
        return None
    parts = [part for part in text.split("/") if part]
    return None if UNSAFE_IN_NAME.search(text) or ".." in parts else parts


def serve(source: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Build, serve and rebuild on change until interrupted (Ctrl+C, SIGTERM, SIGHUP)."""
    source = source.resolve()
    sockets = listen(host, port)
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, *_STOPS)}
    for number in _STOPS:
        signal.signal(number, signal.default_int_handler)
    folder = Path(tempfile.mkdtemp(prefix="site-builder-preview-")) / "site"
    try:
        preview = Preview(source, folder)
        preview.rebuild()
        server = _PreviewServer(preview.app, sockets, host)
        for name in BUILT_FROM:
            if (source / name).exists():
                server.watch(str(source / name), preview.rebuild)
        print(
            f"Serving the preview at http://{_named(host)}:{port}/ (Ctrl+C to stop).",
            file=sys.stderr,
        )
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    finally:
        for number in previous:  # a second signal must not leave half the folder behind
            signal.signal(number, signal.SIG_IGN)
        shutil.rmtree(folder.parent, ignore_errors=True)
        for number, handler in previous.items():
            signal.signal(number, handler)


def listen(host: str, port: int) -> list[socket.socket]:
    """Sockets listening on `host` and `port`; what stops that is a usage error, one line."""
    if not host.strip():
        raise UsageError(
            "--host '' would listen on every address; give one, such as "
            "127.0.0.1 (this computer only)"
        )
    try:
        return bind_sockets(port, address=host)
    except socket.gaierror:
        raise UsageError(
            f"--host {host!r} is not an address or name this computer can "
            "listen on; use 127.0.0.1 (this computer only) or one of its "
            "addresses"
        ) from None
    except OSError as error:
        reasons = {
            errno.EADDRINUSE: "the port is in use (by another preview?); stop that program or "
            f"choose another with --port {port % 65535 + 1}",
            errno.EADDRNOTAVAIL: f"--host {host} is not an address of this computer; use "
            "127.0.0.1 (this computer only) or one of its addresses",
            errno.EACCES: "ports below 1024 need administrator rights; choose another with "
            "--port, such as 8000",
        }
        reason = reasons.get(error.errno or 0, f"{error.strerror}; check --host and --port")
        raise UsageError(f"cannot listen on {_named(host)}:{port}: {reason}") from None


def _unpublished(source: Path) -> bool:
    """True when `publish` would refuse the content as not committed."""
    try:
        return bool(uncommitted(source))
    except SiteError:  # no git, or no repository: nothing to compare with
        return False


def error_page(problems: list[Problem], failure: str) -> bytes:
    """A plain page listing every mistake as `path:line: message`."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    if failure:
        items += f"<li>{html.escape(failure)}</li>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Fix the content to update the preview</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}li{margin:.5rem 0}code{white-space:pre-wrap}"
        "</style></head><body><h1>The site could not be rebuilt</h1>"
        "<p>Fix these mistakes and save; this page reloads by itself.</p>"
        f"<ol>{items}</ol></body></html>"
    ).encode()


def warnings_note(warnings: tuple[str, ...]) -> bytes:
    """What the last build warned about (example text left, a broken link), atop each page
    of the preview: `publish` would refuse it."""
    items = "".join(f"<li><code>{html.escape(warning)}</code></li>" for warning in warnings)
    return (
        '<div class="banner" role="note" style="margin:0"><p><strong>Check before '
        f"publishing:</strong> the last build warns of these.</p><ul>{items}</ul></div>"
    ).encode()
