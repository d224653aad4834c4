"""Serialise the dataset in the W3C RDF formats.

Triple formats (Turtle, N-Triples, RDF/XML) get the union of all named graphs; quad formats (TriG,
N-Quads, JSON-LD) keep the graphs. https://www.w3.org/TR/rdf11-concepts/#section-dataset
"""

from __future__ import annotations

from rdflib import Dataset, Graph

from graph.namespaces import PREFIXES

FORMATS: dict[str, tuple[str, bool]] = {
    "ttl": ("turtle", False),
    "nt": ("nt", False),
    "xml": ("xml", False),
    "trig": ("trig", True),
    "nq": ("nquads", True),
    "jsonld": ("json-ld", True),
}
"""Our format name -> (rdflib serializer, keeps named graphs)."""

MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
}


def union_graph(dataset: Dataset) -> Graph:
    """All named graphs merged into one graph, with the project's prefixes bound."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    for ctx in dataset.graphs():
        for triple in ctx:
            graph.add(triple)
    return graph


def serialize(dataset: Dataset, fmt: str) -> str:
    """The dataset in one of ``FORMATS``.

    Raises:
        KeyError: an unknown format name.
    """
    serializer, quads = FORMATS[fmt]
    target: Graph = dataset if quads else union_graph(dataset)
    return target.serialize(format=serializer)
