"""Hostile names and links in a site's folders: no file name can break a line of a listing
(the output marker, a message), and no link can publish a file from outside the site,
through `content/`, `static/` or a theme."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.content.discover import discover, static_paths
from site_builder.content.theme import assets, template_files, theme_problems
from site_builder.engine.errors import ContentError
from tests.support.fixtures import MakeSite, TreeDigest
from tests.support.sites import MINIMAL_PLAN, run_cli, write_site

#: Every kind of character a name may not hold: the line breaks `str.splitlines` knows
#: (LF, CR, VT, FF, U+001C–U+001E, U+0085, U+2028, U+2029), other C0 controls (tab, escape),
#: DEL and a C1 control (CSI, which a terminal reads as the start of a command).
UNSAFE = [
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\t",
    "\x01",
    "\x1b",
    "\x7f",
    "\x9b",
]
#: A name saved in Latin-1 ('café' as the byte E9), which Python reads as a lone surrogate
#: (U+DCE9, and a message shows it so).
NOT_UTF8 = os.fsdecode(b"caf\xe9")
SECRET = "the-secret-value"
THEME_YAML = "title: Test network\nbase_url: https://example.org/\ntheme: mine\n"


def put(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def built_site(root: Path, site_yaml: str = THEME_YAML) -> Path:
    """A small site with a theme of its own, built once so that it has an output to keep."""
    site = write_site(
        root,
        {
            "content/plans/riverton/plan.md": MINIMAL_PLAN,
            "static/images/logo.svg": "<svg/>",
            "themes/mine/assets/extra.css": "p{}",
        },
        site_yaml,
    )
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    return site


def discovery_problems(site: Path, theme: str = "mine") -> list[str]:
    """What discovery and the theme lookup report, as printed."""
    return sorted(
        str(problem)
        for problem in discover(site)[1] + static_paths(site)[1] + theme_problems(site, theme)
    )


def shown(character: str) -> str:
    """How a message names a file whose name holds `character`: escaped, as repr does."""
    return repr(character)[1:-1]


# Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "character", [*UNSAFE, NOT_UTF8], ids=[f"U+{ord(c):04X}" for c in UNSAFE] + ["not-utf-8"]
)
def test_a_name_with_a_line_break_or_control_character_is_refused_wherever_it_is(
    character: str, make_site: MakeSite
) -> None:
    """Content files and folders, files beside them, static files and folders, theme assets
    and templates: each bad name is one problem, on one line, naming the file escaped."""
    bad = f"a{character}b" if character != NOT_UTF8 else NOT_UTF8
    escaped = f"a{shown(character)}b" if character != NOT_UTF8 else shown(character)
    site = make_site({"content/plans/riverton/plan.md": MINIMAL_PLAN}, THEME_YAML)
    places = {  # the file written: the name reported (a folder's, for a file in it)
        f"content/pages/{bad}.md": f"content/pages/{escaped}.md",
        f"content/plans/{bad}/plan.md": f"content/plans/{escaped}",
        f"content/fellows/{bad}.jpg": f"content/fellows/{escaped}.jpg",
        f"static/{bad}.txt": f"static/{escaped}.txt",
        f"static/{bad}/inner.txt": f"static/{escaped}",
        f"themes/mine/assets/{bad}.css": f"themes/mine/assets/{escaped}.css",
        f"themes/mine/assets/{bad}/inner.css": f"themes/mine/assets/{escaped}",
        f"themes/mine/templates/{bad}.html": f"themes/mine/templates/{escaped}.html",
        f"themes/default/templates/{bad}/x.html": f"themes/default/templates/{escaped}",
    }
    for place in places:
        put(site / place)
    expected = sorted(f"{name}:1: " for name in places.values())
    found = discovery_problems(site)
    assert [line[: line.index(":1: ") + 4] for line in found] == expected
    assert all(len(line.splitlines()) == 1 and line.isprintable() for line in found)
    assert all("rename the file" in line for line in found)


def test_a_static_name_planting_a_marker_line_deletes_nothing_outside_the_site(
    tmp_path: Path,
    tree_digest: TreeDigest,
) -> None:
    """The attack of issue 13: a file named "x\\n<key> /abs/path" in static/ once put a
    line in the output's marker, and the next build deleted /abs/path."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    site = built_site(tmp_path / "site")
    before = tree_digest(site / "output")
    put(site / "static" / f"x\n{'0' * 64} {victim}")  # the folder 'x\n<key> ' holds tmp/…
    put(site / "static" / f"y\u2028{'0' * 64} {victim}")
    for _ in range(2):
        result = run_cli("build", "--source", str(site))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[:2] == [
            f"static/x\\n{'0' * 64} :1: the name holds the invisible character U+000A "
            "(a line break or control character); rename the file using letters, digits, '-',"
            " '_' and '.'",
            f"static/y\\u2028{'0' * 64} :1: the name holds the invisible "
            "character U+2028 (a line break or control character); rename the file using "
            "letters, digits, '-', '_' and '.'",
        ]
    assert victim.read_text() == "keep me"
    assert tree_digest(site / "output") == before


def test_every_bad_name_is_reported_at_once_by_build_and_check(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    site = built_site(tmp_path / "site")
    before = tree_digest(site / "output")
    content = {
        "content/pages/about\r.md": "content/pages/about\\r.md",
        "static/images/\x1b[31mred.png": "static/images/\\x1b[31mred.png",
    }
    theme = {
        "themes/mine/assets/a\x85.css": "themes/mine/assets/a\\x85.css",
        "themes/mine/templates/base\u2029.html": "themes/mine/templates/base\\u2029.html",
    }
    for files in (content, theme):  # the theme is checked once the content is right
        for place in files:
            put(site / place, "---\ntitle: About\n---\n")
        for command in ("build", "check"):
            result = run_cli(command, "--source", str(site))
            assert result.returncode == 1, result.stderr
            lines = result.stderr.splitlines()
            assert [line[: line.index(":1: ")] for line in lines[:-1]] == list(files.values())
            assert lines[-1].startswith("2 problems found")
        for place in files:
            (site / place).unlink()
    assert tree_digest(site / "output") == before


def test_hidden_files_stay_out_of_the_site_whatever_their_name(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    site = built_site(tmp_path / "site")
    put(site / "static/.draft\n.txt")
    put(site / "themes/mine/assets/.notes\u2028.css")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert not [path for path in tree_digest(site / "output") if "draft" in path or "notes" in path]


def test_a_backslash_in_a_name_is_refused_and_a_colon_published(tmp_path: Path) -> None:
    """Decision: both are legal in a name on Linux and macOS, but a browser reads a
    backslash in a web address as '/', and the writer refuses it; a colon is harmless."""
    site = built_site(tmp_path / "site")
    put(site / "static/docs/a\\b.txt", "back")
    put(site / "static/docs/c:d.txt", "colon")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "static/docs/a\\b.txt:1: the name holds a backslash, which a web address reads as "
        "'/'; rename the file using letters, digits, '-', '_' and '.'"
    )
    (site / "static/docs/a\\b.txt").unlink()
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output/docs/c:d.txt").read_text() == "colon"


def test_a_loop_of_links_is_a_mistake_not_a_traceback(tmp_path: Path) -> None:
    site = built_site(tmp_path / "site")
    (site / "content/pages").mkdir()
    (site / "content/pages/loop.md").symlink_to("loop.md")
    (site / "static/a.txt").symlink_to("b.txt")
    (site / "static/b.txt").symlink_to("a.txt")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        f"{path}:1: is a link that leads back to itself; remove the link or fix its target"
        for path in ("content/pages/loop.md", "static/a.txt", "static/b.txt")
    ]


# Links in themes --------------------------------------------------------------------------


def secrets(root: Path) -> Path:
    """Outside the site: a secret, and a theme's worth of folders that would publish it."""
    folder = root / "secrets"
    put(folder / "token.txt", SECRET)
    put(folder / "assets/token.txt", SECRET)
    put(folder / "templates/page.html", SECRET)
    return folder


@pytest.mark.parametrize(
    ("link", "target", "problem"),
    [
        ("themes/mine", "", "themes/mine/: is a link to a folder outside the site"),
        (
            "themes/mine/assets",
            "assets",
            "themes/mine/assets:1: is a link to a folder; links to folders are not followed",
        ),
        (
            "themes/mine/templates",
            "templates",
            "themes/mine/templates:1: is a link to a folder; links to folders are not followed",
        ),
        (
            "themes/mine/assets/token.txt",
            "token.txt",
            "themes/mine/assets/token.txt:1: is a link to "
            "a file outside themes/mine/; such links are not followed",
        ),
        (
            "themes/mine/templates/page.html",
            "token.txt",
            "themes/mine/templates/page.html:1: is a "
            "link to a file outside themes/mine/; such links are not followed",
        ),
        (
            "themes/mine/assets/css",
            "assets",
            "themes/mine/assets/css:1: is a link to a folder; links to folders are not followed",
        ),
        (
            "themes/default/assets/extra",
            "assets",
            "themes/default/assets/extra:1: is a link to a "
            "folder; links to folders are not followed",
        ),
    ],
)
def test_a_theme_linked_out_of_the_site_is_refused(
    tmp_path: Path, link: str, target: str, problem: str, tree_digest: TreeDigest
) -> None:
    """A linked theme folder, assets or templates folder, asset or template could publish a
    file from outside the site (say a CI runner's token); each is refused, nothing read."""
    outside = secrets(tmp_path)
    site = built_site(tmp_path / "site")
    before = tree_digest(site / "output")
    if (site / link).exists():
        os.rename(site / link, tmp_path / "moved")
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(outside / target)
    assert not [
        path for path in assets(site, "mine").values() if path.resolve().is_relative_to(outside)
    ]
    for command in ("build", "check"):
        result = run_cli(command, "--source", str(site))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(problem), result.stderr
    assert tree_digest(site / "output") == before


def test_a_theme_named_out_of_the_themes_folder_is_refused(
    tmp_path: Path, make_site: MakeSite
) -> None:
    """`theme: ../../secrets` or an absolute path once took templates and assets from there."""
    outside = secrets(tmp_path)
    site = make_site({"content/plans/riverton/plan.md": MINIMAL_PLAN})
    for name in ("../../secrets", str(outside), "..", ""):
        assert [str(problem) for problem in theme_problems(site, name)] == [
            f"site.yaml: the theme {name!r} is not a folder under themes/; write the name of "
            "one (like 'mine'), without '/' or '..'"
        ]
        assert not [
            path for path in assets(site, name).values() if path.resolve().is_relative_to(outside)
        ]
        with pytest.raises(ContentError):
            template_files(site, name)
    (site / "site.yaml").write_text(THEME_YAML.replace("mine", "../../secrets"))
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml: the theme '../../secrets' is not a folder")


def test_links_to_files_inside_a_theme_folder_are_followed(tmp_path: Path) -> None:
    """As in static/: one stylesheet may serve under two names."""
    site = built_site(tmp_path / "site")
    (site / "themes/mine/assets/extra-copy.css").symlink_to("extra.css")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output/assets/extra-copy.css").read_text() == "p{}"
    assert not (site / "output/assets/extra-copy.css").is_symlink()
