"""Work shared out among forked processes gives what one process gives: the same content,
the same problems in the same order, every slice of the work done once."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from site_builder.content import load
from site_builder.content.load import load_content
from site_builder.engine.cache import Memo
from site_builder.engine.errors import ContentError
from site_builder.engine.parallel import slices
from tests.support.sites import run_cli, write_site

FILES = 1200  # above load.PARALLEL_FROM, so a default load shares them out


def many_pages(root: Path, broken: tuple[int, ...] = ()) -> Path:
    """`FILES` free pages; those numbered in `broken` have a mistake on their line 3."""
    files = {}
    for n in range(FILES):
        extra = "year: soon\n" if n in broken else ""
        files[f"content/pages/page-{n:04d}.md"] = (
            f"---\ntitle: Page {n}\n{extra}description: What page {n} says.\n---\n"
            f"Page {n} has [a link](/page-{(n + 1) % FILES:04d}/).\n"
        )
    return write_site(root, files)


def test_parallel_load_equals_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = many_pages(tmp_path / "site")
    shared = load_content(site)
    monkeypatch.setattr(load, "PARALLEL_FROM", FILES + 1)
    alone = load_content(site)
    assert shared == alone
    assert [page.slug for page in shared.pages] == [f"page-{n:04d}" for n in range(FILES)]


def test_parallel_load_reports_every_problem_in_file_order(tmp_path: Path) -> None:
    """Mistakes in the first, a middle and the last slice, reported as one process would."""
    site = many_pages(tmp_path / "site", broken=(0, 611, FILES - 1))
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    named = [line.split(":", 2)[:2] for line in result.stderr.splitlines()[:-1]]
    assert named == [
        ["content/pages/page-0000.md", "3"],
        ["content/pages/page-0611.md", "3"],
        [f"content/pages/page-{FILES - 1:04d}.md", "3"],
    ]
    assert not (site / "output").exists()


def test_parallel_load_takes_unchanged_files_from_the_memo(tmp_path: Path) -> None:
    """Workers send back only the stamp of a file the memo already holds; the parent uses
    its own parsed copy, and a changed file is parsed again."""
    site = many_pages(tmp_path / "site")
    memo = Memo(tmp_path / "cache", "salt")
    first = load_content(site, memo)
    page = site / "content/pages/page-0700.md"
    page.write_text(page.read_text().replace("title: Page 700", "title: Page seven hundred"))
    again = load_content(site, memo)
    assert again.pages[700].title == "Page seven hundred"
    assert [p for n, p in enumerate(again.pages) if n != 700] == [
        p for n, p in enumerate(first.pages) if n != 700
    ]
    with pytest.raises(ContentError):
        page.write_text("---\ntitle: [unclosed\n---\n")
        load_content(site, memo)


def test_a_template_mistake_in_a_worker_reaches_the_build_as_a_mistake(tmp_path: Path) -> None:
    """A page that breaks its template while a forked worker renders it: the build says
    where, as it would in one process, and no traceback."""
    site = many_pages(tmp_path / "site")
    template = site / "themes/default/templates/page.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "base.html" %}\n{% block main %}\n'
        '{% if page.url == "/page-0700/" %}{{ nosuch.thing }}{% endif %}\n{% endblock %}\n'
    )
    result = run_cli("build", "--source", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "themes/default/templates/page.html:3: 'nosuch' is undefined (making the page /page-0700/)"
    )


@pytest.mark.parametrize(
    ("total", "chunk", "workers"),
    [(5000, 200, 2), (1200, 250, 4), (7, 200, 2), (1, 1, 1), (0, 10, 2)],
)
def test_slices_cover_the_work_once_and_shrink_towards_the_end(
    total: int, chunk: int, workers: int
) -> None:
    bounds = list(slices(total, chunk, workers))
    assert [n for start, end in bounds for n in range(start, end)] == list(range(total))
    sizes = [end - start for start, end in bounds]
    assert all(0 < size <= chunk for size in sizes)
    assert all(size >= after for size, after in itertools.pairwise(sizes[:-1]))  # then a rest
