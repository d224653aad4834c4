"""A submission's triples as N-Quads and back (W3C RDF 1.1 N-Quads, https://www.w3.org/TR/n-quads/).

The ledger stores each submission as N-Quads in its own named graph; these turn them into the
rdflib views the gate and the published graph need.
"""

from __future__ import annotations

from typing import Any

from rdflib import Dataset, Graph

from graph.contrib.submission import Compiled, graph_iri


def nquads_of(compiled: Compiled) -> bytes:
    """A compiled submission as N-Quads in its own named graph."""
    ds = Dataset()
    g = ds.graph(graph_iri(compiled.id))
    for triple in compiled.triples:
        g.add(triple)
    return ds.serialize(format="nquads").encode("utf-8")


def load(ds: Dataset, nquads: bytes) -> None:
    """Add N-Quads to a dataset."""
    ds.parse(data=nquads.decode("utf-8"), format="nquads")


def quads_of(nquads: bytes) -> list[Any]:
    """N-Quads as (s, p, o, graph) tuples."""
    ds = Dataset()
    load(ds, nquads)
    return [(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))]


def graph_of(nquads: bytes) -> Graph:
    """N-Quads merged into one graph."""
    ds = Dataset()
    load(ds, nquads)
    graph = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def triples_of(nquads: bytes) -> Any:
    """N-Quads as the compiler's ``Triples``."""
    from graph.compile.triples import Triples

    out = Triples()
    for triple in graph_of(nquads):
        out.add(*triple)
    return out
