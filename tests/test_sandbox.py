"""No outbound fetch in any spelling (issue 9): the screen explains, the network namespace enforces.

Every shape is sent on all three protocol routes with a canary server on 127.0.0.1 counting hits;
named-query parameters and the other routes that take IRIs are tried too. Then the screen is
bypassed on purpose: a worker process runs SERVICE queries straight on the engine and gets a
network error, with no hit on the canary.
"""

from __future__ import annotations

import errno
import multiprocessing as mp
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from service.sandbox.netns import isolate, namespace
from service.sandbox.worker_main import Job, Setup, run
from service.server.app import create_app
from service.server.settings import Settings
from tests.canary import canary

S = "{ ?s ?p ?o }"
SHAPES = [
    # the keyword in plain and odd spellings
    "SELECT * WHERE { SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE SILENT <{u}/s> " + S + " }",
    "select * where { service <{u}/s> " + S + " }",
    "SELECT * WHERE { SeRvIcE <{u}/s> " + S + " }",
    "SELECT * { SERVICE <{u}/s> " + S + " }",
    "SELECT*{SERVICE<{u}/s>{?s?p?o}}",
    "SELECT * WHERE { SERVICE\n  <{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE\t<{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE\r<{u}/s> " + S + " }",
    "\ufeffSELECT * WHERE { SERVICE <{u}/s> " + S + " }",
    # right after punctuation (found: '.SERVICE' walked past the old screen)
    "SELECT * WHERE { BIND(1 AS ?one) .SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { ?a ?b ?c .SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { { ?a ?b ?c }SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { OPTIONAL { ?a ?b ?c }.SERVICE <{u}/s> " + S + " }",
    # comments (found: a comment ended by \r)
    "SELECT * WHERE { # a comment\rSERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE # comment\n <{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE#x\r<{u}/s> " + S + " }",
    "SELECT * WHERE { # a\r\nSERVICE <{u}/s> " + S + " }",
    # IRIs the old screen misread (found: U+00A0 and \\u escapes followed by # or ')
    "SELECT * WHERE { BIND(<http://x/a\u00a0#b> AS ?i) SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { BIND(<http://x/a\u00a0'b> AS ?i) SERVICE <{u}/s> " + S + " } # '",
    "SELECT * WHERE { BIND(<http://x/\\u0041#> AS ?i) SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { ?s <http://x/\\u0041#> ?o . SERVICE <{u}/s> " + S + " }",
    "SELECT * WHERE { SERVICE <{u}\\u002Fs> " + S + " }",
    "PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\#b AS ?i) SERVICE <{u}/s> " + S + " }",
    'SELECT * WHERE { BIND("""a\'b"#""" AS ?x) SERVICE <{u}/s> ' + S + " }",
    "SELECT * WHERE { BIND('x\"#' AS ?x) SERVICE <{u}/s> " + S + " }",
    # the endpoint from elsewhere
    "SELECT * WHERE { BIND(<{u}/s> AS ?e) SERVICE ?e " + S + " }",
    "SELECT * WHERE { VALUES ?e { <{u}/s> } SERVICE ?e " + S + " }",
    "SELECT * WHERE { VALUES (?e) { (<{u}/s>) } SERVICE SILENT ?e " + S + " }",
    "PREFIX x: <{u}/> SELECT * WHERE { SERVICE x:s " + S + " }",
    "BASE <{u}/> SELECT * WHERE { SERVICE <s> " + S + " }",
    # nested anywhere
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { FILTER EXISTS { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { FILTER NOT EXISTS { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { BIND(EXISTS { SERVICE <{u}/s> " + S + " } AS ?e) }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <{u}/s> " + S + " } } }",
    "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <{u}/s> " + S + " } }",
    "SELECT * WHERE { SERVICE <{u}/a> { SERVICE <{u}/b> " + S + " } }",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { SERVICE <{u}/s> " + S + " } GROUP BY ?s",
    "SELECT * WHERE " + "{ " * 40 + "SERVICE <{u}/s> " + S + " }" * 40,
    # every query form
    "ASK { SERVICE <{u}/s> " + S + " }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{u}/s> " + S + " }",
    "DESCRIBE ?s WHERE { SERVICE <{u}/s> " + S + " }",
    # a keyword the grammar of SPARQL 1.1 spells with an escape (a syntax error to Oxigraph)
    "SELECT * WHERE { \\u0053ERVICE <{u}/s> " + S + " }",
]


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=2, query_timeout=5.0, burst=10_000), build)) as c:
        yield c


def _send(client: TestClient, method: str, query: str) -> tuple[int, str]:
    if method == "get":
        r = client.get("/sparql", params={"query": query})
    elif method == "form":
        r = client.post("/sparql", data={"query": query})
    else:
        r = client.post(
            "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    return r.status_code, r.json().get("error", "")


def test_there_are_at_least_forty_shapes() -> None:
    assert len(SHAPES) >= 40 and len(set(SHAPES)) == len(SHAPES)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_service_is_refused_and_fetches_nothing(
    client: TestClient, shape: str, method: str
) -> None:
    with canary() as c:
        status, error = _send(client, method, shape.replace("{u}", c.url))
        assert status == 400 and "SERVICE" in error, error
        assert c.hits == []


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?x) }',
        "SELECT ?x WHERE { BIND(<http://x/#SERVICE> AS ?x) }",
        "PREFIX service: <http://x/> SELECT ?x WHERE { ?x service:p ?y }",
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "SELECT ?x WHERE { ?x ?p ?o } # SERVICE <http://127.0.0.1:1/> { }\n LIMIT 1",
        "SELECT ?x WHERE { ?x ?p 'a service' } LIMIT 1",
    ],
)
def test_the_word_outside_code_is_just_text(client: TestClient, query: str) -> None:
    assert _send(client, "get", query)[0] == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <{u}/g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <{u}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX x: <{u}/> SELECT * FROM x:g WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?a ?b ?c .SERVICE <{u}/s> { } } # FROM",
        "SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }",
        "SELECT * # x\rFROM <{u}/g> WHERE { ?s ?p ?o }",
    ],
)
def test_from_names_only_local_graphs(client: TestClient, query: str) -> None:
    with canary() as c:
        status, error = _send(client, "direct", query.replace("{u}", c.url))
        assert status == 400 and ("FROM" in error or "SERVICE" in error), error
        assert c.hits == []


def test_named_query_parameters_and_iri_routes_fetch_nothing(client: TestClient) -> None:
    catalogue = client.get("/api/queries").json()["queries"]
    iri_params = [(q["name"], p["name"]) for q in catalogue for p in q["params"]]
    assert iri_params
    with canary() as c:
        values = [
            f"{c.url}/x",
            f"{c.url}/x> }} SERVICE <{c.url}/y> {{ ?a ?b ?c }} #",
            f'x" }} SERVICE <{c.url}/y> {{ ?a ?b ?c }} #',
            f"{c.url}/x\r}} SERVICE <{c.url}/y> {{ }}",
        ]
        for name, param in iri_params:
            for value in values:
                r = client.get(f"/api/queries/{name}", params={param: value})
                assert r.status_code in (200, 400), (name, param, value, r.text)
        for path, key in [
            ("/resource", "iri"),
            ("/api/network/links", "iri"),
            ("/api/network", "focus"),
        ]:
            for value in values:
                assert client.get(path, params={key: value}).status_code in (200, 400, 404)
        edges = [{"source": f"{c.url}/a", "target": f"{c.url}/b", "fact": f"{c.url}/f"}]
        r = client.post("/api/network/graph", json={"edges": edges})
        assert r.status_code == 200
        assert c.hits == []


def _bypass(conn: Connection, url: str) -> None:
    """In a fresh process: leave the network as a worker does, then run SERVICE unscreened."""
    import pyoxigraph as ox

    isolate()
    store = ox.Store()
    answers = [
        run(
            store,
            Job(f"SELECT * WHERE {{ SERVICE <{url}/bypass> {{ ?s ?p ?o }} }}", "json", "ttl", 10),
            {},
        ),
        run(
            store,
            Job(
                f"SELECT * WHERE {{ SERVICE SILENT <{url}/silent> {{ ?s ?p ?o }} }}",
                "json",
                "ttl",
                10,
            ),
            {},
        ),
        run(
            store,
            Job(
                "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                "json",
                "ttl",
                10,
            ),
            {},
        ),
    ]
    conn.send(answers)


def test_the_worker_has_no_network_when_the_screen_is_bypassed() -> None:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    with canary() as c:
        process = ctx.Process(target=_bypass, args=(child, c.url))
        process.start()
        assert parent.poll(60)
        loud, silent, named = parent.recv()
        process.join(10)
        assert c.hits == []
    assert not loud.ok and "SERVICE" in loud.error  # "Network is unreachable", explained
    assert silent.ok and b"TOPSECRET" not in silent.body  # SILENT: an empty solution, no data
    assert not named.ok and "SERVICE" in named.error  # no name resolution either


def test_every_worker_of_every_pool_is_in_its_own_network_namespace(client: TestClient) -> None:
    state = client.app.state.kg  # type: ignore[attr-defined]
    ours = namespace()
    pids = [pid for pool in state.pools.all for pid in pool.pids()]
    assert len(pids) == 5  # 2 query workers, 1 validation, 1 network, 1 intake
    for pid in pids:
        theirs = os.readlink(f"/proc/{pid}/ns/net")
        assert theirs.startswith("net:[") and theirs != ours
    assert client.get("/health").json()["sandbox"] == "network namespace"


def _no_namespaces(conn: Connection, setup: Setup) -> None:
    """A worker on a machine where unshare(2) is refused."""
    from service.sandbox import netns, worker_main

    netns._unshare = lambda flags: errno.EPERM  # type: ignore[assignment]
    worker_main.serve(conn, setup)


@pytest.mark.parametrize("weak", [False, True])
def test_without_namespaces_the_pool_fails_closed_unless_told(weak: bool) -> None:
    import asyncio

    from service.sandbox.workers import SandboxRefused, WorkerPool

    pool = WorkerPool("query", Setup(b"", 512, {}, frozenset(), not weak), 1, 1, 1.0)
    pool.target = _no_namespaces  # type: ignore[method-assign]

    async def start() -> str:
        try:
            await pool.start()
            return pool.sandbox
        finally:
            await pool.close()

    if weak:
        assert asyncio.run(start()) == ""  # runs, and /health reports "none"
    else:
        with pytest.raises(SandboxRefused, match="MERCURY_KG_SANDBOX=weak"):
            asyncio.run(start())


def test_a_reloaded_worker_answers_from_the_new_revision() -> None:
    import asyncio

    from service.sandbox.workers import WorkerPool

    one = b"<urn:a> <urn:p> <urn:one> .\n"
    two = b"<urn:a> <urn:p> <urn:two> .\n"
    ask = "ASK { <urn:a> <urn:p> <urn:%s> }"
    pool = WorkerPool("query", Setup(one, 512, {}, frozenset(), False), 2, 2, 5.0)

    async def asks() -> list[bytes]:
        await pool.start()
        try:
            before = await pool.run(Job(ask % "one", "json", "ttl", 10), 5.0)
            await pool.reload(Setup(two, 512, {}, frozenset(), False))  # loaded at the next query
            after = [await pool.run(Job(ask % w, "json", "ttl", 10), 5.0) for w in ("one", "two")]
            return [before.body, *(a.body for a in after)]
        finally:
            await pool.close()

    before, old, new = asyncio.run(asks())
    assert b"true" in before and b"false" in old and b"true" in new
