"""Section II (Table 3 and the other areas for improvement), next steps per area, and the Annex.

From the named queries ``improvement_actions``, ``knowledge_gaps``, ``projects_by_area``,
``targets`` and ``annex_leads_objectives``, in the seed report's order.
"""

from __future__ import annotations

from graph.report import say
from graph.report.context import Context, Row, value
from graph.report.model import Section, Table
from graph.report.rows import Item
from graph.report.words import day, short, status_word

NEXT = ("planned", "in preparation", "ongoing")
"""The statuses of work that is still to come at the end of a period."""


def improvement(ctx: Context) -> Section:
    """Table 3: the areas for improvement and the actions taken on them."""
    section = Section("section-2", say.text("section-2", "title"))
    table = say.table("section-2", "improvement", "table-3", "improvement_actions")
    for row in ctx.run("improvement_actions"):
        area, action = value(row, "improvement_area") or "", value(row, "action") or ""
        if not ctx.in_period(action):
            continue
        it = Item(ctx, "table-3", action, "improvement_actions")
        table.rows.append(
            it.row(
                it.said("ordinal", value(row, "ordinal"), area),
                it.names("area", area),
                it.name(),
                it.said("status", status_word(value(row, "status")), optional=True),
            )
        )
    section.tables.append(table)
    gaps = say.table("section-2", "gaps", "knowledge-gaps", "knowledge_gaps")
    for row in ctx.run("knowledge_gaps"):
        item = value(row, "item") or ""
        if not ctx.in_period(item):
            continue
        it = Item(ctx, "knowledge-gaps", item, "knowledge_gaps")
        gaps.rows.append(it.row(it.name(), it.said("kind", ctx.label(value(row, "kind")))))
    section.tables.append(gaps)
    return section


def next_steps(ctx: Context) -> Section:
    """Per area: the planned, in-preparation and ongoing work of the period, and the targets.

    The work is what the period's sources report. Plans of earlier periods no source of this
    period reports on are not repeated here; the closing section lists them (``carried_over``).
    """
    section = Section("next-steps", say.text("next-steps", "title"))
    by_area: dict[str, list[Row]] = {}
    for row in ctx.run("projects_by_area"):
        if status_word(value(row, "status")) in NEXT and ctx.in_period(value(row, "item")):
            by_area.setdefault(value(row, "area") or "", []).append(row)
    targets: dict[str, list[Row]] = {}
    for row in ctx.run("targets"):
        targets.setdefault(value(row, "area") or "", []).append(row)
    areas = [value(r, "area") or "" for r in ctx.run("partnership_areas")]
    for area in areas:
        akey = short(area)
        name = ctx.label(area)
        sub = Section(f"next-steps/{akey}", say.text("next-steps", "heading_area", area=name))
        work = say.table("next-steps", "work", f"next-steps/{akey}", "projects_by_area", area=name)
        for row in by_area.get(area, []):
            it = Item(ctx, "next-steps", value(row, "item") or "", "projects_by_area")
            work.rows.append(
                it.row(
                    it.name(),
                    it.said("kind", ctx.label(value(row, "kind"))),
                    it.said("status", status_word(value(row, "status"))),
                )
            )
        sub.tables.append(work)
        if targets.get(area):
            goal = say.table("next-steps", "targets", f"targets/{akey}", "targets", area=name)
            for row in targets[area]:
                it = Item(ctx, "targets", value(row, "target") or "", "targets")
                deadline = value(row, "deadline")
                goal.rows.append(
                    it.row(it.name(), it.said("deadline", day(deadline) if deadline else None))
                )
            sub.tables.append(goal)
        section.subsections.append(sub)
    return section


def annex(ctx: Context) -> Section:
    """The Annex: each area, its current leads and its objective."""
    section = Section("annex", say.text("annex", "title"))
    table = say.table("annex", "annex", "annex", "annex_leads_objectives")
    grouped: dict[str, list[Row]] = {}
    for row in ctx.run("annex_leads_objectives"):
        grouped.setdefault(value(row, "area") or "", []).append(row)
    for area, rows in grouped.items():
        it = Item(ctx, "annex", area, "annex_leads_objectives")
        leads = sorted({value(r, "lead") or "" for r in rows}, key=ctx.label)
        memberships = [value(r, "membership") for r in rows]
        table.rows.append(
            it.row(
                it.name(),
                it.said("leads", "; ".join(ctx.label(lead) for lead in leads), *memberships),
                it.said("objective", value(rows[0], "objective")),
            )
        )
    section.tables.append(table)
    return section


def carried_over(ctx: Context) -> Table:
    """Plans and ongoing work of earlier periods that no source of this period reports on."""
    table = say.table("missing", "carried_over", "carried-over", "projects_by_area")
    first = ctx.period[0]
    for row in ctx.run("projects_by_area"):
        item = value(row, "item") or ""
        if status_word(value(row, "status")) not in NEXT or ctx.in_period(item):
            continue
        earlier = [e for e in ctx.of(item) if e.period[1] and e.period[1] < first.isoformat()]
        if not earlier:
            continue
        it = Item(ctx, "carried-over", item, "projects_by_area")
        table.rows.append(
            it.row(
                it.name(),
                it.names("area", value(row, "area"), item),
                it.said("status", status_word(value(row, "status"))),
            )
        )
    return table
