"""No field can inject lines or formulas into what machines read: iCalendar, CSV, robots.txt,
the sitemap and the feeds, each parsed back strictly.

Content validation refuses most invisible characters in YAML text; these writers must be
safe without it, so some tests hand them hostile records directly, as a later change to
validation (or a field it misses) would.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import feedparser
import icalendar
import pytest

from site_builder.commands.check import prepare
from site_builder.content.config import SiteConfig, load_config
from site_builder.content.kinds import Content
from site_builder.content.models import Convening
from site_builder.engine.characters import UNSAFE_IN_NAME
from site_builder.engine.errors import UsageError
from site_builder.site import opendata
from site_builder.site.feeds import feed_pages
from site_builder.site.page import SiteData
from tests.support.fixtures import MakeSite
from tests.support.git import commit
from tests.support.sites import FULL_PLAN, SITEMAP_NS, UPDATE, run_cli, write_site

# iCalendar -----------------------------------------------------------------------------------

#: The properties a convening's calendar holds, each as often as it may appear.
CALENDAR_PROPERTIES = Counter(
    {
        "BEGIN": 2,
        "END": 2,
        "VERSION": 1,
        "PRODID": 1,
        "CALSCALE": 1,
        "METHOD": 1,
        "UID": 1,
        "DTSTAMP": 1,
        "DTSTART": 1,
        "DTEND": 1,
        "SUMMARY": 1,
        "LOCATION": 1,
        "URL": 1,
    }
)
_CONTENT_LINE = re.compile(
    r'([A-Z][A-Z0-9-]*)((?:;[A-Z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)', re.DOTALL
)
#: An RFC 5545 TEXT value: no bare `;`, `,` or `\`; only the four escapes.
_TEXT_VALUE = re.compile(r"(?:[^\\;,]|\\[\\;,nN])*", re.DOTALL)
TEXT_PROPERTIES = ("PRODID", "SUMMARY", "LOCATION")

#: Every character that may end a line somewhere (`str.splitlines`), every other control,
#: and the bidirectional overrides; each must stay inside the value it was written in.
HOSTILE = [
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\x00",
    "\x1b",
    "\t",
    "\x7f",
    "\x9b",
    "\u202e",
    "\ud800",
]


def strict_calendar(data: bytes) -> list[tuple[str, str, str]]:
    """(name, parameters, value) of every content line, asserting RFC 5545's framing: CRLF
    endings only, physical lines of at most 75 octets, folds of CRLF + one space or tab,
    and every unfolded line `NAME[;PARAMS]:VALUE` with no control character in it."""
    assert data.endswith(b"\r\n"), "the last line must end with CRLF"
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for line in physical:
        assert b"\r" not in line and b"\n" not in line, f"bare CR or LF in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        if line[:1] in (b" ", b"\t"):
            assert logical, "a folded line before any content line"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    lines = []
    for raw in logical:
        text = raw.decode("utf-8")
        assert not UNSAFE_IN_NAME.search(text), f"control character in {text!r}"
        match = _CONTENT_LINE.fullmatch(text)
        assert match, f"not NAME[;PARAMS]:VALUE: {text!r}"
        lines.append((match[1], match[2], match[3]))
    assert Counter(name for name, _, _ in lines) == CALENDAR_PROPERTIES
    for name, _, value in lines:
        if name in TEXT_PROPERTIES:
            assert _TEXT_VALUE.fullmatch(value), f"{name} is not escaped TEXT: {value!r}"
    return lines


def unescaped(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def calendar_fields(data: bytes) -> dict[str, str]:
    """The event's text and URI values, read back by the strict parser and by `icalendar`,
    which must agree."""
    strict = {
        name: unescaped(value) if name in TEXT_PROPERTIES else value
        for name, _, value in strict_calendar(data)
        if name not in ("BEGIN", "END")
    }
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert not calendar.errors and not event.errors, (calendar.errors, event.errors)
    assert set(event) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"}
    assert set(calendar) == {"VERSION", "PRODID", "CALSCALE", "METHOD"}
    for name in ("SUMMARY", "LOCATION", "UID", "URL"):
        assert str(event[name]) == strict[name], name
    assert str(calendar["PRODID"]) == strict["PRODID"]
    return strict


def convening(**fields: str) -> Convening:
    values = {
        "title": "Summit",
        "city": "Riverton",
        "start": dt.date(2025, 5, 1),
        "slug": "summit",
        "path": "content/convenings/summit.md",
        "body": "",
    } | fields
    return Convening(**values)


def calendar_of(
    item: Convening, title: str = "Test network", base_url: str = "https://example.org/"
) -> bytes:
    """The calendar file of `item`, for settings made by hand (not checked by site.yaml)."""
    site = SiteData(
        SiteConfig(title=title, base_url=base_url),
        Content({"convening": [item]}),
        dt.date(2025, 1, 1),
        {},
    )
    return opendata.calendar(site, item)


@pytest.mark.parametrize("character", HOSTILE, ids=[f"U+{ord(c[-1]):04X}" for c in HOSTILE])
def test_a_line_break_or_control_in_a_convening_never_starts_a_calendar_property(
    character: str,
) -> None:
    hostile = f"Summit{character}X-INJECTED:1"
    item = convening(
        title=hostile,
        venue=f"Hall{character}BEGIN:VALARM",
        city=f"Riverton{character}END:VEVENT",
        state=f"OH{character}URL:x",
    )
    fields = calendar_fields(calendar_of(item, title=f"Network{character}METHOD:CANCEL"))
    summary = fields["SUMMARY"]
    assert summary.startswith("Summit") and summary.endswith("X-INJECTED:1")
    assert not UNSAFE_IN_NAME.search(summary.replace("\n", ""))
    assert "\u202e" not in summary
    for text in ("BEGIN:VALARM", "END:VEVENT", "URL:x"):
        assert text in fields["LOCATION"]


@pytest.mark.parametrize("escape", [r"\r", r"\r\n", r"\n", r"\L", r"\N", r"\P", r"\x1b"])
def test_a_line_break_written_as_a_yaml_escape_never_reaches_the_calendar_as_one(
    escape: str, make_site: MakeSite
) -> None:
    """From the file to the calendar: refused with its line, or published harmlessly."""
    site = make_site(
        {
            "content/convenings/summit.md": (
                f'---\ntitle: "Summit{escape}X-INJECTED:1"\ncity: Riverton\n'
                f'venue: "Hall{escape}END:VEVENT"\nstart: 2025-05-01\n---\nCome.\n'
            )
        },
    )
    result = run_cli("build", "--source", str(site))
    if result.returncode == 1:
        assert "content/convenings/summit.md:2: " in result.stderr, result.stderr
        assert not (site / "output").exists()
        return
    assert result.returncode == 0, result.stderr
    fields = calendar_fields((site / "output/convenings/summit/summit.ics").read_bytes())
    assert fields["SUMMARY"].startswith("Summit") and "END:VEVENT" in fields["LOCATION"]
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")


def test_a_base_url_made_by_hand_cannot_break_the_calendar_uid_or_url() -> None:
    data = calendar_of(convening(), base_url="https://example.org\r\nX-INJECTED:1\u2028/x/")
    fields = calendar_fields(data)
    assert fields["URL"].endswith("/convenings/summit/")
    assert fields["UID"].startswith("summit@")


def test_long_calendar_text_is_folded_at_75_octets_never_inside_a_character() -> None:
    title = "Ünïcödé, convening; \\ " + "会议" * 60 + " 🎉" * 30
    fields = calendar_fields(calendar_of(convening(title=title, venue="Civic; Hall, 2")))
    assert fields["SUMMARY"] == title
    assert fields["LOCATION"] == "Civic; Hall, 2, Riverton"


# CSV -----------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_metrics_csv_cells_cannot_start_a_formula_or_a_row() -> None:
    texts = [
        '=HYPERLINK("https://evil.example")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "a\rb",
        "a\nb",
        "a\r\nb",
        "a\u2028b",
        "plain",
        "'quoted",
    ]
    rows = [
        ("2024-07-15", text, text, value, "first-half")
        for text, value in zip(texts, [1, -3, 12.5, 0, 2, 3, 4, 5, 6, 7, 8, 9], strict=True)
    ]
    parsed = read_csv(opendata.metrics_csv(rows))
    assert parsed[0] == ["date", "period", "indicator", "value", "update"]
    assert len(parsed) == len(rows) + 1, "a line break in a cell started a new row"
    for (_, text, _, value, _), row in zip(rows, parsed[1:], strict=True):
        assert len(row) == 5
        for cell in (row[1], row[2]):
            assert not cell.startswith(FORMULA_START), cell
            assert cell == (f"'{text}" if text.startswith(FORMULA_START) else text)
        assert float(row[3]) == value and not row[3].startswith("'"), "a number stays a number"


def test_hostile_indicator_names_and_periods_in_a_built_site(make_site: MakeSite) -> None:
    plan = FULL_PLAN.replace("indicator: people_shot", "indicator: '=HYPERLINK(\"x\")'")
    update = UPDATE.replace("people_shot: 90", "'=HYPERLINK(\"x\")': -3").replace(
        "period: 2024 H1", "period: '@SUM(1+1)'"
    )
    site = make_site(
        {"content/plans/riverton/plan.md": plan, "content/plans/riverton/updates/h1.md": update},
    )
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    rows = read_csv((site / "output/plans/riverton/metrics.csv").read_bytes())
    assert sorted(rows[1:]) == [
        ["2024-07-15", "'@SUM(1+1)", '\'=HYPERLINK("x")', "-3", "h1"],
        ["2024-07-15", "'@SUM(1+1)", "summer_jobs", "250", "h1"],
    ]


# base_url ------------------------------------------------------------------------------------

HOSTILE_BASE_URLS = [
    r'"https://example.org/\rSitemap: https://evil.example/x.xml"',
    r'"https://example.org/\nSitemap: https://evil.example/x.xml"',
    r'"https://example.org/\u2028x/"',
    r'"https://example.org/\x85x/"',
    "https://example.org/a b/",
    "'https://example.org/\"><script>alert(1)</script>'",
    "https://example.org/<x>/",
    "javascript:alert(1)",
    "ftp://example.org/",
    "example.org/plans/",
    "/city-plans/",
    "https://example.org/?page=1",
    "https://example.org/#top",
    "https://user:secret@example.org/",
    "https:///plans/",
    "https://example.org:99999/",
    "'https://[::1/'",
]


def site_with_a_convening(root: Path, site_yaml: str) -> Path:
    return write_site(
        root,
        {
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/convenings/summit.md": "---\ntitle: Summit\ncity: Riverton\n"
            "start: 2025-05-01\n---\nCome.\n",
        },
        site_yaml=site_yaml,
    )


@pytest.mark.parametrize("value", HOSTILE_BASE_URLS)
def test_a_base_url_that_is_not_a_plain_http_address_is_refused_with_its_line(
    tmp_path: Path, value: str
) -> None:
    site = site_with_a_convening(tmp_path / "site", f"title: Test network\nbase_url: {value}\n")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1, result.stdout
    assert "site.yaml:2: " in result.stderr and "Traceback" not in result.stderr
    assert not (site / "output" / "robots.txt").exists()


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/\rSitemap: https://evil.example/x.xml",
        "https://example.org/\nx",
        "https://example.org/\u2028x",
        "https://exa mple.org/",
        "/city-plans/",
        "mailto:a@b.c",
        "https://example.org/?x=1",
        "https://example.org/\u202ex/",
    ],
)
def test_a_base_url_option_that_is_not_a_plain_http_address_is_a_usage_error(
    tmp_path: Path, value: str
) -> None:
    site = site_with_a_convening(tmp_path / "site", "title: Test network\n")
    result = run_cli("build", "--source", str(site), "--base-url", value)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "--base-url" in result.stderr
    assert "\r" not in result.stderr and "\u2028" not in result.stderr
    with pytest.raises(UsageError):
        load_config(site, value)


@pytest.mark.parametrize(
    ("value", "address"),
    [
        (None, ""),
        ("/", ""),
        ("https://example.org", "https://example.org"),
        ("https://example.org/city-plans/", "https://example.org/city-plans"),
        ("http://localhost:8000/x/", "http://localhost:8000/x"),
        ("https://Example.ORG:8443/a;b,c/", "https://Example.ORG:8443/a;b,c"),
        ("https://städte.example/pläne/", "https://städte.example/pläne"),
    ],
)
def test_plain_base_urls_are_accepted(value: str | None, address: str, make_site: MakeSite) -> None:
    line = f"base_url: '{value}'\n" if value else ""
    site = make_site({}, site_yaml=f"title: Test network\n{line}")
    assert load_config(site).absolute("/feed.xml") == f"{address}/feed.xml"
    if value:
        assert load_config(site, value).absolute("/feed.xml") == f"{address}/feed.xml"


# Every format of a built site, parsed back -------------------------------------------------

ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
#: Text every field may hold, and that each format has its own way to escape.
TRICKY = 'Summit; with, commas \\ and: "quotes" <b>&amp; ]]> BEGIN:VEVENT Ünï 会议'


def test_no_field_injects_lines_into_robots_sitemap_feeds_or_calendar(repo: Path) -> None:
    base = "https://example.org:8443/city-plans/"
    quoted = TRICKY.replace("\\", "\\\\").replace('"', '\\"')
    commit(
        repo,
        {
            "site.yaml": f'title: "{quoted}"\nbase_url: {base}\norganization: "{quoted}"\n',
            "content/plans/riverton/plan.md": FULL_PLAN.replace(
                "Safer Riverton 2030", f'"{quoted}"'
            ),
            "content/plans/riverton/updates/h1.md": UPDATE.replace(
                "First half of 2024", f'"{quoted}"'
            ),
            "content/convenings/summit.md": f'---\ntitle: "{quoted}"\ncity: "{quoted}"\n'
            f'venue: "{quoted * 3}"\nstart: 2025-05-01\n---\nCome.\n',
        },
        f"Add {TRICKY}",
    )
    result = run_cli("build", "--source", str(repo))
    assert result.returncode == 0, result.stderr
    output = repo / "output"

    robots = (output / "robots.txt").read_bytes()
    assert robots == f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()

    locs = [
        loc.text or ""
        for loc in ET.parse(output / "sitemap.xml").getroot().findall("s:url/s:loc", SITEMAP_NS)
    ]
    assert locs and all(loc.startswith(base) and "\n" not in loc for loc in locs)

    for path in (output / "feed.xml", output / "plans/riverton/feed.xml"):
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        root = ET.parse(path).getroot()
        assert root.findtext("a:title", namespaces=ATOM_NS) in (
            TRICKY,
            f"{TRICKY}: revisions and updates",
        )
        assert all(e.id.startswith(base) for e in feed.entries)

    fields = calendar_fields((output / "convenings/summit/summit.ics").read_bytes())
    assert fields["SUMMARY"] == TRICKY
    assert fields["LOCATION"] == f"{TRICKY * 3}, {TRICKY}"
    assert fields["URL"] == f"{base}convenings/summit/"


# Feeds ---------------------------------------------------------------------------------------

#: Characters XML 1.0 forbids, and a lone surrogate (how Python spells bytes that are not
#: UTF-8): content validation refuses them, and a feed must stay readable without it.
XML_FORBIDDEN_SAMPLES = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800"]


@pytest.mark.parametrize(
    "character", XML_FORBIDDEN_SAMPLES, ids=[f"U+{ord(c):04X}" for c in XML_FORBIDDEN_SAMPLES]
)
def test_characters_xml_forbids_never_make_a_feed_unreadable(character: str, repo: Path) -> None:
    commit(
        repo,
        {
            "site.yaml": "title: Test network\nbase_url: https://example.org/\n",
            "content/plans/riverton/plan.md": FULL_PLAN,
            "content/plans/riverton/updates/h1.md": UPDATE,
            "content/convenings/summit.md": "---\ntitle: Summit\ncity: Riverton\n"
            "start: 2025-05-01\n---\nCome.\n",
        },
        "Add",
    )
    prepared = prepare(repo, write_cache=False)
    site, content = prepared.site, prepared.site.content
    bad = f"Bad{character}Text"
    hostile = dataclasses.replace(
        site,
        config=dataclasses.replace(site.config, title=bad, organization=bad),
        content=Content(
            {
                "plan": [dataclasses.replace(p, title=bad, city=bad) for p in content.plans],
                "update": [
                    dataclasses.replace(u, title=bad, period=bad) for u in content.of("update")
                ],
                "convening": [
                    dataclasses.replace(c, title=bad, city=bad) for c in content.convenings
                ],
            },
            content.documents,
            content.static,
        ),
    )
    feeds = [
        page.make().data
        for page in feed_pages(hostile, prepared.history, prepared.keys)
        if page.make
    ]
    assert len(feeds) == 2
    for data in feeds:
        assert data
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        root = ET.fromstring(data)
        titles = [t.text or "" for t in root.iter(f"{{{ATOM_NS['a']}}}title")]
        assert titles and any("BadText" in t for t in titles), titles
