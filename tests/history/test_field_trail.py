"""`FieldChange.trail`: the values along a change's path, which name its list items."""

from __future__ import annotations

from site_builder.history.field_diff import structured_diff

GOAL = {"id": "fewer-shootings", "title": "Fewer people shot", "target": {"value": 50}}


def test_trail_holds_the_item_and_record_a_change_is_in() -> None:
    new_goal = {**GOAL, "target": {"value": 40}}
    [change] = structured_diff({"goals": [GOAL]}, {"goals": [new_goal]})
    assert change.path == ("goals", "fewer-shootings", "target", "value")
    assert change.trail == ([new_goal], new_goal, {"value": 40}, 40)


def test_trail_of_a_removed_item_is_the_old_item() -> None:
    [change] = structured_diff({"goals": [GOAL]}, {"goals": []})
    assert change.kind == "removed"
    assert change.trail == ([], GOAL)


def test_trail_of_a_list_element_ends_with_the_element() -> None:
    old = {"governance": [{"name": "Executive table", "members": ["Mayor"]}]}
    new = {"governance": [{"name": "Executive table", "members": ["Mayor", "Sheriff"]}]}
    [change] = structured_diff(old, new)
    assert change.path == ("governance", "Executive table", "members", "Sheriff")
    assert change.trail[1] == new["governance"][0]
    assert change.trail[-1] == "Sheriff"


def test_trail_does_not_count_in_equality() -> None:
    """Changes compare by what changed, as before; the trail only helps name it."""
    [change] = structured_diff({"status": "draft"}, {"status": "adopted"})
    assert change.trail == ("adopted",)
    assert change == type(change)("changed", "Status", ("status",), "draft", "adopted")
