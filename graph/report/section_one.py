"""The introduction and Section I: membership, the areas, Table 2 (funds: ``graph.report.funds``).

The structure is the seed report's. Each figure comes from a named query
(``report_sources``, ``partner_counts``, ``partnership_areas``, ``highlights``) and rests on the
passages of the facts it reads.
"""

from __future__ import annotations

from datetime import date, timedelta

from graph.compile.timevalues import Precise
from graph.report import say
from graph.report.context import Context, Row, held_periods, value
from graph.report.model import Figure, Part, Section, Table
from graph.report.model import Row as TableRow
from graph.report.rows import Item
from graph.report.words import day, short

TYPES = ("pt-government", "pt-igo", "pt-ngo", "pt-other")


def introduction(ctx: Context) -> Section:
    """The period and the sources the report draws on (``report_sources``)."""
    first, last = ctx.period
    section = Section("introduction", say.text("introduction", "title"))
    section.sentences.append(
        say.parts("introduction", "sentence_period", first_day=day(first), last_day=day(last))
    )
    table = say.table("introduction", "sources", "sources", "report_sources")
    for row in ctx.run("report_sources"):
        source = value(row, "source") or ""
        if not ctx.in_period(source):
            continue
        start, end = value(row, "from"), value(row, "to")
        span = None
        if start and end:
            span = say.text("introduction", "cell_span", first_day=day(start), last_day=day(end))
        it = Item(ctx, "sources", source, "report_sources")
        table.rows.append(
            it.row(
                it.name(),
                it.said("period", span),
                it.names("by", value(row, "who"), source, optional=True),
                it.said("accepted", value(row, "accepted")) if value(row, "received") else None,
            )
        )
    section.tables.append(table)
    return section


def _counts(ctx: Context) -> dict[str, dict[str, Row]]:
    """Partner counts by date and partner type (``partner_counts``)."""
    counts: dict[str, dict[str, Row]] = {}
    for row in ctx.run("partner_counts"):
        counts.setdefault(value(row, "date") or "", {})[short(value(row, "partner_type") or "")] = (
            row
        )
    return counts


def closing_total(ctx: Context) -> tuple[str | None, list[str | None]]:
    """The official partners at the period's end and the observation stating it (None: unknown)."""
    counts = _counts(ctx)
    row = counts.get(_nearest(counts, ctx.period[1], opening=False) or "", {}).get("pt-total")
    if row is None:
        return None, []
    return value(row, "count"), [value(row, "observation")]


def membership(ctx: Context) -> Section:
    """Partners on the first and the last day, by type, and the growth (``partner_counts``)."""
    first, last = ctx.period
    counts = _counts(ctx)
    opening_day = _nearest(counts, first, opening=True)
    closing_day = _nearest(counts, last, opening=False)
    section = Section("membership", say.text("membership", "title"))
    for label, when, wanted in (
        ("first", opening_day, first),
        ("last", closing_day, last),
    ):
        section.sentences.append(
            _partners_sentence(ctx, label, when, counts.get(when or "", {}), wanted.isoformat())
        )
    table = say.table("membership", "membership", "membership", "partner_counts")
    for t in (*TYPES, "pt-total"):
        a = counts.get(opening_day or "", {}).get(t)
        b = counts.get(closing_day or "", {}).get(t)
        fa = _count(ctx, f"membership/first/{t}", a)
        fb = _count(ctx, f"membership/last/{t}", b)
        change = None
        if a is not None and b is not None:
            change = int(value(b, "count") or 0) - int(value(a, "count") or 0)
        plural = say.text("membership", f"cell_{t.removeprefix('pt-')}")
        table.rows.append(
            TableRow(
                t,
                plural,
                [
                    plural,
                    fa,
                    fb,
                    ctx.figure(
                        f"membership/change/{t}",
                        None if change is None else f"{change:+d}",
                        "partner_counts",
                        [
                            value(a, "observation") if a else None,
                            value(b, "observation") if b else None,
                        ],
                        derived="last day's count minus the first day's",
                    ),
                ],
            )
        )
    section.tables.append(table)
    if any(p.last < first for p in held_periods(ctx.engine)):  # new since an earlier period
        section.tables.append(_new_organisations(ctx))
    return section


def _new_organisations(ctx: Context) -> Table:
    """Organisations a source of this period names and no source of an earlier period does."""
    table = say.table("membership", "new_organisations", "new-organisations", "organisations")
    first = ctx.period[0].isoformat()
    types: dict[str, list[str]] = {}
    for row in ctx.run("organisations"):
        org = value(row, "organisation") or ""
        types.setdefault(org, [])
        if value(row, "partner_type"):
            types[org].append(value(row, "partner_type") or "")
    for org, kinds in types.items():
        if not ctx.in_period(org):
            continue
        if any(e.period[1] and e.period[1] < first for e in ctx.of(org)):
            continue  # named in an earlier period already
        it = Item(ctx, "new-organisations", org, "organisations")
        named = "; ".join(sorted(ctx.label(k) for k in kinds))
        table.rows.append(it.row(it.name(), it.said("type", named, optional=True)))
    return table


NEAR = timedelta(days=31)
"""How far from a period's first or last day a count may be dated and still count for it."""


def _nearest(counts: dict[str, dict[str, Row]], wanted: date, opening: bool) -> str | None:
    """The date of the count nearest a period's first day, or within its last month.

    The first day's count may be dated up to a month either side; the last day's within the
    month before it: a count "as of June 2014" is the count on 30 June 2014.
    """
    best: tuple[timedelta, str] | None = None
    for text in counts:
        try:
            when = Precise.parse(text)
        except ValueError:
            continue
        edge = when.earliest() if opening else when.latest()
        gap = abs(edge - wanted)
        inside = gap <= NEAR if opening else timedelta(0) <= wanted - edge <= NEAR
        if inside and (best is None or gap < best[0]):
            best = (gap, text)
    return best[1] if best else None


def _count(ctx: Context, key: str, row: Row | None) -> Figure:
    if row is None:
        return ctx.figure(key, None, "partner_counts")
    obs = value(row, "observation")
    return ctx.figure(key, value(row, "count"), "partner_counts", [obs])


def _partners_sentence(
    ctx: Context, which: str, when: str | None, by_type: dict[str, Row], wanted: str
) -> list[Part]:
    if when is None:
        total = ctx.figure(
            f"membership/{which}/pt-total",
            None,
            "partner_counts",
            about=f"the number of official partners as of {day(wanted)}",
        )
        return say.parts("membership", "sentence_uncounted", date=day(wanted), total=total)
    date_figure = ctx.figure(
        f"membership/{which}/date",
        day(when),
        "partner_counts",
        [value(r, "observation") for r in by_type.values()],
    )
    counts = {t: _count(ctx, f"membership/{which}/{t}", by_type.get(t)) for t in TYPES}
    return say.parts(
        "membership",
        "sentence_counted",
        date=date_figure,
        total=_count(ctx, f"membership/{which}/pt-total", by_type.get("pt-total")),
        governments=counts["pt-government"],
        igos=counts["pt-igo"],
        ngos=counts["pt-ngo"],
        others=counts["pt-other"],
    )


def areas(ctx: Context) -> Section:
    """The partnership areas and the status of their business plans (``partnership_areas``)."""
    section = Section("areas", say.text("areas", "title"))
    table = say.table("areas", "areas", "areas", "partnership_areas")
    statuses: dict[str, list[str]] = {}
    area_iris: list[str | None] = []
    for row in ctx.run("partnership_areas"):
        area, plan = value(row, "area") or "", value(row, "plan")
        area_iris.append(area)
        it = Item(ctx, "areas", area, "partnership_areas")
        status = None
        if value(row, "plan_status") and ctx.in_period(plan):
            status = ctx.label(value(row, "plan_status"))
        if plan and status:
            statuses.setdefault(status, []).append(plan)
        established = value(row, "established")
        table.rows.append(
            it.row(
                it.name(),
                it.said("plan", status, plan),
                it.said("established", day(established) if established else None, optional=True),
            )
        )
    count = ctx.figure(
        "areas/count",
        str(len(table.rows)),
        "partnership_areas",
        area_iris,
        derived="the number of partnership areas",
    )
    by_status = [
        (
            status,
            ctx.figure(
                f"areas/plans/{status}",
                str(len(plans)),
                "partnership_areas",
                plans,
                derived=f"the number of business plans {status}",
            ),
        )
        for status, plans in sorted(statuses.items())
    ]
    section.sentences.append(say.parts("areas", "sentence_plans", count=count, plans=by_status))
    section.tables.append(table)
    return section


def highlights(ctx: Context) -> Section:
    """Table 2: the highlights of each area's activities (``highlights``)."""
    section = Section("highlights", say.text("highlights", "title"))
    table = say.table("highlights", "highlights", "table-2", "highlights")
    grouped: dict[str, list[Row]] = {}
    for row in ctx.run("highlights"):
        grouped.setdefault(value(row, "highlight") or "", []).append(row)
    for highlight, rows in grouped.items():
        if not ctx.in_period(highlight):
            continue
        first = rows[0]
        it = Item(ctx, "table-2", highlight, "highlights")
        reports = [value(r, "reports") for r in rows if value(r, "reports")]
        said = "; ".join(ctx.label(r) for r in reports)
        table.rows.append(
            it.row(
                it.names("area", value(first, "area"), highlight),
                it.said("ordinal", value(first, "ordinal")),
                it.name(),
                it.said("reports", said, highlight, *reports, optional=True),
            )
        )
    section.tables.append(table)
    return section
