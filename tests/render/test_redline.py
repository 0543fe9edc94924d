"""The redline as HTML (`render.redline`): rendered prose, marks inside inline elements."""

from __future__ import annotations

from bs4 import BeautifulSoup

from site_builder.render.redline import FoldedBlocks, redline


def html(old: str, new: str) -> BeautifulSoup:
    shown = redline(old, new, "../../")
    parts = [b for i in shown.items for b in (i.blocks if isinstance(i, FoldedBlocks) else [i])]
    return BeautifulSoup("".join(parts), "html.parser")


def test_changed_link_text_is_marked_inside_the_link_and_its_address_is_untouched() -> None:
    page = html("See [the plan](/plans/a/) now.\n", "See [the new plan](/plans/b/) now.\n")
    link = page.find("a")
    assert link["href"] == "../../plans/b/"
    assert link.find("ins").get_text() == "added: new "
    assert "](" not in page.get_text()


def test_deleted_word_in_bold_is_bold_and_tags_balance() -> None:
    page = html("Ask **the county board** today.\n", "Ask **the county** today.\n")
    deleted = page.find("del")
    assert deleted.get_text() == "removed: board" and deleted.find_parent("strong")
    assert str(page).count("<del>") == str(page).count("</del>")  # reopened, balanced
    assert page.find("p").get_text().replace("removed: ", "") == "Ask the county board today."


def test_code_spans_and_images_are_never_cut_by_markup() -> None:
    page = html("Run `make all` and ![map](/m.png)\n", "Run `make test` and ![map](/m.png)\n")
    assert all(not code.find(["ins", "del", "span"]) for code in page.find_all("code"))
    assert [c.get_text() for c in page.find_all("code")] == ["make ", "all", "test"]
    assert page.find("img")["src"] == "../../m.png"


def test_footnotes_show_their_number_once_without_duplicate_ids() -> None:
    old = "Cost is low[^1].\n\n[^1]: A range.\n"
    new = "Cost is low[^1].\n\n[^1]: A wide range.\n"
    page = html(old, new)
    assert [s.get_text() for s in page.select("sup")] == ["[1]", "[1]"]
    assert not page.find(id=True) and "[^" not in page.get_text()
    assert page.find("ins").get_text() == "added: wide "


def test_table_keeps_its_shape_and_marks_the_changed_cell() -> None:
    table = "| Year | Amount |\n| --- | ---: |\n| 2024 | {} |\n| 2025 | 200 |\n"
    page = html(table.format("100"), table.format("150"))
    assert len(page.find_all("tr")) == 3
    cell = page.find_all("tr")[1].find_all("td")[1]
    assert (cell.find("del").get_text(), cell.find("ins").get_text()) == (
        "removed: 100",
        "added: 150",
    )
    assert page.find_all("tr")[2].find("ins") is None


def test_heading_level_follows_the_page_and_has_no_id() -> None:
    page = html("## Goals\n\nOld.\n", "## Goals\n\nNew.\n")
    assert page.find("h3").get_text() == "Goals" and not page.find("h3").get("id")


def test_unchanged_prose_is_not_a_change() -> None:
    text = "Para one.\n\nPara two\nwrapped.\n"
    assert not redline(text, text.replace("two\nwrapped", "two wrapped")).changed


def test_a_change_of_formatting_or_link_alone_is_said_not_left_unmarked() -> None:
    for old, new in [
        ("Ask the county board today.\n", "Ask **the county board** today.\n"),
        ("See [the plan](/plans/a/) now.\n", "See [the plan](/plans/b/) now.\n"),
    ]:
        shown = redline(old, new, "/")
        assert shown.changed and (shown.words_added, shown.words_removed) == (0, 0)
        page = html(old, new)
        note = page.select_one(".redline-note")
        assert note.get_text() == "Same words; their formatting or a link changed:"
        assert page.find("ins") is None and page.find("del") is None
    assert html("Same.\n", "Same.\n").select_one(".redline-note") is None


def test_a_paragraph_moved_and_changed_is_marked_where_it_went() -> None:
    old = "Alpha.\n\nThe city will hire forty outreach workers.\n\nBeta.\n\nGamma.\n"
    new = "Alpha.\n\nBeta.\n\nGamma.\n\nThe city will hire twenty outreach workers.\n"
    page = html(old, new)
    moved = page.select_one(".redline-moved")
    assert moved.select_one(".redline-note").get_text() == "Moved here from above, and changed:"
    assert moved.find("del").get_text() == "removed: forty"
    assert moved.find("ins").get_text() == "added: twenty"
    away = page.select(".redline-note a")
    assert away and away[0]["href"] == f"#{moved['id']}"
    shown = redline(old, new, "/")
    assert (shown.words_added, shown.words_removed) == (1, 1)
