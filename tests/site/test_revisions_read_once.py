"""A plan's timeline reads every revision of the plan as its pages read it, and the pages
take each revision from there instead of reading it a second time (on a cold build of the
network corpus, reading revisions was a third of a revision page's time)."""

from __future__ import annotations

import pickle
from pathlib import Path

from site_builder.commands.build import load, plan_site
from site_builder.history.reading import Revision
from site_builder.site.promises import plan_timeline
from site_builder.site.revision_loading import load_revision, revision_reader
from site_builder.site.timelines import promise_timelines
from site_builder.site.translation_state import history_paths
from tests.site.test_promises import PLAN, STEPS, promise_history
from tests.support.git import commit
from tests.support.sites import built


def plan_revisions(site: Path) -> tuple[Revision, ...]:
    """The riverton plan's revisions, as a build reads them from git."""
    _, content, _, reading = load(site, write_cache=False)
    return reading.finish(*history_paths(content)).revisions[PLAN]


def test_a_timeline_keeps_each_revision_as_a_page_would_read_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    promise_history(site)
    broken_text = "---\ntitle: [unclosed\n---\nBroken.\n"
    commit(site, {PLAN: broken_text}, "Break it", date="2025-03-01T10:00:00+00:00")
    commit(site, {PLAN: STEPS[-1][0]}, "Mend it", date="2025-03-02T10:00:00+00:00")
    revisions = plan_revisions(site)
    assert len(revisions) == len(STEPS) + 2
    read: dict[tuple[str, str], bytes] = {}
    plan_timeline("riverton", revisions, read)
    assert set(read) == {(r.path, r.blob) for r in revisions}  # the last two alike
    for revision in revisions:
        assert pickle.loads(read[revision.path, revision.blob]) == load_revision(
            "riverton", revision
        )
    broken = pickle.loads(read[revisions[-2].path, revisions[-2].blob])
    assert broken.plan is None and broken.problems  # kept as its page shows it: as text


def test_pages_take_a_revision_the_build_has_read_instead_of_reading_it_again(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    promise_history(site)
    first, second, *_ = plan_revisions(site)
    # What the build has read for the second revision, said to be the first's reading:
    # a reader that read the revision again would find the second's own text.
    read = {(second.path, second.blob): pickle.dumps(load_revision("riverton", first))}
    assert revision_reader("riverton", read)(second) == load_revision("riverton", first)
    assert revision_reader("riverton")(second) == load_revision("riverton", second)


def test_a_cold_build_hands_its_pages_every_revision_its_timelines_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    promise_history(site)
    config, content, memo, reading = load(site, write_cache=False)
    history = reading.finish(*history_paths(content))
    read: dict[tuple[str, str], bytes] = {}
    promise_timelines(content, history.revisions, None, read)
    assert set(read) == {(r.path, r.blob) for r in history.revisions[PLAN]}
    planned, _ = plan_site(site, config, content, history, memo)
    assert planned.read_revisions.keys() == read.keys()


def test_timelines_from_the_cache_read_no_revision_and_a_new_commit_reads_its_plan(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    promise_history(site)
    built(site)

    def read_revisions() -> set[tuple[str, str]]:
        config, content, memo, reading = load(site, write_cache=False)
        history = reading.finish(*history_paths(content))
        return set(plan_site(site, config, content, history, memo)[0].read_revisions)

    assert read_revisions() == set()  # the timeline is the cache's: its pages read alone
    commit(
        site, {PLAN: STEPS[0][0]}, "Back to the plan as adopted", date="2025-03-01T10:00:00+00:00"
    )
    assert read_revisions() == {(r.path, r.blob) for r in plan_revisions(site)}
