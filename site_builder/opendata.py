"""Machine-readable files: plans.json, plan.json, metrics.csv, .ics, sitemap.xml, robots.txt.

All are deterministic (stable key order, no build timestamps), so the same commit builds to
the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from html import escape
from typing import Any

from .cache import Keys
from .history import SiteHistory
from .models import Convening, Plan
from .progress import series
from .site import (
    Page,
    SiteData,
    calendar_url,
    changes_url,
    convening_url,
    data_file,
    plan_url,
    revision_url,
    update_url,
)


def data_pages(site: SiteData, history: SiteHistory, keys: Keys) -> list[Page]:
    """The open-data and discovery files of the current site."""
    pages = [data_file("/plans.json", keys, to_json,
                       [plan_summary(site, p) for p in site.content.plans])]
    for plan in site.content.plans:
        url = plan_url(plan.slug)
        pages.append(data_file(f"{url}plan.json", keys, to_json, plan_data(site, plan)))
        pages.append(data_file(f"{url}metrics.csv", keys, metrics_csv, metric_rows(site, plan)))
        pages.append(data_file(f"{url}history.json", keys, to_json,
                               history_entries(site, plan, history)))
    for convening in site.content.convenings:
        pages.append(Page(calendar_url(convening.slug), data=calendar(site, convening),
                          in_sitemap=False))
    pages.append(Page("/robots.txt", data=robots(site), in_sitemap=False))
    return pages


def sitemap(site: SiteData, pages: list[Page]) -> Page:
    """sitemap.xml from every HTML page, with last-modified dates from git."""
    rows = []
    for page in sorted(pages, key=lambda p: p.url):
        if page.in_sitemap and page.data is None:
            modified = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
            rows.append(f"  <url><loc>{escape(site.config.absolute(page.url), quote=False)}</loc>"
                        f"{modified}</url>\n")
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(rows) + "</urlset>\n")
    return Page("/sitemap.xml", data=text.encode(), in_sitemap=False)


def to_json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, default=_plain) + "\n").encode()


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def plan_summary(site: SiteData, plan: Plan) -> dict[str, Any]:
    updates = site.content.updates.get(plan.slug, [])
    return {
        "slug": plan.slug, "title": plan.title, "city": plan.city, "state": plan.state,
        "status": plan.status, "adopted": plan.adopted, "summary": plan.summary,
        "url": site.config.absolute(plan_url(plan.slug)),
        "data_url": site.config.absolute(f"{plan_url(plan.slug)}plan.json"),
        "history_url": site.config.absolute(f"{plan_url(plan.slug)}history.json"),
        "last_revised": site.last_modified[plan.path].date()
        if plan.path in site.last_modified else None,
        "latest_update": updates[-1].date if updates else None,
    }


def plan_data(site: SiteData, plan: Plan) -> dict[str, Any]:
    """The plan's front matter as written, its prose, and its updates."""
    document = site.content.documents[plan.path]
    updates = site.content.updates.get(plan.slug, [])
    return {
        **plan_summary(site, plan),
        "fields": document.data,
        "body": plan.body,
        "updates": [{"slug": u.slug, "title": u.title, "date": u.date, "period": u.period,
                     "url": site.config.absolute(update_url(plan.slug, u.slug)),
                     "metrics": u.metrics,
                     "goals": {k: {"status": v.status, "note": v.note}
                               for k, v in u.goals.items()}}
                    for u in updates],
    }


def metric_rows(site: SiteData, plan: Plan) -> list[tuple[str, str, str, float, str]]:
    """One row per update and indicator: date, period, indicator, value, update."""
    updates = site.content.updates.get(plan.slug, [])
    return sorted((p.date.isoformat(), p.update.period or "", name, p.value, p.update.slug)
                  for name, points in series(plan, updates).items() for p in points)


def metrics_csv(rows: list[tuple[str, str, str, float, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "period", "indicator", "value", "update"])
    writer.writerows(rows)
    return out.getvalue().encode()


def calendar(site: SiteData, convening: Convening) -> bytes:
    """An RFC 5545 calendar with one all-day event (end date exclusive, CRLF, folded)."""
    host = site.config.absolute("/").split("://", 1)[-1].split("/", 1)[0] or "site-builder"
    stamp = site.last_modified.get(convening.path)
    stamp_text = (stamp.astimezone(dt.UTC) if stamp else
                  dt.datetime.combine(site.today, dt.time(), dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    location = ", ".join(x for x in (convening.venue, convening.city, convening.state) if x)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0",
        f"PRODID:-//{_ics_text(site.config.title)}//site-builder//EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:{convening.slug}@{host}", f"DTSTAMP:{stamp_text}",
        f"DTSTART;VALUE=DATE:{convening.start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(convening.last_day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text(convening.title)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{site.config.absolute(convening_url(convening.slug))}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode()


def _ics_text(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def history_entries(site: SiteData, plan: Plan, history: SiteHistory) -> list[dict[str, Any]]:
    """`history.json`: every revision, oldest first."""
    return [{"commit": r.commit, "date": r.date.isoformat(), "author": r.author,
             "message": f"{r.subject}\n\n{r.body}".strip() if r.body else r.subject,
             "minor": r.minor,
             "url": site.config.absolute(revision_url(plan.slug, r.commit)),
             "changes_url": site.config.absolute(changes_url(plan.slug, r.commit))}
            for r in history.revisions.get(plan.path, ())]


def robots(site: SiteData) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.absolute('/sitemap.xml')}\n".encode()
