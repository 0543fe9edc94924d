"""`check` lists each translation whose source's words changed after the revision it
reflects, and still passes; a `translation_of` that is not a commit of the source stops
`check` and `build` with `path:line: message`. Real git histories with fixed dates, the
real command line."""

from __future__ import annotations

from pathlib import Path

from tests.support.git import commit
from tests.support.sites import run_cli
from tests.support.translated import (
    PLAN,
    REWORDED,
    SPANISH_PLAN,
    day,
    reword,
    translated_plan,
    with_mark,
)


def test_check_lists_an_outdated_translation_and_still_passes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)
    reword(site)
    latest = commit(
        site,
        {PLAN: REWORDED.replace("More young people", "More young residents")},
        "Name the residents",
        date=day("2026-03-20"),
    )

    result = run_cli("check", "--source", str(site))

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {SPANISH_PLAN}: outdated — {PLAN} changed on 3 March 2026 (“Lower the 2030 "
        f"target”) after the revision this translation reflects ({commits['worded'][:7]}, "
        f"20 January 2026); update it, or set translation_of: {latest[:7]} once reviewed"
    ]


def test_check_is_quiet_once_the_translation_is_marked_reviewed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    reworded = reword(site)
    commit(site, {SPANISH_PLAN: with_mark(reworded[:7])}, "Checked", date=day("2026-03-05"))

    result = run_cli("check", "--source", str(site))

    assert result.returncode == 0 and result.stderr == ""


def test_translation_of_that_is_no_commit_of_the_source_stops_check_and_build(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)
    # the translation's own commit: a real commit, but not one that changed plan.md
    mark = commits["translated"][:7]
    commit(site, {SPANISH_PLAN: with_mark(mark)}, "Mark the translation", date=day("2026-02-20"))
    message = (
        f"{SPANISH_PLAN}:7: 'translation_of' {mark} is not a commit that changed {PLAN}; name "
        f"the revision of {PLAN} this translation was checked against (its newest is "
        f"{commits['counted'][:7]}, of 2026-02-15; git log --oneline -- {PLAN} lists them all)"
    )
    for command in ("check", "build"):
        result = run_cli(command, "--source", str(site))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        said, summary = result.stderr.splitlines()
        assert said == message and summary.startswith("1 problem found; nothing was"), command
    assert not (site / "output").exists()
