"""Search that answers (issue 18, point 6), below the browser: every searchable page tells
Pagefind its type, city and date; table headers, captions and charts stay out of excerpts;
the filter indexes come out the same on every run; a warm build leaves the index alone.

Pagefind runs for real, as the build runs it (`python -m pagefind`), and its index files
are read back: fragments are gzip-compressed JSON, filter indexes gzip-compressed CBOR.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from site_builder.commands.build import build
from site_builder.content import kinds
from site_builder.content.config import load_config
from site_builder.content.load import load_content
from site_builder.content.models import city_name
from site_builder.engine.errors import OutputError
from site_builder.output import search
from site_builder.output.search_order import SIGNATURE, decode, encode, order_filters
from site_builder.site.urls import SEARCH_BUNDLE
from tests.support.fixtures import MakeSite, Soup, TreeDigest
from tests.support.sites import REPO_ROOT, living_plan, run_cli

pytestmark = pytest.mark.skipif(not search.pagefind_available(), reason="Pagefind is missing")

CITIES = ("Ashford", "Brookvale", "Carrow", "Dunmere", "Elston", "Fairhaven", "Glenrock")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site of this repository, built with its search index."""
    output = tmp_path_factory.mktemp("search") / "site"
    result = build(REPO_ROOT, output)
    assert not result.warnings, result.warnings
    return output


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """What Pagefind stored of each page it indexed, by the page's URL."""
    found = {}
    for file in (site / SEARCH_BUNDLE / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(file.read_bytes()).removeprefix(SIGNATURE))
        found[data["url"]] = data
    return found


def filters(site: Path, language: str = "en") -> dict[str, list[str]]:
    """Each filter of the index of `language` and its values, in the order the files
    hold them."""
    found = {}
    for file in sorted((site / SEARCH_BUNDLE / "filter").glob(f"{language}_*.pf_filter")):
        name, values = decode(gzip.decompress(file.read_bytes()), len(SIGNATURE))[0]
        found[name] = [value for value, _ in values]
    return found


#: The filters' names on the Spanish pages, by their English names.
SPANISH_FILTERS = {"tipo": "type", "ciudad": "city", "año": "year"}


def facts_in_html(page: Any) -> dict[str, str]:
    """The filters a built page gives Pagefind, as {name: value}, by their English names."""
    pairs = (
        element["data-pagefind-filter"].split(":", 1)
        for element in page.find_all(attrs={"data-pagefind-filter": True})
    )
    return {SPANISH_FILTERS.get(name, name): value for name, value in pairs}


def test_every_searchable_page_tells_its_type_city_and_year(sample: Path, soup: Soup) -> None:
    languages = load_config(REPO_ROOT).languages
    content = load_content(REPO_ROOT, languages=languages)
    cities = {plan.slug: city_name(plan) for plan in content.plans}
    types = set()
    for file in sorted(sample.rglob("index.html")):
        page = soup(file)
        main = page.find("main")
        if main is None or not main.has_attr("data-pagefind-body"):
            assert not page.find_all(attrs={"data-pagefind-filter": True}), file
            continue
        facts = facts_in_html(page)
        named = "tipo" if page.html["lang"] == "es" else "type"
        assert main["data-pagefind-filter"] == f"{named}:{facts['type']}"
        assert main["data-pagefind-meta"] == f"type:{facts['type']}"
        assert re.fullmatch(r"\d{4}", facts["year"]), file
        where = file.parent.relative_to(sample).parts
        if where[0] in languages[1:]:  # a page in another language, its type in its words
            where = where[1:]
        else:
            types.add(facts["type"])
        if where[0] == "plans" and len(where) == 2:
            assert facts["city"] == cities[where[1]]
            assert main["data-pagefind-weight"] == "3.0"  # plans outrank pages that name them
        elif where[0] == "plans":  # an outcome update: its plan's city
            assert facts["city"] == cities[where[1]], file
            assert not main.has_attr("data-pagefind-weight")
        elif where[0] in ("fellows", "convenings"):
            assert facts["city"], file
        else:  # a free page has no city
            assert "city" not in facts, file
    assert types == {kind.shown_as for kind in kinds.KINDS if kind.searchable}
    assert filters(sample)["type"] == sorted(types)


def test_an_update_has_its_own_date_and_a_plan_the_day_it_was_last_revised(
    tmp_path: Path,
) -> None:
    site = living_plan(tmp_path / "site")
    build(site)
    found = fragments(site / "output")
    assert found["/plans/riverton/"]["meta"] | {"title": ""} == {
        "title": "",
        "type": "Plan",
        "city": "Riverton, OH",
        "updated": "20 July 2024",  # the last commit to plan.md
    }
    assert found["/plans/riverton/"]["filters"] == {
        "type": ["Plan"],
        "city": ["Riverton, OH"],
        "year": ["2024"],
    }
    update = found["/plans/riverton/updates/2024-h1/"]
    assert update["meta"]["type"] == "Outcome update"
    assert update["meta"]["city"] == "Riverton, OH"  # its plan's
    assert update["meta"]["date"] == "15 July 2024"  # from its front matter
    about = found["/about/"]
    assert about["meta"] == {"title": "About", "type": "Page", "updated": "10 January 2022"}
    assert about["filters"] == {"type": ["Page"], "year": ["2022"]}


def test_excerpts_leave_out_table_headers_captions_and_charts(sample: Path, soup: Soup) -> None:
    """Pagefind glued header cells into one word ('CommitmentKindByDateStatus') and put
    captions and the charts' tables of figures into excerpts."""
    indexed = fragments(sample)
    assert len(indexed) > 40
    checked = 0
    for url, data in indexed.items():
        page = soup(sample / url.lstrip("/") / "index.html")
        text = data["content"]
        for head in page.select("main thead"):
            cells = [cell.get_text(strip=True) for cell in head.find_all("th")]
            assert "".join(cells) not in text, f"{url}: {''.join(cells)}"
            checked += 1
        for caption in page.select("main caption"):
            assert caption.get_text(strip=True) not in text, url
        for chart in page.select("main figure.chart"):
            desc = chart.find("desc")
            assert desc is None or desc.get_text(strip=True) not in text, url
        assert not re.search(r"\b[A-Z][a-z]+[A-Z][a-z]+[A-Z][a-z]+", text), url
    assert checked > 10, "the sample site should have tables with headers"
    plan = indexed["/plans/halverton/"]["content"]
    assert "Reduce the number of people shot in Halverton" in plan  # the goals table's rows stay


def test_filter_indexes_are_byte_identical_whatever_order_pagefind_writes(
    make_site: MakeSite, tree_digest: TreeDigest
) -> None:
    """Pagefind writes filter values in the order of a hash table seeded on each run."""
    site = make_site(
        {
            f"content/fellows/fellow-{n}.md": (
                f"---\nname: Fellow {n}\ncohort: {2015 + n}\ncity: {city}\n---\nA bio.\n"
            )
            for n, city in enumerate(CITIES)
        }
    )
    build(site)
    digests = []
    for _ in range(3):
        shutil.rmtree(site / "output" / SEARCH_BUNDLE)
        assert search.index_site(site / "output") is None
        digests.append(tree_digest(site / "output" / SEARCH_BUNDLE))
    assert digests[0] == digests[1] == digests[2]
    assert filters(site / "output")["city"] == sorted(CITIES)


def test_the_sorted_index_still_answers(sample: Path) -> None:
    """The renamed files are the ones the index names: the meta file the entry names,
    and the filter files that file names."""
    entry = json.loads((sample / SEARCH_BUNDLE / "pagefind-entry.json").read_text())
    assert sorted(entry["languages"]) == ["en", "es"]  # an index per language of the site
    named = set()
    filters = {"en": ["city", "type", "year"], "es": ["año", "ciudad", "tipo"]}  # their words
    for code, language in entry["languages"].items():
        meta_file = sample / SEARCH_BUNDLE / f"pagefind.{language['hash']}.pf_meta"
        meta = decode(gzip.decompress(meta_file.read_bytes()), len(SIGNATURE))[0]
        named |= {f"{name}.pf_filter" for _, name in meta[3]}
        assert [filter for filter, _ in meta[3]] == filters[code]
    assert named == {p.name for p in (sample / SEARCH_BUNDLE / "filter").iterdir()}
    assert len(list(sample.glob(f"{SEARCH_BUNDLE}/*.pf_meta"))) == 2


def test_an_index_of_an_unknown_form_is_a_clear_error(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "filter").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text('{"languages": {"en": {"hash": "en_0123456789"}}}')
    meta = ["9.0.0", [], [], [["city", "en_abcdef0"]], []]
    (bundle / "pagefind.en_0123456789.pf_meta").write_bytes(gzip.compress(SIGNATURE + encode(meta)))
    (bundle / "filter/en_abcdef0.pf_filter").write_bytes(gzip.compress(SIGNATURE + b"\xa1\x01\x02"))
    with pytest.raises(OutputError, match=r"en_abcdef0\.pf_filter in a form .* does not know"):
        order_filters(bundle)


@pytest.mark.parametrize(
    ("value", "size"),
    [(0, 1), (23, 1), (24, 2), (255, 2), (256, 3), (65_535, 3), (65_536, 5), (2**32, 9)],
)
def test_cbor_numbers_take_their_shortest_form(value: int, size: int) -> None:
    data = encode(value)
    assert len(data) == size
    assert decode(data, 0) == (value, size)


@pytest.mark.parametrize("value", ["", "Ünïcode city", "x" * 300, [[1, "a"], []], [7] * 30])
def test_cbor_reads_back_the_text_and_lists_it_writes(value: Any) -> None:
    data = encode(value)
    assert decode(data, 0) == (value, len(data))


FELLOW = "---\nname: Ana Ruiz\ncohort: 2024\ncity: Riverton\n---\nAna works on summer jobs.\n"


def logging_pagefind(folder: Path, log: Path, *, fails: bool = False) -> Path:
    """A Pagefind binary that notes each run in `log`, then runs the real one (or fails)."""
    from pagefind_bin import get_executable

    wrapper = folder / "pagefind"
    run = "exit 3" if fails else f'exec "{get_executable()}" "$@"'
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\n{run}\n')
    wrapper.chmod(0o755)
    return wrapper


def test_a_warm_build_keeps_the_index_and_a_changed_page_indexes_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind runs only when a searchable page changed."""
    site = make_site({"content/fellows/ana-ruiz.md": FELLOW})
    log = tmp_path / "runs.log"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    assert run_cli("build", "--source", str(site)).returncode == 0
    assert log.read_text().splitlines() == ["run"]
    warm = run_cli("build", "--source", str(site))
    assert warm.returncode == 0, warm.stderr
    assert log.read_text().splitlines() == ["run"]
    (site / "content/fellows/ana-ruiz.md").write_text(FELLOW.replace("summer", "winter"))
    assert run_cli("build", "--source", str(site)).returncode == 0
    assert log.read_text().splitlines() == ["run", "run"]


def test_another_pagefind_indexes_the_same_pages_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded Pagefind may write another index of the same pages: the index's key
    names the Pagefind that made it (here a binary of PAGEFIND_BINARY_PATH replaced)."""
    site = make_site({"content/fellows/ana-ruiz.md": FELLOW})
    log = tmp_path / "runs.log"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    first = run_cli("build", "--source", str(site))
    assert first.returncode == 0, first.stderr
    logging_pagefind(tmp_path, log, fails=True)  # the same path, another program
    again = run_cli("build", "--source", str(site))
    assert again.returncode == 1
    assert log.read_text().splitlines() == ["run", "run"]
