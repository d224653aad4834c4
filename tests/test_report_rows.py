"""A report table's item rows (``graph/report/rows.py``): keys, labels, evidence, empty cells."""

from __future__ import annotations

from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report.context import Context, load_evidence, parse_period
from graph.report.model import UNKNOWN, Figure
from graph.report.rows import Item

AREA = "https://w3id.org/mercury-kg/id/area/asgm"
LEAD = "https://w3id.org/mercury-kg/id/org/unido"


def _item(engine: EmbeddedEngine, facts: tuple[str | None, ...] = ()) -> Item:
    ctx = Context(engine, load_catalog(), parse_period("2010-07/2012-06"), load_evidence(engine))
    return Item(ctx, "annex", AREA, "annex_leads_objectives", facts)


def test_a_row_is_keyed_by_its_item_and_names_it(engine: EmbeddedEngine) -> None:
    it = _item(engine)
    row = it.row(it.name(), None, "plain")
    assert (row.key, row.label) == ("area/asgm", "Artisanal and small-scale gold mining")
    name = row.cells[0]
    assert isinstance(name, Figure)
    assert (name.key, name.text, name.query) == (
        "annex/area/asgm",
        "Artisanal and small-scale gold mining",
        "annex_leads_objectives",
    )
    assert name.evidence == it.ctx.of(AREA)
    assert row.cells[1:] == [None, "plain"]


def test_a_cell_rests_on_the_item_unless_told_and_is_unknown_or_absent_without_text(
    engine: EmbeddedEngine,
) -> None:
    it = _item(engine)
    said = it.said("objective", "to reduce mercury use")
    assert said is not None and said.key == "annex/area/asgm/objective"
    assert said.evidence == it.ctx.of(AREA) and said.evidence
    lead = it.names("lead", LEAD, AREA)
    assert lead is not None and lead.text == "United Nations Industrial Development Organization"
    assert lead.evidence == it.ctx.of(LEAD, AREA)
    other = it.said("lead-only", "x", LEAD)
    assert other is not None and other.evidence == it.ctx.of(LEAD)
    unknown = it.said("status", None)
    assert unknown is not None and unknown.text == UNKNOWN
    assert it.said("status", "", optional=True) is None
    assert it.names("lead", None, optional=True) is None
    missing = it.names("lead", None)
    assert missing is not None and missing.unknown


def test_an_items_name_rests_on_further_facts_too(engine: EmbeddedEngine) -> None:
    it = _item(engine, (LEAD,))
    assert it.name().evidence == it.ctx.of(AREA, LEAD)
    assert it.name().evidence != it.ctx.of(AREA)
