"""Translations beside their source (`plan.es.md`), through the real `check` and `build`:
a valid one is carried by the content, and every mistake — a field that is not text, an id
the source lacks, a file or language that does not exist — is `path:line: message`,
exit 1, all at once, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.commands.check import check
from site_builder.content.models import ReadinessFactor
from site_builder.content.translations import translated
from tests.support.fixtures import MakeSite
from tests.support.sites import FULL_PLAN, SITE_YAML, UPDATE, built, run_cli
from tests.support.translated import TWO_LANGUAGES

P = "content/plans/riverton/plan.md"
U = "content/plans/riverton/updates/2024-h1.md"
ES = "content/plans/riverton/plan.es.md"
PAGE = "---\ntitle: About\n---\nAbout us.\n"
SPANISH_PLAN = """\
---
title: Riverton más segura 2030
summary: Menos personas heridas por la violencia en Riverton.
goals:
  - id: shootings
    title: Menos personas baleadas
commitments: []
readiness:
  political_will: {note: El alcalde dirige la mesa.}
translation_of: 4d20543
---
## Por qué este plan
"""
SPANISH_UPDATE = """\
---
title: Primera mitad de 2024
goals:
  shootings: {note: Menos heridos que el año pasado.}
---
Lo que pasó.
"""
NOTED_UPDATE = UPDATE.replace(
    "shootings: on-track", "shootings: {status: on-track, note: Fewer hurt than last year.}"
)
PROBLEM_LINE = re.compile(r"^[^:]+:\d+: ")


def site_files(more: dict[str, str] | None = None) -> dict[str, str]:
    """A plan with an update and a page, in English, and `more` files."""
    return {P: FULL_PLAN, U: NOTED_UPDATE, "content/pages/about.md": PAGE} | (more or {})


def spanish(old: str, new: str) -> str:
    assert old in SPANISH_PLAN
    return SPANISH_PLAN.replace(old, new)


def mistakes(site: Path, command: str = "check") -> list[str]:
    """What the command says of a site with mistakes: each line `path:line: message`."""
    result = run_cli(command, "--source", str(site))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    *problems, summary = result.stderr.strip().split("\n")
    assert summary.startswith(f"{len(problems)} problem")
    assert all(PROBLEM_LINE.match(problem) for problem in problems), problems
    return problems


def test_a_spanish_plan_and_update_build_and_the_content_carries_them(
    make_site: MakeSite,
) -> None:
    site = make_site(
        site_files({ES: SPANISH_PLAN, U.replace(".md", ".es.md"): SPANISH_UPDATE}), TWO_LANGUAGES
    )
    built(site)
    assert run_cli("check", "--source", str(site)).returncode == 0
    assert (site / "output/es/plans/riverton/index.html").is_file()  # its Spanish page
    content = check(site).content
    plan = content.plans[0]
    into_spanish = content.translations[P]["es"]
    assert (into_spanish.language, into_spanish.source, into_spanish.path) == ("es", P, ES)
    assert into_spanish.translation_of == "4d20543"
    assert into_spanish.fields["goals"] == {"shootings": {"title": "Menos personas baleadas"}}
    assert into_spanish.body == "## Por qué este plan\n"
    assert into_spanish.body_line == 12

    shown = translated(plan, into_spanish)
    assert shown.title == "Riverton más segura 2030"
    assert shown.goals[0].title == "Menos personas baleadas"
    assert shown.goals[0].target == plan.goals[0].target  # the number is the source's
    assert shown.goals[1] == plan.goals[1]  # not translated: as the source has it
    assert shown.readiness is not None and plan.readiness is not None
    assert shown.readiness.political_will == ReadinessFactor(
        level="high", note="El alcalde dirige la mesa."
    )
    assert (shown.status, shown.path, shown.slug) == (plan.status, plan.path, plan.slug)

    update = content.updates["riverton"][0]
    shown_update = translated(update, content.translations[U]["es"])
    assert shown_update.goals["shootings"].status == "on-track"
    assert shown_update.goals["shootings"].note == "Menos heridos que el año pasado."
    assert (shown_update.date, shown_update.metrics) == (update.date, update.metrics)


def test_a_translation_of_a_yaml_item_may_be_markdown_and_keeps_the_source_prose(
    make_site: MakeSite,
) -> None:
    fellow = "name: Ana Ruiz\ncohort: 2024\ncity: Riverton\nquote: We can.\nbody: Her bio.\n"
    site = make_site(
        {
            "content/fellows/ana-ruiz.yaml": fellow,
            "content/fellows/ana-ruiz.es.md": "---\nquote: Podemos.\n---\n",
        },
        TWO_LANGUAGES,
    )
    built(site)
    content = check(site).content
    into_spanish = content.translations["content/fellows/ana-ruiz.yaml"]["es"]
    assert into_spanish.body is None
    shown = translated(content.fellows[0], into_spanish)
    assert (shown.quote, shown.body, shown.cohort) == ("Podemos.", "Her bio.", 2024)


TEXT_FIELDS = "(title, summary, goals, commitments, readiness and the prose)"


@pytest.mark.parametrize(
    ("written", "where", "allowed"),
    [
        ("    target: {value: 40, year: 2030}\n", "'goals[1].target'", "(title)"),
        ("cost_model: {people_served: 90, per_person: 1}\n", "'cost_model'", TEXT_FIELDS),
        ("status: adopted\n", "'status'", TEXT_FIELDS),
    ],
    ids=["goal target", "cost model", "plan status"],
)
def test_a_translation_setting_a_number_or_a_status_is_an_error_naming_the_field(
    make_site: MakeSite, written: str, where: str, allowed: str
) -> None:
    """Each is on line 7: a goal's field after its title, or the plan's in place of
    `commitments: []`."""
    text = (
        spanish("    title: Menos personas baleadas\n", "    title: Menos\n" + written)
        if written.startswith(" ")
        else spanish("commitments: []\n", written)
    )
    site = make_site(site_files({ES: text}), TWO_LANGUAGES)
    expected = [
        f"{ES}:7: {where} comes from {P}; a translation carries only text fields {allowed} "
        "— remove it"
    ]
    assert mistakes(site) == expected
    assert mistakes(site, "build") == expected
    assert not (site / "output").exists()


def test_an_update_translation_carries_no_date_nor_status(make_site: MakeSite) -> None:
    text = "---\ntitle: Primera\ndate: 2024-07-16\ngoals:\n  shootings: at-risk\n---\n"
    site = make_site(site_files({U.replace(".md", ".es.md"): text}), TWO_LANGUAGES)
    es = U.replace(".md", ".es.md")
    assert mistakes(site) == [
        f"{es}:3: 'date' comes from {U}; a translation carries only text fields (title, "
        "goals and the prose) — remove it",
        f"{es}:5: 'goals.shootings' comes from {U}; a translation carries only text fields "
        "(note) — remove it",
    ]


def test_a_translated_goal_id_the_source_lacks_is_an_error(make_site: MakeSite) -> None:
    text = spanish("  - id: shootings\n", "  - id: shootngs\n").replace(
        "commitments: []\n",
        "  - title: Sin id\ncommitments:\n  - id: hire\n    title: Contratar\n  - title: Sin id\n",
    )
    site = make_site(site_files({ES: text}), TWO_LANGUAGES)
    assert mistakes(site) == [
        f"{ES}:5: goal 'shootngs' is not in {P} — did you mean 'shootings'?",
        f"{ES}:7: a translated goal needs the 'id' of the goal it translates (one of: "
        "shootings, jobs) — add a line 'id: …'",
        f"{ES}:9: commitment 'hire' is not in {P}; it has no commitment with an id — "
        "give the commitment an id there first",
        f"{ES}:11: a translated commitment needs the 'id' of the commitment it translates, "
        f"and no commitment of {P} has one — give the commitment an id there, then write "
        "the same id here",
    ]


def test_a_translation_of_a_file_that_does_not_exist_is_an_error(make_site: MakeSite) -> None:
    site = make_site(
        site_files(
            {
                "content/pages/contact.es.md": PAGE,
                "content/plans/rivertn/plan.es.md": SPANISH_PLAN,
            }
        ),
        TWO_LANGUAGES,
    )
    assert mistakes(site) == [
        "content/pages/contact.es.md:1: is a translation of content/pages/contact.md, which "
        "does not exist; translate a file that exists, or remove this one",
        "content/plans/rivertn/plan.es.md:1: is a translation of "
        "content/plans/rivertn/plan.md, which does not exist — did you mean "
        f"{P}?; translate a file that exists, or remove this one",
    ]


def test_a_translation_into_a_language_the_site_lacks_is_an_error(make_site: MakeSite) -> None:
    site = make_site(
        site_files({"content/pages/about.fr.md": PAGE, "content/pages/about.en.md": PAGE}),
        TWO_LANGUAGES,
    )
    assert mistakes(site) == [
        "content/pages/about.en.md:1: 'en' is the site's default language, the language of "
        "content/pages/about.md; a translation is into another of the site's languages "
        "(es) — rename or remove this file",
        "content/pages/about.fr.md:1: 'fr' is not one of the site's languages (en, es): a "
        "name ending in '.fr.md' makes the file a translation — list the language in "
        "site.yaml ('languages: [en, es, fr]'), or rename the file",
    ]


def test_a_site_of_one_language_has_no_translations(make_site: MakeSite) -> None:
    site = make_site(site_files({"content/pages/about.es.md": PAGE}), SITE_YAML + "language: en\n")
    assert mistakes(site) == [
        "content/pages/about.es.md:1: 'es' is not one of the site's languages (en): a name "
        "ending in '.es.md' makes the file a translation — list the language in site.yaml "
        "('languages: [en, es]'), or rename the file",
    ]


def test_every_translation_mistake_is_said_at_once(make_site: MakeSite) -> None:
    site = make_site(
        site_files(
            {
                ES: spanish("  - id: shootings\n", "  - id: shootngs\n").replace(
                    "commitments: []\n", "status: adopted\ntitel: Riverton\n"
                ),
                "content/pages/contact.es.md": PAGE,
                "content/pages/about.de.md": PAGE,
                U.replace(".md", ".es.md"): SPANISH_UPDATE.replace("shootings:", "jobs:"),
            }
        ),
        TWO_LANGUAGES,
    )
    found = mistakes(site)
    assert [problem.split(": ", 1)[0] for problem in found] == [
        "content/pages/about.de.md:1",
        "content/pages/contact.es.md:1",
        f"{ES}:5",
        f"{ES}:7",
        f"{ES}:8",
        f"{U.replace('.md', '.es.md')}:4",
    ]
    assert found[4].endswith("unknown field 'titel' — did you mean 'title'?")
    assert found[5].endswith(f"goal 'jobs' is not in {U}; its goals are: shootings")
    assert mistakes(site, "build") == found


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "languages: [en, es, EN]\n",
            "site.yaml:3: 'en' is listed twice in 'languages'; list each language once",
        ),
        (
            "languages: [en, spanish]\n",
            "site.yaml:3: 'languages[2]' 'spanish' is not a language code; write one like "
            "en, es, pt-BR or zh-Hant",
        ),
        (
            "language: es\nlanguages: [en, es]\n",
            "site.yaml:3: 'language' says es, but the first of 'languages' (en) is the "
            "default language; remove 'language', or put es first in 'languages'",
        ),
    ],
    ids=["twice", "not a code", "language disagrees"],
)
def test_the_languages_of_site_yaml_are_checked(
    make_site: MakeSite, settings: str, expected: str
) -> None:
    site = make_site(site_files(), SITE_YAML + settings)
    assert mistakes(site) == [expected]


def test_languages_are_written_as_bcp_47_writes_them(make_site: MakeSite) -> None:
    site = make_site(
        site_files({"content/pages/about.pt-br.md": "---\ntitle: Sobre\n---\nSobre nós.\n"}),
        SITE_YAML + "language: en\nlanguages: [en, pt-br]\n",
    )
    built(site)
    content = check(site).content
    assert list(content.translations["content/pages/about.md"]) == ["pt-BR"]


def test_the_language_of_a_site_of_one_language_is_its_default(make_site: MakeSite) -> None:
    site = make_site(site_files({"content/pages/about.es.md": PAGE}), SITE_YAML + "language: es\n")
    assert mistakes(site) == [
        "content/pages/about.es.md:1: 'es' is the site's default language, the language of "
        "content/pages/about.md; a translation is into another language, listed after it "
        "in 'languages' in site.yaml — rename or remove this file",
    ]
    (site / "content/pages/about.es.md").unlink()
    assert check(site).content.translations == {}


def test_a_mistake_brought_to_a_translation_after_a_build_is_found_by_the_next(
    make_site: MakeSite,
) -> None:
    """The source comes from the cache the first build wrote; its translation is checked
    against it all the same."""
    site = make_site(site_files({ES: SPANISH_PLAN}), TWO_LANGUAGES)
    built(site)
    text = spanish("    title: Menos personas baleadas\n", "    title: Menos\n    unit: personas\n")
    (site / ES).write_text(text, encoding="utf-8")
    assert mistakes(site, "build") == [
        f"{ES}:7: 'goals[1].unit' comes from {P}; a translation carries only text fields "
        "(title) — remove it"
    ]
    assert (site / "output/index.html").is_file()  # the previous output, untouched
