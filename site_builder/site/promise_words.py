"""A change of a commitment or a goal said in a sentence, the same on its page, in its
JSON and in the plan's feed: "Due date moved later: 31 March 2027, was 31 December 2026",
"Target lowered from 50 by 2030 to 40 by 2030".
"""

from __future__ import annotations

from typing import Any

from ..content.models import Measure
from .formats import format_number, long_date, status_word
from .promises import SETTLED, Change


def commitment_words(change: Change, before: str | None) -> str:
    """One change of a commitment in a sentence: "Due date moved later: 31 March 2027, was
    31 December 2026"."""
    what, old, new = change.what, change.old, change.new
    if what == "promised":
        status = change.status or "promised"
        return "Added to the plan" + ("" if status == "promised" else f", {_said(status)}")
    if what == "status":
        return f"Status changed to {_said(new)}, was {_said(old)}"
    if what == "reworded":
        return "Reworded"
    if what == "due":
        if old is None:
            return f"Due date set: {long_date(new)}"
        if new is None:
            return f"Due date taken out, was {long_date(old)}"
        later = "later" if new > old else "earlier"
        return f"Due date moved {later}: {long_date(new)}, was {long_date(old)}"
    if what == "removed":
        return (
            f"Taken out of the plan, after it was marked {status_word(before)}"
            if before in SETTLED
            else "Dropped: taken out of the plan without being marked withdrawn"
        )
    if what == "restored":
        return "Back in the plan"
    return _named_change(what, old, new)


def _said(status: str) -> str:
    """A status inside a sentence: 'in progress'."""
    return status_word(status).lower()


def goal_words(change: Change, before: str | None = None) -> str:
    """One change of a goal in a sentence: "Target lowered from 50 to 40 (by 2030)"."""
    what, old, new = change.what, change.old, change.new
    if what == "promised":
        return "Goal set"
    if what == "reworded":
        return "Goal reworded"
    if what in ("target", "baseline"):
        return _measure_change(what, old, new)
    if what == "removed":
        return "Taken out of the plan"
    if what == "restored":
        return "Back in the plan"
    return _named_change(what, old, new)


def _measure_change(what: str, old: Measure | None, new: Measure | None) -> str:
    name = what.capitalize()
    at = "by" if what == "target" else "in"
    if old is None:
        return f"{name} set: {_measure(new, at)}"
    if new is None:
        return f"{name} taken out, was {_measure(old, at)}"
    if old.value != new.value:
        how = "lowered" if new.value < old.value else "raised"
        return f"{name} {how} from {_measure(old, at)} to {_measure(new, at)}"
    return f"{name} year moved from {old.year or 'none'} to {new.year or 'none'}"


def _measure(measure: Measure | None, at: str) -> str:
    if measure is None:
        return "none"
    value = format_number(measure.value)
    return f"{value} {at} {measure.year}" if measure.year else value


def _named_change(what: str, old: Any, new: Any) -> str:
    name = {"owner": "Owner", "kind": "Kind", "direction": "Direction"}.get(what, what)
    shown = (lambda v: status_word(v)) if what in ("kind", "direction") else str
    if old is None:
        return f"{name} named: {shown(new)}"
    if new is None:
        return f"{name} taken out, was {shown(old)}"
    return f"{name}: {shown(new)}, was {shown(old)}"
