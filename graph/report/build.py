"""The progress report of one period, assembled from one revision of the graph.

Sections in the seed report's order (Introduction; Section I: membership, funds, areas, Table 2;
Section II: Table 3; next steps; Annex), then the funding partners reported directly and what is
missing. The network and donors figures are drawn from the same revision
(``graph.network.figure``).
"""

from __future__ import annotations

from datetime import date

from graph.network import project as network
from graph.network.figure import draw
from graph.query.catalog import NamedQuery
from graph.query.engine import EmbeddedEngine
from graph.report import closing, funds, partner_funds, section_one, section_two, since, work
from graph.report.context import Context, catalogue_version, default_period, load_evidence
from graph.report.model import Report, Section
from graph.report.words import day


def build_report(
    engine: EmbeddedEngine,
    catalog: dict[str, NamedQuery],
    revision: str,
    period: tuple[date, date] | None = None,
    figures: bool = True,
) -> Report:
    """The report of ``period`` (default: the open reporting period) from the engine's revision."""
    evidence = load_evidence(engine)
    ctx = Context(engine, catalog, period or default_period(engine), evidence)
    first, last = ctx.period
    one = Section("section-1", "Section I: Assessment of overall progress")
    one.subsections = [
        section_one.membership(ctx),
        funds.funds(ctx),
        section_one.areas(ctx),
        work.work(ctx),
        section_one.highlights(ctx),
    ]
    partners = partner_funds.partner_funding(ctx)
    if figures:
        _draw(ctx, one.subsections[2], partners, _span(first, last))
    sections = [
        section_one.introduction(ctx),
        *[s for s in (since.since(ctx),) if s is not None],
        one,
        section_two.improvement(ctx),
        section_two.next_steps(ctx),
        section_two.annex(ctx),
        partners,
    ]
    report = Report(
        title="Overall progress of the UNEP Global Mercury Partnership from "
        f"{_month(first)} to {_month(last)}",
        period=(first.isoformat(), last.isoformat()),
        revision=revision,
        catalogue=catalogue_version(catalog),
        sections=sections,
    )
    report.sections.append(closing.missing(ctx, report.unknowns()))
    by_key = {f.key: f for f in report.figures()}
    report.glance = [(what, by_key[key]) for what, key in GLANCE if key in by_key]
    report.labels = {e.who: ctx.label(e.who) for f in report.figures() for e in f.evidence if e.who}
    return report


GLANCE = (
    ("Official partners on the first day", "membership/first/pt-total"),
    ("Official partners on the last day", "membership/last/pt-total"),
    ("Change over the period", "membership/change/pt-total"),
    ("Financial support provided through UNEP", "funds/flow/total-through-unep/amount"),
    ("Partnership areas", "areas/count"),
)
"""The title page's figures: (what, figure key)."""


def _month(d: date) -> str:
    return day(d.isoformat()[:7])


def _span(first: date, last: date) -> str:
    """'July 2012 - June 2014': how captions name the report's period."""
    return f"{_month(first)} - {_month(last)}"


def _draw(ctx: Context, areas: Section, partners: Section, span: str) -> None:
    """The partnership network beside the areas, the donors network beside partner funding.

    Each is drawn from the facts of the period and captioned with it.
    """
    full, title = network.make_view(ctx.engine, "full", None, None, 1)
    g = network.of_facts(full, ctx.in_period)
    areas.images.append(
        (
            f"The partnership network in {span} ({title}: {g.number_of_nodes()} nodes, "
            f"{g.number_of_edges()} links from the period's sources), nodes sized by betweenness",
            "image/svg+xml",
            draw(g, "svg", "", "betweenness"),
        )
    )
    donors, title = network.make_view(ctx.engine, "donors", None, None, 1)
    g = network.of_facts(donors, ctx.in_period)
    partners.images.append(
        (
            f"Donors, the areas they fund and the countries reached, {span} ({title}: "
            f"{g.number_of_nodes()} nodes from the period's flows), nodes sized by weighted degree",
            "image/svg+xml",
            draw(g, "svg", "", "weighted_degree"),
        )
    )
