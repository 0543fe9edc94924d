"""Output integrity: whatever the output, staging, lock and cache folders hold — a marker
written by an attacker, symbolic links, files edited, deleted or added by hand — a build
touches nothing outside them and writes what a fresh clone builds from nothing."""

from __future__ import annotations

import hmac
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.commands.build import build
from site_builder.engine.errors import OutputError
from site_builder.output.marker import MARKER, read_manifest
from site_builder.output.writer import OutputWriter
from tests.support.cache import Planted
from tests.support.fixtures import ColdDigest, MakeSite, TreeDigest
from tests.support.git import commit, make_repo
from tests.support.sites import MINIMAL_PLAN, SITE_YAML, built, living_plan, run_cli

VICTIM = "not the site's: a build must leave this alone\n"


def small_site(root: Path, files: dict[str, str] | None = None) -> Path:
    """A one-plan site in git, with `files` committed beside it."""
    make_repo(root)
    commit(
        root,
        {"site.yaml": SITE_YAML, "content/plans/testville/plan.md": MINIMAL_PLAN, **(files or {})},
        "Publish",
    )
    return root


def victims(folder: Path) -> dict[Path, str]:
    """Files outside the site that a build must not touch."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {folder / "victim.txt": VICTIM, folder / "testville/index.html": VICTIM}
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return files


def untouched(files: dict[Path, str]) -> bool:
    return all(path.is_file() and path.read_text() == text for path, text in files.items())


def edit_page(site: Path, number: int) -> None:
    """Commit a free page, worded by `number`: a build then has a page to make."""
    commit(site, {"content/pages/more.md": f"---\ntitle: More\n---\n{number}\n"}, "Edit a page")


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# 1. The marker -------------------------------------------------------------------------


def hostile_markers(victim: Path) -> dict[str, str]:
    """Markers naming files outside the folder: in the old line format and as JSON."""
    paths = [
        str(victim),
        "../../victim-2.txt",
        "plans/../../../victim-2.txt",
        "./index.html",
        "a//b",
        "..\\..\\victim-2.txt",
        "index.html\x00",
        ".",
        "plans/",
    ]
    lines = "".join(f"0123456789abcdef {path}\n" for path in paths)
    return {
        "lines": "This folder is made by site-builder. Files and what each was made from:\n"
        + lines
        + "0123456789abcdef index.html\n",
        "json": json.dumps(
            {
                "site-builder": 2,
                "files": {**{path: "0123456789abcdef" for path in paths}, "index.html": "0"},
            }
        ),
        # Groups of files kept as one (a plan's archived revisions) named by their folder.
        "groups": json.dumps(
            {
                "site-builder": 2,
                "files": {"index.html": "0", "plans/x/revisions/a/index.html": "1"},
                "groups": {path.rstrip("/"): "0123456789abcdef" for path in paths},
            }
        ),
    }


@pytest.mark.parametrize("form", ["lines", "json", "groups"])
@pytest.mark.parametrize("folder", ["output", ".output.staging"])
def test_a_committed_marker_naming_files_outside_the_site_deletes_nothing(
    tmp_path: Path, folder: str, form: str, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """A commit can put `output/` or `.output.staging/` in the site, with a marker listing
    `/anything` or `../../anything`: the build drops what the marker lists."""
    site = tmp_path / "site"
    outside = victims(tmp_path) | {tmp_path / "victim-2.txt": VICTIM}
    (tmp_path / "victim-2.txt").write_text(VICTIM)
    marker = hostile_markers(tmp_path / "victim.txt")[form]
    small_site(site, {f"{folder}/{MARKER}": marker, f"{folder}/index.html": "planted\n"})
    for _ in range(3):  # the output becomes the staging folder, which drops what it lists
        built(site)
        assert untouched(outside)
    assert tree_digest(site / "output") == cold_digest(site)


@pytest.mark.parametrize("separator", ["\n", "\r", "\v", "\x1e", "\x85", "\u2028", "\u2029"])
def test_a_file_name_with_a_line_break_cannot_plant_a_marker_line(
    tmp_path: Path, separator: str, make_site: MakeSite
) -> None:
    """`static/x⏎k /tmp/…/victim.txt` was listed as `key x⏎k /tmp/…/victim.txt`: read back
    line by line, the marker listed the victim, and a later build deleted it."""
    outside = victims(tmp_path / "outside")
    victim = next(iter(outside))
    site = make_site({"content/plans/testville/plan.md": MINIMAL_PLAN})
    built(site)
    built(site)  # the staging folder, trusted, holds the site now
    planted = site / "static" / f"x{separator}k " / victim.as_posix().lstrip("/")
    planted.parent.mkdir(parents=True)
    planted.write_text("a static file\n")
    for _ in range(3):
        result = run_cli("build", "--source", str(site))
        assert "Traceback" not in result.stderr
        assert untouched(outside)


BAD_PATHS = [
    "",
    "/etc/x",
    "../x",
    "a/../../x",
    "./x",
    "a/./x",
    "a//x",
    "a/",
    ".",
    "..",
    "a\\..\\x",
    "a\x00x",
    "a\nx",
    "a\rx",
    "a\u2028x",
    "a\x85x",
    "a\udcffx",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_the_writer_refuses_a_path_it_could_not_list_plainly(tmp_path: Path, path: str) -> None:
    with OutputWriter(tmp_path / "output") as writer, pytest.raises(OutputError):
        writer.write(path, b"x", "a-key")


def test_the_marker_lists_any_plain_name_and_reads_back_the_same(tmp_path: Path) -> None:
    names = {
        "index.html": "k1",
        "café/ünï code.html": "k2",
        "a b/'\"<>.txt": "k3",
        "...": "k4",
        ".well-known/x": "k5",
    }
    with OutputWriter(tmp_path / "output") as writer:
        for name, key in names.items():
            writer.write(name, name.encode(), key)
        writer.commit()
    assert read_manifest(tmp_path / "output") == names
    marker = (tmp_path / "output" / MARKER).read_bytes()
    assert marker.isascii() and b"\n" not in marker.strip()  # nothing to split a line on


# 1(c). Links in the output and staging folders -----------------------------------------


@pytest.mark.parametrize("folder", ["output", ".output.staging"])
def test_a_symlinked_folder_in_the_output_or_staging_is_never_written_through(
    tmp_path: Path, folder: str, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """`output/plans -> /somewhere`: a page written to plans/… or a file dropped from there
    landed outside the site."""
    site = small_site(tmp_path / "site")
    for _ in range(3):  # the staging folder now holds the previous site, by hard links
        built(site)
    outside = victims(tmp_path / "outside")
    doomed = site / folder / "plans"
    shutil.rmtree(doomed)
    doomed.symlink_to(tmp_path / "outside", target_is_directory=True)
    for text in ("First edit", "Second edit"):
        commit(site, {"content/plans/testville/plan.md": MINIMAL_PLAN + text + "\n"}, text)
        built(site)
        assert untouched(outside)
        assert listing(tmp_path / "outside") == ["testville", "testville/index.html", "victim.txt"]
        assert not (site / "output/plans").is_symlink()
        assert tree_digest(site / "output") == cold_digest(site)


# 3. Build state that is a link ----------------------------------------------------------


@pytest.mark.parametrize("name", ["output", ".output.staging", ".output.lock"])
def test_build_state_that_is_a_symlink_is_refused_and_never_followed(
    tmp_path: Path, name: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    site = small_site(tmp_path / "site")
    target = outside / "lock" if name == ".output.lock" else outside
    (site / name).symlink_to(target)
    commit(site, {}, "Commit a link where the build keeps its state")
    for _ in range(2):
        result = run_cli("build", "--source", str(site))
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"site-builder: {site / name} is a symbolic link"), line
    assert listing(outside) == []
    assert (site / name).is_symlink()


@pytest.mark.parametrize("folder", [".site-builder-cache", ".site-builder-cache/templates"])
def test_a_cache_folder_that_is_a_symlink_is_never_written_through(
    tmp_path: Path, folder: str, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """A cache that cannot be used costs time only: the build goes on without it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    site = small_site(tmp_path / "site")
    (site / folder).parent.mkdir(parents=True, exist_ok=True)
    (site / folder).symlink_to(outside, target_is_directory=True)
    commit(site, {}, "Commit a link where the build keeps its cache")
    for number in range(2):  # each build with pages to make
        edit_page(site, number)
        result = run_cli("build", "--source", str(site))
        assert result.returncode == 0, result.stderr
        assert f"{site / folder} is a symbolic link" in result.stderr
    assert listing(outside) == []
    assert tree_digest(site / "output") == cold_digest(site)


def test_output_given_through_a_symlink_is_built_in_the_folder_it_names(tmp_path: Path) -> None:
    """One real folder, one lock and one staging folder, whatever path names it; the link
    is left a link."""
    site = small_site(tmp_path / "site")
    real = tmp_path / "www" / "site"
    real.mkdir(parents=True)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    first = build(site, tmp_path / "link")
    assert first.output == real
    again = build(site, real)
    assert again.cached_pages == again.pages
    assert (tmp_path / "link").is_symlink() and (real / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "site", "www"]
    assert sorted(p.name for p in real.parent.iterdir()) == [".site.lock", ".site.staging", "site"]


# 5. The signing key of the cache --------------------------------------------------------


def planted_cache(site: Path, key: bytes, proof: Path) -> None:
    """A content cache signed with `key`: whoever has the key can make it run code."""
    data = pickle.dumps(Planted(proof))
    cache = site / ".site-builder-cache"
    cache.mkdir(exist_ok=True)
    (cache / "content.pickle").write_bytes(hmac.digest(key, data, "sha256") + data)


def build_with_home(site: Path, variable: str, folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME")}
    env[variable] = str(folder)
    result = run_cli("build", "--source", str(site), env=env)
    assert result.returncode == 0, result.stderr


def key_path(variable: str, folder: Path) -> Path:
    cache = folder / ".cache" if variable == "HOME" else folder
    return cache / "site-builder" / "signing-key"


@pytest.mark.parametrize("variable", ["HOME", "XDG_CACHE_HOME"])
@pytest.mark.parametrize("where", ["site/home", "home"])
def test_a_signing_key_inside_the_repository_signs_nothing(
    tmp_path: Path, variable: str, where: str, repo: Path
) -> None:
    """Some CI setups point HOME into the checkout: a committed key and a pickle signed
    with it ran code. `where`: in the site folder, or beside it in the repository."""
    key = b"k" * 32
    path = key_path(variable, repo / where)
    path.parent.mkdir(parents=True)
    path.write_bytes(key)
    commit(
        repo,
        {"site/site.yaml": SITE_YAML, "site/content/plans/testville/plan.md": MINIMAL_PLAN},
        "Publish",
    )
    path.chmod(0o600)  # as a CI step could; git itself checks files out readable by all
    site = repo / "site"
    proof = tmp_path / "planted-code-ran"
    planted_cache(site, key, proof)
    build_with_home(site, variable, repo / where)
    assert not proof.exists()


@pytest.mark.parametrize("variable", ["HOME", "XDG_CACHE_HOME"])
def test_no_signing_key_is_made_inside_the_site(tmp_path: Path, variable: str) -> None:
    site = small_site(tmp_path / "site")
    build_with_home(site, variable, site / "home")
    assert not key_path(variable, site / "home").exists()


@pytest.mark.parametrize(("mode", "owner"), [(0o644, None), (0o620, None), (0o600, 54321)])
def test_a_signing_key_others_can_read_or_change_signs_nothing(
    tmp_path: Path, mode: int, owner: int | None
) -> None:
    key = b"k" * 32
    home = tmp_path / "home"
    path = key_path("HOME", home)
    path.parent.mkdir(parents=True)
    path.write_bytes(key)
    path.chmod(mode)
    if owner is not None:
        os.chown(path, owner, owner)
    site = small_site(tmp_path / "site")
    proof = tmp_path / "planted-code-ran"
    planted_cache(site, key, proof)
    build_with_home(site, "HOME", home)
    assert not proof.exists()
    assert path.read_bytes() == key  # left as it was: the user's to fix


def test_a_signing_key_of_the_user_alone_keeps_the_cache(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    home = tmp_path / "home"
    build_with_home(site, "HOME", home)
    assert key_path("HOME", home).stat().st_mode & 0o777 == 0o600
    assert (site / ".site-builder-cache/content.pickle").is_file()


# 11. Incremental equals full ------------------------------------------------------------


def warm_site(root: Path) -> Path:
    """A site built three times, each with a page to make: the staging folder holds the
    previous site, its files hard links shared with the output."""
    site = living_plan(root)
    for number in range(3):
        edit_page(site, number)
        build(site)
    assert os.stat(site / "output/index.html").st_nlink == 2
    return site


def test_an_edit_in_place_of_a_published_file_does_not_survive_the_next_build(
    tmp_path: Path,
    tree_digest: TreeDigest,
    cold_digest: ColdDigest,
) -> None:
    """The file is shared by hard link with the staging folder, so the edit is in both."""
    site = warm_site(tmp_path / "site")
    with open(site / "output/index.html", "r+b") as page:
        page.write(b"EDITED")
    with open(site / "output/plans/riverton/plan.json", "ab") as data:
        data.write(b"[]")
    for _ in range(2):
        build(site)
        assert tree_digest(site / "output") == cold_digest(site)


@pytest.mark.parametrize("folder", ["output", ".output.staging"])
def test_a_file_deleted_by_hand_comes_back(
    tmp_path: Path, folder: str, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    site = warm_site(tmp_path / "site")
    (site / folder / "plans/riverton/index.html").unlink()
    (site / folder / "fellows/index.html").unlink()
    for _ in range(2):
        build(site)
        assert tree_digest(site / "output") == cold_digest(site)


@pytest.mark.parametrize("folder", ["output", ".output.staging"])
def test_a_stray_file_in_the_output_or_staging_is_never_published(
    tmp_path: Path, folder: str, tree_digest: TreeDigest, cold_digest: ColdDigest
) -> None:
    """Before, a stray file went back and forth between the two folders, published every
    other build. Builds with nothing to do and builds with pages to make, in turn."""
    site = warm_site(tmp_path / "site")
    cold = cold_digest(site)
    (site / folder / "stray.html").write_text("stray")
    (site / folder / "plans/stray").mkdir()
    (site / folder / "plans/stray/index.html").write_text("stray")
    (site / folder / "plans/riverton/link.html").symlink_to(site / "site.yaml")
    for number in range(4):
        if number % 2:
            edit_page(site, number)
            cold = cold_digest(site)
        published = tree_digest(site / "output")
        build(site)
        assert tree_digest(site / "output") == cold
        assert not (site / "output/plans/riverton/link.html").is_symlink()
    assert tree_digest(site / ".output.staging") == published


# 15. Static files -----------------------------------------------------------------------


def peak_memory_of(*command: str) -> int:
    """The largest resident size of any process `command` ran, in KiB."""
    script = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *command], capture_output=True, text=True, check=True
    )
    return int(result.stdout)


def test_a_large_static_file_is_not_read_into_memory(make_site: MakeSite) -> None:
    size = 256 * 1024 * 1024
    site = make_site(
        {"content/plans/testville/plan.md": MINIMAL_PLAN},
        SITE_YAML + "search: false\n",
    )
    (site / "static").mkdir()
    with open(site / "static/archive.bin", "wb") as big:
        big.truncate(size)  # sparse: no disk used, but every byte is read
    peak = peak_memory_of(sys.executable, "-m", "site_builder.cli", "build", "--source", str(site))
    assert peak < 128 * 1024, f"{peak} KiB"
    assert (site / "output/archive.bin").stat().st_size == size


def test_a_static_file_is_hashed_again_only_when_its_size_or_mtime_changes(
    make_site: MakeSite,
) -> None:
    """Its key is remembered by size, mtime and inode: a build reads it only when one of
    them changed (the trade-off `make` and git make)."""
    site = make_site(
        {"content/plans/testville/plan.md": MINIMAL_PLAN, "static/report.txt": "first version\n"},
    )
    report = site / "static/report.txt"
    an_hour_ago = os.stat(report).st_mtime_ns - 3600 * 10**9
    os.utime(report, ns=(an_hour_ago, an_hour_ago))
    build(site)
    build(site)
    with open(report, "r+b") as file:  # the same file, the same size, the same mtime
        file.write(b"fresh")
    os.utime(report, ns=(an_hour_ago, an_hour_ago))
    build(site)
    assert (site / "output/report.txt").read_text() == "first version\n"
    os.utime(report, ns=(an_hour_ago + 10**9, an_hour_ago + 10**9))
    build(site)
    assert (site / "output/report.txt").read_text() == "fresh version\n"
