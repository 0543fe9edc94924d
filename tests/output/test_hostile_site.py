"""A hostile site, generated: file names and front matter an attacker with commit rights
could write. Whatever they are, three builds touch nothing outside the output, its staging
folder and the cache, say what is wrong without a traceback, and leave the same output a
build from nothing writes."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from site_builder.commands.build import build
from site_builder.engine.errors import SiteError
from tests.support.sites import MINIMAL_PLAN, SITE_YAML, write_site

#: Pieces an attacker builds names and values from: line breaks of every kind, controls,
#: bidi overrides, characters XML forbids, path parts that climb out, the marker's name.
HOSTILE = [
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x7f",
    "\u202e",
    "\u2066",
    "\ufffe",
    "\udcff",
    "..",
    "/",
    "\\",
    ".site-builder-output",
    "0123456789abcdef ",
    "/tmp/victim",
    "../../victim.txt",
    "{",
    "}",
    "[",
    "*a",
    "&a",
    ": ",
    "- ",
    "#",
    "'",
    '"',
    "<script>",
    "%40",
    "a@b.org",
]
PIECES = st.one_of(st.sampled_from(HOSTILE), st.text("abc-_. é", min_size=1, max_size=4))
NAMES = st.lists(PIECES, min_size=1, max_size=4).map("".join)
#: Where links may point: out of the site, to its build state, to the whole disk.
TARGETS = [
    "/",
    "SITE/../..",
    "SITE/../../victim.txt",
    "SITE/.git",
    "SITE/output",
    "SITE/.site-builder-cache",
    "SITE",
    "../../../..",
    "/tmp",
    "nowhere",
]
#: Where hostile files go: beside the content, as content, as static files and theme assets.
FOLDERS = [
    "static",
    "static/images",
    "content/fellows",
    "content/pages",
    "content/plans",
    "themes/default/assets",
    "themes/default/templates",
    "output",
    ".output.staging",
    ".site-builder-cache",
]


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under `folder`, with what it holds or where it points."""
    found: dict[str, str] = {}
    for current, folders, files in os.walk(folder, followlinks=False):
        for name in folders + files:
            path = Path(current, name)
            relative = os.fsdecode(path.relative_to(folder))
            if path.is_symlink():
                found[relative] = "link to " + os.readlink(path)
            elif path.is_file():
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def built_output(site: Path, output: Path) -> dict[str, str] | str:
    """The built site's files, or the kind of error a build ended with."""
    try:
        build(site, output)
    except SiteError as error:  # what a person is told: never another exception
        return type(error).__name__
    return tree(output)


def write_hostile(
    site: Path, files: list[tuple[str, str, str]], links: list[tuple[str, str, str]]
) -> None:
    """The files and links; a name the system itself refuses is simply not written."""
    for folder, name, text in files:
        path = site / folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
        except (OSError, ValueError):
            continue
    for folder, name, target in links:
        path = site / folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target.replace("SITE", str(site)), path)
        except (OSError, ValueError):
            continue


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=st.lists(
        st.tuples(st.sampled_from(FOLDERS), NAMES, st.lists(PIECES, max_size=6).map("".join)),
        min_size=1,
        max_size=5,
    ),
    links=st.lists(
        st.tuples(st.sampled_from([*FOLDERS, "", "content"]), NAMES, st.sampled_from(TARGETS)),
        max_size=2,
    ),
    title=NAMES,
    city=NAMES,
)
def test_a_hostile_site_touches_nothing_outside_and_builds_as_from_nothing(
    tmp_path_factory,
    files: list[tuple[str, str, str]],
    links: list[tuple[str, str, str]],
    title: str,
    city: str,
) -> None:
    work = tmp_path_factory.mktemp("hostile")
    outside = work / "outside"
    (outside / "victim.txt").parent.mkdir(parents=True)
    (outside / "victim.txt").write_text("not the site's\n")
    site = work / "outside" / "deeper" / "site"
    fellow = f'---\nname: "{title}"\ncohort: 2024\ncity: "{city}"\n---\nA bio: {title}\n'
    write_site(site, {"content/plans/testville/plan.md": MINIMAL_PLAN}, SITE_YAML)
    try:
        (site / "content/fellows").mkdir(parents=True)
        (site / "content/fellows/ana.md").write_bytes(fellow.encode("utf-8", "surrogateescape"))
    except (OSError, ValueError):
        assume(False)
    write_hostile(site, files, links)
    fresh = work / "fresh" / "site"  # the site as committed, for a build from nothing
    shutil.copytree(site, fresh, symlinks=True)
    before = tree(work)

    outcomes = [built_output(site, site / "output") for _ in range(3)]

    after = tree(work)
    build_state = (
        "outside/deeper/site/output",
        "outside/deeper/site/.output.",
        "outside/deeper/site/.site-builder-cache",
    )
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert all(path.startswith(build_state) for path in changed), sorted(changed)
    assert outcomes[0] == outcomes[1] == outcomes[2] == built_output(fresh, fresh / "output")
