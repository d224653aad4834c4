"""The report's last section: what is missing for the period.

Gaps in leadership, funding and reach (``graph.report.gaps``), work carried over, and every
figure the report could not state. Funding reported directly by partners is
``graph.report.partner_funds``.
"""

from __future__ import annotations

from graph.report import gaps, say
from graph.report.context import Context
from graph.report.model import Figure, Section
from graph.report.section_two import carried_over


def missing(ctx: Context, unknown: list[tuple[str, Figure]]) -> Section:
    """Gaps in leadership, funding and reach, and the figures this report could not state."""
    section = Section("missing", say.text("missing", "title"))
    section.tables.append(gaps.single_leads(ctx))
    section.tables.append(gaps.unfunded_areas(ctx))
    section.tables.append(gaps.planned_unfunded(ctx))
    section.tables.append(gaps.single_area_countries(ctx))
    section.tables.append(carried_over(ctx))
    if unknown:
        section.sentences.insert(0, say.parts("missing", "sentence_unknown", unknown=unknown))
    return section
