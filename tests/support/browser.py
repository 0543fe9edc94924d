"""The browser tools of `tests/browser/`: axe-core and Pagefind's search in headless
Chromium (through its node helpers), the Nu Html Checker, and a built site served under a
sub-path as a static host serves it.

The tools come from `tests/browser/` (`npm ci --ignore-scripts` there: playwright-core,
axe-core, vnu-jar), the system's Chromium and Java; `.ci/run` installs them all. A missing
tool skips a test on a developer's machine and fails it in CI (`CI` set), so CI can never
pass without running it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.sites import PREFIX, REPO_ROOT

BROWSER_DIR = REPO_ROOT / "tests/browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VNU_JAR = BROWSER_DIR / "node_modules/vnu-jar/build/dist/vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require(ready: bool, message: str) -> None:
    """A missing tool fails the test in CI and skips it elsewhere, saying how to get it."""
    if ready:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so browser tests may not be skipped)")
    pytest.skip(message)


def require_browser_tools() -> None:
    require(shutil.which("node") is not None, "Node.js is not installed (apt-get install nodejs)")
    require(
        (BROWSER_DIR / "node_modules/playwright-core").is_dir()
        and (BROWSER_DIR / "node_modules/axe-core").is_dir(),
        "the browser test helpers are not installed: run "
        "'npm ci --ignore-scripts --prefix tests/browser'",
    )
    require(
        os.access(CHROMIUM, os.X_OK),
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)",
    )


def require_nu_html_checker() -> None:
    require(
        shutil.which("java") is not None,
        "Java is not installed (apt-get install default-jre-headless)",
    )
    require(
        VNU_JAR.is_file(),
        "vnu-jar is not installed: run 'npm ci --ignore-scripts --prefix tests/browser'",
    )


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under PREFIX only, as a host does for a site in a sub-folder:
    any link that escapes the sub-path gets a 404, as it would there."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if not path.startswith(PREFIX):
            self.send_error(404, f"outside {PREFIX}")
            return None
        self.path = "/" + self.path[len(PREFIX) :]
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests report what matters."""


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """The built site in `folder` served on 127.0.0.1 under PREFIX; yields its address."""
    handler = functools.partial(SubPathHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def run_node(script: str, job: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
    """Run one helper of tests/browser with its job; its JSON answer, or the test fails."""
    try:
        done = subprocess.run(
            ["node", script, json.dumps(job)],
            cwd=BROWSER_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"tests/browser/{script} did not finish in {timeout:.0f} s")
    if done.returncode != 0:
        pytest.fail(f"tests/browser/{script} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def violations(entry: dict[str, Any]) -> list[str]:
    """What axe found on one page of accessibility.mjs's answer, at both widths, a line
    each."""
    return [
        f"/{entry['path']} at {width}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"] for n in v["nodes"])
        for width, key in (("1280 px", "wide"), ("320 px", "narrow"))
        for v in entry[key]
    ]


def accessibility_problems(output: Path, paths: list[str]) -> list[str]:
    """What axe finds on these pages of the site built in `output` (served under PREFIX),
    at both widths, and any page that scrolls sideways or does not load: a line each."""
    with served(output) as base:
        result = run_node(
            "accessibility.mjs", {"base": base, "paths": paths, "keyboard": [], "tags": WCAG_TAGS}
        )
    problems = [line for entry in result["pages"] for line in violations(entry)]
    return problems + [
        f"/{entry['path']}: {entry['overflow']}"
        for entry in result["pages"]
        if entry["overflow"] or entry["status"] != 200
    ]


def nu_html_errors(*arguments: str) -> list[dict[str, Any]]:
    """The messages of the Nu Html Checker, errors only, on the files or folders among
    `arguments` (its options may come first); the test fails if it does not run."""
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(done.stderr or done.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"the Nu Html Checker did not run: {done.stderr[-2000:]}")
    errors = [m for m in messages if m.get("type") != "info"]
    assert errors or done.returncode == 0, done.stderr[-2000:]
    return errors
