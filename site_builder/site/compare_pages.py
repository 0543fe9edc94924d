"""Pages that compare two revisions of a plan: what one commit changed (its changes page)
and everything that changed from a past revision to the current one (its compare page).

Both show the plan's fields change by change and its prose as a redline, which the
template renders (`render.redline`) from the two bodies given here. A compare page changes
whenever the plan does, so it is keyed by the two blobs it compares and made only when it
must be rendered; the latest revision has none (its revision page leads to the plan).
"""

from __future__ import annotations

from typing import Any

from ..content.models import Plan
from ..engine.characters import visible
from .field_changes import FieldSection, field_changes
from .interface import ENGLISH, Interface
from .page import Page
from .revision_loading import LoadedRevision, RevisionView
from .urls import changes_url, compare_url


def changes_page(
    plan: Plan,
    view: RevisionView,
    loaded: LoadedRevision,
    previous: RevisionView | None,
    before: LoadedRevision | None,
    interface: Interface = ENGLISH,
) -> Page:
    """What one commit changed: fields one by one, prose as a redline, or why it cannot
    be compared (a side binary, too large, or unreadable)."""
    _, day = interface.gettext, view.revision.date.date().isoformat()
    return Page(
        changes_url(plan.slug, view.revision.commit),
        _("Changes to %(title)s on %(day)s", title=plan.title, day=day),
        "changes.html",
        {"plan": plan, "view": view, "previous": previous}
        | comparison(previous, before, view, loaded, interface),
        description=_("What changed in %(title)s on %(day)s.", title=plan.title, day=day),
        in_sitemap=False,
    )


def compare_page(
    plan: Plan,
    view: RevisionView,
    loaded: LoadedRevision,
    latest: RevisionView,
    current: LoadedRevision,
    interface: Interface = ENGLISH,
) -> Page:
    """Everything that changed from one past revision to the latest, in one page."""
    _, day = interface.gettext, view.revision.date.date().isoformat()
    return Page(
        compare_url(plan.slug, view.revision.commit),
        _("%(title)s: changes since %(day)s", title=plan.title, day=day),
        "compare.html",
        {"plan": plan, "view": view, "previous": view, "latest": latest}
        | comparison(view, loaded, latest, current, interface),
        description=_(
            "Everything that changed in %(title)s since %(day)s.", title=plan.title, day=day
        ),
        in_sitemap=False,
    )


def comparison(
    older: RevisionView | None,
    before: LoadedRevision | None,
    newer: RevisionView,
    after: LoadedRevision,
    interface: Interface = ENGLISH,
) -> dict[str, Any]:
    """What a template needs to show the changes from `before` (None: nothing) to `after`:
    the field changes (None: a side's fields could not be read), the two bodies of prose,
    and why a side cannot be compared at all."""
    sides = ((older, before), (newer, after)) if older and before else ((newer, after),)
    not_compared = [
        interface.gettext(  # the reason
            "revision %(number)s: %(reason)s", number=seen.number, reason=side.problems[0].message
        )
        for seen, side in sides
        if seen is not None and not side.comparable
    ]
    fields: list[FieldSection] | None = None
    if not not_compared:
        earlier = before.data if before else {}
        if after.data is not None and earlier is not None:
            fields = field_changes(earlier, after.data, interface)
    return {
        "fields": fields,
        # The text cannot be corrected: characters a page may not show are written out.
        "before_body": visible(before.body) if before and not not_compared else "",
        "after_body": visible(after.body) if not not_compared else "",
        "unreadable": not_compared,
    }
