"""Hostile content: nothing from a site repository may run a script on the published site."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from site_builder.content.fields import is_safe_url, is_slug
from site_builder.content.frontmatter import split_front_matter
from tests.support.fixtures import Soup
from tests.support.git import commit, make_repo
from tests.support.sites import FULL_PLAN, run_cli

#: Vectors in the spirit of OWASP's XSS filter evasion cheat sheet, as Markdown authors
#: (or a bio pasted from a form) could write them.
MARKDOWN_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">html link</a>',
    "<body onload=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "[plain](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[entity](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[hex entity](&#x6A;avascript:alert(1))",
    "[tab](java\tscript:alert(1))",
    "[spaces]( javascript:alert(1) )",
    "[vb](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[reference][evil]\n\n[evil]: javascript:alert(1)",
    '[title](https://example.org "onmouseover=alert(1)")',
    "{{ 7 * 7 }} {% raw %}{{ config }}{% endraw %}",
]

UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)


#: The theme's own scripts: only the search page loads any, and never inline.
THEME_SCRIPTS = {"search/index.html": ["../search/pagefind/pagefind-ui.js", "../assets/search.js"]}


def assert_nothing_runs(output: Path, soup: Soup) -> None:
    """No script but the theme's own, no event handler, no unsafe URL in any page."""
    for page in output.rglob("*.html"):
        html = soup(page)
        scripts = html.find_all("script")
        relative = page.relative_to(output).as_posix()
        assert [s.get("src") for s in scripts] == THEME_SCRIPTS.get(relative, []), page
        assert not any(s.string for s in scripts), page
        assert html.find(["iframe", "object", "embed", "style"]) is None, page
        for tag in html.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (page, tag)
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    cleaned = re.sub(r"[\x00-\x20]", "", str(value))
                    assert not UNSAFE_SCHEME.match(cleaned), (page, tag)


def hostile_site(root: Path) -> Path:
    body = "\n\n".join(MARKDOWN_VECTORS)
    plan = FULL_PLAN.replace(
        "title: Safer Riverton 2030", 'title: "<script>alert(1)</script> Safer Riverton"'
    )
    files = {
        "site.yaml": "title: '<img src=x onerror=alert(1)>'\nbase_url: https://example.org/\n",
        "content/plans/riverton/plan.md": plan + "\n" + body + "\n",
        "content/pages/about.md": "---\ntitle: About <b onclick=x>us</b>\n---\n" + body,
        "content/fellows/ana.md": '---\nname: "Ana <svg onload=alert(1)>"\ncohort: 2024\n'
        'city: Riverton\nquote: "</blockquote><script>x</script>"\n'
        "---\n" + body,
    }
    make_repo(root)
    commit(
        root,
        files,
        "Add <script>alert('commit')</script> plan\n\n<img src=x onerror=1>",
        author=("<svg onload=alert(1)>", "x@example.org"),
        date="2025-01-01T00:00:00+00:00",
    )
    return root


def test_no_script_from_content_reaches_the_site(tmp_path: Path, soup: Soup) -> None:
    site = hostile_site(tmp_path / "site")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert_nothing_runs(site / "output", soup)
    about = soup(site / "output/about/index.html")
    text = about.select_one(".prose").get_text()
    assert "<script>alert(1)</script>" in text  # raw HTML is shown as text
    assert "{{ 7 * 7 }}" in text  # content is never evaluated as a template


def test_unsafe_url_in_front_matter_is_refused_with_its_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_repo(site)
    fellow = (
        "---\nname: Ana\ncohort: 2024\ncity: R\nlinks:\n  - label: x\n"
        "    url: ' JaVaScRiPt:alert(1)'\n---\n"
    )
    commit(site, {"site.yaml": "title: T\n", "content/fellows/ana.md": fellow}, "Add")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/fellows/ana.md:7: 'links[1].url' must be an "
        "http(s) or mailto link or a path on the site"
    )


@given(st.text())
def test_safe_urls_never_start_with_a_script_scheme(url: str) -> None:
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    if cleaned.startswith(("javascript:", "vbscript:", "data:")):
        assert not is_safe_url(url)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_a_slug_never_leaves_its_folder(name: str) -> None:
    if is_slug(name):
        assert re.fullmatch(r"[a-z0-9-]+", name) and ".." not in name and "/" not in name


@given(
    st.lists(st.from_regex(r"[a-z]{1,8}: [a-zA-Z0-9 ]{0,20}", fullmatch=True), max_size=6),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r")),
)
def test_front_matter_splits_back_into_its_parts(fields: list[str], body: str) -> None:
    yaml_text = "".join(f"{line}\n" for line in fields)
    text = f"---\n{yaml_text}---\n{body}"
    assert split_front_matter(text, "x.md")[:2] == (yaml_text or "\n", body)


SECRET = "TOKEN-5f1c2a never publish me"


def tree_text(folder: Path) -> str:
    """Every file under `folder`, names and contents, as one text to search."""
    return "\n".join(
        f"{p.relative_to(folder)}\n{p.read_bytes().decode('utf-8', 'replace')}"
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def linked_site(root: Path) -> Path:
    """A built site in git, and beside it (outside the site) a folder of secrets."""
    secrets = root / "secrets"
    secrets.mkdir(parents=True)
    (secrets / "token.txt").write_text(SECRET)
    (secrets / "ana.md").write_text(f"---\nname: {SECRET}\ncohort: 2024\ncity: R\n---\n")
    site = make_repo(root / "site")
    commit(
        site,
        {
            "site.yaml": "title: T\n",
            "content/plans/riverton/plan.md": FULL_PLAN,
            "static/images/logo.svg": "<svg/>",
        },
        "Add",
        date="2025-01-01T00:00:00+00:00",
    )
    assert run_cli("build", "--source", str(site)).returncode == 0
    return site


def test_links_leading_out_of_content_or_static_are_refused(tmp_path: Path) -> None:
    site = linked_site(tmp_path)
    before = tree_text(site / "output")
    secrets = tmp_path / "secrets"
    links = {
        "static/token.txt": secrets / "token.txt",
        "static/secrets": secrets,
        "static/git-config.txt": site / ".git/config",  # in the site, not in static/
        "static/images/logo-link.svg": site / "static/images",  # a folder in static/
        "content/fellows/ana.md": secrets / "ana.md",
        "content/pages": secrets,
        "content/fellows/gone.md": tmp_path / "missing.md",
    }
    for link, target in links.items():
        (site / link).parent.mkdir(parents=True, exist_ok=True)
        (site / link).symlink_to(target)
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:-1] == [
        "content/fellows/ana.md:1: is a link to a file outside content/; such links are not "
        "followed, so that nothing outside the site is published — copy the file here instead",
        "content/fellows/gone.md:1: is a link to a file that does not exist; remove the link "
        "or fix its target",
        "content/pages:1: is a link to a folder; links to folders are not followed — move or "
        "copy the folder here instead",
        "static/git-config.txt:1: is a link to a file outside static/; such links are not "
        "followed, so that nothing outside the site is published — copy the file here instead",
        "static/images/logo-link.svg:1: is a link to a folder; links to folders are not "
        "followed — move or copy the folder here instead",
        "static/secrets:1: is a link to a folder; links to folders are not followed — move or "
        "copy the folder here instead",
        "static/token.txt:1: is a link to a file outside static/; such links are not "
        "followed, so that nothing outside the site is published — copy the file here instead",
    ]
    assert tree_text(site / "output") == before
    assert SECRET not in before and "[core]" not in before


def test_content_or_static_folder_linked_out_of_the_site_is_refused(tmp_path: Path) -> None:
    site = linked_site(tmp_path)
    before = tree_text(site / "output")
    for folder in ("static", "content"):
        moved = tmp_path / f"real-{folder}"
        (site / folder).rename(moved)
        (site / folder).symlink_to(tmp_path / "secrets")
        result = run_cli("build", "--source", str(site))
        assert result.returncode == 1
        assert result.stderr.startswith(f"{folder}/: is a link to a folder outside the site")
        assert tree_text(site / "output") == before
        (site / folder).unlink()
        moved.rename(site / folder)


def test_links_to_files_inside_their_folder_are_followed(tmp_path: Path, soup: Soup) -> None:
    """Decision: one picture may serve under two names, one page under another slug."""
    site = linked_site(tmp_path)
    (site / "static/images/logo-copy.svg").symlink_to("logo.svg")
    (site / "content/pages").mkdir()
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nAbout us.\n")
    (site / "content/pages/who-we-are.md").symlink_to("about.md")
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output/images/logo-copy.svg").read_text() == "<svg/>"
    assert not (site / "output/images/logo-copy.svg").is_symlink()
    page = soup(site / "output/who-we-are/index.html")
    assert page.h1.get_text() == "About"
