"""The preview's latency on a corpus: seconds from `site-builder serve` to its first page,
and from a save of a plan's prose to that plan's page showing the new words (median of 5).

    python bench/make_history_repo.py DIR --plans 200 --revisions 40 \\
        --updates 1000 --fellows 300 --convenings 20
    python bench/preview.py DIR
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a site repository, such as the bench corpus")
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    first, saves = measure(args.site.resolve(), args.saves)
    print(f"preview: first page {first:.2f} s after start (target ≤ 3 s)")
    print(
        f"preview: a saved plan's page shows the new words in {statistics.median(saves):.2f} s "
        f"(median of {len(saves)}: {', '.join(f'{s:.2f}' for s in saves)}; target ≤ 0.3 s)"
    )


def measure(site: Path, saves: int) -> tuple[float, list[float]]:
    """Seconds to the first page, and to each saved plan's page; the plan is put back."""
    plans = sorted((site / "content" / "plans").glob("*/plan.md"))
    plan = plans[len(plans) // 2]
    url = f"/plans/{plan.parent.name}/"
    original = plan.read_bytes()
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder.cli",
                "serve",
                *("--source", str(site)),
                *("--port", str(port)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, TMPDIR=tmp),
        )
        try:
            _until(port, url, lambda page: page.startswith(b"<!DOCTYPE"))
            first = time.perf_counter() - started
            times = []
            for number in range(saves):
                words = f"Saved words number {number} {time.time_ns()}"
                time.sleep(1.0)  # apart, as a person saves; the build behind may still run
                plan.write_bytes(original.rstrip(b"\n") + f"\n\n{words}\n".encode())
                saved = time.perf_counter()
                _until(port, url, lambda page, words=words: words.encode() in page)
                times.append(time.perf_counter() - saved)
        finally:
            plan.write_bytes(original)
            server.terminate()
            server.wait(timeout=60)
    return first, times


def _until(port: int, path: str, holds: object) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            connection.request("GET", path)
            body = connection.getresponse().read()
            connection.close()
            if holds(body):  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise SystemExit(f"the preview never showed {path} as expected")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
