"""Validate the graph against the SHACL shapes, fast enough for start-up.

SHACL Core shapes run in pySHACL (https://www.w3.org/TR/shacl/#core-components). SHACL-SPARQL
constraints (https://www.w3.org/TR/shacl/#sparql-constraints) run once each over the whole graph
on the embedded Oxigraph engine instead of once per focus node on rdflib's engine; their results
are then restricted to the shape's focus nodes, which gives the same violations (the shapes'
queries bind ``$this`` themselves; tests/test_shapes.py checks both paths agree). The plain
``pyshacl.validate`` path stays available as ``validate_plain`` for comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from graph import paths
from graph.namespaces import SH
from graph.oxi import from_ox, store_from

_RESULT_VAR = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True, order=True)
class Violation:
    """One validation result, in terms a curator can act on."""

    focus: str
    component: str
    shape: str
    message: str
    path: str = ""
    value: str = ""
    severity: str = "Violation"


def load_shapes(directory: Path = paths.SHAPES_DIR) -> Graph:
    """Parse every ``*.ttl`` in the shapes folder."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def split_shapes(shapes: Graph) -> tuple[Graph, list[tuple[URIRef, Node]]]:
    """Core shapes without their ``sh:sparql`` constraints, and the (shape, constraint) pairs."""
    core = Graph()
    sparql: list[tuple[URIRef, Node]] = []
    for s, p, o in shapes:
        if p == SH.sparql and isinstance(s, URIRef):
            sparql.append((s, o))
        else:
            core.add((s, p, o))
    return core, sparql


def validate(
    data: Graph,
    ontology: Graph,
    shapes: Graph | None = None,
    focus: set[Node] | None = None,
) -> list[Violation]:
    """All violations of ``data`` (with ``ontology`` for class membership) against the shapes.

    With ``focus``, only the results of those focus nodes are kept (SHACL Core and SPARQL
    constraints alike): what a change can break. ``validate_focus`` does it without the whole
    graph.
    """
    shapes = load_shapes() if shapes is None else shapes
    core, sparql = split_shapes(shapes)
    union = data + ontology
    return sorted(_core_results(union, core, focus) + _sparql_results(union, shapes, sparql, focus))


def validate_plain(data: Graph, ontology: Graph, shapes: Graph) -> list[Violation]:
    """The baseline: pyshacl on everything, SPARQL constraints once per focus node."""
    return _core_results(data + ontology, shapes)


def _core_results(data: Graph, shapes: Graph, focus: set[Node] | None = None) -> list[Violation]:
    """The results of pySHACL on ``data``; with ``focus``, those whose focus node is one of them.

    The focus is applied by the shapes' targets (``_retargeted``), not through pySHACL's
    ``focus_nodes``: that option skips every shape evaluated for a node outside the list, nested
    ones too, so a literal or nested value checked by ``sh:qualifiedValueShape``, ``sh:or`` or
    ``sh:xone`` always conformed (a fact with only a Spanish label passed "needs an English
    label"), and it tests each target's membership in a list, quadratic in the number of focus
    nodes.
    """
    if focus is not None and not focus:
        return []
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if focus is None else _retargeted(shapes, data, focus),
        inference="none",
        allow_warnings=True,
        advanced=False,
        js=False,
        do_owl_imports=False,
    )
    if conforms:
        return []
    if not isinstance(report, Graph):  # pyshacl returns a ValidationFailure for a bad shape
        raise ValueError(f"the shapes could not be applied: {report}")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        out.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                component=_local(report.value(result, SH.sourceConstraintComponent)),
                shape=_shape_name(report, result),
                message=str(report.value(result, SH.resultMessage) or ""),
                path=_n3(report.value(result, SH.resultPath)),
                value=_n3(report.value(result, SH.value)),
                severity=_local(report.value(result, SH.resultSeverity)),
            )
        )
    return out


def _shape_name(report: Graph, result: Node) -> str:
    """The node shape a result belongs to (property shapes are blank nodes inside one)."""
    shape = report.value(result, SH.sourceShape)
    return str(shape) if isinstance(shape, URIRef) else ""


def validate_focus(
    neighbourhood: Graph, store: ox.Store, shapes: Graph, focus: set[Node]
) -> list[Violation]:
    """Violations of ``focus`` nodes, without copying the whole graph.

    SHACL Core runs on their ``neighbourhood`` (the triples the shapes can reach from them, with
    the ontology), SHACL-SPARQL on the whole ``store`` (queried as the union of its named
    graphs): the gate's fast path, giving the results of ``validate(..., focus)``.
    """
    core, sparql = split_shapes(shapes)
    return sorted(
        _core_results(neighbourhood, core, focus)
        + _sparql_results(neighbourhood, shapes, sparql, focus, store)
    )


def _sparql_results(
    union: Graph,
    shapes: Graph,
    constraints: Iterable[tuple[URIRef, Node]],
    only: set[Node] | None = None,
    store: ox.Store | None = None,
) -> list[Violation]:
    if store is None:
        store = store_from((s, p, o, URIRef("urn:x-local:data")) for s, p, o in union)
    out = []
    for shape, constraint in constraints:
        focus = _focus_nodes(union, shapes, shape)
        query = _prefix_block(shapes, constraint) + str(shapes.value(constraint, SH.select))
        template = str(shapes.value(constraint, SH.message) or "SPARQL constraint violated")
        rows = store.query(query, use_default_graph_as_union=True)
        if not isinstance(rows, ox.QuerySolutions):
            raise ValueError(f"shape {shape}: sh:select must be a SELECT query")
        for row in rows:
            this = from_ox(row["this"])
            if this not in focus or (only is not None and this not in only):
                continue
            message = _fill(template, {v: row[v] for v in _RESULT_VAR.findall(template)})
            out.append(Violation(str(this), "SPARQLConstraintComponent", str(shape), message))
    return out


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
"""SHACL's target declarations (https://www.w3.org/TR/shacl/#targets)."""


def _retargeted(shapes: Graph, data: Graph, focus: set[Node]) -> Graph:
    """The shapes with each shape's targets replaced by its focus nodes among ``focus``.

    A shape targets exactly the nodes of ``focus`` (IRIs) it targeted in ``data``, as
    ``sh:targetNode``; every other shape and constraint is unchanged, so nested shapes and
    values are checked as in a validation of the whole graph.
    """
    out = Graph()
    out += shapes
    wanted = {n for n in focus if isinstance(n, URIRef)}
    for shape in {s for t in TARGETS for s in shapes.subjects(t, None)}:
        for target in TARGETS:
            out.remove((shape, target, None))
        for node in _focus_nodes(data, shapes, shape) & wanted:
            out.add((shape, SH.targetNode, node))
    return out


def _focus_nodes(data: Graph, shapes: Graph, shape: Node) -> set[Node]:
    """A shape's focus nodes: its target classes (with subclasses), subjects, objects, nodes."""
    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    return nodes


def _prefix_block(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            lines.append(
                f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>"
            )
    return "\n".join(sorted(lines)) + "\n"


def _fill(template: str, values: dict[str, object]) -> str:
    """Substitute ``{?var}`` / ``{$var}`` in a sh:message with the row's values."""
    return _RESULT_VAR.sub(lambda m: _plain(values.get(m.group(1))), template)


def _plain(term: object) -> str:
    if term is None:
        return "?"
    return str(getattr(term, "value", term))


def _local(term: Node | None) -> str:
    if term is None:
        return ""
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text


def _n3(term: Node | None) -> str:
    return "" if term is None else (str(term) if not isinstance(term, Literal) else term.n3())


def label_of(graph: Graph, node: str) -> str:
    """The English label of a node, or an empty string."""
    for prop in (SKOS.prefLabel, RDFS.label):
        value = graph.value(URIRef(node), prop)
        if value is not None:
            return str(value)
    return ""
