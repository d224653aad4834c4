"""What is missing in a period, computed for the report's own period.

Areas with one lead, areas no flow funds, planned work no one funds, countries one area alone
reaches.
Leads are those holding their role on the period's last day (``area_leads``, by the dates of
their memberships); funding, plans and the work reaching a country are the facts whose sources
report on the period (``donors_areas_countries``, ``planned_unfunded``, ``country_work``), so a
list of one period never repeats another's.
"""

from __future__ import annotations

from datetime import date

from graph.report import say
from graph.report.context import Context, Row, value
from graph.report.model import Table
from graph.report.rows import Item
from graph.report.words import status_word


def _holds_on(row: Row, day: date) -> bool:
    """Whether a lead's membership may hold on ``day`` (started by then, not ended before)."""
    start, end = value(row, "start_earliest"), value(row, "end_latest")
    return (start is None or date.fromisoformat(start) <= day) and (
        end is None or date.fromisoformat(end) >= day
    )


def leads_on_last_day(ctx: Context) -> dict[str, list[Row]]:
    """Each area's lead memberships that may hold on the period's last day."""
    found: dict[str, list[Row]] = {}
    for row in ctx.run("area_leads"):
        if _holds_on(row, ctx.period[1]):
            found.setdefault(value(row, "area") or "", []).append(row)
    return found


def single_leads(ctx: Context) -> Table:
    """Areas with one lead on the period's last day."""
    table = say.table("missing", "single_lead", "single-lead", "area_leads")
    for area, rows in leads_on_last_day(ctx).items():
        leads = {value(r, "lead") for r in rows}
        if len(leads) != 1:
            continue
        it = Item(ctx, "single-lead", area, "area_leads")
        table.rows.append(it.row(it.name(), it.names("lead", value(rows[0], "lead"))))
    return table


def unfunded_areas(ctx: Context) -> Table:
    """Areas no funding flow of the period funds, nor any of their work."""
    table = say.table("missing", "unfunded_areas", "unfunded-areas", "donors_areas_countries")
    funded = {
        value(r, "area")
        for r in ctx.run("donors_areas_countries")
        if ctx.in_period(value(r, "flow"))
    }
    leads = leads_on_last_day(ctx)
    for row in ctx.run("partnership_areas"):
        area = value(row, "area") or ""
        if area in funded:
            continue
        it = Item(ctx, "unfunded-areas", area, "donors_areas_countries")
        names = sorted({value(r, "lead") or "" for r in leads.get(area, [])})
        table.rows.append(
            it.row(
                it.name(),
                ctx.figure(
                    f"unfunded-areas/{it.key}/leads",
                    "; ".join(sorted(ctx.label(x) for x in names)) or None,
                    "area_leads",
                    names,
                ),
            )
        )
    return table


def planned_unfunded(ctx: Context) -> Table:
    """Work the period's sources plan, with no funder."""
    table = say.table("missing", "planned_unfunded", "planned-unfunded", "planned_unfunded")
    for row in ctx.run("planned_unfunded"):
        item = value(row, "item") or ""
        if not ctx.in_period(item):
            continue
        it = Item(ctx, "planned-unfunded", item, "planned_unfunded")
        area = value(row, "area")
        table.rows.append(
            it.row(
                it.name(),
                it.names("area", area, item, optional=True),
                it.said("status", status_word(value(row, "status"))),
            )
        )
    return table


def single_area_countries(ctx: Context) -> Table:
    """Countries the period's work of one area alone reaches."""
    table = say.table("missing", "single_area_countries", "single-area-countries", "country_work")
    reach: dict[str, dict[str, list[str]]] = {}
    for row in ctx.run("country_work"):
        item = value(row, "item") or ""
        if ctx.in_period(item):
            reach.setdefault(value(row, "country") or "", {}).setdefault(
                value(row, "area") or "", []
            ).append(item)
    for country, areas in reach.items():
        if len(areas) != 1:
            continue
        ((area, items),) = areas.items()
        example = min(items)
        it = Item(ctx, "single-area-countries", country, "country_work", (example,))
        table.rows.append(
            it.row(
                it.name(),
                it.names("area", area, example),
                it.said("items", str(len(set(items))), *items),
                it.names("example", example),
            )
        )
    return table
