"""The introduction and Section I: membership, the areas, Table 2 (funds: ``graph.report.funds``).

The structure is the seed report's (July 2010 - June 2012). Each figure comes from a named query
(``report_sources``, ``partner_counts``, ``partnership_areas``, ``highlights``) and rests on the
passages of the facts it reads.
"""

from __future__ import annotations

from datetime import timedelta

from graph.report.context import Context, Row, value
from graph.report.model import Figure, Part, Section, Table
from graph.report.model import Row as TableRow
from graph.report.words import PLURALS, day, short

TYPES = ("pt-government", "pt-igo", "pt-ngo", "pt-other")


def introduction(ctx: Context) -> Section:
    """The period and the sources the report draws on (``report_sources``)."""
    first, last = ctx.period
    section = Section("introduction", "Introduction")
    section.sentences.append(
        [
            f"This document reports on the overall progress of the UNEP Global Mercury "
            f"Partnership for the period {day(first)} to {day(last)}. It is written from the "
            "knowledge graph: every figure links to the passage it rests on and to the named "
            "query that produced it. Figures the graph does not hold are printed as unknown."
        ]
    )
    table = Table(
        "sources",
        "Sources used",
        ("Source", "Reports on", "Attributed to", "Accepted"),
        "report_sources",
    )
    for row in ctx.run("report_sources"):
        source = value(row, "source") or ""
        if not ctx.in_period(source):
            continue
        start, end = value(row, "from"), value(row, "to")
        span = f"{day(start)} to {day(end)}" if start and end else None
        key = short(source)
        table.rows.append(
            TableRow(
                key,
                ctx.label(source),
                [
                    ctx.name(f"sources/{key}", source, "report_sources"),
                    ctx.figure(f"sources/{key}/period", span, "report_sources", [source]),
                    ctx.name(f"sources/{key}/by", value(row, "who"), "report_sources", source)
                    if value(row, "who")
                    else None,
                    ctx.figure(
                        f"sources/{key}/accepted",
                        value(row, "accepted"),
                        "report_sources",
                        [source],
                    )
                    if value(row, "received")
                    else None,
                ],
            )
        )
    section.tables.append(table)
    return section


def membership(ctx: Context) -> Section:
    """Partners on the first and the last day, by type, and the growth (``partner_counts``)."""
    first, last = ctx.period
    counts: dict[str, dict[str, Row]] = {}
    for row in ctx.run("partner_counts"):
        counts.setdefault(value(row, "date") or "", {})[short(value(row, "partner_type") or "")] = (
            row
        )
    opening_day = next(
        (d for d in (first.isoformat(), (first - timedelta(days=1)).isoformat()) if d in counts),
        None,
    )
    closing_day = last.isoformat() if last.isoformat() in counts else None
    section = Section("membership", "Membership")
    for label, when, wanted in (
        ("first", opening_day, first),
        ("last", closing_day, last),
    ):
        section.sentences.append(
            _partners_sentence(ctx, label, when, counts.get(when or "", {}), wanted.isoformat())
        )
    table = Table(
        "membership",
        "Official partners by type",
        ("Partner type", "First day", "Last day", "Change"),
        "partner_counts",
    )
    for t in (*TYPES, "pt-total"):
        a = counts.get(opening_day or "", {}).get(t)
        b = counts.get(closing_day or "", {}).get(t)
        fa = _count(ctx, f"membership/first/{t}", a)
        fb = _count(ctx, f"membership/last/{t}", b)
        change = None
        if a is not None and b is not None:
            change = int(value(b, "count") or 0) - int(value(a, "count") or 0)
        table.rows.append(
            TableRow(
                t,
                PLURALS[t],
                [
                    PLURALS[t],
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
    return section


def _count(ctx: Context, key: str, row: Row | None) -> Figure:
    if row is None:
        return ctx.figure(key, None, "partner_counts")
    obs = value(row, "observation")
    return ctx.figure(key, value(row, "count"), "partner_counts", [obs])


def _partners_sentence(
    ctx: Context, which: str, when: str | None, by_type: dict[str, Row], wanted: str
) -> list[Part]:
    if when is None:
        return [
            f"As of {day(wanted)}, the number of official partners is ",
            ctx.figure(
                f"membership/{which}/pt-total",
                None,
                "partner_counts",
                about=f"the number of official partners as of {day(wanted)}",
            ),
            ": no source in the graph counts them on that day.",
        ]
    parts: list[Part] = [
        "As of ",
        ctx.figure(
            f"membership/{which}/date",
            day(when),
            "partner_counts",
            [value(r, "observation") for r in by_type.values()],
        ),
        ", there were ",
        _count(ctx, f"membership/{which}/pt-total", by_type.get("pt-total")),
        " official partners in the Global Mercury Partnership, including ",
    ]
    for i, t in enumerate(TYPES):
        if i:
            parts.append(", and " if i == len(TYPES) - 1 else ", ")
        parts += [_count(ctx, f"membership/{which}/{t}", by_type.get(t)), f" {PLURALS[t]}"]
    parts.append(".")
    return parts


def areas(ctx: Context) -> Section:
    """The partnership areas and the status of their business plans (``partnership_areas``)."""
    section = Section("areas", "Overview of the partnership areas")
    table = Table(
        "areas",
        "The partnership areas and their business plans",
        ("Partnership area", "Business plan", "Established"),
        "partnership_areas",
    )
    statuses: dict[str, list[str]] = {}
    area_iris: list[str | None] = []
    for row in ctx.run("partnership_areas"):
        area, plan = value(row, "area") or "", value(row, "plan")
        area_iris.append(area)
        key = short(area)
        status = None
        if value(row, "plan_status") and ctx.in_period(plan):
            status = ctx.label(value(row, "plan_status"))
        if plan and status:
            statuses.setdefault(status, []).append(plan)
        established = value(row, "established")
        table.rows.append(
            TableRow(
                key,
                ctx.label(area),
                [
                    ctx.name(f"areas/{key}", area, "partnership_areas"),
                    ctx.figure(f"areas/{key}/plan", status, "partnership_areas", [plan]),
                    ctx.figure(
                        f"areas/{key}/established", day(established), "partnership_areas", [area]
                    )
                    if established
                    else None,
                ],
            )
        )
    sentence: list[Part] = [
        "The graph holds ",
        ctx.figure(
            "areas/count",
            str(len(table.rows)),
            "partnership_areas",
            area_iris,
            derived="the number of partnership areas",
        ),
        " partnership areas. Business plans were ",
    ]
    for i, (status, plans) in enumerate(sorted(statuses.items())):
        if i:
            sentence.append(" and ")
        sentence += [
            f"{status} for ",
            ctx.figure(
                f"areas/plans/{status}",
                str(len(plans)),
                "partnership_areas",
                plans,
                derived=f"the number of business plans {status}",
            ),
        ]
    sentence.append(" of them." if statuses else "not reported on in this period.")
    section.sentences.append(sentence)
    section.tables.append(table)
    return section


def highlights(ctx: Context) -> Section:
    """Table 2: the highlights of each area's activities (``highlights``)."""
    section = Section("highlights", "Summary of activities of the partnership areas")
    table = Table(
        "table-2",
        "Table 2: Highlights of partnership area activities",
        ("Partnership area", "No.", "Highlight", "Reports"),
        "highlights",
    )
    grouped: dict[str, list[Row]] = {}
    for row in ctx.run("highlights"):
        grouped.setdefault(value(row, "highlight") or "", []).append(row)
    for highlight, rows in grouped.items():
        if not ctx.in_period(highlight):
            continue
        first = rows[0]
        key = short(highlight)
        reports = [value(r, "reports") for r in rows if value(r, "reports")]
        table.rows.append(
            TableRow(
                key,
                ctx.label(highlight),
                [
                    ctx.name(f"table-2/{key}/area", value(first, "area"), "highlights", highlight),
                    ctx.figure(
                        f"table-2/{key}/ordinal", value(first, "ordinal"), "highlights", [highlight]
                    ),
                    ctx.name(f"table-2/{key}", highlight, "highlights"),
                    ctx.figure(
                        f"table-2/{key}/reports",
                        "; ".join(ctx.label(r) for r in reports) or None,
                        "highlights",
                        [highlight, *reports],
                    )
                    if reports
                    else None,
                ],
            )
        )
    section.tables.append(table)
    return section
