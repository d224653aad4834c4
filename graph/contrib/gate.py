"""The gate: a submission is checked against the merged graph, not alone.

The published graph plus the submission are validated with the SHACL shapes
(https://www.w3.org/TR/shacl/) and the quality checks (queries/checks). Only the nodes a
submission can affect are validated: its subjects and the nodes it links to (pySHACL's focus
nodes; RDF4J's ShaclSail does the same with the change set). Results that do not concern those
nodes are left out, because the published graph already conforms.

Beside the violations the gate reports warnings that do not block: a funding flow that may be
reported twice (same funder and funded item, amounts within 5 %, overlapping dates) by the
published graph or by another pending submission (IATI's double-counting problem).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME
from rdflib.term import Node

from graph.check.checks import CheckFailure, load_checks, run_checks
from graph.check.validate import Violation, validate
from graph.namespaces import GMP, GMPD, SCHEMA
from graph.query.catalog import NamedQuery

Triple = tuple[Node, Node, Node]
TOLERANCE = Decimal("0.05")
"""Amounts closer than this share of the larger one count as the same amount."""


@dataclass
class Report:
    """What the gate found."""

    violations: list[Violation] = field(default_factory=list)
    failures: list[CheckFailure] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """No violation and no check failure (warnings do not block)."""
        return not self.violations and not self.failures

    def as_json(self) -> dict[str, Any]:
        """The report as JSON: SHACL results by focus node, path and message."""
        return {
            "conforms": self.passed,
            "results": [
                {
                    "focusNode": short(v.focus),
                    "path": v.path,
                    "message": v.message or "constraint violated",
                    "severity": v.severity,
                    "constraint": v.component,
                    "shape": short(v.shape),
                    "value": v.value,
                }
                for v in self.violations
            ]
            + [
                {
                    "focusNode": short(next(iter(f.row.values()), "")),
                    "path": "",
                    "message": f.describe(),
                    "severity": "Violation",
                    "constraint": f.check,
                    "shape": "",
                    "value": "",
                }
                for f in self.failures
            ],
            "warnings": self.warnings,
        }


def short(iri: str) -> str:
    """Data IRIs as their ids."""
    return iri.removeprefix(str(GMPD))


def affected(additions: Iterable[Triple]) -> set[Node]:
    """The nodes a set of new triples can change the validity of: subjects and linked IRIs."""
    nodes: set[Node] = set()
    for s, _p, o in additions:
        nodes.add(s)
        if isinstance(o, URIRef) and str(o).startswith(str(GMPD)):
            nodes.add(o)
    return nodes


def check(
    published: Graph,
    ontology: Graph,
    additions: list[Triple],
    others: Iterable[tuple[str, Graph]] = (),
    shapes: Graph | None = None,
) -> Report:
    """Validate ``additions`` merged into ``published``; warn of flows reported twice.

    Args:
        published: the published graph's triples (the union of its named graphs).
        ontology: the ontology, for class membership.
        additions: the submission's triples.
        others: pending submissions (id, triples) to compare funding flows with.
        shapes: the SHACL shapes (default: shapes/).
    """
    merged = Graph()
    for triple in published:
        merged.add(triple)
    for triple in additions:
        merged.add(triple)
    focus = affected(additions)
    violations = validate(merged, ontology, shapes, focus)
    mentioned = {str(n) for n in focus}
    failures = [f for f in run_checks(merged + ontology) if mentioned & set(f.row.values())]
    new = Graph()
    for triple in additions:
        new.add(triple)
    warnings = double_reporting(new, [("published", published), *others])
    return Report(violations, failures, warnings)


@cache
def _checks() -> list[NamedQuery]:
    return load_checks()


@dataclass(frozen=True)
class Flow:
    """The parts of a funding flow that tell whether two reports are of the same money."""

    iri: Node
    funder: frozenset[Node]
    item: frozenset[Node]
    amount: Decimal | None
    earliest: date | None
    latest: date | None


def flows(graph: Graph) -> list[Flow]:
    """The funding flows of a graph."""
    out = []
    for flow in set(graph.subjects(RDF.type, GMP.FundingFlow)):
        value = None
        for amount in graph.objects(flow, SCHEMA.amount):
            v = graph.value(amount, SCHEMA.value)
            if isinstance(v, Literal):
                value = Decimal(str(v))
        earliest = latest = None
        for t in graph.objects(flow, TIME.hasTime):
            e, la = graph.value(t, GMP.earliest), graph.value(t, GMP.latest)
            earliest = e.toPython() if isinstance(e, Literal) else None
            latest = la.toPython() if isinstance(la, Literal) else None
        out.append(
            Flow(
                flow,
                frozenset(graph.objects(flow, SCHEMA.funder)),
                frozenset(graph.objects(flow, SCHEMA.fundedItem)),
                value,
                earliest if isinstance(earliest, date) else None,
                latest if isinstance(latest, date) else None,
            )
        )
    return out


def same_money(a: Flow, b: Flow) -> bool:
    """Same funder and item, amounts within 5 %, dates overlapping (unknown dates may overlap)."""
    if not (a.funder & b.funder and a.item & b.item):
        return False
    if a.amount is None or b.amount is None:
        return False
    larger = max(abs(a.amount), abs(b.amount))
    if larger and abs(a.amount - b.amount) / larger > TOLERANCE:
        return False
    if a.earliest and b.latest and a.earliest > b.latest:
        return False
    return not (b.earliest and a.latest and b.earliest > a.latest)


def double_reporting(new: Graph, sources: list[tuple[str, Graph]]) -> list[dict[str, Any]]:
    """Warnings for each new flow that may be one already reported elsewhere."""
    warnings = []
    for flow in flows(new):
        for name, graph in sources:
            for other in flows(graph):
                if other.iri != flow.iri and same_money(flow, other):
                    warnings.append(
                        {
                            "kind": "double-reporting",
                            "flow": short(str(flow.iri)),
                            "other": short(str(other.iri)),
                            "source": name,
                            "message": (
                                f"{short(str(flow.iri))} may report the same money as "
                                f"{short(str(other.iri))} ({name}): same funder and funded item, "
                                "amounts within 5 %, dates that overlap"
                            ),
                        }
                    )
    return warnings
