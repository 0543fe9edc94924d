"""How a change of a plan's fields is put in words: what each field and list item is
called, and any YAML value as short plain text (`describe`, which templates use too).

The vocabulary of plans lives here ("Adopted on", "Goal", "Budget year"), so that the field
diff itself knows only YAML data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..engine.characters import visible

#: Top-level plan keys whose friendly name is not just the key humanised: `cost_model`,
#: `status`, `summary`… already read as "Cost model", "Status", "Summary".
_KEY_LABELS = {"adopted": "Adopted on", "period": "Plan period", "review": "Review cadence"}
#: What one item of a known list is called, at any depth.
_ITEM_NOUNS = {
    "goals": "Goal",
    "commitments": "Commitment",
    "partners": "Partner",
    "governance": "Governance body",
    "budget": "Budget year",
    "elections": "Election",
    "members": "member",
}
#: How long an item's title may be in a label before it is cut short.
_LABEL_LIMIT = 80
#: How deep the field diff and `describe` go into nested values. A plan nests four levels
#: (goals › goal › target › value); past this depth values are compared whole and shown
#: as `TOO_DEEP`, so that no recursion here depends on the input: a past revision nested
#: thousands deep would pass Python's recursion limit, and its history cannot be corrected.
MAX_DEPTH = 32
TOO_DEEP = "(too deeply nested to show)"


def item_label(noun: str, item: Any, ident: Any, index: int) -> str:
    """`Goal “Fewer people shot”`, `Budget year 2025`, `member “Ana Ruiz”`, `Partner #2`."""
    title = _title(item) if isinstance(item, Mapping) else item
    if isinstance(title, str):
        return f"{noun} “{_shorten(title, _LABEL_LIMIT)}”"
    if ident is not None:
        return f"{noun} {ident}"
    if isinstance(item, Mapping) or is_list(item):
        return f"{noun} #{index + 1}"
    return f"{noun} {describe(item)}"


def _title(item: Mapping[Any, Any]) -> str | None:
    """What a list item is called: its title, else its name."""
    for key in ("title", "name"):
        if isinstance(item.get(key), str) and item[key].strip():
            return str(item[key])
    return None


def item_noun(key: Any) -> str:
    """What one item of the list under `key` is called: `goals` → "Goal"."""
    return _ITEM_NOUNS.get(key, _humanise(key)) if isinstance(key, str) else "Item"


def key_label(key: Any, *, top: bool) -> str:
    """What a field is called: its friendly name at the top of a plan, else the key in words."""
    return _KEY_LABELS[key] if top and key in _KEY_LABELS else _humanise(key)


def _humanise(key: Any) -> str:
    """`per_person` → "Per person"; other keys (years, booleans) as text."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def is_list(value: Any) -> bool:
    """Whether `value` is a YAML sequence (a list, or a tuple in data made in code)."""
    return isinstance(value, list | tuple)


def describe(value: Any, limit: int = 120) -> str:
    """Short plain text for a value in a change list, cut at `limit` characters with "…"."""
    return visible(_shorten(_text(value), limit)) or "(none)"


def _text(value: Any, depth: int = 0) -> str:
    """Plain text for `describe`; a nested mapping is bracketed so its "; " stays its own,
    and what lies deeper than `MAX_DEPTH` is `TOO_DEEP`."""
    if depth > MAX_DEPTH:
        return TOO_DEEP
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Mapping):
        text = "; ".join(
            f"{_text(k, depth + 1).replace('_', ' ')}: {_text(v, depth + 1)}"
            for k, v in value.items()
        )
        return f"({text})" if depth and text else text
    if is_list(value):
        # A partner or goal in a list is known by its title or name, not all its fields.
        items = ((_title(i) or i) if isinstance(i, Mapping) else i for i in value)
        return ", ".join(_text(item, depth + 1) for item in items)
    if isinstance(value, set | frozenset):  # (`!!set`) in an order that is the same every run
        return ", ".join(sorted(_text(item, depth + 1) for item in value))
    return str(value)


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary when one is near, so "…" does not split a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;") + "…"
