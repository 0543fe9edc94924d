"""`administrations` in site.yaml: terms of office read and checked, every mistake said at
once with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.content.config import Administration, load_config
from site_builder.engine.errors import ContentError
from tests.support.fixtures import MakeSite
from tests.support.sites import SITE_YAML

#: Ana Ortiz, Mayor of Riverton from 2020 to 2024: a term, on one line of site.yaml.
ORTIZ = "  - {office: Mayor, name: Ana Ortiz, city: Riverton, start: 2020-01-06, end: 2024-01-08}\n"


def with_terms(make_site: MakeSite, terms: str) -> Path:
    """A site whose site.yaml lists `terms` (lines of YAML) from its fourth line on."""
    return make_site({}, site_yaml=SITE_YAML + "administrations:\n" + terms)


def problems(make_site: MakeSite, terms: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_config(with_terms(make_site, terms))
    return [str(problem) for problem in caught.value.problems]


def test_terms_are_read_with_their_city_and_open_end(make_site: MakeSite) -> None:
    site = with_terms(
        make_site,
        ORTIZ
        + "  - {office: Mayor, name: Bo Li, city: Riverton, start: 2024-01-08}\n"
        + "  - {office: County Executive, name: Dana Wu, start: 2019-01-01}\n",
    )
    ortiz, li, wu = load_config(site).administrations
    assert ortiz == Administration(
        office="Mayor",
        name="Ana Ortiz",
        city="Riverton",
        start=dt.date(2020, 1, 6),
        end=dt.date(2024, 1, 8),
    )
    assert li.end is None and li.concerns("riverton ") and not li.concerns("Lakeside")
    assert wu.city is None and wu.concerns("Lakeside")


def test_a_term_that_ends_before_it_starts_is_named_on_its_end_line(make_site: MakeSite) -> None:
    found = problems(
        make_site,
        "  - office: Mayor\n    name: Ana Ortiz\n    start: 2024-01-08\n    end: 2020-01-06\n",
    )
    assert found == [
        "site.yaml:7: the term of Mayor Ana Ortiz ends (2020-01-06) before it starts "
        "(2024-01-08); correct one of the dates, or leave 'end' out while the term lasts"
    ]


def test_two_holders_of_one_office_at_once_are_named_on_the_later_start(
    make_site: MakeSite,
) -> None:
    found = problems(
        make_site, ORTIZ + "  - {office: mayor, name: Bo Li, city: RIVERTON, start: 2024-01-01}\n"
    )
    assert found == [
        "site.yaml:5: the terms of Mayor Ana Ortiz (2020-01-06 to 2024-01-08) and mayor Bo Li "
        "(from 2024-01-01, still in office) overlap; an office has one holder at a time: end "
        "the first term on or before the day the second starts"
    ]


def test_a_term_of_no_city_overlaps_a_city_s_term_of_its_office(make_site: MakeSite) -> None:
    [found] = problems(
        make_site,
        "  - {office: Mayor, name: Ana Ortiz, city: Riverton, start: 2020-01-06}\n"
        "  - {office: Mayor, name: Bo Li, start: 2022-01-03, end: 2023-01-02}\n",
    )
    assert found.startswith("site.yaml:5: the terms of Mayor Ana Ortiz")
    assert "the term of Bo Li names no city, so it concerns every plan" in found


def test_handovers_and_other_cities_and_offices_are_no_overlap(make_site: MakeSite) -> None:
    site = with_terms(
        make_site,
        ORTIZ
        + "  - {office: Mayor, name: Bo Li, city: Riverton, start: 2024-01-08}\n"
        + "  - {office: Mayor, name: Cy Dee, city: Lakeside, start: 2021-01-04}\n"
        + "  - {office: County Executive, name: Dana Wu, start: 2021-01-04}\n",
    )
    assert len(load_config(site).administrations) == 4


def test_every_mistake_of_the_terms_is_said_at_once_with_the_others(make_site: MakeSite) -> None:
    found = problems(
        make_site,
        "  - {office: Mayor, name: Ana Ortiz, start: 2020-01-06, end: 2019-01-06}\n"
        "  - {office: Mayor, nmae: Bo Li, start: 2024-01-01}\n"
        "  - {office: Governor, name: Gil, start: 2019-01-14}\n"
        '  - {office: Governor, name: "Hal\\nHart", start: 2023-01-09}\n',
    )
    assert [line.split(": ", 1)[0] for line in found] == [
        "site.yaml:4",
        "site.yaml:5",
        "site.yaml:5",
        "site.yaml:7",
    ]
    assert "unknown field 'nmae' — did you mean 'name'?" in found[1] + found[2]
    assert "Governor Hal\\nHart (from 2023-01-09" in found[3]  # one line, whatever a name holds
