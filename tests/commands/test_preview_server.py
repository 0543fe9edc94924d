"""The preview server as a browser (or a hostile page) meets it: a real `site-builder serve`
on a free port, real HTTP requests with chosen Host headers, real signals."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from site_builder.output.marker import MARKER
from tests.support.serve import PLAN_PAGE, Preview, free_port, site_in_git, start
from tests.support.sites import MINIMAL_PLAN

OTHER_SITES = [
    "evil.example",
    "evil.example:{port}",
    "localhost.evil.example",
    "127.0.0.1.nip.io:{port}",
    "localhost:{port}:{port}",
    "localhost:http",
]
THIS_COMPUTER = [
    "127.0.0.1:{port}",
    "localhost:{port}",
    "LocalHost",
    "[::1]:{port}",
    "127.0.0.1",
    "192.168.1.20:{port}",
]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the tests that only ask it questions; it must never print a
    traceback."""
    served = start(tmp_path_factory.mktemp("preview"))
    try:
        yield served
    finally:
        served.stop()
    assert "Traceback" not in served.log.read_text(), served.log.read_text()


def test_requests_for_another_site_are_refused(preview: Preview) -> None:
    """DNS rebinding: a page whose name now points at 127.0.0.1 must not read the preview."""
    for host in OTHER_SITES:
        for path in ("/", PLAN_PAGE, "/livereload.js", "/livereload", "/forcereload"):
            status, headers, body = preview.request(path, host)
            assert status == 421, (host, path, status)
            assert headers["Content-Type"].startswith("text/plain")
            assert body.count("\n") == 1 and "Safer Testville" not in body


def test_requests_for_this_computer_are_answered(preview: Preview) -> None:
    for host in THIS_COMPUTER:
        status, _, body = preview.request(PLAN_PAGE, host)
        assert status == 200 and "Safer Testville" in body, host


def test_another_sites_page_cannot_open_the_reload_socket(preview: Preview) -> None:
    """livereload accepts a WebSocket from any origin, and says which file changed."""
    handshake = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    status, _, _ = preview.request(
        "/livereload", headers={**handshake, "Origin": "http://evil.example"}
    )
    assert status == 403
    status, _, _ = preview.request(
        "/livereload", headers={**handshake, "Origin": f"http://127.0.0.1:{preview.port}"}
    )
    assert status == 101


def test_a_head_request_gets_the_headers_alone(preview: Preview) -> None:
    """livereload wrote a HEAD answer's body, and tornado answered with a traceback."""
    status, headers, body = preview.request(PLAN_PAGE, method="HEAD")
    assert status == 200 and body == "" and headers["Content-Type"].startswith("text/html")
    assert preview.request(PLAN_PAGE, "evil.example", method="HEAD")[0] == 421
    assert preview.request(PLAN_PAGE, "evil.example", method="POST")[0] == 421


def test_a_save_tells_the_open_page_to_reload(tmp_path: Path) -> None:
    """The page loads livereload's script from the preview, and its socket says 'reload'."""
    served = start(tmp_path)
    origin = f"http://127.0.0.1:{served.port}"
    plan = served.site / "content/plans/testville/plan.md"
    try:
        page = served.request(PLAN_PAGE)[2]
        assert f'<script src="/livereload.js?port={served.port}"></script></head>' in page
        assert served.request("/livereload.js")[0] == 200

        async def reload_message() -> dict[str, object]:
            socket = await websocket_connect(
                HTTPRequest(f"ws://127.0.0.1:{served.port}/livereload", headers={"Origin": origin})
            )
            socket.write_message(json.dumps({"command": "hello"}))
            assert json.loads(await socket.read_message() or "{}")["command"] == "hello"
            socket.write_message(json.dumps({"command": "info", "url": f"{origin}/"}))
            await asyncio.sleep(3)  # livereload lets 3 s pass between two reloads
            plan.write_text(MINIMAL_PLAN.replace("Safer Testville", "Safer Testville Now"))
            while True:  # the first may be livereload's own, for the page that just connected
                said = json.loads(await asyncio.wait_for(socket.read_message(), 10) or "{}")
                if said.get("path") == str(plan.resolve()):
                    return said

        assert asyncio.run(reload_message())["command"] == "reload"
        assert "Safer Testville Now" in served.request(PLAN_PAGE)[2]
    finally:
        served.stop()


def test_hidden_files_and_the_marker_are_never_served(preview: Preview) -> None:
    [folder] = preview.folders()
    marker = folder / "site" / MARKER
    assert marker.is_file()  # it is there to be asked for
    for path in (f"/{MARKER}", f"/%2E{MARKER[1:]}", "/plans/.hidden", "/./", "/.git/config"):
        status, _, body = preview.request(path)
        assert status == 404, path
        assert marker.read_text(errors="replace")[:40] not in body


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/plans/%00/index.html",
        "/%ff",
        "/%c0%ae%c0%ae/",
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/plans/..%2f..%2f..%2fetc/passwd",
        "/a%0d%0aSet-Cookie:x",
    ],
)
def test_paths_that_cannot_name_a_file_are_400(preview: Preview, path: str) -> None:
    status, headers, body = preview.request(path)
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain") and body.count("\n") == 1


def test_a_name_too_long_for_the_disk_is_not_found(preview: Preview) -> None:
    assert preview.request("/" + "a" * 300)[0] == 404
    assert preview.request(PLAN_PAGE)[0] == 200  # and the server goes on


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_removes_the_temporary_folder(tmp_path: Path, number: int) -> None:
    served = start(tmp_path)
    assert len(served.folders()) == 1

    served.process.send_signal(number)

    assert served.process.wait(timeout=10) == 0
    assert served.folders() == []
    assert "Traceback" not in served.log.read_text()


def serve_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`site-builder serve` that is expected to stop by itself (a timeout fails the test)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "site_builder.cli",
            "serve",
            "--source",
            str(site_in_git(tmp_path)),
            *args,
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, TMPDIR=str(tmp)),
        timeout=30,
        check=False,
    )


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Serving" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in last, result.stderr


def test_a_busy_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = serve_cli(tmp_path, "--port", port)
    assert_one_line_usage_error(result, port, "in use", "--port")
    assert result.stderr.count("\n") == 1
    assert list((tmp_path / "tmp").iterdir()) == []  # refused before building


@pytest.mark.parametrize("port", ["0", "-1", "65536", "99999999", "http", "8080.5"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str) -> None:
    assert_one_line_usage_error(serve_cli(tmp_path, f"--port={port}"), "--port", port)


@pytest.mark.parametrize("host", ["no-such-host.invalid", "192.0.2.1", "", "local host"])
def test_a_host_that_is_not_this_computer_is_one_line_and_exit_2(tmp_path: Path, host: str) -> None:
    result = serve_cli(tmp_path, "--port", str(free_port()), "--host", host)
    assert_one_line_usage_error(result, "--host")
    assert result.stderr.count("\n") == 1


def test_the_host_given_explicitly_is_answered_too() -> None:
    from site_builder.commands.serve import allowed_hosts, host_allowed

    hosts = allowed_hosts("plans-preview.lan")
    assert host_allowed("plans-preview.lan", hosts)
    assert host_allowed("localhost", hosts) and host_allowed("[::1]", hosts)
    assert not host_allowed("evil.example", hosts)
    assert not host_allowed("plans-preview.lan", allowed_hosts("127.0.0.1"))
    assert host_allowed("[fe80::1]", allowed_hosts("fe80::1"))
