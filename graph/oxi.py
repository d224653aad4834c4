"""Move RDF between rdflib terms and pyoxigraph, the embedded SPARQL engine.

pyoxigraph answers our join queries 17-50x faster than rdflib's engine (see
../shared/design/performance.md); rdflib stays the tool for parsing, serialising and pyshacl.
Oxigraph: https://pyoxigraph.readthedocs.io/
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term: object) -> Node:
    """Convert one pyoxigraph term back to rdflib."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r}")


def store_from(quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> ox.Store:
    """An in-memory store holding the quads (graph names kept)."""
    store = ox.Store()
    store.extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
        for s, p, o, g in quads
    )
    return store


def construct(store: ox.Store, query: str) -> list[tuple[Node, Node, Node]]:
    """Run a CONSTRUCT over the union of the store's graphs; return rdflib triples."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QueryTriples):
        raise ValueError("a derivation rule must be a CONSTRUCT query")
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result]
