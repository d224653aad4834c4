"""What changed since the previous reporting period, where the graph holds both.

The same measures counted for the previous period and this one, from the same revision: the
official partners at each period's end (``partner_counts``), the work the areas reported
(``area_work``), the funding flows (``funding_flows``) and the Table 2 highlights
(``highlights``). Each count rests on the passages of what it counts; a count no source gives is
unknown, and so is its change.
"""

from __future__ import annotations

from graph.report import say
from graph.report.context import Context, Held, held_periods, value
from graph.report.model import Figure, Section
from graph.report.model import Row as TableRow
from graph.report.section_one import closing_total

MEASURES: tuple[tuple[str, str, str], ...] = (
    ("work", "area_work", "item"),
    ("flows", "funding_flows", "flow"),
    ("highlights", "highlights", "highlight"),
)
"""(key, the named query, its column of the things counted); ``since.j2``'s ``cell_<key>`` says
what is counted."""


def previous_period(ctx: Context) -> Held | None:
    """The reporting period that ends last before this report's period starts."""
    earlier = [p for p in held_periods(ctx.engine) if p.last < ctx.period[0]]
    return earlier[-1] if earlier else None


def _counted(ctx: Context, query: str, column: str) -> set[str]:
    return {
        value(row, column) or ""
        for row in ctx.run(query)
        if value(row, column) and ctx.in_period(value(row, column))
    }


def since(ctx: Context) -> Section | None:
    """The measures of the previous period beside this one's, or None without a previous one."""
    previous = previous_period(ctx)
    if previous is None:
        return None
    before = Context(ctx.engine, ctx.catalog, (previous.first, previous.last), ctx.evidence)
    section = Section("since", say.text("since", "title", previous=previous.label))
    table = say.table("since", "since", "since", "area_work", previous=previous.label)
    measured = [("partners", "partner_counts", closing_total(before), closing_total(ctx))]
    measured += [
        (key, query, _count(before, query, column), _count(ctx, query, column))
        for key, query, column in MEASURES
    ]
    for key, query, (then, then_facts), (now, now_facts) in measured:
        what = say.text("since", f"cell_{key}")
        change = None
        if then is not None and now is not None:
            change = f"{int(now) - int(then):+d}"
        cells: list[Figure | str | None] = [
            what,
            ctx.figure(f"since/{key}/previous", then, query, then_facts),
            ctx.figure(f"since/{key}/now", now, query, now_facts),
            ctx.figure(
                f"since/{key}/change",
                change,
                query,
                [*then_facts, *now_facts],
                derived="this period's count minus the previous period's",
            ),
        ]
        table.rows.append(TableRow(key, what, cells))
    section.tables.append(table)
    return section


def _count(c: Context, query: str, column: str) -> tuple[str | None, list[str | None]]:
    found = sorted(_counted(c, query, column))
    return str(len(found)), list(found)
