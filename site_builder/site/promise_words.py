"""A change of a commitment or a goal said in a sentence, the same on its page, in its
JSON and in the plan's feed: "Due date moved later: 31 March 2027, was 31 December 2026",
"Target lowered from 50 by 2030 to 40 by 2030". Said in the interface's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..content.models import Measure
from .interface import ENGLISH, N_, Interface
from .promises import SETTLED, Change

#: What a goal's measure is called, and how its value and year are put together.
_MEASURES = {
    "target": (N_("Target"), N_("%(value)s by %(year)s")),
    "baseline": (N_("Baseline"), N_("%(value)s in %(year)s")),
}
#: What other fields of a commitment or a goal are called in a change.
_FIELDS = {"owner": N_("Owner"), "kind": N_("Kind"), "direction": N_("Direction")}


def commitment_words(change: Change, before: str | None, interface: Interface = ENGLISH) -> str:
    """One change of a commitment in a sentence: "Due date moved later: 31 March 2027, was
    31 December 2026"."""
    _, date = interface.gettext, interface.formats.long_date
    what, old, new = change.what, change.old, change.new
    if what == "promised":
        status = change.status or "promised"
        if status == "promised":
            return _("Added to the plan")
        return _("Added to the plan, %(status)s", status=_said(status, interface))
    if what == "status":
        return _(
            "Status changed to %(new)s, was %(old)s",
            new=_said(new, interface),
            old=_said(old, interface),
        )
    if what == "reworded":
        return _("Reworded")
    if what == "due":
        if old is None:
            return _("Due date set: %(day)s", day=date(new))
        if new is None:
            return _("Due date taken out, was %(day)s", day=date(old))
        if new > old:
            return _("Due date moved later: %(new)s, was %(old)s", new=date(new), old=date(old))
        return _("Due date moved earlier: %(new)s, was %(old)s", new=date(new), old=date(old))
    if what == "removed":
        if before in SETTLED:
            return _(
                "Taken out of the plan, after it was marked %(status)s",
                status=interface.word(before or ""),
            )
        return _("Dropped: taken out of the plan without being marked withdrawn")
    if what == "restored":
        return _("Back in the plan")
    return _named_change(what, old, new, interface)


def _said(status: str, interface: Interface) -> str:
    """A status inside a sentence: 'in progress'."""
    return interface.word(status).lower()


def goal_words(change: Change, before: str | None = None, interface: Interface = ENGLISH) -> str:
    """One change of a goal in a sentence: "Target lowered from 50 to 40 (by 2030)"."""
    _ = interface.gettext
    what, old, new = change.what, change.old, change.new
    if what == "promised":
        return _("Goal set")
    if what == "reworded":
        return _("Goal reworded")
    if what in _MEASURES:
        return _measure_change(what, old, new, interface)
    if what == "removed":
        return _("Taken out of the plan")
    if what == "restored":
        return _("Back in the plan")
    return _named_change(what, old, new, interface)


def _measure_change(
    what: str, old: Measure | None, new: Measure | None, interface: Interface
) -> str:
    _ = interface.gettext
    name = _(_MEASURES[what][0])
    if old is None:
        return _("%(name)s set: %(new)s", name=name, new=_measure(what, new, interface))
    if new is None:
        return _("%(name)s taken out, was %(old)s", name=name, old=_measure(what, old, interface))
    if old.value != new.value:
        said = {"name": name, "old": _measure(what, old, interface)}
        said["new"] = _measure(what, new, interface)
        if new.value < old.value:
            return _("%(name)s lowered from %(old)s to %(new)s", **said)
        return _("%(name)s raised from %(old)s to %(new)s", **said)
    none = _("none")
    return _(
        "%(name)s year moved from %(old)s to %(new)s",
        name=name,
        old=old.year or none,
        new=new.year or none,
    )


def _measure(what: str, measure: Measure | None, interface: Interface) -> str:
    if measure is None:
        return interface.gettext("none")
    value = interface.formats.number(measure.value)
    if not measure.year:
        return value
    return interface.gettext(_MEASURES[what][1], value=value, year=measure.year)


def _named_change(what: str, old: Any, new: Any, interface: Interface) -> str:
    _ = interface.gettext
    name = _(_FIELDS[what]) if what in _FIELDS else what
    shown: Callable[[Any], str] = str
    if what == "kind":
        shown = interface.kind
    elif what == "direction":
        shown = interface.word
    if old is None:
        return _("%(name)s named: %(new)s", name=name, new=shown(new))
    if new is None:
        return _("%(name)s taken out, was %(old)s", name=name, old=shown(old))
    return _("%(name)s: %(new)s, was %(old)s", name=name, new=shown(new), old=shown(old))
