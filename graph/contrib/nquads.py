"""A submission's triples as N-Quads and back (W3C RDF 1.1 N-Quads, https://www.w3.org/TR/n-quads/).

The ledger stores each submission as N-Quads in its own named graph; these turn them into the
rdflib views the gate and the published graph need. Oxigraph reads and writes the N-Quads (in
Rust, several times faster than rdflib's parser on a 200-record submission); the terms are then
rdflib's (``graph.oxi``).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.contrib.submission import Compiled, graph_iri
from graph.oxi import from_ox, to_ox


def nquads_of(compiled: Compiled) -> bytes:
    """A compiled submission as N-Quads in its own named graph (sorted, so stable)."""
    graph = ox.NamedNode(str(graph_iri(compiled.id)))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in compiled.triples]  # type: ignore[arg-type]
    return ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS) or b""


def load(ds: Dataset, nquads: bytes) -> None:
    """Add N-Quads to a dataset."""
    ds.addN(quads_of(nquads))


def quads_of(nquads: bytes) -> list[Any]:
    """N-Quads as (s, p, o, graph) tuples."""
    return [
        (
            from_ox(q.subject),
            from_ox(q.predicate),
            from_ox(q.object),
            DATASET_DEFAULT_GRAPH_ID
            if isinstance(q.graph_name, ox.DefaultGraph)
            else from_ox(q.graph_name),
        )
        for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    ]


def graph_of(nquads: bytes) -> Graph:
    """N-Quads merged into one graph."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o, _g in quads_of(nquads))
    return graph


def triples_of(nquads: bytes) -> Any:
    """N-Quads as the compiler's ``Triples``."""
    from graph.compile.triples import Triples

    out = Triples()
    for triple in graph_of(nquads):
        out.add(*triple)
    return out
