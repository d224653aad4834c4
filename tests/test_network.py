"""The network projection agrees with SPARQL counts of the same facts; exports parse back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from graph import network
from graph.engine import EmbeddedEngine
from graph.namespaces import GMPD
from service.cli import main

PREFIXES = """PREFIX gmp: <https://w3id.org/mercury-kg/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dct: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def g(engine: EmbeddedEngine) -> nx.MultiDiGraph:
    return network.project(engine)


def _count(engine: EmbeddedEngine, where: str) -> int:
    result = engine.select(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(result.rows[0][0].toPython())  # type: ignore[union-attr]


def test_edge_counts_agree_with_sparql(g: nx.MultiDiGraph, engine: EmbeddedEngine) -> None:
    counts = network.relation_counts(g)
    leads = _count(engine, "?m org:role ?r ; org:organization ?a . ?r org:roleProperty gmp:leads")
    assert counts["lead"] + counts["co-lead"] + counts["co-chair"] == leads == 11
    assert counts["co-lead"] == 4 and counts["co-chair"] == 1
    funded_by_agents = _count(
        engine, "?f a gmp:FundingFlow ; schema:funder ?x ; schema:fundedItem ?i"
    )
    assert counts["funds"] >= funded_by_agents
    in_area = _count(
        engine,
        "{ ?x a gmp:Project } UNION { ?x a gmp:Activity } UNION { ?x a schema:Event } "
        "?x gmp:partnershipArea ?a",
    )
    assert counts["in area"] == in_area
    located = _count(
        engine,
        "{ ?x a gmp:Project } UNION { ?x a gmp:Activity } UNION { ?x a schema:Event } "
        "?x dct:spatial ?c . ?c a schema:Country",
    )
    assert counts["located in"] == located


def test_node_counts_agree_with_sparql(g: nx.MultiDiGraph, engine: EmbeddedEngine) -> None:
    kinds = {k: sum(1 for _, d in g.nodes(data=True) if d["kind"] == k) for k in network.COLOURS}
    assert kinds["area"] == 8 and kinds["country"] == 32
    assert kinds["project"] == _count(engine, "?x a gmp:Project")
    assert kinds["activity"] == _count(engine, "?x a gmp:Activity")


def test_every_edge_names_its_fact(g: nx.MultiDiGraph) -> None:
    assert all(d["fact"].startswith(str(GMPD)) for _, _, d in g.edges(data=True))
    norway = [
        d for u, v, d in g.edges(data=True) if d["fact"] == str(GMPD["flow/norway-kyrgyz-2011"])
    ]
    assert norway == [
        {
            "relation": "funds",
            "fact": str(GMPD["flow/norway-kyrgyz-2011"]),
            "amount": 850000.0,
            "start": "2011-11-01",
            "end": "2011-11-30",
        }
    ]


def test_as_of_follows_the_november_2011_change(g: nx.MultiDiGraph) -> None:
    area = str(GMPD["area/supply-storage"])

    def leads(day: date) -> set[str]:
        h = network.as_of(g, day)
        return {
            u.rsplit("/", 1)[1]
            for u, v, d in h.in_edges(area, data=True)
            if d["relation"] in ("lead", "co-lead")
        }

    assert leads(date(2011, 6, 1)) == {"mpp"}
    assert leads(date(2012, 6, 30)) == {"gov-spain", "gov-uruguay"}


def test_neighbourhood_and_co_involvement(g: nx.MultiDiGraph) -> None:
    h = network.neighbourhood(g, str(GMPD["area/coal"]), 1)
    assert str(GMPD["org/iea-ccc"]) in h and str(GMPD["wd:Q813"]) not in h
    with pytest.raises(KeyError):
        network.neighbourhood(g, str(GMPD["nothing"]), 1)
    co = network.co_involvement(g)
    assert all(d["weight"] >= 1 for _, _, d in co.edges(data=True))
    bridges = dict(network.bridges(g))
    assert bridges[str(GMPD["org/gef"])] == 3


@pytest.mark.parametrize("fmt", network.FORMATS)
def test_exports_parse_back(g: nx.MultiDiGraph, fmt: str) -> None:
    h = g.copy()
    network.add_metrics(h)
    text = network.export(h, fmt)
    n, m = h.number_of_nodes(), h.number_of_edges()
    if fmt == "gexf":
        back = nx.read_gexf(io.BytesIO(text.encode()))
        assert "viz:color" in text and 'xmlns="http://www.gexf.net/1.2draft"' in text
    elif fmt == "graphml":
        back = nx.read_graphml(io.BytesIO(text.encode()))
        assert "http://graphml.graphdrawing.org/xmlns" in text
    elif fmt == "cyjs":
        back = nx.cytoscape_graph(json.loads(text))
    elif fmt == "json":
        back = nx.node_link_graph(json.loads(text), edges="edges")
    else:
        nodes_part, edges_part = text.split("\n\n", 1)
        assert len(list(csv.reader(io.StringIO(nodes_part)))) == n + 1
        assert len(list(csv.reader(io.StringIO(edges_part)))) == m + 1
        return
    assert (back.number_of_nodes(), back.number_of_edges()) == (n, m)


def test_network_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kg.graphml"
    assert main(["network", "--format", "graphml", "-o", str(out)]) == 0
    assert nx.read_graphml(out).number_of_nodes() > 100
    assert main(["network", "--metrics", "--view", "coinvolvement"]) == 0
    assert "betweenness" in capsys.readouterr().out
    assert main(["network", "--focus", "nope:x"]) == 2
