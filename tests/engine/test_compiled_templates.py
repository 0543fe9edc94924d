"""Templates compiled into the cache are used again only by the code that compiled them:
how a template compiles depends on site_builder's extensions as well as on its source (a
template compiled by a version that reads `_("…")` as a filter fails in one that has no
such filter)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from site_builder.engine.cache import SignedBytecodeCache


def kept_bucket(site: Path, code: str) -> bool:
    """Whether the cache of `site` holds `page.html` compiled for `code`, after an
    environment of that code has compiled it when it did not."""
    folder = site / ".site-builder-cache" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    cache = SignedBytecodeCache(folder, code=code)
    env = Environment(loader=FileSystemLoader(site / "templates"), bytecode_cache=cache)
    source, filename, _ = env.loader.get_source(env, "page.html")  # type: ignore[union-attr]
    kept = cache.get_bucket(env, "page.html", filename, source).code is not None
    env.get_template("page.html")  # compiled, and kept for `code`, when it was not
    return kept


def a_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "templates" / "page.html").write_text("<p>{{ title }}</p>\n")
    return site


def test_a_template_compiled_by_the_same_code_is_used_again(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    assert not kept_bucket(site, "code of one version")
    assert kept_bucket(site, "code of one version")


def test_a_template_compiled_by_other_code_is_compiled_again(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    kept_bucket(site, "code of one version")
    assert not kept_bucket(site, "code of the next version")
    assert not kept_bucket(site, "code of one version")  # the next version's replaced it


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    kept_bucket(site, "code of one version")
    (site / "templates" / "page.html").write_text("<p>{{ title }}!</p>\n")
    assert not kept_bucket(site, "code of one version")
