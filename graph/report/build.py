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
from graph.report import closing, funds, partner_funds, say, section_one, section_two, since, work
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
    one = Section("section-1", say.text("section-1", "title"))
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
        title=say.text("report", "title", first_month=_month(first), last_month=_month(last)),
        period=(first.isoformat(), last.isoformat()),
        revision=revision,
        catalogue=catalogue_version(catalog),
        sections=sections,
    )
    report.sections.append(closing.missing(ctx, report.unknowns()))
    by_key = {f.key: f for f in report.figures()}
    report.glance = [
        (say.text("report", f"glance_{what}"), by_key[key]) for what, key in GLANCE if key in by_key
    ]
    report.labels = {e.who: ctx.label(e.who) for f in report.figures() for e in f.evidence if e.who}
    return report


GLANCE = (
    ("partners_first", "membership/first/pt-total"),
    ("partners_last", "membership/last/pt-total"),
    ("change", "membership/change/pt-total"),
    ("funds", "funds/flow/total-through-unep/amount"),
    ("areas", "areas/count"),
)
"""The title page's figures: (the ``glance_*`` block of ``report.j2`` naming it, figure key)."""


def _month(d: date) -> str:
    return day(d.isoformat()[:7])


def _span(first: date, last: date) -> str:
    """'July 2012 - June 2014': how captions name the report's period."""
    return say.text("report", "caption_span", first_month=_month(first), last_month=_month(last))


def _draw(ctx: Context, areas: Section, partners: Section, span: str) -> None:
    """The partnership network beside the areas, the donors network beside partner funding.

    Each is drawn from the facts of the period and captioned with it.
    """
    full, title = network.make_view(ctx.engine, "full", None, None, 1)
    g = network.of_facts(full, ctx.in_period)
    areas.images.append(
        (
            say.text(
                "report",
                "caption_network",
                span=span,
                view=title,
                nodes=g.number_of_nodes(),
                links=g.number_of_edges(),
            ),
            "image/svg+xml",
            draw(g, "svg", "", "betweenness"),
        )
    )
    donors, title = network.make_view(ctx.engine, "donors", None, None, 1)
    g = network.of_facts(donors, ctx.in_period)
    partners.images.append(
        (
            say.text("report", "caption_donors", span=span, view=title, nodes=g.number_of_nodes()),
            "image/svg+xml",
            draw(g, "svg", "", "weighted_degree"),
        )
    )
