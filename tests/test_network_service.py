"""The network API and pages through the real app: views, formats, posted networks, errors."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.namespaces import GMPD
from graph.network import project as network
from graph.query.engine import EmbeddedEngine
from service.pages.links import href
from service.server.app import create_app
from service.server.settings import Settings

CHINA = "http://www.wikidata.org/entity/Q148"


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1), build)) as c:
        yield c


@pytest.fixture(scope="module")
def projection(engine: EmbeddedEngine) -> nx.MultiDiGraph:
    return network.project(engine)


def _nodes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["data"]["id"]: n for n in doc["elements"]["nodes"]}


def test_full_view_has_every_node_with_position_link_and_metrics(
    client: TestClient, projection: nx.MultiDiGraph
) -> None:
    response = client.get("/api/network")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    doc = response.json()
    nodes = _nodes(doc)
    assert set(nodes) == set(projection.nodes)
    assert len(doc["elements"]["edges"]) == projection.number_of_edges()
    assert doc["meta"]["nodes"] == projection.number_of_nodes()
    assert all("x" in n["position"] and "y" in n["position"] for n in nodes.values())
    gef = nodes[str(GMPD["org/gef"])]["data"]
    assert gef["href"] == "/id/org/gef" and gef["kind"] == "organisation"
    assert gef["degree"] > 3 and 0 < gef["betweenness"] < 1
    assert (
        nodes[CHINA]["data"]["href"]
        == "/resource?iri=http%3A%2F%2Fwww.wikidata.org%2Fentity%2FQ148"
    )
    kinds = {k["kind"]: k["colour"] for k in doc["meta"]["kinds"]}
    assert kinds["area"] == "#d62728" and "funds" in doc["meta"]["relations"]
    funds = [e["data"] for e in doc["elements"]["edges"] if e["data"]["relation"] == "funds"]
    assert all(e["fact"].startswith(str(GMPD)) for e in funds)


def test_donors_focus_and_as_of_views(client: TestClient) -> None:
    donors = client.get("/api/network", params={"view": "donors"}).json()
    assert {n["data"]["layer"] for n in donors["elements"]["nodes"]} == {0, 1, 2}
    coal = client.get("/api/network", params={"focus": "area/coal"}).json()
    assert str(GMPD["org/iea-ccc"]) in _nodes(coal) and "coal" in coal["meta"]["title"].lower()
    area = str(GMPD["area/supply-storage"])

    def leads(day: str) -> set[str]:
        doc = client.get("/api/network", params={"as_of": day, "focus": area}).json()
        return {
            e["data"]["source"].rsplit("/", 1)[1]
            for e in doc["elements"]["edges"]
            if e["data"]["relation"] in ("lead", "co-lead") and e["data"]["target"] == area
        }

    assert leads("2011-06-01") == {"mpp"}
    assert leads("2012-06-30") == {"gov-spain", "gov-uruguay"}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"view": "everything"}, 400, "view"),
        ({"depth": "9"}, 400, "depth"),
        ({"as_of": "June 2012"}, 400, "as_of"),
        ({"format": "pdf"}, 400, "format"),
        ({"focus": "nope:x"}, 400, "unknown prefix"),
        ({"focus": "area/nowhere"}, 404, "not a node"),
        ({"focus": "javascript:alert(1)"}, 400, "focus"),
        ({"view": "donors", "as_of": "2011-01-01"}, 400, "not donors"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    client: TestClient, params: dict[str, str], status: int, message: str
) -> None:
    response = client.get("/api/network", params=params)
    assert response.status_code == status
    assert message in response.json()["error"]


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "csv", "png", "svg"])
def test_formats(client: TestClient, fmt: str, projection: nx.MultiDiGraph) -> None:
    response = client.get("/api/network", params={"format": fmt, "size_by": "betweenness"})
    assert response.status_code == 200
    body = response.content
    n = projection.number_of_nodes()
    if fmt == "gexf":
        assert nx.read_gexf(io.BytesIO(body)).number_of_nodes() == n
        assert "mercury-kg-full.gexf" in response.headers["content-disposition"]
    elif fmt == "graphml":
        assert nx.read_graphml(io.BytesIO(body)).number_of_nodes() == n
    elif fmt == "json":
        assert len(json.loads(body)["nodes"]) == n
    elif fmt == "csv":
        assert len(body.decode().split("\n\n")[0].splitlines()) == n + 1
    elif fmt == "png":
        assert body.startswith(b"\x89PNG") and response.headers["content-type"] == "image/png"
    else:
        assert b"<svg" in body[:500] and response.headers["content-type"] == "image/svg+xml"


def test_posted_edges_become_a_network_with_kinds_and_labels(client: TestClient) -> None:
    body = {
        "edges": [
            {"source": str(GMPD["org/gef"]), "target": str(GMPD["area/asgm"]), "relation": "funds"},
            {
                "source": str(GMPD["org/gef"]),
                "target": "https://example.org/x",
                "start": "2011-11-01",
            },
        ],
        "title": "test",
    }
    doc = client.post("/api/network/graph", json=body).json()
    nodes = _nodes(doc)
    assert nodes[str(GMPD["org/gef"])]["data"]["label"] == "Global Environment Facility"
    assert nodes[str(GMPD["area/asgm"])]["data"]["kind"] == "area"
    assert nodes["https://example.org/x"]["data"]["kind"] == "other"
    assert nodes["https://example.org/x"]["data"]["href"] == "https://example.org/x"
    starts = {e["data"].get("start") for e in doc["elements"]["edges"]}
    assert starts == {None, "2011-11-01"} and doc["meta"]["title"] == "test"
    gexf = client.post("/api/network/graph", params={"format": "gexf"}, json=body)
    assert nx.read_gexf(io.BytesIO(gexf.content)).number_of_edges() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "edges"),
        ({"edges": [{"source": "a"}]}, "target"),
        ({"edges": [{"source": "a", "target": "b", "start": "soon"}]}, "start"),
        ({"edges": [{"source": "a", "target": "b"}] * 5001}, "edges"),
        ({"edges": [{"source": "a\u0001", "target": "b"}]}, "control characters"),
        ({"edges": [{"source": "a", "target": "b", "relation": "\x7f"}]}, "control characters"),
        ({"edges": [{"source": "a", "target": "b"}], "title": "t" * 201}, "title"),
        ({"edges": [{"source": "a", "target": "b", "weight": 0}]}, "weight"),
        ({"edges": [{"source": "a" * 2001, "target": "b"}]}, "source"),
    ],
)
def test_posted_networks_are_checked(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/api/network/graph", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_lone_surrogates_and_math_markup_are_handled(client: TestClient) -> None:
    lone = b'{"edges": [{"source": "\\ud8bd", "target": "b"}]}'
    response = client.post(
        "/api/network/graph", content=lone, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and "unicode" in response.json()["error"]
    body = {"edges": [{"source": "$x^$", "target": "$\\frac{"}], "title": "$\\sqrt{"}
    for fmt in ("png", "svg", "graphml", "gexf"):
        assert client.post(f"/api/network/graph?format={fmt}", json=body).status_code == 200


def test_tiny_weights_and_empty_networks(client: TestClient) -> None:
    tiny = {"edges": [{"source": "a", "target": "b", "weight": 1e-6}]}
    assert client.post("/api/network/graph", json=tiny).status_code == 200
    infinite = client.post(
        "/api/network/graph",
        content=b'{"edges": [{"source": "a", "target": "b", "amount": Infinity}]}',
        headers={"Content-Type": "application/json"},
    )
    assert infinite.status_code == 400 and "amount" in infinite.json()["error"]
    empty = client.post("/api/network/graph", json={"edges": []})
    assert empty.status_code == 200 and empty.json()["meta"]["nodes"] == 0


def test_posted_garbage_is_a_400(client: TestClient) -> None:
    response = client.post(
        "/api/network/graph", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_network_page_and_its_scripts(client: TestClient) -> None:
    page = client.get("/network")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    text = page.text
    assert text.count('<option value="https://w3id.org/mercury-kg/id/area/') == 8
    for script in (
        "/vendor/cytoscape/cytoscape.min.js",
        "/vendor/cytoscape-svg/cytoscape-svg.js",
        "/static/network-style.js",
        "/static/network.js",
    ):
        assert f'src="{script}"' in text
        assert client.get(script).status_code == 200, script
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_resource_pages_show_their_neighbourhood(client: TestClient) -> None:
    page = client.get("/id/area/coal", headers={"Accept": "text/html"}).text
    assert 'id="neighbourhood"' in page and "/static/network-mini.js" in page
    assert "/network?focus=https%3A//w3id.org/mercury-kg/id/area/coal" in page


def test_described_external_resources_have_a_page(client: TestClient) -> None:
    html = client.get("/resource", params={"iri": CHINA}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "<h1>China</h1>" in html.text
    assert f'href="{CHINA}" rel="external"' in html.text
    assert "?iri=http%3A%2F%2Fwww.wikidata.org%2Fentity%2FQ148&format=ttl" in html.text.replace(
        "&amp;", "&"
    )
    turtle = client.get("/resource", params={"iri": CHINA, "format": "ttl"})
    assert turtle.status_code == 200 and "Q148" in turtle.text
    local = client.get("/resource", params={"iri": str(GMPD["org/gef"])}, follow_redirects=False)
    assert local.status_code == 303 and local.headers["location"] == "/id/org/gef"
    assert (
        client.get("/resource", params={"iri": "http://www.wikidata.org/entity/Q1"}).status_code
        == 404
    )
    for bad in ("javascript:alert(1)", "file:///etc/passwd", 'http://x/"><script>'):
        assert client.get("/resource", params={"iri": bad}).status_code == 400


def test_links_keep_described_entities_on_this_site() -> None:
    assert href(CHINA) == "/resource?iri=http%3A%2F%2Fwww.wikidata.org%2Fentity%2FQ148"
    assert href("https://example.org/a") == "https://example.org/a"
    assert href("https://example.org/a b") is None


def test_posted_nodes_never_link_to_scripts(client: TestClient) -> None:
    body = {"edges": [{"source": "javascript:alert(1)", "target": "data:text/html,<b>x</b>"}]}
    nodes = _nodes(client.post("/api/network/graph", json=body).json())
    assert all("href" not in n["data"] for n in nodes.values())
    assert nodes["javascript:alert(1)"]["data"]["label"] == "javascript:alert(1)"


def test_any_resource_has_its_links_as_a_network(client: TestClient) -> None:
    flow = str(GMPD["flow/norway-kyrgyz-2011"])
    doc = client.get("/api/network/links", params={"iri": flow}).json()
    nodes = _nodes(doc)
    assert flow in nodes and str(GMPD["org/gov-norway"]) in nodes
    relations = {
        (e["data"]["source"], e["data"]["target"]): e["data"]["relation"]
        for e in doc["elements"]["edges"]
    }
    assert relations[flow, str(GMPD["org/gov-norway"])] == "funder"
    assert nodes[str(GMPD["org/gov-norway"])]["data"]["kind"] == "organisation"
    assert all(e["data"]["relation"] != "type" for e in doc["elements"]["edges"])
    missing = client.get("/api/network/links", params={"iri": str(GMPD["nothing"])})
    assert missing.status_code == 404
    assert client.get("/api/network/links", params={"iri": "file:///etc"}).status_code == 400
