"""`site-builder serve`: build, serve on loopback, rebuild on every save and on every
commit, checkout or branch switch, reload the browser.

The edited page is shown first and the rest of the site follows (see `preview.py`); the
last good pages keep being served, and a content mistake is shown in the page (and the
terminal) until the next good save (see `preview_error.py`). Pages get a "preview — not
yet published" banner while the content has changes `publish` would refuse. Nothing here
is written into the site folder's output.

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
import ipaddress
import logging
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest, split_host_and_port
from tornado.ioloop import PeriodicCallback
from tornado.netutil import bind_sockets
from tornado.routing import Matcher, Rule
from tornado.web import Application, FallbackHandler, RequestHandler

from ..engine.characters import UNSAFE_IN_NAME
from ..engine.errors import UsageError
from .preview import BEHIND_AFTER, Preview
from .preview_watch import POLL_MS, QuickWatcher, git_watched, watched

#: This computer, whatever `--host` says (an IP address also is: see `host_allowed`).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})
_STOPS = (signal.SIGTERM, signal.SIGHUP)  # stop as Ctrl+C (SIGINT) does
_TEXT = "text/plain; charset=utf-8"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def wsgi_app(preview: Preview) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI app of the preview: 400 for a path that cannot name a file, else what the
    preview answers (for HEAD, its headers alone)."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        parts = _parts(environ.get("PATH_INFO", "/"))
        if parts is None:
            status, kind = "400 Bad Request", _TEXT
            body = b"This address cannot name a file of the site.\n"
        else:
            status, kind, body = preview.answer(parts, environ.get("QUERY_STRING", ""))
        start_response(
            status,
            [
                ("Content-Type", kind),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    return app


class _PreviewServer(Server):
    """livereload's server on sockets taken before the first build, answering this
    computer's browser only, without livereload's per-request and per-poll log lines."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        sockets: list[socket.socket],
        host: str,
        preview: Preview,
    ) -> None:
        super().__init__(app=app, watcher=QuickWatcher())
        self.sockets = sockets
        self.hosts = allowed_hosts(host)
        self.preview = preview

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
        # The open pages reload when the edited page is new, and again when the whole
        # site is (`path` says which file changed, as livereload's own reload does).
        self.preview.on_new = lambda: LiveReloadHandler.reload_waiters()
        PeriodicCallback(self.preview.poll, POLL_MS).start()


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
    preview = Preview(source, folder)
    try:
        if preview.refresh():
            preview.start_build(after=BEHIND_AFTER)
        server = _PreviewServer(wsgi_app(preview), sockets, host, preview)
        moved_by_git = git_watched(source)
        for path in watched(source):
            server.watch(str(path), preview.committed if path in moved_by_git else preview.changed)
        print(
            f"Serving the preview at http://{_named(host)}:{port}/ (Ctrl+C to stop).",
            file=sys.stderr,
        )
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    finally:
        for number in previous:  # a second signal must not leave half the folder behind
            signal.signal(number, signal.SIG_IGN)
        preview.stop()
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
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use (by another preview?); try --port {free_after(host, port)}"
            ) from None
        reasons = {
            errno.EADDRNOTAVAIL: f"--host {host} is not an address of this computer; use "
            "127.0.0.1 (this computer only) or one of its addresses",
            errno.EACCES: "ports below 1024 need administrator rights; choose another with "
            "--port, such as 8000",
        }
        reason = reasons.get(error.errno or 0, f"{error.strerror}; check --host and --port")
        raise UsageError(f"cannot listen on {_named(host)}:{port}: {reason}") from None


def free_after(host: str, port: int) -> int:
    """The first port after `port` that `host` can listen on now (8001 after 8000), to
    suggest one that works."""
    for candidate in (*range(port + 1, 65536), *range(1024, port)):
        try:
            for taken in bind_sockets(candidate, address=host):
                taken.close()
        except OSError:
            continue
        return candidate
    return port
