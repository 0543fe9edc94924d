"""Hostile and careless YAML: nesting, aliases, size, characters and keys that once crashed
the loader, slipped past it or were blamed on the wrong line.

Every case is a real file read by the real loader (or a real build); each must end as one
`path:line: message` with a fix, or load, and never as a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.content.fields import is_site_path, is_slug
from site_builder.content.load import load_content, load_plan
from site_builder.content.text import decode
from site_builder.engine.characters import BIDI_CONTROLS, XML_FORBIDDEN
from site_builder.engine.errors import ContentError
from tests.support.fixtures import MakeSite
from tests.support.sites import FULL_PLAN, problems_of, run_cli

P = "content/plans/riverton/plan.md"
SUMMARY = "summary: Fewer people hurt by violence in Riverton."  # line 9 of FULL_PLAN
TOO_DEEP = "nested more than 32 levels deep"


def plan_with(old: str, new: str) -> str:
    assert old in FULL_PLAN
    return FULL_PLAN.replace(old, new)


def flow_lists(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def flow_maps(depth: int) -> str:
    return "{a: " * depth + "1" + "}" * depth


def compact_lists(depth: int) -> str:
    """Block lists `depth` deep on one line: `- - - 1`."""
    return "\n  " + "- " * depth + "1"


def indented_maps(depth: int) -> str:
    """Block mappings, each indented one more space than the one it is in."""
    return "".join("\n" + " " * level + "a:" for level in range(1, depth + 1)) + " 1"


def only_problem(root: Path) -> str:
    problems = problems_of(root)
    assert len(problems) == 1, problems
    return problems[0]


# --- Nesting ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 300, 999, 10_000, 100_000])
@pytest.mark.parametrize("nest", [flow_lists, flow_maps, compact_lists])
def test_deep_nesting_is_one_line_of_the_file_not_a_recursion_error(
    nest: Callable[[int], str], depth: int, make_site: MakeSite
) -> None:
    """Regression: 999 levels raised RecursionError, and fewer reached the models and the
    diff of past revisions, which recurse per level, as they were."""
    site = make_site({P: plan_with(SUMMARY, f"summary: {nest(depth)}")})
    started = time.perf_counter()
    problem = only_problem(site)
    assert time.perf_counter() - started < 3
    line = 10 if nest is compact_lists else 9
    assert problem.startswith(f"{P}:{line}: the values here are {TOO_DEEP}"), problem
    assert "never closed" in problem  # and how to find the mistake


def test_deep_indentation_names_the_line_where_it_goes_too_deep(make_site: MakeSite) -> None:
    site = make_site({P: plan_with(SUMMARY, f"summary:{indented_maps(900)}")})
    # summary's mapping is level 2 (line 10), so level 33 starts on line 41
    assert only_problem(site).startswith(f"{P}:41: the values here are {TOO_DEEP}")


def test_nesting_up_to_the_limit_is_read_and_checked_as_usual(make_site: MakeSite) -> None:
    """The file's mapping is one level, so `summary` may hold 31 lists in one another."""
    site = make_site({P: plan_with(SUMMARY, f"summary: {flow_lists(31)}")})
    assert only_problem(site) == f"{P}:9: 'summary' must be text, not a list"
    site = make_site({P: plan_with(SUMMARY, f"summary: {flow_lists(32)}")})
    assert TOO_DEEP in only_problem(site)


@pytest.mark.parametrize(
    "fields",
    [
        "summary: &loop [*loop]",
        "summary: &loop {office: *loop}",
        "partners:\n  - &loop {<<: *loop, name: A}",
    ],
)
def test_an_alias_inside_the_value_it_names_is_refused(fields: str, make_site: MakeSite) -> None:
    """Regression: a value that contains itself recursed until RecursionError."""
    plan = FULL_PLAN.replace(
        "partners:\n  - name: Riverton Youth Alliance\n    role: Outreach\n", ""
    ).replace(SUMMARY, fields)
    site = make_site({P: plan})
    problem = only_problem(site)
    assert problem.startswith(f"{P}:") and TOO_DEEP in problem and "'*' alias" in problem


def test_a_past_revision_nested_deep_simply_fails_to_load() -> None:
    """Past revisions go through `load_plan`: it must report, never raise."""
    problems: list = []
    for depth in (500, 5_000, 100_000):
        plan = load_plan(
            plan_with(SUMMARY, f"summary: {flow_maps(depth)}"), P, "riverton", problems
        )
        assert plan is None
    assert len(problems) == 3 and all(TOO_DEEP in str(p) for p in problems)


def test_a_libyaml_without_nesting_limit_does_not_crash_the_stack(make_site: MakeSite) -> None:
    """Regression: libyaml before its nesting limit composes 100,000 levels by recursion in
    C and the process dies (SIGSEGV) — with the limit raised as far, so did ours."""
    site = make_site({P: plan_with(SUMMARY, f"summary: {flow_lists(100_000)}")})
    script = textwrap.dedent(f"""
        import sys, yaml._yaml
        yaml._yaml._set_max_nest_level(10**9)
        from site_builder.cli import main
        sys.exit(main(["check", "--source", {str(site)!r}]))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert result.stderr.startswith(f"{P}:9: the values here are {TOO_DEEP}"), result.stderr


# --- Aliases and size --------------------------------------------------------------------


def test_one_big_value_repeated_by_aliases_is_refused_at_the_alias(make_site: MakeSite) -> None:
    """Regression: 100 KB anchored and repeated 5,000 times passed the node count and made
    a page of 500 MB."""
    plan = plan_with(SUMMARY, "summary: &big '" + "x" * 100_000 + "'").replace(
        "    members: [Mayor's office, Police chief]", "    members:\n" + "      - *big\n" * 5_000
    )
    site = make_site({P: plan})
    started = time.perf_counter()
    problem = only_problem(site)
    assert time.perf_counter() - started < 3
    assert re.fullmatch(
        rf"{P}:(\d+): the '\*big' aliases repeat the value anchored on line 9 "
        r"so often that the file would hold more than [\d,]+ characters; "
        r"repeat it less often, or shorten it",
        problem,
    ), problem
    line = int(problem.split(":")[1])
    assert 17 < line < 17 + 5_000  # one of the aliases, in the members list


def test_merged_values_count_as_repeated_too(make_site: MakeSite) -> None:
    partners = "".join(f"  - {{<<: *long, name: Partner {n}}}\n" for n in range(5_000))
    plan = plan_with(
        "partners:\n  - name: Riverton Youth Alliance\n    role: Outreach\n",
        "partners:\n  - &long {name: First, role: '" + "r" * 100_000 + "'}\n" + partners,
    )
    site = make_site({P: plan})
    assert "the '*long' aliases repeat the value anchored on line 11" in only_problem(site)


def test_ten_thousand_goals_without_aliases_are_not_blamed_on_aliases(make_site: MakeSite) -> None:
    """Regression: a large plan was told "the YAML expands to too many values (are '*'
    aliases nested?)" though it had no alias: a file within the size limit loads."""
    goals = "".join(
        f"  - id: goal-{n}\n    title: Goal {n}\n    indicator: measure_{n}\n"
        f"    baseline: {{value: {n}, year: 2020}}\n"
        for n in range(10_000)
    )
    plan = FULL_PLAN.split("goals:\n")[0] + "goals:\n" + goals + "---\nProse.\n"
    site = make_site({P: plan})
    content = load_content(site)
    assert len(content.plans[0].goals) == 10_000


def test_aliases_used_sparingly_still_load(make_site: MakeSite) -> None:
    plan = plan_with(
        "    members: [Mayor's office, Police chief]",
        "    members: &table [Mayor's office, Police chief]\n"
        "  - name: Action table\n    members: *table",
    )
    site = make_site({P: plan})
    governance = load_content(site).plans[0].governance
    assert governance[1].members == ("Mayor's office", "Police chief")


@pytest.mark.parametrize(
    ("path", "start", "line", "times"),
    [
        ("content/pages/big.md", "---\ntitle: T\n", "summary: x\n", 4_600_000),  # 50 MB
        (
            "content/fellows/ana.yaml",
            "name: Ana\ncohort: 2024\ncity: R\nbody: |\n",
            "  Words and more words.\n",
            440_000,
        ),  # a body of 10 MB
    ],
)
def test_a_file_too_large_to_be_written_by_hand_is_refused_at_once(
    path: str, start: str, line: str, times: int, make_site: MakeSite
) -> None:
    """Regression: 50 MB of front matter took minutes and gigabytes before any message."""
    site = make_site({path: start + line * times + ("---\n" if path.endswith("md") else "")})
    started = time.perf_counter()
    problem = only_problem(site)
    assert time.perf_counter() - started < 3
    assert re.fullmatch(
        rf"{path}:1: the file is [\d.]+ MB, more than the 2 MB a content "
        r"file may be; .*",
        problem,
    ), problem


def test_a_long_page_within_the_limit_loads(make_site: MakeSite) -> None:
    body = "A long paragraph of the plan's prose, written out in full.\n\n" * 30_000  # 1.8 MB
    site = make_site({"content/pages/long.md": "---\ntitle: Long\n---\n" + body})
    assert load_content(site).pages[0].body == body


# --- Characters --------------------------------------------------------------------------


def every_character_matching(*patterns: re.Pattern[str]) -> list[str]:
    everything = "".join(map(chr, range(0x110000)))
    return sorted({found for pattern in patterns for found in pattern.findall(everything)})


def test_the_fast_check_refuses_exactly_what_xml_and_bidi_forbid() -> None:
    """The byte-level shortcut in `decode` must miss no forbidden character and refuse no
    other (every character but the surrogates, which UTF-8 cannot carry, is tried)."""
    forbidden = every_character_matching(XML_FORBIDDEN, BIDI_CONTROLS)
    assert {"\x01", "\ufffe", "\uffff", "\u202e", "\u2066"} <= set(forbidden)
    for character in forbidden:
        if not "\ud800" <= character <= "\udfff":
            with pytest.raises(ContentError) as caught:
                decode(f"---\ntitle: a\n---\nok\nnot {character} ok\n".encode(), "x.md")
            assert str(caught.value).startswith("x.md:5: "), character
    refused = set(forbidden)
    allowed = "".join(
        chr(c) for c in range(0x20, 0x30000) if chr(c) not in refused and not 0xD800 <= c <= 0xDFFF
    )
    for start in range(0, len(allowed), 400_000):  # in pieces smaller than a file may be
        assert decode(allowed[start : start + 400_000].encode(), "x.md")


@pytest.mark.parametrize(
    ("where", "text", "line", "character"),
    [
        ("prose", FULL_PLAN + "Fund \u202eslaitnessE\u202c work.\n", 60, "202E"),
        ("prose", FULL_PLAN + "An isolate \u2066x\u2069.\n", 60, "2066"),
        ("title", FULL_PLAN.replace("Safer Riverton", "Safer \u202bRiverton"), 2, "202B"),
    ],
)
def test_bidirectional_controls_are_refused_with_their_line(
    where: str, text: str, line: int, character: str, make_site: MakeSite
) -> None:
    site = make_site({P: text})
    problem = only_problem(site)
    assert problem.startswith(
        f"{P}:{line}: the invisible bidirectional control U+{character} is in this line"
    ), problem
    assert "reverse" in problem and "right-to-left" in problem


def test_characters_xml_forbids_in_the_prose_are_refused(make_site: MakeSite) -> None:
    """Regression: U+FFFE and U+FFFF in the prose reached the feeds and broke them."""
    site = make_site({P: FULL_PLAN + "A \ufffe and\n a \uffff.\n"})
    assert problems_of(site) == [
        f"{P}:60: an invisible character (U+FFFE) is in this line, perhaps from a copy and "
        "paste; delete it (retype the line if you cannot see it)"
    ]


@pytest.mark.parametrize(
    ("escape", "kind"),
    [
        ("\\u202e", "the bidirectional control U+202E"),
        ("\\u2067", "the bidirectional control U+2067"),
        ("\\ufffe", "the invisible character U+FFFE"),
        ("\\uffff", "the invisible character U+FFFF"),
    ],
)
def test_escapes_cannot_write_what_the_file_may_not_hold(
    escape: str, kind: str, make_site: MakeSite
) -> None:
    site = make_site({P: plan_with(SUMMARY, f'summary: "Fewer {escape} hurt"')})
    assert only_problem(site).startswith(
        f"{P}:9: 'summary' holds {kind} (written with a \\ escape)"
    )


def test_the_body_of_a_yaml_item_is_checked_for_escapes_too(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.yaml": (
                'name: Ana\ncohort: 2024\ncity: R\nbody: "Bio \\u202e of\\x01 Ana"\n'
            )
        },
    )
    assert only_problem(site).startswith(
        "content/fellows/ana.yaml:4: 'body' holds the bidirectional control U+202E (written "
        "with a \\ escape)"
    )


def test_site_yaml_refuses_them_as_content_does(make_site: MakeSite) -> None:
    site = make_site({}, site_yaml='base_url: /\ntitle: "Test \\u202e network"\n')
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "site.yaml:2: 'title' holds the bidirectional control U+202E (written with a \\ escape)"
    ), result.stderr


def test_right_to_left_text_and_direction_marks_are_welcome(make_site: MakeSite) -> None:
    title = "أمان \u200fالمدينة\u200e 2030"
    site = make_site({P: FULL_PLAN.replace("Safer Riverton 2030", title)})
    assert load_content(site).plans[0].title == title


def test_a_byte_order_mark_inside_the_front_matter_is_named(make_site: MakeSite) -> None:
    """Regression: a mark left by joining two files was reported as 'did not find expected
    key'; one inside a value is harmless and stays."""
    site = make_site({P: FULL_PLAN.replace("city: Riverton\n", "city: Riverton\n\ufeff")})
    assert only_problem(site) == (
        f"{P}:4: an invisible byte-order mark (U+FEFF) starts this line, perhaps from joining "
        "or pasting files; delete it (retype the start of the line if you cannot see it)"
    )
    site = make_site({P: FULL_PLAN.replace("Riverton 2030", "Riverton\ufeff 2030")})
    assert load_content(site).plans[0].title == "Safer Riverton\ufeff 2030"


# --- Keys, merges, slugs, dates ----------------------------------------------------------


def test_keys_that_are_not_words_name_their_own_line(make_site: MakeSite) -> None:
    """Regression: `1:` and `null:` were reported on the first line of the file (as '1'
    and 'None'); `? [a, b]` as 'found unhashable key'."""
    site = make_site({P: plan_with(SUMMARY, f"{SUMMARY}\n1: one\nnull: nothing")})
    assert [p.split(";")[0] for p in problems_of(site)] == [
        f"{P}:10: unknown field '1'",
        f"{P}:11: unknown field 'null'",
    ]
    site = make_site({P: plan_with(SUMMARY, f"{SUMMARY}\n? [a, b]\n: both")})
    assert only_problem(site) == (
        f"{P}:10: a field name must be a word, not a list or a group of fields; write each "
        "field as 'name: value'"
    )


def test_numbers_as_goal_ids_still_match_between_plan_and_update(make_site: MakeSite) -> None:
    plan = FULL_PLAN.replace("id: shootings", "id: 2030")
    update = (
        "---\ntitle: Update\ndate: 2024-07-15\nmetrics:\n  people_shot: 90\n"
        "goals:\n  2030: on-track\n---\n"
    )
    site = make_site({P: plan, "content/plans/riverton/updates/2024-h1.md": update})
    content = load_content(site)
    assert content.updates["riverton"][0].goals["2030"].status == "on-track"


def test_merged_fields_load_and_are_blamed_where_they_are_written(make_site: MakeSite) -> None:
    goals = (
        "goals:\n  - &goal\n    id: shootings\n    title: Fewer people shot\n"
        "    direction: sideways\n  - <<: *goal\n    id: jobs\n"
    )
    plan = FULL_PLAN.split("goals:\n")[0] + goals + "---\nProse.\n"
    site = make_site({P: plan})
    assert problems_of(site) == [
        f"{P}:21: 'goals[1].direction' 'sideways' is not one of: decrease, increase",
        f"{P}:21: 'goals[2].direction' 'sideways' is not one of: decrease, increase",
    ]
    site = make_site({P: plan.replace("sideways", "decrease")})
    second = load_content(site).plans[0].goals[1]
    assert (second.id, second.title, second.direction) == ("jobs", "Fewer people shot", "decrease")


def test_a_slug_or_goal_id_with_a_line_break_at_its_end_is_not_a_slug(make_site: MakeSite) -> None:
    """Regression: `^…$` let 'riverton\\n' pass as a slug, and a photo path could hold a
    line separator (a past revision's photo is not checked against static/)."""
    assert not is_slug("riverton\n") and is_slug("riverton")
    assert not is_site_path("/images/ana\u2028.jpg") and is_site_path("/images/ana.jpg")
    site = make_site({P: FULL_PLAN.replace("id: shootings", 'id: "shootings\\n"')})
    assert only_problem(site).startswith(
        f"{P}:18: 'goals[1].id' 'shootings\\n' must use only lowercase letters"
    )


def test_a_value_with_a_line_break_is_shown_escaped_in_one_line(make_site: MakeSite) -> None:
    """Regression: the value was printed as it is, so its message took two lines and the
    second did not name the file."""
    site = make_site({P: FULL_PLAN.replace("status: adopted", 'status: "adopted\\r\\nx"')})
    assert only_problem(site) == (
        f"{P}:5: 'status' 'adopted\\r\\nx' is not one of: draft, adopted, in-review, retired "
        "— did you mean 'adopted'?"
    )


def test_a_convening_that_ends_before_it_starts_names_its_end(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/convenings/tenth.yaml": (
                "title: Tenth\ncity: Riverton\nstart: 2025-05-02\nend: 2025-05-01\n"
            )
        },
    )
    assert problems_of(site) == [
        "content/convenings/tenth.yaml:4: the convening ends (2025-05-01) before it starts "
        "(2025-05-02); correct one of the dates, or leave 'end' out for a one-day convening"
    ]
