"""Dicts kept between builds as a base and what changed since: one entry changed in a dict
of many writes that entry, and what is loaded is always what was saved."""

from __future__ import annotations

from pathlib import Path

from site_builder.engine.cache import CACHE_FOLDER, Memo


def memo_of(site: Path) -> Memo:
    """A new build's cache of `site`, as each build opens it."""
    return Memo(site / CACHE_FOLDER, "the same code")


def test_a_changed_entry_is_written_alone_and_read_back_with_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    whole = {f"plan-{n:03}": ("timeline", n, "x" * 200) for n in range(200)}
    memo_of(site).save_map("timelines", whole)
    base, recent = (site / CACHE_FOLDER / f"timelines{end}.pickle" for end in ("", "-recent"))
    written = base.read_bytes()
    expected = dict(whole)
    for build in range(3):  # each build loads what the last saved, changes one, saves
        memo = memo_of(site)
        loaded = memo.load_map("timelines")
        assert loaded == expected
        assert loaded is not None
        loaded[f"plan-{build:03}"] = ("timeline", -build, "changed")
        loaded[f"new-{build}"] = ("timeline", build, "added")
        del loaded[f"plan-{100 + build:03}"]
        memo.save_map("timelines", loaded)
        expected = dict(loaded)
        assert base.read_bytes() == written  # the base is not written again
        assert recent.stat().st_size < len(written) // 10
    assert memo_of(site).load_map("timelines") == expected


def test_a_dict_mostly_changed_is_kept_whole_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    memo = memo_of(site)
    memo.save_map("content", {n: str(n) for n in range(8)})
    base = site / CACHE_FOLDER / "content.pickle"
    written = base.read_bytes()
    memo = memo_of(site)
    loaded = memo.load_map("content")
    assert loaded is not None
    memo.save_map("content", {n: f"{n} changed" for n in range(8)})
    assert base.read_bytes() != written
    assert memo_of(site).load_map("content") == {n: f"{n} changed" for n in range(8)}


def test_a_base_without_what_came_after_it_is_not_read(tmp_path: Path) -> None:
    """Only the base (say, the recent part deleted by hand): nothing is read, so nothing
    stale is."""
    site = tmp_path / "site"
    site.mkdir()
    memo_of(site).save_map("content", {"a": 1})
    (site / CACHE_FOLDER / "content-recent.pickle").unlink()
    assert memo_of(site).load_map("content") is None
    assert memo_of(site).load("content") is not None  # the base itself is still there
