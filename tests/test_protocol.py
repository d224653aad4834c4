"""Protocol details (issue 23, item 5).

FROM / FROM NAMED of our own graphs answered, ``Vary`` on negotiated answers, ``HEAD`` on every
``GET`` route, SPARQL XML written by an XML library, Accept read by a maintained parser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from lxml import etree

from graph.compile.build import Build
from service.api.negotiation import RESULTS, negotiate, parse_accept, parse_languages
from service.server.app import create_app
from service.server.settings import Settings

GRAPH = "https://w3id.org/mercury-kg/id/graph/areas"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("protocol") / "data"
    settings = Settings(workers=1, data_dir=str(data), burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        yield c


def _sparql(client: TestClient, query: str, accept: str = "application/json") -> object:
    return client.get("/sparql", params={"query": query}, headers={"Accept": accept})


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_our_own_graphs_can_be_named(client: TestClient, clause: str) -> None:
    pattern = (
        "?a a gmp:PartnershipArea" if clause == "FROM" else "GRAPH ?g { ?a a gmp:PartnershipArea }"
    )
    r = _sparql(client, f"SELECT DISTINCT ?a {clause} <{GRAPH}> WHERE {{ {pattern} }}")
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert len(r.json()["results"]["bindings"]) == 8  # type: ignore[attr-defined]


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_another_graph_is_refused_by_its_name(client: TestClient, clause: str) -> None:
    r = _sparql(client, f"SELECT * {clause} <http://example.org/elsewhere> WHERE {{ ?s ?p ?o }}")
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert "<http://example.org/elsewhere>" in r.json()["error"]  # type: ignore[attr-defined]


NEGOTIATED = [
    "/sparql?query=ASK%7B%7D",
    "/sparql",
    "/id/area/coal",
    "/dataset",
    "/shapes",
    "/def",
    "/api/queries/area_leads",
    "/prefixes",
    "/",
    "/report?period=2010-07/2012-06",
]


@pytest.mark.parametrize("path", NEGOTIATED)
def test_negotiated_answers_vary_by_accept(client: TestClient, path: str) -> None:
    for accept in ("text/html", "text/turtle", "application/json"):
        r = client.get(path, headers={"Accept": accept})
        vary = {v.strip().lower() for v in r.headers.get("vary", "").split(",")}
        assert {"accept", "accept-language"} <= vary, (accept, r.status_code, r.headers)


def test_a_static_file_does_not_vary(client: TestClient) -> None:
    r = client.get("/static/site.css")
    assert r.status_code == 200 and "accept" not in r.headers.get("vary", "").lower()


def _get_paths(client: TestClient) -> list[str]:
    examples = {
        "/id/{path:path}": "/id/area/coal",
        "/api/queries/{name}": "/api/queries/area_leads",
        "/dataset.{ext}": "/dataset.ttl",
        "/api/submissions/{sid}": "/api/submissions/nosuch",
        "/api/submissions/{sid}/history": "/api/submissions/nosuch/history",
        "/review/{sid}": "/review/nosuch",
    }
    paths = []

    def walk(routes: list[object], prefix: str) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI's included routers
            if included is not None:
                context = getattr(route, "include_context", None)
                walk(included.routes, prefix + getattr(context, "prefix", ""))
            elif isinstance(route, APIRoute) and "GET" in route.methods:
                path = prefix + route.path
                paths.append(examples.get(path, path))

    walk(client.app.routes, "")  # type: ignore[attr-defined]
    return sorted(set(paths))


def test_every_get_route_answers_head_with_its_headers_and_no_body(client: TestClient) -> None:
    paths = _get_paths(client)
    assert len(paths) >= 25 and all("{" not in p for p in paths), paths
    for path in paths:
        got = client.get(path, follow_redirects=False)
        head = client.head(path, follow_redirects=False)
        assert head.status_code == got.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        if "content-length" in got.headers and got.status_code == 200:
            assert head.headers["content-length"] == got.headers["content-length"], path


def test_sparql_xml_is_well_formed_for_markup_characters(client: TestClient) -> None:
    query = 'SELECT ?x ?l WHERE { BIND("a<b&c>\\"d" AS ?x) BIND("chat"@fr AS ?l) }'
    r = _sparql(client, query, "application/sparql-results+xml")
    assert r.status_code == 200  # type: ignore[attr-defined]
    root = etree.fromstring(r.content)  # type: ignore[attr-defined]
    literals = root.findall(f".//{SRX}literal")
    assert [lit.text for lit in literals] == ['a<b&c>"d', "chat"]
    assert literals[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_sparql_xml_refuses_what_xml_cannot_carry_with_406(client: TestClient) -> None:
    query = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    r = _sparql(client, query, "application/sparql-results+xml")
    assert r.status_code == 406, r.text  # type: ignore[attr-defined]
    assert "JSON" in r.json()["error"]  # type: ignore[attr-defined]
    ok = _sparql(client, query)
    assert ok.json()["results"]["bindings"][0]["x"]["value"] == "a\x01b"  # type: ignore[attr-defined]


def test_accept_headers_are_read_by_werkzeug() -> None:
    assert parse_accept("text/*;q=0.5, application/sparql-results+json") == [
        ("application/sparql-results+json", 1),
        ("text/*", 0.5),
    ]
    assert parse_accept("application/json;q=0") == []
    assert ("text/csv", 1) in parse_accept("bogus;;;q=x, text/csv")
    assert parse_languages("zh-CN;q=0.8, fr") == ["fr", "zh-cn"]
    chosen = negotiate("text/csv;q=0.2, application/sparql-results+xml", None, RESULTS)
    assert chosen is not None and chosen.name == "xml"
    assert negotiate("image/png", None, RESULTS) is None


def test_unused_path_is_404_and_head_too(client: TestClient) -> None:
    assert client.head("/nowhere").status_code == client.get("/nowhere").status_code == 404
