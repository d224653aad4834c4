"""The network projection agrees with SPARQL counts of the same facts; exports parse back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graph.namespaces import GMPD
from graph.network import export as netexport
from graph.network import project as network
from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from service.cli.main import main

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
    governments = _count(engine, "?o gmp:jurisdiction ?c . ?c a schema:Country")
    assert counts["government of"] == governments > 0


def test_node_counts_agree_with_sparql(g: nx.MultiDiGraph, engine: EmbeddedEngine) -> None:
    kinds = {k: sum(1 for _, d in g.nodes(data=True) if d["kind"] == k) for k in network.KINDS}
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


SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="module")
def views(g: nx.MultiDiGraph, engine: EmbeddedEngine) -> dict[str, nx.Graph]:
    out: dict[str, nx.Graph] = {
        "full": g.copy(),
        "donors": network.donors(engine),
        "coinvolvement": network.co_involvement(g),
    }
    for h in out.values():
        network.add_metrics(h)
    return out


@pytest.mark.parametrize("view", network.VIEWS)
@pytest.mark.parametrize("fmt", netexport.TEXT_FORMATS)
def test_exports_parse_back(views: dict[str, nx.Graph], view: str, fmt: str) -> None:
    h = views[view]
    data = netexport.export(h, fmt)
    n, m = h.number_of_nodes(), h.number_of_edges()
    if fmt == "gexf":
        back = nx.read_gexf(io.BytesIO(data))
        assert b"viz:color" in data and b'xmlns="http://www.gexf.net/1.2draft"' in data
    elif fmt == "graphml":
        back = nx.read_graphml(io.BytesIO(data))
        assert b"http://graphml.graphdrawing.org/xmlns" in data
    elif fmt == "cyjs":
        back = nx.cytoscape_graph(json.loads(data))
    elif fmt == "json":
        back = nx.node_link_graph(json.loads(data), edges="edges")
    else:
        nodes_part, edges_part = data.decode().split("\n\n", 1)
        assert len(list(csv.reader(io.StringIO(nodes_part)))) == n + 1
        assert len(list(csv.reader(io.StringIO(edges_part)))) == m + 1
        return
    assert (back.number_of_nodes(), back.number_of_edges()) == (n, m)
    assert {back.nodes[x]["label"] for x in back} == {d["label"] for _, d in h.nodes(data=True)}


def _schema(fmt: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{fmt}.xsd")))


@pytest.mark.parametrize("view", network.VIEWS)
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_xml_exports_are_schema_valid(views: dict[str, nx.Graph], view: str, fmt: str) -> None:
    schema = _schema(fmt)
    doc = etree.fromstring(netexport.export(views[view], fmt))
    assert schema.validate(doc), schema.error_log


@pytest.mark.parametrize(
    ("fmt", "xpath", "attribute", "expected"),
    [
        ("gexf", "//g:edge", "target", "edgeTarget"),
        ("gexf", "//g:attvalue", "for", "attvalueFor"),
        ("graphml", "//g:edge", "source", "edgeSource"),
        ("graphml", "//g:data", "key", "dataKey"),
    ],
)
def test_schema_check_catches_dangling_references(
    views: dict[str, nx.Graph], fmt: str, xpath: str, attribute: str, expected: str
) -> None:
    doc = etree.fromstring(netexport.export(views["donors"], fmt))
    ns = {"g": doc.nsmap[None]}
    doc.xpath(xpath, namespaces=ns)[0].set(attribute, "nowhere")
    schema = _schema(fmt)
    assert not schema.validate(doc)
    assert expected in str(schema.error_log)


def test_donors_view_agrees_with_its_named_query(
    views: dict[str, nx.Graph], engine: EmbeddedEngine
) -> None:
    result = engine.select(load_catalog()["donors_areas_countries"].text)
    col = {v: i for i, v in enumerate(result.variables)}
    rows = [
        {v: (str(r[i]) if r[i] is not None else None) for v, i in col.items()} for r in result.rows
    ]
    pairs = {(r["funder"], r["area"]) for r in rows}
    reach = {(r["area"], r["country"]) for r in rows if r["country"]}
    h = views["donors"]
    funds = {(u, v) for u, v, d in h.edges(data=True) if d["relation"] == "funds work in"}
    located = {(u, v) for u, v, d in h.edges(data=True) if d["relation"] == "funded work in"}
    assert funds == pairs and located == reach
    coal = h.edges[str(GMPD["org/us-dos"]), str(GMPD["area/coal"])]
    assert coal["facts"] == str(GMPD["flow/us-dos-coal-asia"]) and coal["weight"] == 1
    assert {d["layer"] for _, d in h.nodes(data=True)} == {0, 1, 2}


@pytest.mark.parametrize("fmt", netexport.FIGURE_FORMATS)
def test_figures_are_drawn(views: dict[str, nx.Graph], fmt: str) -> None:
    data = netexport.export(views["full"], fmt, title="test", size_by="betweenness")
    if fmt == "png":
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("L")
        assert image.size == (1760, 1100)
        low, high = image.getextrema()
        assert high == 255 and low < 80  # white ground, dark ink
        histogram = image.histogram()
        assert sum(histogram[:250]) > 0.02 * image.size[0] * image.size[1]  # not blank
    else:
        root = etree.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        text = data.decode()
        assert "Mercury in products" in text and "funding mechanism" in text
        assert netexport.export(views["full"], fmt, title="test", size_by="betweenness") == data
    with pytest.raises(ValueError, match="size by"):
        netexport.export(views["full"], fmt, size_by="colour")


def test_network_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kg.graphml"
    assert main(["network", "--format", "graphml", "-o", str(out)]) == 0
    assert nx.read_graphml(out).number_of_nodes() > 100
    assert main(["network", "--metrics", "--view", "coinvolvement"]) == 0
    assert "betweenness" in capsys.readouterr().out
    assert main(["network", "--focus", "nope:x"]) == 2
    assert main(["network", "--view", "donors", "--as-of", "2011-01-01"]) == 2
    assert "not donors" in capsys.readouterr().err
    assert main(["network", "--focus", "area/nowhere"]) == 2
    assert "is not a node" in capsys.readouterr().err
    figure = tmp_path / "donors.png"
    assert main(["network", "--view", "donors", "--format", "png", "-o", str(figure)]) == 0
    assert figure.read_bytes().startswith(b"\x89PNG")


def test_co_involvement_weights_count_shared_items(g: nx.MultiDiGraph) -> None:
    from itertools import combinations

    shared: dict[str, set[str]] = {}
    for u, v in g.edges():
        if g.nodes[u]["kind"] == "organisation" and g.nodes[v]["kind"] != "organisation":
            shared.setdefault(u, set()).add(v)
    co = network.co_involvement(g)
    pairs = {(a, b) for a, b in combinations(sorted(shared), 2) if shared[a] & shared[b]}
    assert {tuple(sorted(e)) for e in co.edges()} == pairs
    assert all(d["weight"] == len(shared[a] & shared[b]) for a, b, d in co.edges(data=True))
    assert co.number_of_nodes() == len(shared)


def test_betweenness_is_networkx_betweenness(g: nx.MultiDiGraph) -> None:
    from graph.network.betweenness import betweenness

    simple = nx.Graph(g.to_undirected())
    simple.add_edge("loop", "loop")  # self-loops and isolated nodes change nothing
    ours, theirs = betweenness(simple), nx.betweenness_centrality(simple)
    assert max(abs(ours[n] - theirs[n]) for n in simple) < 1e-12
    assert max(ours.values()) > 0.1
    sampled = nx.relabel_nodes(nx.gnm_random_graph(400, 900, seed=3), str)
    ours = betweenness(sampled, k=40, seed=11)
    theirs = nx.betweenness_centrality(sampled, k=40, seed=11)
    assert max(abs(ours[n] - theirs[n]) for n in sampled) < 1e-12
    assert betweenness(nx.Graph()) == {}
    chain = nx.relabel_nodes(nx.path_graph(1500), str)  # thousands of levels: networkx's way
    ours, theirs = betweenness(chain, k=50, seed=5), nx.betweenness_centrality(chain, k=50, seed=5)
    assert max(abs(ours[n] - theirs[n]) for n in chain) < 1e-12


def test_bridges_agree_with_the_named_query(g: nx.MultiDiGraph, engine: EmbeddedEngine) -> None:
    result = engine.select(load_catalog()["organisations_bridging_areas"].text)
    expected = [(str(o), int(n.toPython())) for o, n in result.rows]  # type: ignore[union-attr]
    assert network.bridges(g) == expected
    view, _ = network.make_view(engine, "full", base=g)
    assert view.nodes[str(GMPD["org/gef"])]["areas"] == 3
    assert "areas" not in g.nodes[str(GMPD["org/gef"])]  # the shared projection is untouched


def test_metrics_of_graphs_without_weighted_links() -> None:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", weight=1e-200)  # squares to zero: modularity would divide by zero
    g.add_node("c")
    network.add_metrics(g)
    assert {n: d["community"] for n, d in g.nodes(data=True)} == {"a": 0, "b": 1, "c": 2}
