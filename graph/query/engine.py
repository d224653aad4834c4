"""Where queries run: the embedded Oxigraph store, or any SPARQL 1.1 endpoint.

On both engines parameters travel the same way: as a ``VALUES`` block serialised from typed RDF
terms (``term.n3()``), placed first in the query's top-level WHERE group
(https://www.w3.org/TR/sparql11-query/#inline-data), so the embedded engine and a remote SPARQL
1.1 endpoint (SPARQLWrapper, https://www.w3.org/TR/sparql11-protocol/) run the identical text. No
request string ever becomes query text: values are parsed into terms first
(graph.query.catalog.bind).
(pyoxigraph's own ``substitutions`` would need each parameter in the SELECT projection.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from graph.oxi import store_from
from graph.query.results import Result


class QueryError(Exception):
    """A query the engine refused or could not run (the message says why)."""


class Engine(Protocol):
    """Runs SELECT queries with bound parameters."""

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT query."""
        ...

    def labels(self, iris: list[URIRef]) -> dict[URIRef, str]:
        """Preferred labels of IRIs, for display."""
        ...


class EmbeddedEngine:
    """An in-memory Oxigraph store over the union of the dataset's graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._labels: dict[URIRef, str] | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> EmbeddedEngine:
        """Load an rdflib dataset (every named graph)."""
        return cls(store_from(dataset.quads((None, None, None, None))))  # type: ignore[arg-type]

    def _query(self, text: str, bindings: dict[str, Node] | None) -> object:
        """Run with the bindings as VALUES; SyntaxError and OSError become QueryError."""
        try:
            return self.store.query(
                with_values(text, dict(bindings or {})), use_default_graph_as_union=True
            )
        except (SyntaxError, OSError, ValueError) as exc:
            raise QueryError(str(exc)) from exc

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT query; rows keep Oxigraph's terms until read."""
        result = self._query(text, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT queries return rows")
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(sol) for sol in result)  # values in variable order, None if unbound
        return Result(variables, rows)

    def construct(self, text: str, bindings: dict[str, Node] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT (or DESCRIBE) query; return Oxigraph triples."""
        result = self._query(text, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def labels(self, iris: list[URIRef]) -> dict[URIRef, str]:
        """Labels from skos:prefLabel, else rdfs:label (read once, then cached)."""
        if self._labels is None:
            self._labels = {}
            for prop in (RDFS.label, SKOS.prefLabel):  # prefLabel wins: written last
                for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(prop)), None):
                    if isinstance(quad.subject, ox.NamedNode) and isinstance(
                        quad.object, ox.Literal
                    ):
                        self._labels[URIRef(quad.subject.value)] = quad.object.value
        return {i: self._labels[i] for i in iris if i in self._labels}


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(text: str, bindings: dict[str, Node | list[Node]]) -> str:
    """Put ``VALUES ?p { term ... }`` first in the top-level WHERE group (see test_queries)."""
    if not bindings:
        return text
    where = _where_end(text)
    if where is None:
        raise QueryError("a parameterised query needs an explicit WHERE { ... } clause")
    block = " ".join(
        f"VALUES ?{k} {{ {' '.join(t.n3() for t in (v if isinstance(v, list) else [v]))} }}"
        for k, v in sorted(bindings.items())
    )
    return f"{text[:where]} {block}{text[where:]}"


@lru_cache(maxsize=512)
def _where_end(text: str) -> int | None:
    """Offset just after the top-level ``WHERE {`` (cached: named queries are few)."""
    match = _WHERE.search(_blank_comments(text))
    return None if match is None else match.end()


def _blank_comments(text: str) -> str:
    """Replace comment lines by spaces of the same length (keeps offsets)."""
    return "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in text.split("\n")
    )
