"""Real SPARQL clients against the real server.

SPARQLWrapper and rdflib's SPARQLStore run every named query on ``/sparql`` and get the same rows
as in-process.
"""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from graph.query.catalog import bind, load_catalog
from graph.query.engine import EmbeddedEngine, with_values
from graph.query.results import Result, from_json

CATALOG = load_catalog()


def _without_comments(text: str) -> str:
    """Client libraries guess the query form from keywords, comments included."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_sparqlwrapper_gets_the_same_rows(
    name: str, live_server: str, engine: EmbeddedEngine
) -> None:
    q = CATALOG[name]
    bindings = bind(q, q.example_values())
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(_without_comments(with_values(q.text, dict(bindings))))
    remote = from_json(client.query().convert())  # type: ignore[arg-type]
    assert remote.canonical(q.ordered) == engine.select(q.text, bindings).canonical(q.ordered)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_rdflib_sparqlstore_gets_the_same_rows(
    name: str, live_server: str, engine: EmbeddedEngine
) -> None:
    q = CATALOG[name]
    bindings = bind(q, q.example_values())
    store = SPARQLStore(f"{live_server}/sparql", returnFormat="json")
    result = Graph(store=store).query(_without_comments(with_values(q.text, dict(bindings))))
    variables = tuple(str(v) for v in result.vars or [])
    rows = tuple(tuple(row[v] for v in variables) for row in result)  # type: ignore[index]
    theirs = Result(variables, rows)
    assert theirs.canonical(q.ordered) == engine.select(q.text, bindings).canonical(q.ordered)


def test_construct_through_sparqlwrapper(live_server: str) -> None:
    from SPARQLWrapper import TURTLE

    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://schema.org/Country> ; ?p ?o }")
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    g = Graph().parse(data=data, format="turtle")  # type: ignore[arg-type]
    assert len(set(g.subjects())) == 32
