"""What the partnership areas did in the period: projects, activities, events and documents.

From the named query ``area_work``: per area, each piece of work whose evidence reports on the
period (the seed report, or a submission on the period), with its kind, status, dates at the
precision given, places and the organisations involved, every cell resting on the item's own
passages. An area with nothing in the period says so.
"""

from __future__ import annotations

from graph.report.context import Context, Row, value
from graph.report.model import Row as TableRow
from graph.report.model import Section, Table
from graph.report.words import day, short, status_word

KINDS = {
    "Project": "project",
    "Activity": "activity",
    "Event": "event",
    "CreativeWork": "document",
}
"""The kind of a piece of work as the report words it (by the local name of its class)."""


def _when(row: Row) -> str | None:
    first, last = value(row, "from"), value(row, "to")
    if first and last:
        return day(first) if first == last else f"{day(first)} to {day(last)}"
    if first:
        return f"from {day(first)}"
    if last:
        return f"until {day(last)}"
    return None


def work(ctx: Context) -> Section:
    """Per area, the period's work with status, dates, places and partners (``area_work``)."""
    section = Section("work", "What the partnership areas did")
    rows: dict[str, dict[str, Row]] = {}
    places: dict[str, set[str]] = {}
    partners: dict[str, set[str]] = {}
    for row in ctx.run("area_work"):
        item = value(row, "item") or ""
        if not ctx.in_period(item):
            continue
        rows.setdefault(value(row, "area") or "", {}).setdefault(item, row)
        places.setdefault(item, set()).update(x for x in [value(row, "place")] if x)
        partners.setdefault(item, set()).update(x for x in [value(row, "partner")] if x)
    counted = 0
    for area_row in ctx.run("partnership_areas"):
        area = value(area_row, "area") or ""
        akey = short(area)
        sub = Section(f"work/{akey}", ctx.label(area))
        table = Table(
            f"work/{akey}",
            f"Work of the {ctx.label(area).lower()} partnership area in the period",
            ("Work", "Kind", "Status", "When", "Where", "With"),
            "area_work",
            empty="No source of this period reports work of this area.",
        )
        for item, row in rows.get(area, {}).items():
            key = f"{akey}/{short(item)}"
            kind = (value(row, "kind") or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            table.rows.append(
                TableRow(
                    short(item),
                    ctx.label(item),
                    [
                        ctx.name(f"work/{key}", item, "area_work"),
                        ctx.figure(f"work/{key}/kind", KINDS.get(kind, kind), "area_work", [item]),
                        ctx.figure(
                            f"work/{key}/status",
                            status_word(value(row, "status")) or None,
                            "area_work",
                            [item],
                        )
                        if value(row, "status")
                        else None,
                        ctx.figure(f"work/{key}/when", _when(row), "area_work", [item])
                        if _when(row)
                        else None,
                        ctx.figure(
                            f"work/{key}/where",
                            "; ".join(sorted(ctx.label(p) for p in places[item])),
                            "area_work",
                            [item],
                        )
                        if places[item]
                        else None,
                        ctx.figure(
                            f"work/{key}/with",
                            "; ".join(sorted(ctx.label(p) for p in partners[item])),
                            "area_work",
                            [item],
                        )
                        if partners[item]
                        else None,
                    ],
                )
            )
        counted += len(table.rows)
        sub.tables.append(table)
        section.subsections.append(sub)
    section.sentences.append(
        [
            "The sources of the period report ",
            ctx.figure(
                "work/count",
                str(counted),
                "area_work",
                [item for by_item in rows.values() for item in by_item],
                derived="the number of projects, activities, events and documents listed below",
            ),
            " projects, activities, events and documents of the partnership areas.",
        ]
    )
    return section
