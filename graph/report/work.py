"""What the partnership areas did in the period: projects, activities, events and documents.

From the named query ``area_work``: per area, each piece of work whose evidence reports on the
period (the seed report, or a submission on the period), with its kind, status, dates at the
precision given, places and the organisations involved, every cell resting on the item's own
passages. An area with nothing in the period says so.
"""

from __future__ import annotations

from graph.report import say
from graph.report.context import Context, Row, value
from graph.report.model import Section
from graph.report.rows import Item
from graph.report.words import day, short, status_word

KINDS = {
    "Project": "project",
    "Activity": "activity",
    "Event": "event",
    "CreativeWork": "document",
}
"""Each kind's wording block (``cell_<word>`` of ``work.j2``), by the local name of its class."""


def _kind(row: Row) -> str:
    kind = (value(row, "kind") or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return say.text("work", f"cell_{KINDS[kind]}") if kind in KINDS else kind


def _when(row: Row) -> str | None:
    first, last = value(row, "from"), value(row, "to")
    if first and last and first == last:
        return say.text("work", "cell_on", day=day(first))
    if first and last:
        return say.text("work", "cell_span", first_day=day(first), last_day=day(last))
    if first:
        return say.text("work", "cell_from", first_day=day(first))
    if last:
        return say.text("work", "cell_until", last_day=day(last))
    return None


def _names(ctx: Context, iris: set[str]) -> str:
    """The resources' labels in alphabetical order, separated by semicolons."""
    return "; ".join(sorted(ctx.label(iri) for iri in iris))


def work(ctx: Context) -> Section:
    """Per area, the period's work with status, dates, places and partners (``area_work``)."""
    section = Section("work", say.text("work", "title"))
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
        name = ctx.label(area)
        sub = Section(f"work/{akey}", say.text("work", "heading_area", area=name))
        table = say.table("work", "area", f"work/{akey}", "area_work", area=name)
        for item, row in rows.get(area, {}).items():
            it = Item(ctx, f"work/{akey}", item, "area_work")
            table.rows.append(
                it.row(
                    it.name(),
                    it.said("kind", _kind(row)),
                    it.said("status", status_word(value(row, "status")), optional=True),
                    it.said("when", _when(row), optional=True),
                    it.said("where", _names(ctx, places[item]), optional=True),
                    it.said("with", _names(ctx, partners[item]), optional=True),
                )
            )
        counted += len(table.rows)
        sub.tables.append(table)
        section.subsections.append(sub)
    count = ctx.figure(
        "work/count",
        str(counted),
        "area_work",
        [item for by_item in rows.values() for item in by_item],
        derived="the number of projects, activities, events and documents listed below",
    )
    section.sentences.append(say.parts("work", "sentence_count", count=count))
    return section
