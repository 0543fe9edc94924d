"""Every mistake a person editing the site can make, through `site-builder build`.

One row per mistake. Each must give exit status 1, one `path:line: message` per problem
and a closing summary on stderr, no traceback, and leave the published output as it was.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support.fixtures import TreeDigest
from tests.support.sites import (
    FULL_PLAN,
    SITE_YAML,
    UPDATE,
    billion_laughs,
    run_cli,
    write_site,
)

FELLOW = "---\nname: Ana Ruiz\ncohort: 2024\ncity: Riverton\nphoto: /images/ana.jpg\n---\nBio\n"
CONVENING = "---\ntitle: First\ncity: New Orleans\nstart: 2014-06-01\n---\nThe first.\n"
PAGE = "---\ntitle: About\n---\nAbout us.\n"
PROBLEM_LINE = re.compile(r"^[^:]+:\d+: ")
SUMMARY = re.compile(
    r"^\d+ problems? found; nothing was published \(the previous output is "
    r"untouched\)\.$"
)


class Link:
    """A symbolic link to write instead of a file's text."""

    def __init__(self, target: str) -> None:
        self.target = target


def fellow(old: str, new: str) -> str:
    assert old in FELLOW
    return FELLOW.replace(old, new)


def plan(old: str, new: str) -> str:
    assert old in FULL_PLAN
    return FULL_PLAN.replace(old, new)


#: A term of office in site.yaml, on lines 3 to 7 after SITE_YAML's two.
MAYOR = (
    "administrations:\n  - office: Mayor\n    name: Ana Ortiz\n    start: 2020-01-06\n"
    "    end: 2024-01-08\n"
)
F = "content/fellows/ana.md"
P = "content/plans/riverton/plan.md"
#: name: (files to write — text, bytes, a Link or None to delete —, where the first problem is)
MISTAKES: dict[str, tuple[dict[str, str | bytes | Link | None], str]] = {
    "colon inside a value": ({F: fellow("name: Ana Ruiz", "name: Ana: Ruiz")}, f"{F}:2"),
    "unclosed quote": ({F: fellow("name: Ana Ruiz", 'name: "Ana Ruiz')}, f"{F}:2"),
    "backslash in double quotes": ({F: fellow("city: Riverton", 'city: "C:\\Riverton"')}, f"{F}:4"),
    "unclosed list": ({F: fellow("city: Riverton", "city: Riverton\nfocus: [jobs, art")}, f"{F}:5"),
    "tab indentation": ({P: plan("  - id: jobs\n    title:", "  - id: jobs\n\ttitle:")}, f"{P}:26"),
    "bad indentation": (
        {P: plan("    title: Fewer people shot", "   title: Fewer people shot")},
        f"{P}:19",
    ),
    "front matter never closed": (
        {"content/pages/about.md": "---\ntitle: About\nAbout us.\n"},
        "content/pages/about.md:1",
    ),
    "no front matter": ({"content/pages/about.md": "About us.\n"}, "content/pages/about.md:1"),
    "empty file": ({"content/pages/about.md": ""}, "content/pages/about.md:1"),
    "front matter is a sentence": (
        {"content/pages/about.md": "---\nAbout us\n---\n"},
        "content/pages/about.md:2",
    ),
    "YAML file is a list": (
        {"content/fellows/bo.yaml": "- name: Bo\n- cohort: 2024\n"},
        "content/fellows/bo.yaml:1",
    ),
    "body is not text": (
        {"content/fellows/bo.yaml": "name: Bo\ncohort: 2024\ncity: R\nbody: [one, two]\n"},
        "content/fellows/bo.yaml:4",
    ),
    "wrong type": ({F: fellow("cohort: 2024", "cohort: twenty")}, f"{F}:3"),
    "list where a value goes": (
        {F: fellow("city: Riverton", "city: [Riverton, Lakeside]")},
        f"{F}:4",
    ),
    "value where a list goes": (
        {F: fellow("city: Riverton", "city: Riverton\nfocus: jobs")},
        f"{F}:5",
    ),
    "number with a dollar sign": ({P: plan("amount: 1500000", "amount: $1,500,000")}, f"{P}:40"),
    "unknown key": ({P: plan("review: semiannual", "reveiw: semiannual")}, f"{P}:8"),
    "missing required key": ({F: fellow("city: Riverton\n", "")}, f"{F}:2"),
    "bad date": (
        {"content/convenings/first.md": CONVENING.replace("2014-06-01", "2014-13-45")},
        "content/convenings/first.md:4",
    ),
    "date in words": (
        {"content/convenings/first.md": CONVENING.replace("2014-06-01", "June 1, 2014")},
        "content/convenings/first.md:4",
    ),
    "no end written as 9999": (
        {
            "content/convenings/first.md": CONVENING.replace(
                "start: 2014-06-01", "start: 2014-06-01\nend: 9999-12-31"
            )
        },
        "content/convenings/first.md:5",
    ),
    "infinite number": (
        {
            "content/plans/riverton/updates/2024-h1.md": UPDATE.replace(
                "people_shot: 90", "people_shot: .inf"
            )
        },
        "content/plans/riverton/updates/2024-h1.md:6",
    ),
    "number too large": ({P: plan("people_served: 100", "people_served: 1" + "0" * 30)}, f"{P}:42"),
    "misspelt choice": ({P: plan("status: adopted", "status: adoptd")}, f"{P}:5"),
    "adopted without a date": ({P: plan("adopted: 2022-03-01\n", "")}, f"{P}:5"),
    "period ends before it starts": (
        {P: plan("{start: 2022, end: 2030}", "{start: 2030, end: 2022}")},
        f"{P}:7",
    ),
    "goal id with spaces": ({P: plan("id: shootings", "id: Fewer shootings")}, f"{P}:18"),
    "two goals with one id": ({P: plan("id: jobs", "id: shootings")}, f"{P}:25"),
    "unsafe URL": (
        {P: plan("url: https://example.org/proclamation", "url: javascript:alert(1)")},
        f"{P}:37",
    ),
    "photo path without a slash": ({F: fellow("/images/ana.jpg", "images/ana.jpg")}, f"{F}:5"),
    "photo path leaving static": ({F: fellow("/images/ana.jpg", "/../site.yaml")}, f"{F}:5"),
    "photo not in static": ({F: fellow("/images/ana.jpg", "/images/bo.jpg")}, f"{F}:5"),
    "unknown indicator in an update": (
        {
            "content/plans/riverton/updates/2024-h1.md": UPDATE.replace(
                "people_shot: 90", "people_shoot: 90"
            )
        },
        "content/plans/riverton/updates/2024-h1.md:6",
    ),
    "update without its plan": (
        {"content/plans/lakeside/updates/2024-h1.md": UPDATE},
        "content/plans/lakeside/updates/2024-h1.md:1",
    ),
    "bad slug": ({"content/fellows/Ana Ruiz.md": FELLOW}, "content/fellows/Ana Ruiz.md:1"),
    "duplicate slug": (
        {"content/fellows/ana.yaml": "name: Ana\ncohort: 2024\ncity: R\n"},
        "content/fellows/ana.yaml:1",
    ),
    "upper-case extension": ({"content/pages/contact.MD": PAGE}, "content/pages/contact.MD:1"),
    "file in the wrong folder": ({"content/fellow/bo.md": FELLOW}, "content/fellow/bo.md:1"),
    "Latin-1 text": ({F: FELLOW.replace("Ana Ruiz", "Ana Núñez").encode("latin-1")}, f"{F}:2"),
    "invisible character pasted": ({F: FELLOW.replace("Bio", "Bio\x0bof Ana")}, f"{F}:7"),
    "python tag": (
        {F: fellow("name: Ana Ruiz", "name: !!python/object/apply:os.system [id]")},
        f"{F}:2",
    ),
    "alias bomb": (
        {F: fellow("city: Riverton\n", "city: Riverton\n" + billion_laughs())},
        f"{F}:5",
    ),
    "duplicate key": ({F: fellow("cohort: 2024\n", "cohort: 2024\ncohort: 2025\n")}, f"{F}:4"),
    "link out of static": ({"static/passwd": Link("/etc/passwd")}, "static/passwd:1"),
    "site.yaml typo": ({"site.yaml": "titel: Test network\n"}, "site.yaml:1"),
    "term of office ends before it starts": (
        {"site.yaml": SITE_YAML + MAYOR.replace("end: 2024-01-08", "end: 2019-01-07")},
        "site.yaml:7",
    ),
    "two holders of one office at once": (
        {
            "site.yaml": SITE_YAML
            + MAYOR
            + "  - office: Mayor\n    name: Bo Li\n    start: 2023-11-06\n"
        },
        "site.yaml:10",
    ),
    "nested 999 levels deep": (
        {
            P: plan(
                "summary: Fewer people hurt by violence in Riverton.",
                "summary: " + "[" * 999 + "]" * 999,
            )
        },
        f"{P}:9",
    ),
    "one value repeated by aliases": (
        {
            F: fellow(
                "city: Riverton\n",
                "city: Riverton\nquote: &q '"
                + "x" * 100_000
                + "'\nfocus: ["
                + ", ".join(["*q"] * 100)
                + "]\n",
            )
        },
        f"{F}:6",
    ),
    "file too large": (
        {"content/pages/about.md": PAGE + "Words and words.\n" * 150_000},
        "content/pages/about.md:1",
    ),
    "bidirectional control pasted": (
        {F: fellow("name: Ana Ruiz", "name: Ana \u202eRuiz")},
        f"{F}:2",
    ),
    "convening ends before it starts": (
        {
            "content/convenings/first.md": CONVENING.replace(
                "start: 2014-06-01", "start: 2014-06-01\nend: 2014-05-31"
            )
        },
        "content/convenings/first.md:5",
    ),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of every kind of item, built once."""
    site = write_site(
        tmp_path_factory.mktemp("mistakes") / "site",
        {
            P: FULL_PLAN,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
            F: FELLOW,
            "content/convenings/first.md": CONVENING,
            "content/pages/about.md": PAGE,
            "static/images/ana.jpg": "a picture",
        },
    )
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("mistake", MISTAKES)
def test_mistake_is_one_clear_line_and_the_site_stays(
    published: Path, tmp_path: Path, mistake: str, tree_digest: TreeDigest
) -> None:
    site = tmp_path / "site"
    shutil.copytree(published, site, symlinks=True)
    before = tree_digest(site / "output")
    files, location = MISTAKES[mistake]
    for relative, content in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.unlink()
        elif isinstance(content, Link):
            path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    result = run_cli("build", "--source", str(site))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    *problems, summary = result.stderr.splitlines()
    assert problems and problems[0].startswith(f"{location}: "), result.stderr
    assert [line for line in problems if not PROBLEM_LINE.match(line)] == []
    assert SUMMARY.match(summary), summary
    assert tree_digest(site / "output") == before
