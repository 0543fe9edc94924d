"""Word diffs of prose (`history.prose_diff`), field diffs of front matter
(`history.field_diff`) and how values are described (`history.wording`)."""

from __future__ import annotations

import copy
import itertools
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.history.field_diff import FieldChange, structured_diff
from site_builder.history.prose_diff import Chunk, diff_stats, word_diff
from site_builder.history.wording import describe


def ops(chunks: list[Chunk]) -> list[tuple[str, str]]:
    return [(chunk.op, chunk.text) for chunk in chunks]


def sides(chunks: list[Chunk]) -> tuple[str, str]:
    old = "".join(chunk.text for chunk in chunks if chunk.op != "insert")
    new = "".join(chunk.text for chunk in chunks if chunk.op != "delete")
    return old, new


# --- word_diff: examples --------------------------------------------------------------


def test_changed_word_is_one_delete_and_one_insert_of_that_word() -> None:
    old = "The city will hire 40 outreach workers by 2026.\n\nSecond paragraph stays.\n"
    new = "The city will hire 25 outreach workers by 2026.\n\nSecond paragraph stays.\n"
    assert ops(word_diff(old, new)) == [
        ("equal", "The city will hire "),
        ("delete", "40"),
        ("insert", "25"),
        ("equal", " outreach workers by 2026.\n\nSecond paragraph stays.\n"),
    ]


def test_insert_at_start() -> None:
    assert ops(word_diff("council adopts the plan", "The council adopts the plan")) == [
        ("insert", "The "),
        ("equal", "council adopts the plan"),
    ]


def test_insert_at_end() -> None:
    assert ops(word_diff("Reviewed twice a year", "Reviewed twice a year in public")) == [
        ("equal", "Reviewed twice a year"),
        ("insert", " in public"),
    ]


def test_delete_in_the_middle() -> None:
    assert ops(word_diff("a very long plan", "a long plan")) == [
        ("equal", "a "),
        ("delete", "very "),
        ("equal", "long plan"),
    ]


def test_empty_old_is_all_insert_and_empty_new_all_delete() -> None:
    assert ops(word_diff("", "New plan.\n")) == [("insert", "New plan.\n")]
    assert ops(word_diff("Old plan.\n", "")) == [("delete", "Old plan.\n")]
    assert word_diff("", "") == []


def test_identical_text_is_one_equal_chunk() -> None:
    assert ops(word_diff("Same.\n", "Same.\n")) == [("equal", "Same.\n")]


def test_neighbouring_changed_words_read_as_one_change() -> None:
    # The shared space between two changed words is folded into the change.
    assert ops(word_diff("The cat sat on the mat.", "The dog ran on the mat.")) == [
        ("equal", "The "),
        ("delete", "cat sat"),
        ("insert", "dog ran"),
        ("equal", " on the mat."),
    ]


def test_changes_apart_stay_apart() -> None:
    old = "Reduce shootings by 50% by 2030."
    new = "Reduce shootings by 40% by 2032."
    assert ops(word_diff(old, new)) == [
        ("equal", "Reduce shootings by "),
        ("delete", "50"),
        ("insert", "40"),
        ("equal", "% by "),
        ("delete", "2030"),
        ("insert", "2032"),
        ("equal", "."),
    ]


def test_shared_phrase_between_changes_is_kept_but_a_lone_short_word_is_folded() -> None:
    old = "The council will fund 40 outreach workers."
    new = "The mayor's office will fund 25 violence interrupters and two supervisors."
    kept = ops(word_diff(old, new))
    assert ("equal", " will fund ") in kept
    folded = ops(word_diff("We hire the staff and the supervisors.", "They train a team."))
    assert folded == [
        ("delete", "We hire the staff and the supervisors"),
        ("insert", "They train a team"),
        ("equal", "."),
    ]


def test_changes_are_never_folded_across_a_line_break() -> None:
    chunks = word_diff("alpha\nbeta\n", "gamma\ndelta\n")
    assert ("equal", "\n") in ops(chunks)


def test_unicode_word_is_one_token() -> None:
    assert ops(word_diff("Plan für Köln", "Plan für Bonn")) == [
        ("equal", "Plan für "),
        ("delete", "Köln"),
        ("insert", "Bonn"),
    ]


def test_crlf_text_diffs_by_word() -> None:
    old = "First line.\r\nSecond line here.\r\n"
    new = "First line.\r\nSecond row here.\r\n"
    assert ops(word_diff(old, new)) == [
        ("equal", "First line.\r\nSecond "),
        ("delete", "line"),
        ("insert", "row"),
        ("equal", " here.\r\n"),
    ]


def test_rewritten_paragraph_is_replaced_whole_not_in_scraps() -> None:
    old = " ".join(f"old{i} the words{i} here{i}" for i in range(60)) + "\n"
    new = " ".join(f"new{i} the prose{i} there{i}" for i in range(60)) + "\n"
    assert [chunk.op for chunk in word_diff(old, new)] == ["delete", "insert", "equal"]


def test_few_edits_in_one_huge_line_stay_fast_and_word_level() -> None:
    # Regression: a 30 KB paragraph with no line break took seconds before the sentence
    # level and prefix trimming.
    sentences = [f"Sentence {i} is about the plan and the city and its people." for i in range(500)]
    old = " ".join(sentences)
    edited = sentences[:]
    for i in (3, 170, 420):
        edited[i] = edited[i].replace("people", "residents")
    start = time.perf_counter()
    chunks = word_diff(old, " ".join(edited))
    assert time.perf_counter() - start < 1.0
    assert diff_stats(chunks) == (3, 3)


def test_full_rewrite_of_30_kb_is_fast() -> None:
    old = "\n\n".join(f"Paragraph {i}: " + "the plan funds youth work. " * 20 for i in range(50))
    new = "\n\n".join(f"Section {i}; " + "a council vote sets budgets! " * 20 for i in range(50))
    start = time.perf_counter()
    chunks = word_diff(old, new)
    assert time.perf_counter() - start < 1.0
    assert sides(chunks) == (old, new)


def test_diff_stats_counts_words_not_punctuation_or_space() -> None:
    chunks = [
        Chunk("equal", "Keep "),
        Chunk("delete", "three old words"),
        Chunk("insert", "two new, "),
        Chunk("insert", "—"),
    ]
    assert diff_stats(chunks) == (2, 3)
    assert diff_stats([]) == (0, 0)


# --- word_diff: properties -----------------------------------------------------------

# Text drawn from a few words, spaces, punctuation and line ends, so that two draws share
# enough to make interesting diffs; plus fully arbitrary unicode text.
_PIECES = st.sampled_from(
    ["plan", "city", "the", "Köln", "40", " ", "  ", "\n", "\r\n", "\n\n", ".", ",", "—", "\t"]
)
_PROSE = st.lists(_PIECES, max_size=60).map("".join)
_ANY_TEXT = st.one_of(_PROSE, st.text(max_size=80))


@given(_ANY_TEXT, _ANY_TEXT)
def test_word_diff_reproduces_both_sides(old: str, new: str) -> None:
    assert sides(word_diff(old, new)) == (old, new)


@given(_ANY_TEXT, _ANY_TEXT)
def test_word_diff_is_tidy(old: str, new: str) -> None:
    chunks = word_diff(old, new)
    assert all(chunk.text for chunk in chunks)
    for before, after in itertools.pairwise(chunks):
        assert before.op != after.op
        assert (before.op, after.op) != ("insert", "delete")


@given(_ANY_TEXT)
def test_word_diff_of_same_text_has_no_changes(text: str) -> None:
    assert all(chunk.op == "equal" for chunk in word_diff(text, text))


# --- structured_diff -----------------------------------------------------------------


def plan() -> dict[str, Any]:
    """A plan's front matter as YAML loads it (dates as text)."""
    return {
        "title": "Riverton Community Safety Plan",
        "city": "Riverton",
        "status": "draft",
        "period": {"start": 2025, "end": 2032},
        "partners": [
            {"name": "Riverside Youth Alliance", "role": "Outreach"},
            {"name": "Riverton Health Department", "role": "Data"},
        ],
        "governance": [
            {"name": "Executive table", "meets": "Quarterly", "members": ["Mayor", "Police chief"]},
            {"name": "Action table", "members": ["Ana Ruiz"]},
        ],
        "goals": [
            {
                "id": "shootings",
                "title": "Fewer people shot",
                "baseline": {"value": 80, "year": 2023},
                "target": {"value": 50, "year": 2030},
            },
            {"id": "jobs", "title": "More youth in jobs", "target": {"value": 300}},
        ],
        "commitments": [
            {"kind": "pledge", "title": "Mayor's pledge", "date": "2024-03-01"},
        ],
        "budget": [{"year": 2025, "amount": 1_500_000}, {"year": 2026, "amount": 1_800_000}],
        "cost_model": {"people_served": 60, "per_person": 35_000},
        "readiness": {"political_will": {"level": "medium", "note": "New council"}},
    }


def test_goal_target_change_is_one_labelled_change() -> None:
    new = plan()
    new["goals"][0]["target"]["value"] = 40
    assert structured_diff(plan(), new) == [
        FieldChange(
            "changed",
            "Goal “Fewer people shot” › Target › Value",
            ("goals", "shootings", "target", "value"),
            50,
            40,
        )
    ]


def test_status_change() -> None:
    new = plan() | {"status": "adopted"}
    assert structured_diff(plan(), new) == [
        FieldChange("changed", "Status", ("status",), "draft", "adopted")
    ]


def test_commitment_added() -> None:
    new = plan()
    added = {"kind": "proclamation", "title": "City council proclamation", "date": "2025-01-10"}
    new["commitments"].append(added)
    assert structured_diff(plan(), new) == [
        FieldChange(
            "added",
            "Commitment “City council proclamation”",
            ("commitments", "City council proclamation"),
            new=added,
        )
    ]


def test_partner_removed() -> None:
    new = plan()
    removed = new["partners"].pop(0)
    assert structured_diff(plan(), new) == [
        FieldChange(
            "removed",
            "Partner “Riverside Youth Alliance”",
            ("partners", "Riverside Youth Alliance"),
            old=removed,
        )
    ]


def test_goals_reordered_but_unchanged_is_no_change() -> None:
    new = plan()
    new["goals"].reverse()
    new["partners"].reverse()
    assert structured_diff(plan(), new) == []


def test_member_added_to_a_governance_body() -> None:
    new = plan()
    new["governance"][0]["members"].append("Dr. Lena Ortiz")
    assert structured_diff(plan(), new) == [
        FieldChange(
            "added",
            "Governance body “Executive table” › member “Dr. Lena Ortiz”",
            ("governance", "Executive table", "members", "Dr. Lena Ortiz"),
            new="Dr. Lena Ortiz",
        )
    ]


def test_members_are_compared_as_multisets_in_order_of_appearance() -> None:
    old = {"focus": ["jobs", "art", "jobs"]}
    new = {"focus": ["art", "housing", "jobs", "sports"]}
    assert [(c.kind, c.label, c.new or c.old) for c in structured_diff(old, new)] == [
        ("added", "Focus “housing”", "housing"),
        ("added", "Focus “sports”", "sports"),
        ("removed", "Focus “jobs”", "jobs"),
    ]


def test_scalar_list_reorder_alone_is_one_change() -> None:
    new = plan()
    new["governance"][0]["members"].reverse()
    assert structured_diff(plan(), new) == [
        FieldChange(
            "changed",
            "Governance body “Executive table” › Members (order changed)",
            ("governance", "Executive table", "members"),
            ["Mayor", "Police chief"],
            ["Police chief", "Mayor"],
        )
    ]


def test_list_without_identity_falls_back_to_position() -> None:
    # Two elections on one date: `date` is not unique, so items pair by position.
    old = {"elections": [{"date": "2026-11-03", "office": "Mayor"}, {"date": "2026-11-03"}]}
    new = copy.deepcopy(old)
    new["elections"][1]["office"] = "Council"
    new["elections"].append({"date": "2028-11-07", "office": "Mayor"})
    assert structured_diff(old, new) == [
        FieldChange("added", "Election #2 › Office", ("elections", 1, "office"), new="Council"),
        FieldChange(
            "added",
            "Election #3",
            ("elections", 2),
            new={"date": "2028-11-07", "office": "Mayor"},
        ),
    ]


def test_item_named_by_identity_when_it_has_no_title() -> None:
    new = plan()
    new["budget"][1]["amount"] = 2_000_000
    assert structured_diff(plan(), new) == [
        FieldChange(
            "changed", "Budget year 2026 › Amount", ("budget", 2026, "amount"), 1_800_000, 2_000_000
        )
    ]


def test_key_added_or_removed_is_one_change_and_removed_keys_come_last() -> None:
    old = plan()
    new = plan()
    del new["cost_model"]
    new["state"] = "OH"
    new["elections"] = [{"date": "2026-11-03", "office": "Mayor"}]
    assert [(c.kind, c.label, c.path) for c in structured_diff(old, new)] == [
        ("added", "State", ("state",)),
        ("added", "Elections", ("elections",)),
        ("removed", "Cost model", ("cost_model",)),
    ]


def test_friendly_and_humanised_labels() -> None:
    new = plan()
    new["period"]["end"] = 2034
    new["cost_model"]["per_person"] = 40_000
    new["readiness"]["political_will"]["level"] = "high"
    new["adopted"] = "2025-02-01"
    assert [c.label for c in structured_diff(plan(), new)] == [
        "Plan period › End",
        "Cost model › Per person",
        "Readiness › Political will › Level",
        "Adopted on",
    ]


def test_nested_title_change_uses_the_new_title_and_keeps_the_id_path() -> None:
    new = plan()
    new["goals"][1]["title"] = "More young people in jobs"
    [change] = structured_diff(plan(), new)
    assert change.label == "Goal “More young people in jobs” › Title"
    assert change.path == ("goals", "jobs", "title")


def test_booleans_are_not_numbers_but_int_and_float_are_equal() -> None:
    assert structured_diff({"x": 1}, {"x": 1.0}) == []
    assert structured_diff({"x": 1}, {"x": True}) == [FieldChange("changed", "X", ("x",), 1, True)]
    assert structured_diff({"x": float("nan")}, {"x": float("nan")}) == []


def test_structured_diff_is_deterministic() -> None:
    old, new = plan(), plan()
    new["goals"][0]["target"]["value"] = 40
    new["partners"].pop()
    new["governance"][1]["members"] = ["Ben Ode", "Ana Ruiz"]
    new["summary"] = "A plan."
    first = structured_diff(old, new)
    assert first == structured_diff(copy.deepcopy(old), copy.deepcopy(new))
    assert len(first) == 4


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates().map(str),
)
_KEYS = st.sampled_from(["id", "name", "title", "year", "goals", "members", "target", "value"])
_YAML = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.one_of(_KEYS, st.text(max_size=6)), inner)
    ),
    max_leaves=15,
)
_FRONT_MATTER = st.dictionaries(st.one_of(_KEYS, st.text(max_size=8)), _YAML, max_size=6)


@given(_FRONT_MATTER)
def test_structured_diff_of_equal_data_is_empty(data: dict[str, Any]) -> None:
    assert structured_diff(data, data) == []
    assert structured_diff(data, copy.deepcopy(data)) == []


_GOALS = st.lists(
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=8), "title": st.text(max_size=8)},
        optional={"target": st.fixed_dictionaries({"value": st.integers()})},
    ),
    unique_by=lambda goal: goal["id"],
    max_size=6,
)


@given(st.data())
def test_reordering_identified_items_is_never_a_change(data: st.DataObject) -> None:
    goals = data.draw(_GOALS)
    shuffled = data.draw(st.permutations(goals))
    assert structured_diff({"goals": goals}, {"goals": shuffled}) == []


@given(_FRONT_MATTER, _FRONT_MATTER)
def test_structured_diff_is_deterministic_on_any_data(old: dict[str, Any], new: dict[str, Any]):
    assert structured_diff(old, new) == structured_diff(copy.deepcopy(old), copy.deepcopy(new))


@given(st.dictionaries(_KEYS, _SCALARS), st.dictionaries(_KEYS, _SCALARS))
def test_flat_diff_names_exactly_the_keys_that_differ(old: dict[str, Any], new: dict[str, Any]):
    def differs(key: str) -> bool:
        a, b = old.get(key), new.get(key)
        nan = isinstance(a, float) and isinstance(b, float) and a != a and b != b
        return (
            (key in old) != (key in new)
            or (type(a) is bool) != (type(b) is bool)
            or (a != b and not nan)
        )

    changed = {change.path[0] for change in structured_diff(old, new)}
    assert changed == {key for key in {*old, *new} if differs(key)}


# --- describe ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (40, "40"),
        (2.5, "2.5"),
        ("2025-02-01", "2025-02-01"),
        (True, "yes"),
        (None, "(none)"),
        ("", "(none)"),
        ("  two\nlines ", "two lines"),
        (["Mayor", "Police chief"], "Mayor, Police chief"),
        ({"value": 40, "year": 2030}, "value: 40; year: 2030"),
        ({"staff": {"count": 3, "salary": 60000}}, "staff: (count: 3; salary: 60000)"),
        ({"people_served": 60}, "people served: 60"),
        ([{"name": "Riverside Youth Alliance", "role": "Outreach"}], "Riverside Youth Alliance"),
    ],
)
def test_describe(value: Any, text: str) -> None:
    assert describe(value) == text


def test_describe_truncates_long_text_at_a_word_with_an_ellipsis() -> None:
    text = describe("word " * 100, limit=30)
    assert len(text) <= 30
    assert text.endswith("word…")


# --- values nested deeper than any plan (a past revision cannot be corrected) -------------


def nested(depth: int, leaf: Any, kind: str = "list") -> Any:
    """`leaf` inside `depth` lists (or mappings `{"a": …}`), built without recursion."""
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


@pytest.mark.parametrize("depth", [500, 5_000, 50_000])
def test_values_nested_thousands_deep_are_diffed_and_described(depth: int) -> None:
    old, new = nested(depth, 1), nested(depth, 2)
    changes = structured_diff({"deep": old, "same": old}, {"deep": new, "same": nested(depth, 1)})
    assert [change.kind for change in changes] == ["changed"]
    assert changes[0].path[0] == "deep" and len(changes[0].path) <= 40
    assert describe(changes[0].old) == "(too deeply nested to show)"
    mappings = structured_diff({"deep": nested(depth, 1, "map")}, {"deep": nested(depth, 2, "map")})
    assert [change.kind for change in mappings] == ["changed"]
    assert "(too deeply nested to show)" in describe(mappings[0].new, limit=10_000)
    assert structured_diff({"deep": old}, {"deep": nested(depth, 1, "map")})[0].kind == "changed"
    assert structured_diff({"deep": [old, 3]}, {"deep": [new]})  # a list of values, compared
    assert describe({"deep": old}).startswith("deep: ")


def test_values_compared_whole_below_the_depth_limit_keep_equality_as_yaml_means_it() -> None:
    ints, floats = nested(40, {"b": 1, "a": [1.0, True]}), nested(40, {"a": [1, True], "b": 1.0})
    assert structured_diff({"x": ints}, {"x": floats}) == []
    assert structured_diff({"x": nested(40, [1])}, {"x": nested(40, [True])})
    assert structured_diff({"x": nested(40, float("nan"))}, {"x": nested(40, float("nan"))}) == []


def test_yaml_sets_are_compared_and_described_in_a_stable_order() -> None:
    assert structured_diff({"tags": [{"b", "a"}]}, {"tags": [{"a", "b"}]}) == []
    changes = structured_diff({"tags": [{"a"}]}, {"tags": [{"a", "b"}]})
    assert [change.kind for change in changes] == ["added", "removed"]
    assert describe({"c", "a", "b"}) == "a, b, c"
