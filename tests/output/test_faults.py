"""Faults during a build: killed, run twice at once, or unable to write. The published
output is never left half-written, and every failure is one clear line, not a traceback."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.output.marker import read_manifest
from tests.support.fixtures import MakeSite, TreeDigest
from tests.support.git import commit, make_repo
from tests.support.sites import MINIMAL_PLAN, run_cli

IGNORED = "/output/\n/.site-builder-cache/\n/.output.*\n"


def file_count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def big_site(root: Path) -> Path:
    """Some 400 pages in git: a build takes seconds, polled every few milliseconds."""
    files = {
        ".gitignore": IGNORED,
        "site.yaml": "title: Network\n",
        "content/plans/testville/plan.md": MINIMAL_PLAN,
    }
    for n in range(200):
        files[f"content/fellows/fellow-{n}.md"] = (
            f"---\nname: Fellow {n}\ncohort: {2015 + n % 10}\ncity: City {n % 20}\n---\n"
            f"Fellow {n} works on block {n}.\n"
        )
        files[f"content/pages/page-{n}.md"] = f"---\ntitle: Page {n}\n---\nAbout {n}.\n"
    commit(make_repo(root), files, "Publish", date="2025-01-01T00:00:00+00:00")
    return root


def start_build(site: Path) -> subprocess.Popen[bytes]:
    """`site-builder build` in its own process group, so its helpers can be waited for."""
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "build", "--quiet", "--source", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_group(group: int) -> None:
    """Wait until every process of `group` has ended (a killed build's Pagefind runs on)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"process group {group} still running")


def lock_is_free(site: Path) -> bool:
    with open(site / ".output.lock", "rb") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(file, fcntl.LOCK_UN)
        return True


@pytest.fixture(scope="module")
def renamed(
    tmp_path_factory: pytest.TempPathFactory, tree_digest: TreeDigest
) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A big site built, then renamed in a new commit (so every page changes) but not built
    again; with the digests of its output before and of a complete build after."""
    root = tmp_path_factory.mktemp("faults")
    site = big_site(root / "site")
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    commit(
        site,
        {"site.yaml": "title: Renamed network\n"},
        "Rename the site",
        date="2025-02-01T00:00:00+00:00",
    )
    assert (
        run_cli("build", "--source", str(site), "--output", str(root / "reference")).returncode == 0
    )
    return site, before, tree_digest(root / "reference")


def copy_of(site: Path, folder: Path) -> Path:
    """A copy of the site with its output and without a render cache (a cold build)."""
    copy = folder / "site"
    shutil.copytree(site, copy, symlinks=True, ignore=shutil.ignore_patterns(".site-builder-cache"))
    return copy


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_killed_build_leaves_the_previous_output_and_the_next_build_succeeds(
    renamed: tuple[Path, dict[str, str], dict[str, str]],
    tmp_path: Path,
    fraction: float,
    tree_digest: TreeDigest,
) -> None:
    """SIGKILL (the out-of-memory killer, a cancelled CI job) when the staging folder holds
    `fraction` of the site's files: 20 % and 50 % land among the pages, 80 % while Pagefind
    writes the search index."""
    template, before, after = renamed
    # Pagefind writes its last files just before the swap, and a kill that lands after the
    # swap tells nothing: such a run is made again.
    for attempt in range(5):
        site = copy_of(template, tmp_path / str(attempt))
        staging = site / ".output.staging"
        build = start_build(site)
        while build.poll() is None and file_count(staging) < fraction * len(before):
            time.sleep(0.002)
        assert build.poll() is None, "the build ended before it could be killed"
        build.send_signal(signal.SIGKILL)
        assert build.wait() == -signal.SIGKILL
        wait_for_group(build.pid)
        if read_manifest(site / "output") == read_manifest(template / "output"):
            break
    else:
        raise AssertionError("every build swapped its folders before it could be killed")
    assert tree_digest(site / "output") == before

    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert tree_digest(site / "output") == after
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".output")) == [
        ".output.lock",
        ".output.staging",
    ]  # a lock, and the previous site for the next build
    assert read_manifest(site / ".output.staging") is not None  # complete, so trusted
    assert lock_is_free(site)


def test_two_builds_at_once_one_wins_and_the_output_is_complete(
    renamed: tuple[Path, dict[str, str], dict[str, str]], tmp_path: Path, tree_digest: TreeDigest
) -> None:
    template, _, after = renamed
    site = copy_of(template, tmp_path)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--source", str(site)]
    builds = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(build.wait(), build.communicate()[1]) for build in builds]
    assert 0 in [code for code, _ in results]
    for code, stderr in results:
        assert "Traceback" not in stderr
        if code != 0:
            assert code == 1
            assert stderr.strip().splitlines() == [
                f"site-builder: another build is writing {site / 'output'}; wait for it to finish"
            ]
    assert tree_digest(site / "output") == after
    assert read_manifest(site / ".output.staging") is not None


def test_output_that_is_a_file_is_one_clear_error(tmp_path: Path, make_site: MakeSite) -> None:
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    (tmp_path / "notes.txt").write_text("keep me")
    result = run_cli("build", "--source", str(site), "--output", str(tmp_path / "notes.txt"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"site-builder: {tmp_path / 'notes.txt'} is a file; choose a folder for --output"
    ]
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_a_file_where_the_staging_folder_goes_is_one_clear_error(
    make_site: MakeSite, tree_digest: TreeDigest
) -> None:
    """The staging folder is made again beside the loading, by a child process; a file in
    its place is still said plainly, and the published site stays."""
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    (site / ".output.staging").write_text("not a folder")
    (site / "content/pages").mkdir(exist_ok=True)
    (site / "content/pages/more.md").write_text("---\ntitle: More\n---\nMore.\n")  # pages to make
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"site-builder: {site / '.output.staging'} is a file, not a folder; choose another --output"
    ]
    assert tree_digest(site / "output") == before


def test_output_inside_a_file_is_one_clear_error(tmp_path: Path, make_site: MakeSite) -> None:
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    (tmp_path / "notes.txt").write_text("keep me")
    result = run_cli("build", "--source", str(site), "--output", str(tmp_path / "notes.txt/site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"site-builder: {tmp_path / 'notes.txt'} is a file, not a folder; choose another --output"
    ]
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_output_where_nobody_may_write_is_one_clear_error(make_site: MakeSite) -> None:
    """Tests run as root, whom file modes do not stop; /sys refuses even root."""
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    result = run_cli("build", "--source", str(site), "--output", "/sys/site-output")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "site-builder: no permission to write /sys; choose another --output or fix the "
        "folder's permissions (the previous output is untouched)"
    ]
