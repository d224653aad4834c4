"""The gate: a submission is checked against the merged graph, not alone.

The published graph plus the submission are validated with the SHACL shapes
(https://www.w3.org/TR/shacl/) and the quality checks (queries/checks). Only the nodes a
submission can affect are validated: its subjects and the nodes it links to (pySHACL's focus
nodes; RDF4J's ShaclSail does the same with the change set). Results that do not concern those
nodes are left out, because the published graph already conforms. Nothing is copied: SHACL Core
runs on the focus nodes' neighbourhood, and the SHACL-SPARQL constraints and the checks run on
a store of the published revision (``Index``, made once per revision) with the submission staged
in a named graph of its own for the time of the gate.

Beside the violations the gate reports warnings that do not block at submission: a funding flow
that may be money already reported, by the published graph or another pending submission, across
currencies (``graph.contrib.money``); accepting it then needs the reviewer's decision.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.check.checks import CheckFailure, load_checks, run_checks, run_checks_on
from graph.check.validate import Violation, load_shapes, validate, validate_focus
from graph.contrib.money import Flow, double_reporting, flows
from graph.namespaces import GMPD
from graph.oxi import store_from, to_ox
from graph.query.catalog import NamedQuery
from graph.query.engine import EmbeddedEngine

Triple = tuple[Node, Node, Node]


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


HOPS = 3
"""How far from a focus node the SHACL Core shapes look (sequence paths of up to three steps)."""
STAGED = URIRef("urn:x-mercury-kg:gate")
"""The named graph a submission is staged in while the gate runs (removed afterwards)."""


class Index:
    """What the gate needs of one published revision, made once: the data and a store of it."""

    def __init__(self, data: Graph, ontology: Graph) -> None:
        self.data = data
        self.ontology = ontology
        published = URIRef("urn:x-mercury-kg:published")
        self.store = store_from(
            [(s, p, o, published) for s, p, o in data]
            + [(s, p, o, published) for s, p, o in ontology]
        )
        self.lock = threading.Lock()
        """One gate at a time stages its triples in the store."""
        self._flows: list[Flow] | None = None

    def add(self, quads: list[tuple[Node, Node, Node, Node]]) -> None:
        """An accepted submission joins the published revision (its triples were validated)."""
        published = ox.NamedNode("urn:x-mercury-kg:published")
        with self.lock:
            self.store.extend(
                [ox.Quad(to_ox(s), to_ox(p), to_ox(o), published) for s, p, o, _g in quads]  # type: ignore[arg-type]
            )
            self._flows = None

    def flows(self) -> list[Flow]:
        """The published funding flows (made once)."""
        if self._flows is None:
            self._flows = flows(self.data)
        return self._flows

    def neighbourhood(self, focus: set[Node], extra: Graph) -> Graph:
        """The triples within ``HOPS`` of the focus nodes, and the links into them.

        Taken from the published graph and ``extra``, with the ontology.
        """
        out = Graph()
        for triple in self.ontology:
            out.add(triple)
        sources = (self.data, extra)
        frontier: set[Node] = set(focus)
        seen: set[Node] = set()
        for depth in range(HOPS):
            reached: set[Node] = set()
            for node in frontier - seen:
                seen.add(node)
                for src in sources:
                    for s, p, o in src.triples((node, None, None)):
                        out.add((s, p, o))
                        if isinstance(o, URIRef | BNode):
                            reached.add(o)
                    if depth == 0:
                        for triple in src.triples((None, None, node)):
                            out.add(triple)
            frontier = reached
        for node in frontier - seen:
            for src in sources:
                for triple in src.triples((node, RDF.type, None)):
                    out.add(triple)
        return out


def check(
    index: Index,
    additions: list[Triple],
    others: Iterable[tuple[str, Graph]] = (),
    shapes: Graph | None = None,
) -> Report:
    """Validate ``additions`` merged into the published graph; warn of flows reported twice.

    Args:
        index: the published revision (``Index``).
        additions: the submission's triples.
        others: pending submissions (id, triples) to compare funding flows with.
        shapes: the SHACL shapes (default: shapes/).
    """
    new = Graph()
    for triple in additions:
        new.add(triple)
    focus = affected(additions)
    neighbourhood = index.neighbourhood(focus, new)
    mentioned = {str(n) for n in focus}
    with index.lock:
        staged = ox.NamedNode(str(STAGED))
        index.store.extend(
            [ox.Quad(to_ox(s), to_ox(p), to_ox(o), staged) for s, p, o in additions]  # type: ignore[arg-type]
        )
        try:
            violations = validate_focus(
                neighbourhood, index.store, load_shapes() if shapes is None else shapes, focus
            )
            failures = [
                f
                for f in run_checks_on(EmbeddedEngine(index.store), _checks())
                if mentioned & set(f.row.values())
            ]
        finally:
            index.store.remove_graph(staged)
    sources = [("published", index.flows()), *((name, flows(g)) for name, g in others)]
    warnings = double_reporting(new, sources, index.data)
    return Report(violations, failures, warnings)


def full_check(data: Graph, ontology: Graph, additions: list[Triple]) -> Report:
    """The baseline the gate is measured against: every shape on every node, every check."""
    merged = Graph()
    for graph in (data, ontology):
        for triple in graph:
            merged.add(triple)
    for triple in additions:
        merged.add(triple)
    return Report(validate(merged, ontology), run_checks(merged, _checks()))


@cache
def _checks() -> list[NamedQuery]:
    return load_checks()


def sentence(report: Report, records: list[str]) -> str:
    """The first problem as a sentence naming the record id and field."""
    results = report.as_json()["results"]
    if not results:
        return "the submission does not conform"
    first = results[0]
    focus = first["focusNode"]
    record = next((r for r in sorted(records, key=len, reverse=True) if focus.startswith(r)), focus)
    path = first["path"].strip("<>")
    local = path.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1] if path else ""
    rest = focus[len(record) :].strip("/") if focus.startswith(record) else ""
    field = ".".join(x for x in (rest.split("/")[0] if rest else "", local) if x)
    where = f"record {record!r}" + (f", field {field!r}" if field else "")
    more = f" (and {len(results) - 1} more)" if len(results) > 1 else ""
    return f"{where}: {first['message']}{more}"
