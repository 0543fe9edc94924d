"""A real `site-builder serve` on a free port, asked over real HTTP with a chosen Host."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from site_builder.output.marker import MARKER
from tests.support.git import commit, make_repo
from tests.support.sites import MINIMAL_PLAN, write_site

PLAN_PAGE = "/plans/testville/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Preview:
    process: subprocess.Popen[str]
    port: int
    site: Path
    tmp: Path  # TMPDIR of the server: where its temporary folder is
    log: Path  # everything it printed

    def request(
        self,
        path: str,
        host: str = "127.0.0.1:{port}",
        headers: dict[str, str] | None = None,
        method: str = "GET",
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(
                method, path, headers={"Host": host.format(port=self.port), **(headers or {})}
            )
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return response.status, dict(response.getheaders()), body
        finally:
            connection.close()

    def folders(self) -> list[Path]:
        return sorted(self.tmp.glob("site-builder-preview-*"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def site_in_git(tmp_path: Path) -> Path:
    """The one-plan site, committed, at `tmp_path / "site"`."""
    site = write_site(tmp_path / "site", {"content/plans/testville/plan.md": MINIMAL_PLAN})
    make_repo(site)
    commit(site, {}, "Start", date="2026-01-01T00:00:00+00:00")
    return site


def start(tmp_path: Path, *args: str) -> Preview:
    """`site-builder serve` of `site_in_git` on a free port, with its own TMPDIR; returns
    once it answers and its first complete build is in."""
    preview = launch(site_in_git(tmp_path), tmp_path, *args)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            built = list(preview.tmp.glob(f"site-builder-preview-*/site/{MARKER}"))
            if preview.request(PLAN_PAGE)[0] == 200 and built:  # the complete build too
                return preview
        except OSError:
            pass
        assert preview.process.poll() is None, preview.log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"the preview never answered: {preview.log.read_text()}")


def launch(site: Path, tmp_path: Path, *args: str) -> Preview:
    """`site-builder serve` of `site` on a free port, with its own TMPDIR, just started."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    log = tmp_path / "serve.log"
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "serve",
                "--source",
                str(site),
                "--port",
                str(port),
                *args,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, TMPDIR=str(tmp)),
        )
    return Preview(process, port, site, tmp, log)
