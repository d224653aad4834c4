"""The part the seed report never had: funding reported directly by partners, and what is missing.

The seed report says partner funding "could not be included as there was no mechanism to gather
and report on these sums"; accepted submissions are that mechanism, and their funding flows are
listed here by donor, area and country (``donors_areas_countries``), each with who reported it and
when. What is missing is read from the gap queries: ``single_lead_areas``,
``areas_without_funding``, ``planned_unfunded`` and ``countries_single_area``.
"""

from __future__ import annotations

from graph.report.context import Context, value
from graph.report.model import Figure, Part, Section, Table
from graph.report.model import Row as TableRow
from graph.report.words import day, money, short, status_word


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
    section.tables.append(_single_leads(ctx))
    section.tables.append(_unfunded_areas(ctx))
    section.tables.append(_planned_unfunded(ctx))
    section.tables.append(_single_area_countries(ctx))
    if unknown:
        sentence: list[Part] = [f"Figures this report could not state ({len(unknown)}): "]
        for i, (what, fig) in enumerate(unknown):
            sentence += ["; " if i else "", what, " (", fig, ")"]
        sentence.append(".")
        section.sentences.insert(0, sentence)
    return section


def _single_leads(ctx: Context) -> Table:
    table = Table(
        "single-lead",
        "Areas with a single lead",
        ("Partnership area", "Lead"),
        "single_lead_areas",
        empty="Every area has more than one lead.",
    )
    for row in ctx.run("single_lead_areas"):
        area = value(row, "area") or ""
        key = short(area)
        table.rows.append(
            TableRow(
                key,
                ctx.label(area),
                [
                    ctx.name(f"single-lead/{key}", area, "single_lead_areas"),
                    ctx.name(f"single-lead/{key}/lead", value(row, "lead"), "single_lead_areas"),
                ],
            )
        )
    return table


def _unfunded_areas(ctx: Context) -> Table:
    table = Table(
        "unfunded-areas",
        "Areas with no funding flow",
        ("Partnership area", "Leads"),
        "areas_without_funding",
        empty="Every area has a funding flow.",
    )
    grouped: dict[str, list[str]] = {}
    for row in ctx.run("areas_without_funding"):
        lead = value(row, "lead")
        grouped.setdefault(value(row, "area") or "", []).extend([lead] if lead else [])
    for area, leads in grouped.items():
        key = short(area)
        table.rows.append(
            TableRow(
                key,
                ctx.label(area),
                [
                    ctx.name(f"unfunded-areas/{key}", area, "areas_without_funding"),
                    ctx.figure(
                        f"unfunded-areas/{key}/leads",
                        "; ".join(sorted(ctx.label(x) for x in leads)) or None,
                        "areas_without_funding",
                        leads,
                    ),
                ],
            )
        )
    return table


def _planned_unfunded(ctx: Context) -> Table:
    table = Table(
        "planned-unfunded",
        "Planned work with no funder",
        ("Item", "Partnership area", "Status"),
        "planned_unfunded",
        empty="All planned work has a funder.",
    )
    for row in ctx.run("planned_unfunded"):
        item = value(row, "item") or ""
        key = short(item)
        area = value(row, "area")
        table.rows.append(
            TableRow(
                key,
                ctx.label(item),
                [
                    ctx.name(f"planned-unfunded/{key}", item, "planned_unfunded"),
                    ctx.name(f"planned-unfunded/{key}/area", area, "planned_unfunded", item)
                    if area
                    else None,
                    ctx.figure(
                        f"planned-unfunded/{key}/status",
                        status_word(value(row, "status")),
                        "planned_unfunded",
                        [item],
                    ),
                ],
            )
        )
    return table


def _single_area_countries(ctx: Context) -> Table:
    table = Table(
        "single-area-countries",
        "Countries reached by one area only",
        ("Country", "Partnership area", "Items", "For example"),
        "countries_single_area",
        empty="No country is reached by one area only.",
    )
    for row in ctx.run("countries_single_area"):
        country, example = value(row, "country") or "", value(row, "example")
        key = short(country)
        table.rows.append(
            TableRow(
                key,
                ctx.label(country),
                [
                    ctx.name(
                        f"single-area-countries/{key}", country, "countries_single_area", example
                    ),
                    ctx.name(
                        f"single-area-countries/{key}/area",
                        value(row, "area"),
                        "countries_single_area",
                        example,
                    ),
                    ctx.figure(
                        f"single-area-countries/{key}/items",
                        value(row, "items"),
                        "countries_single_area",
                        [example],
                    ),
                    ctx.name(
                        f"single-area-countries/{key}/example", example, "countries_single_area"
                    ),
                ],
            )
        )
    return table
