"""What a submission changes in the report's figures: the named queries behind its tables.

The queries that feed the progress report's tables (funding breakdown, donors by area and
country, funding by funder, partner counts, the membership table) run on the published graph and
on the published graph plus the submission; the reviewer sees the rows each one gains and
loses. The queries are the catalogue's own ``.rq`` files, run unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Dataset
from rdflib.term import Node

from graph.contrib.submission import graph_iri
from graph.namespaces import shorten
from graph.oxi import store_from
from graph.query.catalog import bind, load_catalog
from graph.query.engine import EmbeddedEngine

REPORT_QUERIES = (
    "funding_breakdown_table",
    "donors_areas_countries",
    "money_totals",
    "funding_by_funder",
    "partner_counts",
    "membership_table",
)
"""The named queries behind the report's figures."""


def _rows(engine: EmbeddedEngine, name: str) -> tuple[list[str], set[tuple[str, ...]]]:
    query = load_catalog()[name]
    result = engine.select(query.text, bind(query, query.example_values()))
    rows = {tuple("" if t is None else shorten(str(t)) for t in row) for row in result.rows}
    return list(result.variables), rows


def figures_diff(
    published: Dataset, additions: Iterable[tuple[Node, Node, Node]], sid: str
) -> list[dict[str, Any]]:
    """Per report query: its columns and the rows the submission adds and removes."""
    quads: list[Any] = list(published.quads((None, None, None, None)))
    before = EmbeddedEngine(store_from(quads))
    graph = graph_iri(sid)
    after = EmbeddedEngine(store_from([*quads, *((s, p, o, graph) for s, p, o in additions)]))
    out = []
    for name in REPORT_QUERIES:
        columns, old = _rows(before, name)
        _, new = _rows(after, name)
        out.append(
            {
                "query": name,
                "title": load_catalog()[name].title,
                "columns": columns,
                "added": sorted(new - old),
                "removed": sorted(old - new),
            }
        )
    return out
