"""How fresh a translation is, from real git histories with fixed dates: the source
revision it reflects (the one current when the translation last changed), whether the
source's words changed after it (numbers and a status alone do not count), `translation_of`
marking it reviewed against a later revision, and plans.json carrying the state. What
`check` says of them is tests/commands/test_translation_check.py's."""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.commands.build import build
from site_builder.content.config import load_config
from site_builder.content.load import load_content
from site_builder.history.reading import read_history
from site_builder.site.translation_state import (
    TranslationState,
    history_paths,
    translation_states,
)
from site_builder.site.urls import compare_url, revision_url
from tests.support.git import commit, git, make_repo
from tests.support.sites import FULL_PLAN, UPDATE
from tests.support.translated import (
    ABOUT,
    PAGE,
    PLAN,
    REWORDED,
    SPANISH,
    SPANISH_PLAN,
    TWO_LANGUAGES,
    day,
    reword,
    translated_plan,
    with_mark,
)

UPDATE_PATH = "content/plans/riverton/updates/2024-h1.md"
SPANISH_UPDATE = "content/plans/riverton/updates/2024-h1.es.md"
SPANISH_ABOUT = "content/pages/about.es.md"


def states_of(site: Path) -> dict[str, TranslationState]:
    """Every translation's state, by the translation's path, read as a build reads them."""
    config = load_config(site)
    content = load_content(site, languages=config.languages)
    read, logged = history_paths(content)
    history = read_history(site, read, logged=logged)
    found = translation_states(content, history)
    return {state.path: state for by_language in found.values() for state in by_language.values()}


def test_a_spanish_plan_whose_source_changed_only_in_numbers_is_current(tmp_path: Path) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "current" and state.problem is None and state.changed is None
    assert state.reflects is not None and state.reflects.commit == commits["worded"]
    assert state.reflects.url == revision_url("riverton", commits["worded"])
    assert state.latest is not None and state.latest.commit == commits["counted"]
    assert state.last_changed is not None and state.last_changed.date().isoformat() == "2026-02-01"


def test_a_spanish_plan_whose_source_was_reworded_later_is_outdated_from_its_revision(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)
    reworded = reword(site)
    commit(site, {PLAN: REWORDED.replace("1750000", "1800000")}, "Budget", date=day("2026-03-10"))

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "outdated" and state.outdated
    # the revision current when the translation was made: neither the first nor the latest
    assert state.reflects is not None and state.reflects.commit == commits["worded"]
    assert state.changed is not None and state.changed.commit == reworded
    assert state.changed.subject == "Lower the 2030 target"
    assert state.compare_url == compare_url("riverton", commits["worded"])


def test_a_spanish_plan_marked_reviewed_against_the_later_source_is_reviewed(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    reworded = reword(site)
    commit(
        site,
        {SPANISH_PLAN: with_mark(reworded[:7])},
        "The Spanish goal still says it",
        date=day("2026-03-05"),
    )

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "reviewed"
    assert state.reflects is not None and state.reflects.commit == reworded
    assert state.compare_url is None  # the newest revision: nothing to compare it with


def test_a_translation_marked_on_a_branch_counts_against_the_revision_it_names(
    tmp_path: Path,
) -> None:
    """The translator's commit comes before the reworded source in git's order (made on a
    branch, earlier), yet names the revision it was checked against; unmarked, it would be
    outdated."""
    site = tmp_path / "site"
    commits = translated_plan(site)
    git(site, "branch", "spanish", commits["counted"])
    reworded = reword(site)
    git(site, "switch", "-q", "spanish")
    marked = with_mark(reworded[:10], SPANISH.replace("baleadas", "heridas de bala"))
    commit(site, {SPANISH_PLAN: marked}, "Checked against the new goal", date=day("2026-02-20"))
    git(site, "switch", "-q", "main")
    git(site, "merge", "-q", "--no-ff", "-m", "Spanish", "spanish", date=day("2026-03-06"))

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "reviewed"
    assert state.reflects is not None and state.reflects.commit == reworded


def test_a_translation_changed_since_its_mark_reflects_the_later_revision(tmp_path: Path) -> None:
    """A `translation_of` older than the translation's own last change is outgrown."""
    site = tmp_path / "site"
    commits = translated_plan(site)
    marked = with_mark(commits["published"][:7], SPANISH.replace("baleadas", "heridas de bala"))
    commit(site, {SPANISH_PLAN: marked}, "Reword", date=day("2026-02-20"))

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "current"
    assert state.reflects is not None and state.reflects.commit == commits["counted"]


def test_moving_the_plan_folder_does_not_freshen_its_translation(tmp_path: Path) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)
    reword(site)
    moved = "content/plans/river-town/"
    commit(
        site,
        {
            PLAN: None,
            SPANISH_PLAN: None,
            f"{moved}plan.md": REWORDED,
            f"{moved}plan.es.md": SPANISH,
        },
        "Rename the plan's folder",
        date=day("2026-03-10"),
    )

    state = states_of(site)[f"{moved}plan.es.md"]

    assert state.state == "outdated"
    assert state.reflects is not None and state.reflects.commit == commits["worded"]
    assert state.compare_url == compare_url("river-town", commits["worded"])


def test_a_translation_saved_but_not_committed_reflects_the_source_as_it_is(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    translated_plan(site)
    reworded = reword(site)
    (site / SPANISH_PLAN).write_text(SPANISH.replace("Menos personas", "La mitad de personas"))

    state = states_of(site)[SPANISH_PLAN]

    assert state.state == "current"
    assert state.reflects is not None and state.reflects.commit == reworded


def test_an_update_and_a_page_get_their_state_without_a_link(tmp_path: Path) -> None:
    site = make_repo(tmp_path / "site")
    commit(
        site,
        {"site.yaml": TWO_LANGUAGES, PLAN: FULL_PLAN, UPDATE_PATH: UPDATE, ABOUT: PAGE},
        "Publish",
        date=day("2026-01-10"),
    )
    commit(
        site,
        {
            SPANISH_UPDATE: "---\ntitle: Primera mitad de 2024\n---\nLo que pasó.\n",
            SPANISH_ABOUT: "---\ntitle: Quiénes somos\n---\nNosotros.\n",
        },
        "Translate the update and the page",
        date=day("2026-02-01"),
    )
    commit(
        site,
        {
            UPDATE_PATH: UPDATE.replace("What happened.", "What happened, month by month."),
            ABOUT: PAGE.replace("title: About", "title: About\nfooter: true"),
        },
        "Say more of the half year; link About from the footer",
        date=day("2026-03-01"),
    )

    states = states_of(site)

    update, page = states[SPANISH_UPDATE], states[SPANISH_ABOUT]
    assert (update.state, page.state) == ("outdated", "current")  # `footer` is no text
    assert update.reflects is not None and update.reflects.url is None
    assert update.compare_url is None and page.compare_url is None
    assert update.changed is not None and update.changed.date.date().isoformat() == "2026-03-01"


def test_without_git_a_translation_is_of_unknown_freshness_and_its_mark_unchecked(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    for path, text in {
        "site.yaml": TWO_LANGUAGES,
        PLAN: FULL_PLAN,
        ABOUT: PAGE,
        SPANISH_PLAN: with_mark("4d20543"),
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)

    state = states_of(site)[SPANISH_PLAN]

    assert (state.state, state.reflects, state.problem) == ("unknown", None, None)


def test_plans_json_carries_each_translations_state(tmp_path: Path) -> None:
    site = tmp_path / "site"
    commits = translated_plan(site)
    reword(site)
    build(site)

    plans = json.loads((site / "output/plans.json").read_text())

    assert plans[0]["translations"] == [
        {
            "language": "es",
            "state": "outdated",
            "source_revision": {"commit": commits["worded"], "date": "2026-01-20T09:00:00+00:00"},
            "last_changed": "2026-02-01T09:00:00+00:00",
            "changes_url": "https://example.org/plans/riverton/revisions/"
            f"{commits['worded'][:12]}/compare/",
        }
    ]


def test_in_a_shallow_clone_a_translation_beyond_its_depth_is_of_unknown_freshness(
    tmp_path: Path,
) -> None:
    origin = tmp_path / "origin"
    translated_plan(origin)
    reword(origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))

    state = states_of(clone)[SPANISH_PLAN]

    assert (state.state, state.reflects, state.problem) == ("unknown", None, None)
