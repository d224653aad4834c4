"""Texts the graph presents as the report's own words occur in the passages the node cites."""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.namespace import ORG, PROV

from graph.compile.passages import SourceText
from graph.namespaces import GMP, OA


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_area_objectives_are_verbatim_from_cited_passages(graph: Graph) -> None:
    """An objective split by the layout (supply and storage) is the join of its cited passages."""
    wrong = []
    for area, objective in graph.subject_objects(ORG.purpose):
        quotes = [
            str(graph.value(sel, OA.exact))
            for p in graph.objects(area, PROV.wasDerivedFrom)
            for sel in graph.objects(p, OA.hasSelector)
            if graph.value(sel, OA.exact) is not None
        ]
        joined = " ".join(_squash(q) for q in sorted(quotes, key=len, reverse=True))
        every_order = {joined, " ".join(_squash(q) for q in sorted(quotes, key=len))}
        if not any(_squash(str(objective)) in j for j in every_order) and not any(
            _squash(str(objective)) in _squash(q) for q in quotes
        ):
            wrong.append(str(area))
    assert not wrong, f"objectives not found in their cited passages: {wrong}"


def test_commitment_levels_are_the_reports_verbs(graph: Graph, source: SourceText) -> None:
    verbs = {str(o) for o in graph.objects(None, GMP.commitmentLevel)}
    assert verbs == {"has set", "promotes"}
    assert all(v in source.text for v in verbs)
