"""What changed in a plan's fields between two revisions, as the changes page lists it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..history.field_diff import FieldChange, structured_diff


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """The changes from the fields of `old` to those of `new`, one per changed value."""
    return structured_diff(old, new)
