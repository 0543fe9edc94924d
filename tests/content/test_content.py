"""The content model: every kind of mistake gives one precise `path:line: message`."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from site_builder.content.load import load_content, load_plan
from tests.support.fixtures import MakeSite
from tests.support.sites import (
    FULL_PLAN,
    MINIMAL_PLAN,
    UPDATE,
    billion_laughs,
    problems_of,
    run_cli,
)


def test_full_plan_loads_every_field(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/2024-h1.md": UPDATE,
        },
    )
    content = load_content(site)
    plan = content.plans[0]
    assert plan.slug == "riverton"
    assert plan.goals[0].target.value == 50
    assert plan.readiness.public_will.level == "medium"
    assert plan.cost_model.staff.count == 10
    assert plan.commitments[0].date.isoformat() == "2022-01-15"
    update = content.updates["riverton"][0]
    assert update.metrics == {"people_shot": 90, "summer_jobs": 250}
    assert update.goals["shootings"].status == "on-track"


def test_plan_loads_from_text_alone() -> None:
    problems: list = []
    plan = load_plan(MINIMAL_PLAN, "content/plans/testville/plan.md", "testville", problems)
    assert problems == []
    assert plan is not None and plan.title == "Safer Testville" and "prose" in plan.body


def test_typo_key_names_line_and_suggests(make_site: MakeSite) -> None:
    plan = FULL_PLAN.replace("adopted: 2022-03-01", "adoptd: 2022-03-01")
    site = make_site({"content/plans/riverton/plan.md": plan})
    assert problems_of(site) == [
        "content/plans/riverton/plan.md:5: an adopted plan needs the date it was adopted — "
        "add a line 'adopted: YYYY-MM-DD'",
        "content/plans/riverton/plan.md:6: unknown field 'adoptd' — did you mean 'adopted'?",
    ]


def test_missing_required_key(make_site: MakeSite) -> None:
    site = make_site({"content/fellows/ana.md": "---\nname: Ana\ncohort: 2024\n---\nBio\n"})
    assert problems_of(site) == [
        "content/fellows/ana.md:2: missing required field 'city' (home city) — add a line 'city: …'"
    ]


def test_wrong_type(make_site: MakeSite) -> None:
    site = make_site(
        {"content/fellows/ana.md": "---\nname: Ana\ncohort: twenty\ncity: Riverton\n---\nBio\n"},
    )
    assert problems_of(site) == [
        "content/fellows/ana.md:3: 'cohort' must be a whole number (like 2024), not 'twenty'"
    ]


def test_bad_date(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/convenings/first.md": (
                "---\ntitle: First\ncity: Riverton\nstart: 2024-13-45\n---\n"
            )
        },
    )
    assert problems_of(site) == [
        "content/convenings/first.md:4: 'start' '2024-13-45' is not a date; write it as "
        "YYYY-MM-DD, like 2025-03-31"
    ]


def test_bad_enumeration_suggests(make_site: MakeSite) -> None:
    plan = MINIMAL_PLAN.replace("status: draft", "status: adoptd")
    site = make_site({"content/plans/testville/plan.md": plan})
    assert problems_of(site) == [
        "content/plans/testville/plan.md:4: 'status' 'adoptd' is not one of: draft, adopted, "
        "in-review, retired — did you mean 'adopted'?"
    ]


def test_nested_error_points_at_nested_line(make_site: MakeSite) -> None:
    plan = FULL_PLAN.replace("target: {value: 50, year: 2030}", "target: {value: fifty}")
    site = make_site({"content/plans/riverton/plan.md": plan})
    assert problems_of(site) == [
        "content/plans/riverton/plan.md:24: 'goals[1].target.value' must be a number "
        "(like 1500 or 12.5, without $ or commas), not 'fifty'"
    ]


def test_unknown_indicator_and_goal_name_both_files(make_site: MakeSite) -> None:
    update = UPDATE.replace("people_shot: 90", "people_shoot: 90").replace(
        "shootings: on-track", "shooting: on-track"
    )
    site = make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/2024-h1.md": update,
        },
    )
    assert problems_of(site) == [
        "content/plans/riverton/updates/2024-h1.md:6: 'people_shoot' is not an indicator of "
        "the plan in content/plans/riverton/plan.md; use one of: people_shot, summer_jobs",
        "content/plans/riverton/updates/2024-h1.md:9: 'shooting' is not a goal id of the plan "
        "in content/plans/riverton/plan.md; use one of: jobs, shootings",
    ]


def test_duplicate_slug_md_and_yaml(make_site: MakeSite) -> None:
    fellow = "---\nname: Ana\ncohort: 2024\ncity: Riverton\n---\nBio\n"
    site = make_site(
        {
            "content/fellows/ana.md": fellow,
            "content/fellows/ana.yaml": "name: Ana\ncohort: 2024\ncity: X\n",
        },
    )
    assert problems_of(site) == [
        "content/fellows/ana.yaml:1: 'content/fellows/ana.md' has the same name; each item "
        "needs its own name — rename or remove one"
    ]


def test_bad_slug(make_site: MakeSite) -> None:
    site = make_site({"content/fellows/Ana_Lopez.md": "---\nname: A\n---\n"})
    assert problems_of(site) == [
        "content/fellows/Ana_Lopez.md:1: the name 'Ana_Lopez' becomes part of a web address; "
        "use only lowercase letters, digits and hyphens (like 'riverton-2030')"
    ]


def test_yaml_item_with_body_like_markdown(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.yaml": (
                "name: Ana\ncohort: 2024\ncity: Riverton\nbody: |\n  Ana *leads*.\n"
            )
        },
    )
    fellow = load_content(site).fellows[0]
    assert fellow.body == "Ana *leads*.\n"


def test_bom_and_crlf_accepted(make_site: MakeSite) -> None:
    site = make_site({})
    path = site / "content/fellows/ana.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        "\ufeff---\r\nname: Ana\r\ncohort: 2024\r\ncity: Río\r\n---\r\nBio\r\n".encode()
    )
    assert load_content(site).fellows[0].city == "Río"


def test_duplicate_key_and_python_tag(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.md": "---\nname: Ana\nname: Anna\ncohort: 2024\ncity: R\n---\n",
            "content/fellows/bo.md": "---\nname: !!python/object/apply:os.system [ls]\n---\n",
        },
    )
    problems = problems_of(site)
    assert (
        problems[0] == "content/fellows/ana.md:3: 'name' is given twice (also on line 2); keep one"
    )
    assert problems[1].startswith("content/fellows/bo.md:2: invalid YAML:")
    assert "'!!python/…' are not allowed" in problems[1]


def test_all_errors_at_once_from_cli_without_traceback(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.md": "---\nname: Ana\ncohort: x\ncity: R\n---\n",
            "content/convenings/one.md": "---\ntitle: One\ncity: R\nstart: soon\n---\n",
            "content/pages/about.md": "no front matter\n",
        },
    )
    result = run_cli("check", "--source", str(site))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "content/convenings/one.md:4: 'start' 'soon' is not a date; write it as YYYY-MM-DD, "
        "like 2025-03-31",
        "content/fellows/ana.md:3: 'cohort' must be a whole number (like 2024), not 'x'",
        "content/pages/about.md:1: the file must start with a line '---', then its fields "
        "(title: …), then another line '---', then the text",
    ]
    assert "Traceback" not in result.stderr


def test_usage_error_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "--source", str(tmp_path / "missing")).returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_update_without_metrics_or_goals_loads(make_site: MakeSite) -> None:
    """Regression: metrics and goals defaulted to None and crashed the cross-check."""
    site = make_site(
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/note.md": (
                "---\ntitle: A note\ndate: 2024-01-01\n---\nText.\n"
            ),
        },
    )
    update = load_content(site).updates["riverton"][0]
    assert (update.metrics, update.goals) == ({}, {})


def test_agenda_time_stays_a_clock_time(make_site: MakeSite) -> None:
    """Regression: YAML 1.1 read `time: 10:30` as the number 630."""
    site = make_site(
        {
            "content/convenings/one.md": "---\ntitle: One\ncity: R\n"
            "start: 2024-01-01\nagenda:\n  - {time: 10:30, title: Welcome}\n---\n"
        },
    )
    assert load_content(site).convenings[0].agenda[0].time == "10:30"


PHOTO_FELLOW = "---\nname: Ana\ncohort: 2024\ncity: Riverton\nphoto: {photo}\n---\nBio\n"
NOT_A_SITE_PATH = (
    "must be the path of a file in the static/ folder, starting with '/' and "
    "without '..' (for static/images/fellows/ana.jpg write "
    "/images/fellows/ana.jpg)"
)


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ("images/fellows/ana.jpg", NOT_A_SITE_PATH),
        ("/images/../../secret.jpg", NOT_A_SITE_PATH),
        ("/../site.yaml", NOT_A_SITE_PATH),
        ("//evil.example/ana.jpg", NOT_A_SITE_PATH),
        ("https://example.org/ana.jpg", NOT_A_SITE_PATH),
        ("'/images\\fellows\\ana.jpg'", NOT_A_SITE_PATH),
        ("/images/fellows/", NOT_A_SITE_PATH),
        (
            "/images/fellows/bo.jpg",
            "is not a file in the static/ folder — put the file at "
            "static/images/fellows/bo.jpg, or correct the path",
        ),
        (
            "/images/fellows/Ana.jpg",
            "is not a file in the static/ folder — did you mean '/images/fellows/ana.jpg'?",
        ),
        (
            "/images/fellows/.ana.jpg",
            "is not a file in the static/ folder — did you mean '/images/fellows/ana.jpg'?",
        ),
    ],
)
def test_photo_must_name_a_file_in_static(photo: str, message: str, make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.md": PHOTO_FELLOW.format(photo=photo),
            "static/images/fellows/ana.jpg": "a picture",
            "static/images/fellows/.ana.jpg": "hidden: never published",
        },
    )
    shown = photo.strip("'").replace("\\\\", "\\")
    assert problems_of(site) == [f"content/fellows/ana.md:5: 'photo' '{shown}' {message}"]


def test_photo_in_static_loads(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.md": PHOTO_FELLOW.format(photo="/images/fellows/ana.jpg"),
            "static/images/fellows/ana.jpg": "a picture",
        },
    )
    assert load_content(site).fellows[0].photo == "/images/fellows/ana.jpg"


def test_names_differing_only_in_case_or_extension_are_reported(make_site: MakeSite) -> None:
    fellow = "---\nname: Ana\ncohort: 2024\ncity: Riverton\n---\nBio\n"
    site = make_site(
        {
            "content/fellows/Ana.md": fellow,
            "content/fellows/ana.md": fellow,
            "content/fellows/bo.yml": "name: Bo\ncohort: 2024\ncity: R\n",
            "content/fellows/bo.yaml": "name: Bo\ncohort: 2024\ncity: R\n",
            "content/pages/about.MD": "---\ntitle: About\n---\n",
        },
    )
    assert problems_of(site) == [
        "content/fellows/Ana.md:1: the name 'Ana' becomes part of a web address; use only "
        "lowercase letters, digits and hyphens (like 'riverton-2030')",
        "content/fellows/bo.yml:1: 'content/fellows/bo.yaml' has the same name; each item "
        "needs its own name — rename or remove one",
        "content/pages/about.MD:1: write the extension in lowercase, '.md'; otherwise the "
        "file is left out of the site",
    ]


def test_alias_bomb_is_refused_within_a_second(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/fellows/ana.md": "---\nname: Ana\ncohort: 2024\ncity: R\n"
            + billion_laughs()
            + "---\n"
        },
    )
    started = time.perf_counter()
    problems = problems_of(site)
    assert time.perf_counter() - started < 1
    assert len(problems) == 1
    assert re.fullmatch(
        r"content/fellows/ana\.md:\d+: the YAML expands to too many values "
        r"\(are '\*' aliases nested\?\); write the values out instead",
        problems[0],
    )


def test_nested_duplicate_keys_name_their_lines(make_site: MakeSite) -> None:
    plan = (
        FULL_PLAN.replace(
            "    baseline: {value: 100, year: 2020}",
            "    baseline: {value: 100, value: 90, year: 2020}",
        )
        .replace("  - id: jobs\n", "  - id: jobs\n    id: summer\n")
        .replace(
            "  political_will: {level: high", "  public_will: low\n  political_will: {level: high"
        )
    )
    site = make_site({"content/plans/riverton/plan.md": plan})
    assert problems_of(site) == [
        "content/plans/riverton/plan.md:23: 'value' is given twice on this line; keep one",
        "content/plans/riverton/plan.md:26: 'id' is given twice (also on line 25); keep one",
        "content/plans/riverton/plan.md:55: 'public_will' is given twice (also on line 53); "
        "keep one",
    ]


def test_latin_1_file_names_the_file_line_and_how_to_save_it(make_site: MakeSite) -> None:
    site = make_site({})
    path = site / "content/fellows/jose.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("---\nname: José Ruiz\ncohort: 2024\ncity: Río\n---\nBio\n".encode("latin-1"))
    assert problems_of(site) == [
        "content/fellows/jose.md:2: the file is not UTF-8 text; save it with UTF-8 encoding "
        'in your editor ("Save with encoding" → UTF-8)'
    ]


def test_unclosed_quote_bracket_and_backslash_point_where_they_start(make_site: MakeSite) -> None:
    """Regression: an unclosed quote was reported at the end of the front matter as
    'found unexpected end of stream', and an unclosed [ as an indentation mistake."""
    site = make_site(
        {
            "content/fellows/ana.md": '---\nname: "Ana Ruiz\ncohort: 2024\ncity: R\n---\nBio\n',
            "content/fellows/bo.md": "---\nname: Bo\nfocus: [jobs, art\ncohort: 2024\n---\n",
            "content/fellows/cy.md": '---\nname: Cy\ncity: "C:\\Riverton"\n---\n',
        },
    )
    assert problems_of(site) == [
        "content/fellows/ana.md:2: invalid YAML: a quote opened on this line is never closed; "
        "end the value with the same quote mark",
        "content/fellows/bo.md:3: invalid YAML: did not find expected ',' or ']'; the [ ] "
        "that opens on this line is not closed, or a value in it needs quotes",
        "content/fellows/cy.md:3: invalid YAML: found unknown escape character; a backslash "
        "inside double quotes starts an escape — use single quotes ('C:\\folder') or write "
        "the backslash twice",
    ]


def test_infinite_huge_numbers_and_far_dates_are_refused(make_site: MakeSite) -> None:
    """Regression: `.inf` or `.nan` as a metric crashed the chart with a traceback, a
    number of 400 digits crashed the budget, and 9999-12-31 (written as "no end") crashed
    the calendar file and the review dates."""
    update = UPDATE.replace("people_shot: 90", "people_shot: .inf").replace(
        "summer_jobs: 250", "summer_jobs: .nan"
    )
    plan = FULL_PLAN.replace("amount: 1500000", "amount: 1" + "0" * 400)
    site = make_site(
        {
            "content/plans/riverton/plan.md": plan,
            "content/plans/riverton/updates/2024-h1.md": update,
            "content/convenings/first.md": (
                "---\ntitle: First\ncity: R\nstart: 2024-01-01\nend: 9999-12-31\n---\n"
            ),
        },
    )
    assert problems_of(site) == [
        "content/convenings/first.md:5: 'end' '9999-12-31' is not a likely date; check the "
        "year, or leave the field out when there is no date",
        "content/plans/riverton/plan.md:40: 'budget[1].amount' is too large to be a real "
        "amount or count; check the number",
        "content/plans/riverton/updates/2024-h1.md:6: 'metrics.people_shot' must be a number "
        "(like 1500 or 12.5, without $ or commas), not 'inf'",
        "content/plans/riverton/updates/2024-h1.md:7: 'metrics.summer_jobs' must be a number "
        "(like 1500 or 12.5, without $ or commas), not 'nan'",
    ]


def test_invisible_control_characters_are_named_with_their_line(make_site: MakeSite) -> None:
    """Regression: a control character written as a YAML escape reached the Atom feeds and
    made them invalid XML; one in the YAML itself gave a two-line message."""
    site = make_site(
        {
            "content/fellows/ana.md": "---\nname: Ana\x07 Ruiz\ncohort: 2024\ncity: R\n---\n",
            "content/fellows/bo.md": "---\nname: Bo\ncohort: 2024\ncity: R\n---\nLine\x0bbreak\n",
            "content/convenings/one.md": (
                '---\ntitle: "One\\x1b[31m"\ncity: R\nstart: 2030-01-01\n---\n'
            ),
        },
    )
    pasted = (
        "is in this line, perhaps from a copy and paste; delete it (retype the line if "
        "you cannot see it)"
    )
    assert problems_of(site) == [
        "content/convenings/one.md:2: 'title' holds the invisible character U+001B (written "
        "with a \\ escape); remove it",
        f"content/fellows/ana.md:2: an invisible character (U+0007) {pasted}",
        f"content/fellows/bo.md:6: an invisible character (U+000B) {pasted}",
    ]
