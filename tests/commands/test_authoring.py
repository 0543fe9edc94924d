"""The authoring loop: the preview server over real HTTP, and `check` on broken links."""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.fixtures import MakeSite
from tests.support.git import commit, git, git_env, make_repo
from tests.support.serve import start
from tests.support.sites import FULL_PLAN, MINIMAL_PLAN, run_cli


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def wait_for(url: str, condition: str, seconds: float) -> float:
    """Seconds until the page at `url` contains `condition`; fails after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if condition in fetch(url):
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never showed {condition!r}: {fetch(url)[:2000]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The preview of a one-plan site: its folder and the server's address."""
    preview = start(tmp_path)
    try:
        yield preview.site, f"http://127.0.0.1:{preview.port}"
    finally:
        preview.stop()


def test_edit_shows_within_two_seconds_and_mistake_recovers(served: tuple[Path, str]) -> None:
    site, base = served
    plan = site / "content/plans/testville/plan.md"
    plan.write_text(MINIMAL_PLAN.replace("Safer Testville", "Safer Testville Now"))
    assert wait_for(f"{base}/plans/testville/", "Safer Testville Now", 10) < 2.0
    plan.write_text(MINIMAL_PLAN.replace("city: Testville", "city: [Testville"))
    wait_for(f"{base}/plans/testville/", "could not be rebuilt", 10)
    page = BeautifulSoup(fetch(f"{base}/"), "html.parser")
    assert page.find("code").get_text().startswith("content/plans/testville/plan.md:3: ")
    plan.write_text(MINIMAL_PLAN.replace("Safer Testville", "Safer Testville Again"))
    wait_for(f"{base}/plans/testville/", "Safer Testville Again", 10)


def test_uncommitted_edits_carry_a_preview_banner(served: tuple[Path, str]) -> None:
    site, base = served
    (site / "content/plans/testville/plan.md").write_text(MINIMAL_PLAN + "\nMore.\n")
    wait_for(f"{base}/plans/testville/", "Preview — not yet published", 10)


def test_server_listens_on_loopback_only(served: tuple[Path, str]) -> None:
    _, base = served
    port = int(base.rsplit(":", 1)[1])
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    for address in addresses - {"127.0.0.1", "::1"}:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
            probe.settimeout(1)
            assert probe.connect_ex((address, port)) != 0


def test_check_finds_broken_links_with_lines_and_writes_nothing(make_site: MakeSite) -> None:
    plan = FULL_PLAN + "\nSee [nowhere](/plans/nowhere/) and [goals](/plans/riverton/#nope).\n"
    site = make_site(
        {
            "content/plans/riverton/plan.md": plan,
            "content/pages/about.md": "---\ntitle: About\n---\n[ok](/plans/riverton/#plan-goals)\n",
        },
    )
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "content/plans/riverton/plan.md:61: the link '/plans/nowhere/' leads to no page on "
        "this site",
        "content/plans/riverton/plan.md:61: the link '/plans/riverton/#nope' points to "
        "'#nope', which is not a heading or section of /plans/riverton/; check the part "
        "after '#'",
    ]
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.yaml"]


def test_check_passes_on_good_content(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/pages/about.md": "---\ntitle: About\n---\n",
        },
    )
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No problems found: 1 plans")


def test_new_files_from_the_cli_build(make_site: MakeSite) -> None:
    site = make_site({})
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")  # 2025-12-01
    for args in (
        ["plan", "riverton"],
        ["update", "riverton"],
        ["fellow", "ana-ruiz"],
        ["convening", "atlanta-2027"],
    ):
        result = run_cli("new", *args, "--source", str(site), env=env)
        assert result.returncode == 0, result.stderr
    assert (site / "content/plans/riverton/updates/2025-12-01.md").is_file()
    again = run_cli("new", "fellow", "ana-ruiz", "--source", str(site))
    assert again.returncode == 1
    assert "content/fellows/ana-ruiz.md already exists" in again.stderr
    checked = run_cli("check", "--source", str(site))  # the example text is not finished
    assert checked.returncode == 1
    assert "replace the example text" in checked.stderr
    built = run_cli("build", "--source", str(site))  # but a draft shows in the preview
    assert built.returncode == 0, built.stderr
    assert "warning: content/plans/riverton/plan.md:" in built.stderr


def test_publish_twice_from_the_cli_makes_one_commit(make_site: MakeSite) -> None:
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    make_repo(site)
    (site / ".gitignore").write_text("/output/\n/.site-builder-cache/\n/.output.*\n")
    source = commit(site, {}, "Start the site", date="2026-01-01T00:00:00+00:00")
    env = dict(git_env(("Publisher", "publisher@example.org"), "2026-01-02T00:00:00+00:00"))
    status = git(site, "status", "--porcelain", env=env)
    first = run_cli("publish", "--source", str(site), env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("publish", "--source", str(site), env=env)
    assert second.returncode == 0 and "Nothing changed on gh-pages" in second.stdout
    log = git(site, "log", "--format=%s%n%b", "gh-pages", env=env)
    assert log.count("Publish site from") == 1
    assert source in log
    assert git(site, "status", "--porcelain", env=env) == status
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD", env=env).strip() == "main"
