"""The fixtures every folder of tests shares: a site written from a dict of files, an
empty git repository, git pinned or watched in this process, an output parsed back or
digested, and a build from nothing."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.fixtures import ColdDigest, MakeSite, Soup, TreeDigest
from tests.support.git import DEFAULT_AUTHOR, FIXED_DATE, make_repo
from tests.support.sites import SITE_YAML, built, write_site


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write `site.yaml` and `files` into `tmp_path / name`; the site's folder."""

    def make(files: dict[str, str], site_yaml: str = SITE_YAML, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, site_yaml)

    return make


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository on branch main at `tmp_path / "site"`: `commit(repo, files, …)`
    (tests.support.git) writes and commits with fixed identities and dates."""
    return make_repo(tmp_path / "site")


@pytest.fixture
def fixed_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """For code that runs git in this process: fixed identities and dates, none of the
    machine's git configuration, and no repository found above `tmp_path`."""
    name, email = DEFAULT_AUTHOR
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", name)
        monkeypatch.setenv(f"GIT_{role}_EMAIL", email)
        monkeypatch.setenv(f"GIT_{role}_DATE", FIXED_DATE)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` first on PATH that adds each command line it is given ("$*") to the file
    returned, a line each, then runs the real git."""
    calls, shim = tmp_path / "git-calls", tmp_path / "git-shim/git"
    shim.parent.mkdir()
    shim.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n'
    )
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


@pytest.fixture(scope="session")
def soup() -> Soup:
    """`soup(path)`: a built HTML file parsed with BeautifulSoup."""

    def parse(path: Path) -> BeautifulSoup:
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    return parse


@pytest.fixture(scope="session")
def tree_digest() -> TreeDigest:
    """`tree_digest(folder)`: every file's path and hash; equal digests mean byte-identical
    trees."""

    def digest(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    return digest


@pytest.fixture
def cold_digest(tmp_path: Path, tree_digest: TreeDigest) -> ColdDigest:
    """`cold_digest(site, *options)`: what a build from nothing makes of the committed site.
    A fresh clone (which may carry whatever build state was committed), built in a new
    process (so a new hash seed) into a new folder: no cache, no previous output."""

    numbers = itertools.count()

    def digest(site: Path, *options: str) -> dict[str, str]:
        number = next(numbers)
        clone, output = tmp_path / f"cold-{number}", tmp_path / f"cold-{number}-output"
        subprocess.run(["git", "clone", "-q", str(site), str(clone)], check=True)
        built(clone, "--output", str(output), *options)
        return tree_digest(output)

    return digest
