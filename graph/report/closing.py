"""The part the seed report never had: funding reported directly by partners, and what is missing.

The seed report says partner funding "could not be included as there was no mechanism to gather
and report on these sums"; accepted submissions are that mechanism, and their funding flows are
listed here by donor, area and country (``donors_areas_countries``), each with who reported it and
when. What is missing is computed for the period (``graph.report.gaps``).
"""

from __future__ import annotations

from graph.report import gaps
from graph.report.context import Context, value
from graph.report.model import Figure, Part, Section, Table
from graph.report.model import Row as TableRow
from graph.report.section_two import carried_over
from graph.report.words import day, money, short


def partner_funding(ctx: Context) -> Section:
    """Accepted contributions' funding flows in the period, by donor, area and country."""
    section = Section("partner-funding", "Funding reported directly by partners")
    table = Table(
        "partner-funding",
        "Funding reported by partners through accepted submissions",
        ("Donor", "Partnership area", "Country", "Amount", "Reported by"),
        "donors_areas_countries",
        empty="No accepted submission reports funding for this period.",
    )
    for row in ctx.run("donors_areas_countries"):
        flow = value(row, "flow") or ""
        reported = [e for e in ctx.of(flow) if e.submission]
        if not reported or not ctx.in_period(flow):
            continue
        country = value(row, "country")
        key = f"{short(flow)}/{short(country) if country else 'no-country'}"
        amount = None
        if value(row, "value") is not None:
            amount = money(
                value(row, "value") or "", value(row, "currency"), value(row, "approximation")
            )
        sub = reported[0]
        by = (
            f"{ctx.label(sub.who)}, received {day(sub.received[:10])}"
            if sub.who and sub.received
            else None
        )
        if by and sub.accepted:
            by += f", accepted {day(sub.accepted)}"
        table.rows.append(
            TableRow(
                key,
                ctx.label(flow),
                [
                    ctx.name(
                        f"partner-funding/{key}/donor",
                        value(row, "funder"),
                        "donors_areas_countries",
                        flow,
                    ),
                    ctx.name(
                        f"partner-funding/{key}/area",
                        value(row, "area"),
                        "donors_areas_countries",
                        flow,
                    ),
                    ctx.name(
                        f"partner-funding/{key}/country", country, "donors_areas_countries", flow
                    )
                    if country
                    else None,
                    ctx.figure(
                        f"partner-funding/{key}/amount", amount, "donors_areas_countries", [flow]
                    ),
                    ctx.figure(
                        f"partner-funding/{key}/by",
                        by,
                        "donors_areas_countries",
                        [flow, sub.source],
                    ),
                ],
            )
        )
    if not table.rows:
        section.sentences.append(
            [
                "No accepted submission reports funding for this period. Partners report what "
                "they fund on the service's contribute page or with mercury-kg submit; the "
                "secretariat's review puts it here."
            ]
        )
    section.tables.append(table)
    return section


def missing(ctx: Context, unknown: list[tuple[str, Figure]]) -> Section:
    """Gaps in leadership, funding and reach, and the figures this report could not state."""
    section = Section("missing", "What is missing")
    section.tables.append(gaps.single_leads(ctx))
    section.tables.append(gaps.unfunded_areas(ctx))
    section.tables.append(gaps.planned_unfunded(ctx))
    section.tables.append(gaps.single_area_countries(ctx))
    section.tables.append(carried_over(ctx))
    if unknown:
        sentence: list[Part] = [f"Figures this report could not state ({len(unknown)}): "]
        for i, (what, fig) in enumerate(unknown):
            sentence += ["; " if i else "", what, " (", fig, ")"]
        sentence.append(".")
        section.sentences.insert(0, sentence)
    return section
