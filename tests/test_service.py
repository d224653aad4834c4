"""The web service through the real app: SPARQL protocol, named queries, linked data, dataset."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph

from graph.compile.build import Build
from graph.query.catalog import bind, load_catalog
from graph.query.engine import EmbeddedEngine
from graph.query.results import from_json, with_labels
from service.server.app import create_app
from service.server.settings import Settings

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    settings = Settings(workers=2, query_timeout=5.0, row_cap=10_000)
    with TestClient(create_app(settings, build)) as c:
        yield c


def test_health(client: TestClient, build: Build) -> None:
    workers = client.app.state.kg.settings.workers  # type: ignore[attr-defined]
    assert client.get("/health").json() == {
        "status": "ok",
        "quads": len(build.dataset),
        "queries": len(load_catalog()),
        "sandbox": "network namespace",
        "pools": {
            "query": {"workers": workers, "per_client": max(1, workers // 2)},
            "validation": {"workers": 1, "per_client": 1},
            "network": {"workers": 1, "per_client": 1},
            "intake": {"workers": 1, "per_client": 1},
        },
    }


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_in_every_results_format(client: TestClient, accept: str, media: str) -> None:
    query = "SELECT ?a WHERE { ?a a <https://w3id.org/mercury-kg/def#PartnershipArea> }"
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert "area/coal" in r.text


def test_get_post_form_and_post_direct_agree(client: TestClient) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Country> }"
    a = client.get("/sparql", params={"query": q}).json()
    b = client.post("/sparql", data={"query": q}).json()
    c = client.post(
        "/sparql", content=q, headers={"Content-Type": "application/sparql-query"}
    ).json()
    assert a == b == c
    assert a["results"]["bindings"][0]["n"]["value"] == "32"


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("jsonld", "json-ld"),
        ("xml", "xml"),
        ("trig", "trig"),
        ("nq", "nquads"),
    ],
)
def test_construct_in_every_rdf_format(client: TestClient, fmt: str, parser: str) -> None:
    q = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . "
        "FILTER (?s = <https://w3id.org/mercury-kg/id/area/coal>) }"
    )
    r = client.get("/sparql", params={"query": q, "format": fmt})
    assert r.status_code == 200, r.text
    g = Dataset() if fmt in ("trig", "nq") else Graph()
    g.parse(data=r.text, format=parser)
    assert len(g) > 5


def test_ask_and_describe(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json() == {"head": {}, "boolean": True}
    r = client.get(
        "/sparql",
        params={"query": "DESCRIBE <https://w3id.org/mercury-kg/id/area/coal>"},
        headers={"Accept": "text/turtle"},
    )
    assert r.status_code == 200 and "Mercury releases from coal combustion" in r.text


def test_service_description(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, None, __import__("rdflib").URIRef(sd + "SPARQL11Query")) in g
    assert "BasicFederatedQuery" not in r.text
    r = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_local_default_graph_uri(client: TestClient) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get(
        "/sparql",
        params={"query": q, "default-graph-uri": "https://w3id.org/mercury-kg/id/graph/targets"},
    )
    assert r.status_code == 200
    assert 0 < int(r.json()["results"]["bindings"][0]["n"]["value"]) < 100


def test_row_cap_truncates_and_says_so(build: Build) -> None:
    with TestClient(create_app(Settings(workers=1, row_cap=50), build)) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.headers["x-truncated"] == "true" and r.headers["x-row-cap"] == "50"
        assert len(r.json()["results"]["bindings"]) == 50


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_named_query_over_rest_matches_in_process(
    name: str, client: TestClient, engine: EmbeddedEngine
) -> None:
    q = CATALOG[name]
    r = client.get(f"/api/queries/{name}", params=q.example_values())
    assert r.status_code == 200, r.text
    expected = with_labels(engine.select(q.text, bind(q, q.example_values())), engine.labels)
    assert from_json(r.json()).canonical(q.ordered) == expected.canonical(q.ordered)
    bare = client.get(f"/api/queries/{name}", params={**q.example_values(), "labels": "false"})
    assert from_json(bare.json()).variables == tuple(q.returns)


def test_named_query_answers_carry_names(client: TestClient) -> None:
    r = client.get("/api/queries/area_leads")
    assert "United States Environmental Protection Agency" in r.text
    assert {"areaLabel", "leadLabel", "roleLabel"} <= set(r.json()["head"]["vars"])
    r = client.get("/api/queries/area_leads", params={"format": "csv"})
    assert "United States Environmental Protection Agency" in r.text
    r = client.get("/api/queries/area_leads", params={"labels": "maybe"})
    assert r.status_code == 400 and "labels" in r.json()["error"]


def test_named_query_formats_and_errors(client: TestClient) -> None:
    r = client.get("/api/queries/partner_counts", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.startswith(
        "date,partner_type,partner_typeLabel,count"
    )
    r = client.get("/api/queries/leads_on_date", params={"date": "last year"})
    assert r.status_code == 400 and "not a valid date" in r.json()["error"]
    r = client.get("/api/queries/leads_on_date")
    assert r.status_code == 400 and "needs parameter 'date'" in r.json()["error"]
    assert "-p" not in r.json()["error"]  # HTTP words, not the command line's
    r = client.get("/api/queries/nope")
    assert r.status_code == 404
    r = client.get("/api/queries/targets", params={"colour": "red"})
    assert r.status_code == 400 and "no parameter colour" in r.json()["error"]


def test_catalogue_and_openapi(client: TestClient) -> None:
    doc = client.get("/api/queries").json()
    assert len(doc["queries"]) == len(load_catalog()) >= 46
    leads = next(q for q in doc["queries"] if q["name"] == "leads_on_date")
    assert leads["params"][0]["type"] == "date" and "SELECT" in leads["sparql"]
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/queries/leads_on_date"]["get"]
    assert op["parameters"][0]["schema"] == {"type": "string", "format": "date"}
    assert op["parameters"][0]["example"] == "2011-01-01"
    assert "/sparql" in spec["paths"]


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/turtle", None, "text/turtle"),
        ("application/ld+json", None, "application/ld+json"),
        ("application/n-triples", None, "application/n-triples"),
        ("text/html", "ttl", "text/turtle"),
        ("application/rdf+xml", None, "application/rdf+xml"),
    ],
)
def test_resource_rdf_by_negotiation(
    client: TestClient, accept: str, fmt: str | None, media: str
) -> None:
    params = {"format": fmt} if fmt else {}
    r = client.get("/id/flow/norway-kyrgyz-2011", headers={"Accept": accept}, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "850000" in r.text


def test_resource_page_for_people(client: TestClient) -> None:
    r = client.get("/id/flow/norway-kyrgyz-2011", headers={"Accept": "text/html"})
    assert r.status_code == 200
    html = r.text
    assert "<h1>Norway grant to the Kyrgyz mercury mining project</h1>" in html
    assert 'href="/id/org/gov-norway"' in html and "Government of Norway" in html
    assert "The Government of Norway granted 850,000 US$ of new funding" in html
    assert "characters 32176–32269" in html
    assert "Content-Security-Policy" in r.headers or "content-security-policy" in r.headers
    r = client.get("/id/area/coal", headers={"Accept": "text/html"})
    assert "Linked from" in r.text and "Reducing mercury emissions from coal combustion" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/nothing/here",
        "/id/area/coal%3E",
        "/id/a b",
        "/id/x%0Ay",
        "/id/area/coal}",
        "/id/../etc/passwd",
        "/id/",
    ],
)
def test_unknown_or_odd_resources_are_404(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize("ext", ["ttl", "nt", "nq", "trig", "jsonld", "rdf"])
def test_dataset_downloads_with_etag(client: TestClient, ext: str, build: Build) -> None:
    r = client.get(f"/dataset.{ext}")
    assert r.status_code == 200 and r.headers["etag"] and "max-age" in r.headers["cache-control"]
    again = client.get(f"/dataset.{ext}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    parser = {
        "ttl": "turtle",
        "nt": "nt",
        "nq": "nquads",
        "trig": "trig",
        "jsonld": "json-ld",
        "rdf": "xml",
    }[ext]
    g = Dataset() if ext in ("nq", "trig", "jsonld") else Graph()
    g.parse(data=r.content, format=parser)
    assert len(g) >= 9000


def test_void_and_dcat(client: TestClient) -> None:
    r = client.get("/dataset", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    text = r.text
    assert "void:triples" in text and "dcat:distribution" in text and "wikidata" in text
    assert "creativecommons.org/licenses/by/4.0" in text and "void:sparqlEndpoint" in text
    assert len(g) > 50
    assert client.get("/.well-known/void", follow_redirects=False).status_code == 303


def test_ontology_and_shapes(client: TestClient) -> None:
    r = client.get("/def", headers={"Accept": "text/turtle"})
    assert "gmp:PartnershipArea" in r.text or "PartnershipArea" in r.text
    r = client.get("/def", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "partnership area" in r.text
    r = client.get("/shapes")
    assert r.headers["content-type"].startswith("text/turtle") and "NodeShape" in r.text
    r = client.get("/shapes", headers={"Accept": "text/html"})  # issue 29: /shapes negotiates
    assert r.headers["content-type"].startswith("text/html") and "<td>country</td>" in r.text
    r = client.get("/shapes", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert "http://www.w3.org/ns/shacl#NodeShape" in r.text
    assert client.get("/shapes", headers={"Accept": "image/png"}).status_code == 406


def test_ui_pages(client: TestClient) -> None:
    r = client.get("/query")
    assert r.status_code == 200 and "/vendor/yasgui/yasgui.min.js" in r.text
    assert "donors_areas_countries" in r.text
    assert client.get("/vendor/yasgui/yasgui.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    r = client.get("/queries")
    assert "Which donors fund which areas in which countries" in r.text


def test_labels_api(client: TestClient) -> None:
    r = client.post(
        "/api/labels", json=["https://w3id.org/mercury-kg/id/org/unido", "javascript:alert(1)"]
    )
    doc = r.json()
    assert doc["https://w3id.org/mercury-kg/id/org/unido"] == {
        "label": "United Nations Industrial Development Organization",
        "href": "/id/org/unido",
    }
    assert doc["javascript:alert(1)"]["href"] is None
    assert client.post("/api/labels", content="nope").status_code == 400
    assert client.post("/api/labels", json={"a": 1}).status_code == 400


def test_json_error_shape(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"error", "status"} and "syntax" in body["error"].lower()
    assert json.dumps(body).count("Traceback") == 0


def test_the_project_prefixes_are_predeclared(client: TestClient) -> None:
    q = "SELECT ?l WHERE { ?a a gmp:PartnershipArea ; skos:prefLabel ?l }"  # no PREFIX lines
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 8
    own = "PREFIX gmp: <http://example.org/other#> SELECT ?a WHERE { ?a a gmp:PartnershipArea }"
    assert client.get("/sparql", params={"query": own}).json()["results"]["bindings"] == []


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    r = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert r.text.strip() == f'<http://testserver/s> <http://testserver/p> "1"^^{integer} .'


def test_api_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in r.text and "cdn" not in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_ontology_page_is_titled_by_the_ontology(client: TestClient) -> None:
    r = client.get("/def", headers={"Accept": "text/html"})
    title = "mercury-kg ontology: the UNEP Global Mercury Partnership knowledge graph"
    assert r.status_code == 200
    assert f"<title>{title}</title>" in r.text and f"<h1>{title}</h1>" in r.text


def test_no_dependency_hops_to_the_thread_pool(client: TestClient) -> None:
    """A plain ``def`` dependency runs in FastAPI's thread pool: a thread hop on every request.

    The state, the language and the account are read on the event loop (async dependencies);
    this test names a route whose dependency is a plain function.
    """
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute

    def routes(within: list[object]) -> Iterator[APIRoute]:
        for route in within:
            if isinstance(route, APIRoute):
                yield route
            included = getattr(route, "original_router", None)  # an included router, unflattened
            if included is not None:
                yield from routes(included.routes)

    def calls(dependant: Dependant) -> Iterator[tuple[str, object]]:
        for sub in dependant.dependencies:
            yield getattr(sub.call, "__qualname__", repr(sub.call)), sub.call
            yield from calls(sub)

    found = list(routes(client.app.routes))  # type: ignore[attr-defined]
    hopping = {
        f"{route.path}: {name}"
        for route in found
        for name, call in calls(route.dependant)
        if not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call))
    }
    assert len([r for r in found if r.dependant.dependencies]) > 20
    assert not hopping, sorted(hopping)
