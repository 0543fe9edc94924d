"""Machine-readable files: plans.json, plan.json, history.json, metrics.csv,
restatements.csv, sitemap.xml, robots.txt (the calendars are `calendar`'s; commitments.json
and goals.json `promise_pages`').

All are deterministic (stable key order, no build timestamps), so the same commit builds to
the same bytes.

No text can add a line, a property or a formula to them, whatever content validation let
through. In `metrics.csv` and `restatements.csv`, every text cell is quoted (so no line
break in it starts a row) and one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a `'` in front, as OWASP advises against CSV injection: a spreadsheet then shows
`'=SUM(A1)` as text instead of running it. Indicator names stay as the plan writes them;
numbers stay numbers (a value of -3 is written -3).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from ..content.models import OutcomeUpdate, Plan
from ..engine.cache import Keys
from ..history.reading import SiteHistory
from .administrations import holders_by_day, holders_data, terms_for
from .calendar import calendar
from .change_summary import note_of
from .figures import goal_rows, next_election, review_due, series
from .glance import glance_data, plan_glance
from .page import Page, SiteData, data_file
from .plan_view import latest_change
from .update_history import restated_figures
from .urls import (
    calendar_url,
    changes_url,
    plan_url,
    revision_data_url,
    revision_url,
    update_url,
)


def data_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """The open-data and discovery files of the current site."""
    pages = [
        data_file("/plans.json", keys, to_json, [plan_summary(site, p) for p in site.content.plans])
    ]
    for plan in site.content.plans:
        url = plan_url(plan.slug)
        pages.append(data_file(f"{url}plan.json", keys, to_json, plan_data(site, plan)))
        pages.append(data_file(f"{url}metrics.csv", keys, metrics_csv, metric_rows(site, plan)))
        pages.append(
            data_file(
                f"{url}restatements.csv", keys, restatements_csv, restatement_rows(site, plan)
            )
        )
    for convening in site.content.convenings:
        pages.append(
            Page(calendar_url(convening.slug), data=calendar(site, convening), in_sitemap=False)
        )
    pages.append(Page("/robots.txt", data=robots(site), in_sitemap=False))
    return pages


def sitemap(site: SiteData, pages: list[Page]) -> Page:
    """sitemap.xml from every HTML page, with last-modified dates from git."""
    rows = []
    for page in sorted(pages, key=lambda p: p.url):
        if page.in_sitemap and page.data is None:
            modified = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
            rows.append(
                f"  <url><loc>{escape(site.config.absolute(page.url), quote=False)}</loc>"
                f"{modified}{_alternates(site, page)}</url>\n"
            )
    languages = (
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if len(site.config.languages) > 1 else ""
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{languages}>\n'
        + "".join(rows)
        + "</urlset>\n"
    )
    return Page("/sitemap.xml", data=text.encode(), in_sitemap=False)


def _alternates(site: SiteData, page: Page) -> str:
    """The page's translations, as search engines read them from a sitemap (each page
    listing every language it has, its own included)."""
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{other.language}" '
        f'href="{escape(site.config.absolute(other.url))}"/>'
        for other in page.context.get("alternates", ())
        if other.translated
    )


def to_json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, default=_plain) + "\n").encode()


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def plan_summary(site: SiteData, plan: Plan) -> dict[str, Any]:
    """A plan's record in plans.json: its summary and, as the pages say first, the plan at
    a glance."""
    updates = site.content.updates.get(plan.slug, [])
    summary = _summary(
        site,
        plan,
        updates,
        plan_url(plan.slug),
        f"{plan_url(plan.slug)}plan.json",
        site.last_modified[plan.path].date() if plan.path in site.last_modified else None,
    )
    return summary | {
        "at_a_glance": at_a_glance(site, plan, updates),
        "translations": translations_data(site, plan),
    }


def translations_data(site: SiteData, plan: Plan) -> list[dict[str, Any]]:
    """Each translation of the plan and how fresh it is (`translation_state`), in the order
    of the site's languages."""
    states = site.translation_states.get(plan.path, {})
    return [
        {
            "language": state.language,
            "state": state.state,
            "source_revision": (
                {"commit": state.reflects.commit, "date": state.reflects.date.isoformat()}
                if state.reflects
                else None
            ),
            "last_changed": state.last_changed.isoformat() if state.last_changed else None,
            "changes_url": site.config.absolute(state.compare_url) if state.compare_url else None,
        }
        for language in site.config.languages
        if (state := states.get(language)) is not None
    ]


def at_a_glance(
    site: SiteData, plan: Plan, updates: list[OutcomeUpdate], day: dt.date | None = None
) -> dict[str, Any]:
    """The plan at a glance as data, as its page says it: the current plan's (`day` None),
    with its commitments' stories and latest change; or a past revision's as it stood on
    its `day`, counted from the revision alone, so that its file never changes."""
    today = day or site.today
    glance = plan_glance(
        plan,
        goal_rows(plan, updates, today),
        None if day else site.promises.get(plan.slug),
        review_due(plan, updates, today),
        next_election(plan, today),
        today,
    )
    change = None if day else latest_change(site, plan)
    said = (
        {
            "date": change.date,
            "note": change.note.text,
            "note_written_by_site": change.note.generated,
            "url": site.config.absolute(change.url),
        }
        if change
        else None
    )
    return glance_data(glance, said)


def _summary(
    site: SiteData,
    plan: Plan,
    updates: list[OutcomeUpdate],
    url: str,
    data_url: str,
    last_revised: dt.date | None,
) -> dict[str, Any]:
    return {
        "slug": plan.slug,
        "title": plan.title,
        "city": plan.city,
        "state": plan.state,
        "status": plan.status,
        "adopted": plan.adopted,
        "summary": plan.summary,
        "url": site.config.absolute(url),
        "data_url": site.config.absolute(data_url),
        "history_url": site.config.absolute(f"{plan_url(plan.slug)}history.json"),
        "last_revised": last_revised,
        "latest_update": updates[-1].date if updates else None,
        "population": (
            {"value": plan.population.value, "year": plan.population.year}
            if plan.population
            else None
        ),
        # Goals counted in people, per 100,000 residents: baseline, latest and target.
        "per_100k": {
            row.goal.id: row.rates for row in goal_rows(plan, updates, site.today) if row.rates
        },
    }


def plan_data(site: SiteData, plan: Plan) -> dict[str, Any]:
    """The plan's front matter as written, its prose, and its updates: what a past
    revision's plan.json has too (how fresh its translations are is plans.json's alone)."""
    summary = plan_summary(site, plan)
    return plan_record(
        site,
        plan,
        site.content.documents[plan.path].data,
        site.content.updates.get(plan.slug, []),
        url=plan_url(plan.slug),
        data_url=f"{plan_url(plan.slug)}plan.json",
        last_revised=summary["last_revised"],
        glance=summary["at_a_glance"],
    )


def plan_record(
    site: SiteData,
    plan: Plan,
    fields: dict[str, Any],
    updates: list[OutcomeUpdate],
    *,
    url: str,
    data_url: str,
    last_revised: dt.date | None,
    glance: dict[str, Any],
) -> dict[str, Any]:
    """A plan.json: the plan's summary, front matter as written (`fields`), prose,
    `updates` and `glance` (`at_a_glance`); the current plan's, or a past revision's
    (`revision_data`)."""
    return {
        **_summary(site, plan, updates, url, data_url, last_revised),
        "at_a_glance": glance,
        "fields": fields,
        "body": plan.body,
        "updates": [
            {
                "slug": u.slug,
                "title": u.title,
                "date": u.date,
                "period": u.period,
                "url": site.config.absolute(update_url(plan.slug, u.slug)),
                "metrics": u.metrics,
                "goals": {k: {"status": v.status, "note": v.note} for k, v in u.goals.items()},
            }
            for u in updates
        ],
    }


def metric_rows(site: SiteData, plan: Plan) -> list[tuple[str, str, str, float, str]]:
    """One row per update and indicator: date, period, indicator, value, update."""
    updates = site.content.updates.get(plan.slug, [])
    return sorted(
        (p.date.isoformat(), p.update.period or "", name, p.value, p.update.slug)
        for name, points in series(plan, updates).items()
        for p in points
    )


#: What a spreadsheet takes for the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def metrics_csv(rows: list[tuple[str, str, str, float, str]]) -> bytes:
    return _csv(("date", "period", "indicator", "value", "update"), rows)


#: `report` in restatements.csv: the value a figure was first published with, or a later one.
FIRST, RESTATED = "first reported", "restated"


def restatement_rows(site: SiteData, plan: Plan) -> list[tuple[str, str, str, float, str, str]]:
    """One row per published value of each restated figure, in the order published:
    published, period, indicator, value, update, and whether it was the first report."""
    updates = {u.slug: u for u in site.content.updates.get(plan.slug, [])}
    return [
        (report.date.date().isoformat(), updates[slug].period or "", name, report.value, slug, kind)
        for slug, figures in sorted(
            restated_figures(site.update_histories, updates.values()).items()
        )
        for name, figure in sorted(figures.items())
        for report, kind in ((figure.first, FIRST), *((r, RESTATED) for r in figure.later))
    ]


def restatements_csv(rows: list[tuple[str, str, str, float, str, str]]) -> bytes:
    return _csv(("published", "period", "indicator", "value", "update", "report"), rows)


def _csv(header: tuple[str, ...], rows: Sequence[tuple[str | float, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    writer.writerows(
        tuple(_as_text(cell) if isinstance(cell, str) else cell for cell in row) for row in rows
    )
    return out.getvalue().encode()


def _as_text(cell: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell


def history_entries(site: SiteData, plan: Plan, history: SiteHistory) -> list[dict[str, Any]]:
    """`history.json`: every revision, oldest first (`revision_data` says which revision's
    data cannot be read, and makes its `data_url` null)."""
    holders = holders_by_day(terms_for(site.config.administrations, plan.city))
    return [
        {
            "commit": r.commit,
            "date": r.date.isoformat(),
            "author": r.author,
            "message": f"{r.subject}\n\n{r.body}".strip() if r.body else r.subject,
            # written by the site from the diff when the message says nothing, else null
            "generated_note": notes.text if (notes := note_of(site.notes, r)).generated else None,
            "minor": r.minor,
            "url": site.config.absolute(revision_url(plan.slug, r.commit)),
            "changes_url": site.config.absolute(changes_url(plan.slug, r.commit)),
            "data_url": site.config.absolute(revision_data_url(plan.slug, r.commit)),
            "office_holders": holders_data(holders(r.date.date())),
        }
        for r in history.revisions.get(plan.path, ())
    ]


def robots(site: SiteData) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.absolute('/sitemap.xml')}\n".encode()
