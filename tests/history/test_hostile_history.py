"""Hostile histories: what was committed once stays in every later build, so no past revision,
author name or commit message may stop a build, break a feed, reverse the text around it or
publish an e-mail address, and a `.mailmap` change shows at the next build.

Every test commits into a real repository and builds through the real code; the pages are
read back with BeautifulSoup, the feeds with feedparser and a strict XML parser.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.commands.build import build
from tests.support.browser import (
    accessibility_problems,
    nu_html_errors,
    require_browser_tools,
    require_nu_html_checker,
)
from tests.support.fixtures import Soup
from tests.support.git import commit, git, git_env, make_repo
from tests.support.sites import BASE_URL, FULL_PLAN, built, run_cli

PLAN = "content/plans/riverton/plan.md"
SITE_FILES = {
    "site.yaml": "title: Test network\nbase_url: https://example.org/\nsearch: false\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
}
#: Characters no page or feed may carry as they are: bidirectional controls, which show the
#: text around them reversed, and characters XML 1.0 forbids.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
XML_FORBIDDEN = "\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff"


def dated() -> Iterator[str]:
    """One commit date after another, a day apart."""
    return iter(f"2024-01-{day:02d}T10:00:00+00:00" for day in range(1, 29))


def history_of(
    root: Path, versions: list[str | bytes], messages: list[str] | None = None
) -> list[str]:
    """A site whose plan went through `versions` (the first with the site's other files);
    the commit ids, oldest first."""
    make_repo(root)
    dates = dated()
    made = []
    for number, version in enumerate(versions):
        files: dict[str, str | bytes | None] = {PLAN: version}
        if not number:
            files |= SITE_FILES
        message = messages[number] if messages else f"Version {number + 1}"
        made.append(commit(root, files, message, date=next(dates)))
    return made


def revision_file(site: Path, commit_id: str, changes: bool = False) -> Path:
    return (
        site
        / "output/plans/riverton/revisions"
        / commit_id[:12]
        / ("changes/index.html" if changes else "index.html")
    )


def nested_flow(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def nested_mapping(depth: int, value: int) -> str:
    return "{a: " * depth + str(value) + "}" * depth


def nested_block(depth: int) -> str:
    """A list of lists `depth` deep in block style, on one line: `- - - 1`."""
    return "\n  " + "- " * depth + "1"


def with_fields(fields: str, plan: str = FULL_PLAN) -> str:
    return plan.replace("---\n", "---\n" + fields, 1)


# --- 2. A past revision never stops a build ----------------------------------------------


#: 995 is just under libyaml's own limit: deeper than a reader that recurses can go.
@pytest.mark.parametrize("depth", [500, 995, 5000])
def test_a_plan_once_nested_deep_never_stops_a_later_build(
    tmp_path: Path, depth: int, soup: Soup
) -> None:
    site = tmp_path / "site"
    deep_target = FULL_PLAN.replace(
        "target: {value: 50, year: 2030}", f"target: {nested_flow(depth)}"
    )
    made = history_of(
        site,
        [
            FULL_PLAN,
            with_fields(f"extra: {nested_flow(depth)}\n", deep_target),
            with_fields(f"deep: {nested_mapping(depth, 1)}\n"),
            with_fields(f"deep: {nested_mapping(depth, 2)}\n"),  # both sides deep: diffed deep
            with_fields(f"deep: {nested_block(depth)}\n"),
            FULL_PLAN,  # fixed
        ],
    )
    built(site)
    built(site)  # and again, from what the first build kept
    for deep in made[1:5]:
        page = soup(revision_file(site, deep))
        reasons = [li.get_text(" ", strip=True) for li in page.select(".revision__problems li")]
        assert reasons and all(reasons), reasons
        source = page.select_one("pre").get_text()
        assert "[[[[[" in source or "{a: {a:" in source or "- - - -" in source
        assert "title: Safer Riverton 2030" in source
    for revision in made:
        assert soup(revision_file(site, revision, changes=True)).select_one("h1")
    fixed = soup(revision_file(site, made[-1])).get_text(" ", strip=True)
    assert "Fewer people shot" in fixed  # the fixed plan is read as a plan again
    checked = run_cli("check", "--source", str(site))
    assert checked.returncode == 0, checked.stderr
    assert "Traceback" not in checked.stderr


def test_pages_of_broken_revisions_are_the_same_from_a_worker_and_from_the_build(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    history_of(
        site,
        [
            FULL_PLAN,
            with_fields(f"deep: {nested_mapping(700, 1)}\n"),
            with_fields(f"deep: {nested_flow(995)}\n"),
            b"\x00\x01binary",
            with_fields(f"deep: {nested_block(950)}\n"),
            FULL_PLAN,
        ],
    )
    build(site, tmp_path / "one", jobs=1)
    build(site, tmp_path / "two", jobs=2)  # forked workers render the pages
    one, two = (tmp_path / "one/plans/riverton", tmp_path / "two/plans/riverton")
    pages = sorted(path.relative_to(one) for path in one.rglob("*.html"))
    assert pages == sorted(path.relative_to(two) for path in two.rglob("*.html"))
    assert all((one / page).read_bytes() == (two / page).read_bytes() for page in pages)


def test_a_past_revision_not_utf8_binary_or_of_20_mb_is_published_with_its_reason(
    tmp_path: Path,
    soup: Soup,
) -> None:
    site = tmp_path / "site"
    latin1 = FULL_PLAN.replace("people.", "people at the Café.").encode("latin-1")
    binary = b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 64
    huge = (FULL_PLAN + "<b>&amp;</b> " * 1_700_000).encode()  # 20 MB, five times if escaped
    made = history_of(site, [FULL_PLAN, latin1, binary, huge, FULL_PLAN])
    started = time.perf_counter()
    built(site)
    assert time.perf_counter() - started < 60
    shown = soup(revision_file(site, made[1]))
    assert "not UTF-8" in shown.get_text() and "Caf" in shown.select_one("pre").get_text()
    binary_page = revision_file(site, made[2])
    assert "binary" in soup(binary_page).get_text()
    assert binary_page.stat().st_size < 50_000  # its bytes are not shown as text
    huge_page = soup(revision_file(site, made[3]))
    assert "MB" in huge_page.select_one(".revision__problems").get_text()
    assert "title: Safer Riverton 2030" in huge_page.select_one("pre").get_text()
    for revision in made:
        for changes in (False, True):
            page = revision_file(site, revision, changes)
            assert page.stat().st_size < 6_000_000, (page, page.stat().st_size)
    after_huge = soup(revision_file(site, made[4], changes=True)).get_text(" ", strip=True)
    assert "cannot be compared" in after_huge


def test_bidi_and_invisible_characters_of_a_past_revision_are_shown_not_obeyed(
    tmp_path: Path,
    soup: Soup,
) -> None:
    site = tmp_path / "site"
    tricky = "Fund \u202eslaitnessE\u202c and \u2067ذلك\u2069 work \ufffe\uffff\x7f\x85."
    made = history_of(
        site,
        [
            FULL_PLAN,
            FULL_PLAN.replace("people.", f"people. {tricky}"),  # read as a plan: its diff shows it
            FULL_PLAN.replace("people.", f"people.\x01 {tricky}"),  # unreadable: its text shows it
            FULL_PLAN,
        ],
    )
    built(site)
    for revision in made:
        for changes in (False, True):
            text = revision_file(site, revision, changes).read_text(encoding="utf-8")
            if changes or revision == made[2]:  # (the plan page's prose is not this code's)
                assert not set(BIDI + XML_FORBIDDEN + "\x7f\x85") & set(text), revision
    diff = soup(revision_file(site, made[1], changes=True)).select_one(".diff").get_text()
    assert "U+202E" in diff and "U+FFFE" in diff
    source = soup(revision_file(site, made[2])).select_one("pre").get_text()
    assert "U+0001" in source and "U+202E" in source and "slaitnessE" in source


def test_pages_of_unreadable_revisions_pass_the_nu_html_checker_and_axe(tmp_path: Path) -> None:
    """The pages a broken revision makes are pages like any other: valid HTML, WCAG 2.1 AA,
    and no sideways scroll on a phone, even for a line of 5,000 brackets."""
    require_browser_tools()
    require_nu_html_checker()
    site = tmp_path / "site"
    tricky = "Fund \u202eslaitnessE\u202c and \u2067ذلك\u2069 work \ufffe\x7f\x85."
    history_of(
        site,
        [
            FULL_PLAN,
            with_fields(f"deep: {nested_flow(5000)}\n"),
            FULL_PLAN.replace("people.", f"people. {tricky}"),
            FULL_PLAN.replace("people.", f"people.\x01 {tricky}"),
            b"\x89PNG\r\n\x1a\n\x00" + bytes(range(256)),
            FULL_PLAN.encode() + b"\n" + b"<&" * 2_100_000,
            FULL_PLAN,
        ],
    )
    output = tmp_path / "output"
    build(site, output, base_url=BASE_URL)
    # The changes pages, and the revision pages shown as text (one read as a plan is the
    # plan page, whose prose is the Markdown renderer's).
    pages = [
        page
        for page in sorted((output / "plans/riverton/revisions").rglob("index.html"))
        if page.parent.name == "changes" or "revision__problems" in page.read_text("utf-8")
    ]
    assert len(pages) >= 11  # 7 changes pages, 4 or more revisions shown as text
    assert nu_html_errors(*map(str, pages)) == []
    paths = [page.parent.relative_to(output).as_posix() + "/" for page in pages]
    assert accessibility_problems(output, paths) == []


# --- 9. Names and messages cannot reverse text or break a feed ---------------------------


def raw_commit(repo: Path, files: dict[str, str], message: str, author: str) -> str:
    """A commit written byte for byte, as `git commit` would not write it (it takes a
    message holding U+FFFE for Latin-1), but as anyone can push it; its id."""
    commit(repo, files, "(replaced)")
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    parent = git(repo, "rev-parse", "HEAD^").strip()
    ident = f"{author} <ana@example.org> 1704189600 +0000"
    made = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo,
            check=True,
            capture_output=True,
            env=git_env(),
            input=(
                f"tree {tree}\nparent {parent}\nauthor {ident}\ncommitter {ident}\n\n{message}\n"
            ).encode("utf-8", "surrogatepass"),
        )
        .stdout.decode()
        .strip()
    )
    git(repo, "update-ref", "HEAD", made)
    return made


def test_bidi_and_xml_forbidden_characters_in_names_and_messages_are_removed(
    tmp_path: Path,
    soup: Soup,
) -> None:
    site = tmp_path / "site"
    make_repo(site)
    commit(site, {**SITE_FILES, PLAN: FULL_PLAN}, "First", date="2024-01-01T10:00:00+00:00")
    hostile = f"Lower \u202etegrat\u202c the{XML_FORBIDDEN}target \u2066now\u2069"
    raw_commit(
        site,
        {PLAN: FULL_PLAN.replace("value: 50", "value: 40")},
        f"{hostile}\n\nBecause \u202dof\u202a the {XML_FORBIDDEN} review.",
        "Ana \u202eziuR\u202c \ufffeOrtiz",
    )
    built(site)
    output = site / "output"
    for path in (output / "feed.xml", output / "plans/riverton/feed.xml"):
        ET.parse(path)  # strict: a character XML forbids is an error here
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, feed.bozo_exception
        assert any("Lower" in entry.title for entry in feed.entries)
    pages = [
        output / "plans/riverton/history/index.html",
        output / "index.html",
        output / "plans/riverton/history.json",
        output / "plans/riverton/feed.xml",
    ]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not set(BIDI + XML_FORBIDDEN) & set(text), path
    history = soup(output / "plans/riverton/history/index.html")
    titles = [h.get_text(strip=True) for h in history.select(".revisions h2")]
    assert "Lower tegrat thetarget now" in titles
    assert "by Ana ziuR Ortiz" in history.get_text(" ", strip=True)
    entries = json.loads((output / "plans/riverton/history.json").read_text(encoding="utf-8"))
    assert entries[-1]["author"] == "Ana ziuR Ortiz"
    assert entries[-1]["message"] == "Lower tegrat thetarget now\n\nBecause of the  review."


# --- 10. No e-mail address is published, in any spelling ---------------------------------

#: What hides an address from a simple search but not from a reader or a mail program.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HIDDEN = re.compile(f"[{ZERO_WIDTH}\u200e\u200f\u2061-\u2064\u034f\u180e]")
_AT = re.compile(r"%40|\uff20|\ufe6b|\s*[(\[{<]\s*at\s*[)\]}>]\s*", re.IGNORECASE)
#: An address: a character of a local part (RFC 5322 atext, a dot or a quote) right before
#: an '@', then the start of a domain or of an IP literal.
_ADDRESS = re.compile(r"""[\w!#$%&'*+/=?^`{|}~."-]@(?:\[|[\w-])""")


def addresses_in(text: str) -> list[str]:
    """Every address a reader or a program could get from `text`, in any spelling."""
    text = html.unescape(html.unescape(text))
    text = _AT.sub("@", _HIDDEN.sub("", text))
    return [text[max(m.start() - 20, 0) : m.end() + 20] for m in _ADDRESS.finditer(text)]


def published_addresses(output: Path) -> dict[str, list[str]]:
    """Addresses in the built pages, feeds and data: their raw text, and what a parser
    reads from them (attribute values, JSON strings)."""
    found = {}
    for path in sorted(output.rglob("*")):
        if path.suffix not in (".html", ".xml", ".json") or "pagefind" in path.parts:
            continue
        raw = path.read_text(encoding="utf-8")
        texts = [raw]
        if path.suffix == ".json":
            texts.append(json.dumps(json.loads(raw), ensure_ascii=False))
        elif path.suffix == ".xml":
            texts += [node.text or "" for node in ET.parse(path).iter()]
        else:
            page = BeautifulSoup(raw, "html.parser")
            texts += [page.get_text()]
            texts += [str(value) for tag in page.find_all(True) for value in tag.attrs.values()]
        if leaks := [leak for text in texts for leak in addresses_in(text)]:
            found[str(path.relative_to(output))] = leaks
    return found


LOCAL = st.from_regex(r"[a-z][a-z0-9._+-]{0,8}[a-z0-9]", fullmatch=True)
DOMAIN = st.sampled_from(
    [
        "example.org",
        "mail.city.example",
        "[192.168.0.1]",
        "[IPv6:2001:db8::1]",
        "localhost",
        "ex-ample.org",
    ]
)


@st.composite
def addresses(draw: st.DrawFn) -> str:
    """An address in one of the spellings that hide it from a simple search."""
    local, domain = draw(LOCAL), draw(DOMAIN)
    form = draw(
        st.sampled_from(
            [
                "plain",
                "quoted",
                "quoted words",
                "zero width",
                "%40",
                "full-width",
                "(at)",
                "[at]",
                "entity",
                "url",
            ]
        )
    )
    if form == "quoted":
        return f'"{local}"@{domain}'
    if form == "quoted words":
        return f'"{local} smith"@{domain}'
    if form == "zero width":
        address = f"{local}@{domain}"
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(address)))
            address = address[:at] + draw(st.sampled_from(ZERO_WIDTH)) + address[at:]
        return address
    if form == "%40":
        return f"{local}%40{domain}"
    if form == "full-width":
        return f"{local}\uff20{domain}"
    if form in ("(at)", "[at]"):
        return f"{local} {form[0]}at{form[-1]} {domain}"
    if form == "entity":
        return f"{local}{draw(st.sampled_from(['&#64;', '&#x40;', '&commat;']))}{domain}"
    if form == "url":
        return f"https://x.example/?u={local}%40{domain}&m=mailto:{local}@{domain}"
    return f"{local}@{domain}"


WORDS = st.lists(
    st.sampled_from(
        [
            "Lower",
            "the",
            "target",
            "Riverton",
            "Ana",
            "Ruiz",
            "—",
            "review",
            "(",
            ")",
            "«",
            "»",
            "Zoë",
            "ذلك",
        ]
    ),
    min_size=0,
    max_size=4,
).map(" ".join)


@st.composite
def texts_with_addresses(draw: st.DrawFn) -> str:
    """Words and addresses in any order, as a name or a line of a message holds them."""
    parts = draw(st.lists(st.one_of(WORDS, addresses()), min_size=1, max_size=4))
    return " ".join([*parts, draw(addresses())])


@st.composite
def commits_with_addresses(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(name, message) of a few commits: the name as a `.mailmap` gives it, the message with
    a subject, a body and a trailer."""
    made = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.one_of(addresses(), texts_with_addresses()))
        subject, body = draw(texts_with_addresses()), draw(texts_with_addresses())
        trailer = f"Signed-off-by: {draw(WORDS)} <{draw(LOCAL)}@example.org>"
        made.append((name, f"{subject}\n\n{body}\n\n{trailer}"))
    return made


def mailmap_line(name: str, number: int) -> str:
    """A `.mailmap` line giving the author of commit `number` this name (git reads the name
    up to the first '<', so one in the name is written as the full-width '＜')."""
    return f"{name.replace('<', '＜').replace('>', '＞')} <author{number}@example.org>\n"


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(
    [
        ('"lee"@example.org', 'Ask "lee smith"@example.org or jane@[192.168.0.1]'),
        ("jane\u200b@example.org", "Mail jane@[IPv6:2001:db8::1] or jane%40example.org"),
        ("Jo \uff20 jo\uff20example.org", "Write to jo (at) example.org, jo\u00ad@example.org"),
    ]
)
@given(commits_with_addresses())
def test_no_email_address_is_published_in_any_spelling(made: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = make_repo(Path(folder) / "site")
        dates = dated()
        mailmap = "".join(mailmap_line(name, number) for number, (name, _) in enumerate(made))
        commit(
            site,
            {**SITE_FILES, ".mailmap": mailmap, PLAN: FULL_PLAN},
            "First",
            author=("First", "first@example.org"),
            date=next(dates),
        )
        for number, (_, message) in enumerate(made):
            commit(
                site,
                {PLAN: FULL_PLAN.replace("value: 50", f"value: {number}")},
                message,
                author=(f"Author {number}", f"author{number}@example.org"),
                date=next(dates),
            )
        build(site)
        output = site / "output"
        assert published_addresses(output) == {}
        entries = json.loads((output / "plans/riverton/history.json").read_text("utf-8"))
        assert all(entry["author"].strip() for entry in entries)


def test_the_address_detector_finds_every_spelling() -> None:
    """The detector above is what proves the property: it must see through every spelling."""
    for spelling in [
        '"lee smith"@example.org',
        "jane@[IPv6:2001:db8::1]",
        "j\u200bane@x.org",
        "jane%40example.org",
        "jane\uff20example.org",
        "jane (at) example.org",
        "jane&amp;#64;example.org",
        'lee"@example.org',
    ]:
        assert addresses_in(f"Write to {spelling} today"), spelling
    assert addresses_in("Thanks @jane, see § 3 and 50% (at most)") == []


def test_a_name_that_is_an_address_in_any_spelling_shows_as_a_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    names = [
        '"lee"@example.org',
        '"lee smith"@example.org',
        "jane@[192.168.0.1]",
        "jane.doe@[IPv6:2001:db8::1]",
        "jane\u200b@example.org",
        "jane\uff20example.org",
        "jane%40example.org",
        "Ops (ops@example.org)",
    ]
    make_repo(site)
    dates = dated()
    commit(
        site,
        {
            **SITE_FILES,
            PLAN: FULL_PLAN,
            ".mailmap": "".join(mailmap_line(name, number) for number, name in enumerate(names)),
        },
        "First",
        date=next(dates),
    )
    for number in range(len(names)):
        commit(
            site,
            {PLAN: FULL_PLAN.replace("value: 50", f"value: {number}")},
            f"Revision {number}",
            author=(f"A{number}", f"author{number}@example.org"),
            date=next(dates),
        )
    built(site)
    entries = json.loads((site / "output/plans/riverton/history.json").read_text("utf-8"))
    assert [entry["author"] for entry in entries[1:]] == [
        "Lee",
        "Lee Smith",
        "Jane",
        "Jane Doe",
        "Jane",
        "Jane",
        "Jane",
        "Ops",
    ]


# --- 11. A .mailmap change shows at the next build ---------------------------------------


def authors(output: Path) -> list[str]:
    entries = json.loads((output / "plans/riverton/history.json").read_text("utf-8"))
    return [entry["author"] for entry in entries]


def test_a_mailmap_change_shows_at_the_next_build(repo: Path) -> None:
    site = repo / "site"  # in a folder; the .mailmap at the top, where git reads it
    made = {f"site/{path}": text for path, text in {**SITE_FILES, PLAN: FULL_PLAN}.items()}
    commit(
        repo,
        {**made, ".mailmap": "Ana Ruiz <ana@example.org>\n"},
        "First",
        author=("ana", "ana@example.org"),
        date="2024-01-01T10:00:00+00:00",
    )
    first = build(site)
    assert authors(site / "output") == ["Ana Ruiz"] and first.git_processes == 3
    assert build(site).git_processes == 1  # nothing changed: only `rev-parse`

    (repo / ".mailmap").write_text("Ana Ruiz-Ortiz <ana@example.org>\n")  # not committed
    changed = build(site)
    assert authors(site / "output") == ["Ana Ruiz-Ortiz"]
    assert changed.git_processes == 3  # the names read again, once
    assert build(site).git_processes == 1

    commit(
        repo,
        {".mailmap": "Ana R. Ortiz <ana@example.org>\n"},
        "Her name",
        author=("ana", "ana@example.org"),
        date="2024-01-02T10:00:00+00:00",
    )
    build(site)
    assert authors(site / "output") == ["Ana R. Ortiz"]
    (repo / ".mailmap").unlink()
    build(site)
    assert authors(site / "output") == ["ana"]


def test_names_do_not_depend_on_a_mailmap_in_the_git_config(tmp_path: Path) -> None:
    """Only the repository's `.mailmap` names people: a `mailmap.file` or `mailmap.blob` in
    one machine's git config would change the site without any commit (and unseen by the
    cache, which knows the `.mailmap` alone)."""
    site = tmp_path / "site"
    history_of(site, [FULL_PLAN])
    elsewhere = tmp_path / "mailmap"
    elsewhere.write_text("Someone Else <test@example.org>\n")
    git(site, "config", "mailmap.file", str(elsewhere))
    build(site)
    assert authors(site / "output") == ["Test Author"]
