"""Nothing unfinished goes public: the example text `new` writes and links that lead
nowhere are warnings in `build` and `serve`, and errors for `build --strict`, `publish`
and `check` (which says them in the same run as the content's mistakes), each at its own
line."""

from __future__ import annotations

import time
from pathlib import Path

from bs4 import BeautifulSoup

from site_builder.content.starter import placeholders
from tests.commands.test_recorded_output import sample_site
from tests.support.fixtures import MakeSite, TreeDigest
from tests.support.git import commit, git
from tests.support.serve import PLAN_PAGE, start
from tests.support.sites import FULL_PLAN, MINIMAL_PLAN, SITE_YAML, run_cli

ABOUT = "content/pages/about.md"
PLAN = "content/plans/riverton/plan.md"
#: A dead link on the third line of a paragraph, and a dead anchor.
DEAD_LINKS = (
    "\nThe work goes on\nwith partners, as the\n[annual report](/reports/2024/) says;"
    "\nsee [the goals](/plans/riverton/#nope).\n"
)


def line_of(path: Path, text: str, after: int = 0) -> int:
    """The line of `path` (1-based) holding `text`, after line `after`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


def committed(repo: Path, files: dict[str, str]) -> Path:
    """A site of `files` in `repo`, committed: its builds warn of nothing else."""
    commit(repo, {"site.yaml": SITE_YAML, **files}, "Start", date="2026-01-01T00:00:00+00:00")
    return repo


def about_site(repo: Path) -> Path:
    return committed(repo, {PLAN: FULL_PLAN, ABOUT: "---\ntitle: About\n---\nWho we are.\n"})


def test_new_files_warn_in_build_and_fail_strict_at_their_lines(
    repo: Path, tree_digest: TreeDigest
) -> None:
    site = about_site(repo)
    first = run_cli("build", "--source", str(site))
    assert first.returncode == 0 and first.stderr == ""
    before = tree_digest(site / "output")
    assert run_cli("new", "fellow", "ana-ruiz", "--source", str(site)).returncode == 0
    fellow = site / "content/fellows/ana-ruiz.md"
    city = line_of(fellow, "city: City name")
    bio = line_of(fellow, "«edit me» A short bio")
    expected = [
        f"content/fellows/ana-ruiz.md:{city}: 'City name' is the example text of a new file, "
        "and residents would read it; replace the example text with the real value",
        f"content/fellows/ana-ruiz.md:{bio}: the text still says «edit me»; replace the "
        "example text with your own and delete the mark",
    ]

    warned = run_cli("build", "--source", str(site))
    assert warned.returncode == 0, warned.stderr
    assert warned.stderr.splitlines() == [f"warning: {line}" for line in expected]
    assert (site / "output/fellows/ana-ruiz/index.html").is_file()  # a draft previews

    built = tree_digest(site / "output")
    strict = run_cli("build", "--strict", "--source", str(site))
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [
        *expected,
        "2 problems found; nothing was published (the previous output is untouched).",
    ]
    assert tree_digest(site / "output") == built != before


def test_an_example_value_uncommented_is_unfinished_too(make_site: MakeSite) -> None:
    """Every placeholder comes from the starters' own examples, optional fields' too."""
    assert {"City name", "One or two sentences on what the plan will change."} <= placeholders()
    site = make_site({})
    assert run_cli("new", "plan", "riverton", "--source", str(site)).returncode == 0
    plan = site / PLAN
    text = plan.read_text(encoding="utf-8").replace("#summary: ", "summary: ")
    plan.write_text(text.replace("City name", "Riverton"), encoding="utf-8")
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 1
    summary = line_of(plan, "summary: One or two sentences")
    assert (
        f"{PLAN}:{summary}: 'One or two sentences on what the plan will change.' is the "
        "example text of a new file" in result.stderr
    )
    assert "'City name'" not in result.stderr


def test_dead_links_warn_in_build_and_fail_strict_at_the_links_line(
    repo: Path, tree_digest: TreeDigest
) -> None:
    site = about_site(repo)
    assert run_cli("build", "--source", str(site)).returncode == 0
    before = tree_digest(site / "output")
    (site / ABOUT).write_text(f"---\ntitle: About\n---\nWho we are.\n{DEAD_LINKS}")
    report, anchor = line_of(site / ABOUT, "[annual report]"), line_of(site / ABOUT, "#nope")
    expected = [
        f"{ABOUT}:{report}: the link '/reports/2024/' leads to no page on this site",
        f"{ABOUT}:{anchor}: the link '/plans/riverton/#nope' points to '#nope', which is not "
        "a heading or section of /plans/riverton/; check the part after '#'",
    ]
    strict = run_cli("build", "--strict", "--source", str(site))
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[:2] == expected
    assert tree_digest(site / "output") == before
    warned = run_cli("build", "--source", str(site))
    assert warned.returncode == 0
    assert warned.stderr.splitlines() == [f"warning: {line}" for line in expected]


def test_a_warm_build_sees_an_anchor_go_and_come_back(repo: Path) -> None:
    """What was found of a page's headings is kept by the page's key: a heading renamed in
    a build that keeps every other page is still seen."""
    site = committed(
        repo,
        {
            PLAN: FULL_PLAN,
            ABOUT: "---\ntitle: About\n---\nSee [how](/contact/#office-hours).\n",
            "content/pages/contact.md": "---\ntitle: Contact\n---\n## Office hours\n\nDaily.\n",
        },
    )
    contact = site / "content/pages/contact.md"
    assert run_cli("build", "--source", str(site)).stderr == ""
    contact.write_text(contact.read_text().replace("## Office hours", "## Opening hours"))
    gone = run_cli("build", "--source", str(site)).stderr
    assert f"warning: {ABOUT}:4: the link '/contact/#office-hours' points to" in gone
    contact.write_text(contact.read_text().replace("## Opening hours", "## Office hours"))
    assert run_cli("build", "--source", str(site)).stderr == ""


def test_check_says_content_mistakes_and_dead_links_together(make_site: MakeSite) -> None:
    plan = FULL_PLAN.replace("status: adopted", "status: adoptd") + DEAD_LINKS
    site = make_site(
        {PLAN: plan, ABOUT: "---\ntitle: About\n---\n[gone](/fellows/nobody/)\n"},
    )
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 1
    status = line_of(site / PLAN, "status: adoptd")
    report = line_of(site / PLAN, "[annual report]")
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{ABOUT}:4: the link '/fellows/nobody/' leads to no page on this site — did you "
        "mean '/fellows/'?"
    )
    assert lines[1].startswith(f"{PLAN}:{status}: 'status' 'adoptd' is not one of")
    assert lines[2] == f"{PLAN}:{report}: the link '/reports/2024/' leads to no page on this site"
    assert lines[3:] == ["3 problems found; nothing was written."]  # the plan's own anchors
    # are not known while it has a mistake, so '#nope' waits for the next check
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.yaml"]


def test_publish_refuses_what_is_unfinished(repo: Path) -> None:
    commit(
        repo,
        {
            "site.yaml": "title: Test network\n",
            ".gitignore": "/output/\n/.site-builder-cache/\n/.output.*\n",
            PLAN: FULL_PLAN.replace("city: Riverton", "city: City name"),
            ABOUT: "---\ntitle: About\n---\n[gone](/fellows/nobody/)\n",
        },
        "Start the site",
        date="2026-01-01T00:00:00+00:00",
    )
    result = run_cli("publish", "--source", str(repo))
    assert result.returncode == 1
    city = line_of(repo / PLAN, "city: City name")
    assert result.stderr.splitlines() == [
        f"{ABOUT}:4: the link '/fellows/nobody/' leads to no page on this site — did you "
        "mean '/fellows/'?",
        f"{PLAN}:{city}: 'City name' is the example text of a new file, and residents would "
        "read it; replace the example text with the real value",
        "2 problems found; nothing was published (the previous output is untouched).",
    ]
    assert git(repo, "branch", "--list", "gh-pages") == ""


def test_building_the_sample_prints_no_warning(repo: Path, tmp_path: Path) -> None:
    site = sample_site(repo)
    result = run_cli("build", "--strict", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert run_cli("check", "--source", str(site)).stderr == ""


def test_the_preview_shows_what_a_build_warns_of(tmp_path: Path) -> None:
    preview = start(tmp_path)
    try:
        plan = preview.site / "content/plans/testville/plan.md"
        plan.write_text(MINIMAL_PLAN + "\nSee [the report](/reports/2024/).\n")
        line = line_of(plan, "[the report]")
        warning = f"content/plans/testville/plan.md:{line}: the link '/reports/2024/' leads to"
        deadline = time.monotonic() + 15
        while warning not in (
            text := BeautifulSoup(preview.request(PLAN_PAGE)[2], "html.parser").get_text()
        ):
            assert time.monotonic() < deadline, text[:2000]
            time.sleep(0.1)
        assert "Check before publishing: the last build warns of these." in text
        assert f"warning: {warning}" in preview.log.read_text()
    finally:
        preview.stop()
