"""The read path's response cache is never stale (issue 15).

Every cached route answers from memory with a strong ETag and 304 for a matching If-None-Match;
after an accept each of them answers with the new revision's ETag and content; credentials are
never answered from the cache; the memory stays within its budget.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from service.limits.cache import CHEAP, Kept, ResponseCache, rewarm
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import open_period

EXAMPLE = (Path(__file__).parent.parent / "examples" / "contribution.yaml").read_bytes()
ORG = "https://w3id.org/mercury-kg/id/org/"
FLOW = "https://w3id.org/mercury-kg/id/flow/norway-asgm-2013"
ASK = "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ <{FLOW}> ?p ?o }}"})
ROUTES: dict[str, tuple[dict[str, str], str | None]] = {
    "/api/queries/funding_by_funder?format=csv": ({}, "1150000"),  # 850,000 + 300,000
    "/api/queries/donors_areas_countries?format=csv": ({}, "norway-asgm-2013"),
    "/api/queries/area_leads": ({}, None),  # unchanged content, but a new revision
    ASK: ({"Accept": "application/sparql-results+json"}, '"boolean": true'),
    "/id/org/gov-norway": ({"Accept": "text/turtle"}, "norway-asgm-2013"),
    "/id/area/asgm": ({"Accept": "text/html"}, "Norway grant to the ASGM"),
    "/api/search?q=Norway+grant": ({}, "norway-asgm-2013"),
    "/dataset.nq": ({}, "norway-asgm-2013"),
}
"""Cached routes, the headers they are asked with, and what the accepted submission adds."""


@pytest.fixture(scope="module")
def client(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("cache") / "data"
    conn = DataDir(data).connect()
    tokens = {
        "norway": accounts.add(conn, ORG + "gov-norway", "partner")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
    }
    conn.close()
    open_period(data, build)
    settings = Settings(workers=1, query_timeout=5.0, data_dir=str(data), upload_burst=1000)
    with TestClient(create_app(settings, build)) as c:
        c.tokens = tokens  # type: ignore[attr-defined]
        yield c


def test_cached_routes_answer_from_memory_with_a_strong_etag(client: TestClient) -> None:
    for route, (headers, _) in ROUTES.items():
        first = client.get(route, headers=headers)
        again = client.get(route, headers=headers)
        assert first.status_code == again.status_code == 200, route
        assert again.headers["x-cache"] == "hit", route
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert not again.headers["etag"].startswith("W/"), route
        same = client.get(route, headers={**headers, "If-None-Match": first.headers["etag"]})
        assert same.status_code == 304 and same.content == b"", route
        assert same.headers["etag"] == first.headers["etag"]
    # a different negotiated format is a different answer
    ttl = client.get("/id/area/asgm", headers={"Accept": "text/turtle"})
    html = client.get("/id/area/asgm", headers={"Accept": "text/html"})
    assert ttl.headers["etag"] != html.headers["etag"]
    assert ttl.headers["content-type"].startswith("text/turtle")


def test_after_an_accept_every_cached_route_has_the_new_revision(client: TestClient) -> None:
    tokens = client.tokens  # type: ignore[attr-defined]
    before = {route: client.get(route, headers=h) for route, (h, _) in ROUTES.items()}
    for route, (_, added) in ROUTES.items():
        if added:
            assert added not in before[route].text, route
    r = client.post(
        "/api/submissions",
        content=EXAMPLE,
        headers={"Authorization": f"Bearer {tokens['norway']}", "Content-Type": "application/yaml"},
    )
    sid = r.json()["id"]
    r = client.post(
        f"/api/submissions/{sid}/accept",
        headers={"Authorization": f"Bearer {tokens['secretariat']}"},
    )
    assert r.status_code == 200, r.text
    for route, (headers, added) in ROUTES.items():
        old = before[route].headers["etag"]
        after = client.get(route, headers={**headers, "If-None-Match": old})
        assert after.status_code == 200, route  # the old validator no longer matches
        assert after.headers["etag"] != old, route
        if added:
            assert added in after.text, route
        again = client.get(route, headers=headers)
        assert again.headers["x-cache"] == "hit" and again.content == after.content, route


def test_requests_with_credentials_are_never_answered_from_the_cache(client: TestClient) -> None:
    route = "/api/queries/area_leads"
    client.get(route)
    assert client.get(route).headers["x-cache"] == "hit"
    private = client.get(route, headers={"Authorization": "Bearer nothing"})
    assert "x-cache" not in private.headers
    assert "x-cache" not in client.get(route, headers={"Cookie": "mkg_session=x"}).headers


def test_only_reads_that_succeeded_are_kept(client: TestClient) -> None:
    bad = "/api/queries/projects_in_country?country=nowhere"
    assert client.get(bad).status_code == 400
    assert "x-cache" not in client.get(bad).headers
    assert "x-cache" not in client.get("/health").headers
    assert "x-cache" not in client.get("/signin").headers


def test_the_cache_keeps_within_its_budget() -> None:
    cache = ResponseCache(8 * 1000)
    for i in range(50):
        cache.put((str(i).encode(),), Kept(200, [], b"x" * 500, b'"e"'))
    assert cache.used <= cache.budget and 0 < len(cache) < 50
    assert cache.get((b"49",)) is not None and cache.get((b"0",)) is None  # least recent went
    cache.put((b"big",), Kept(200, [], b"x" * 2000, b'"e"'))  # over the entry cap: not kept
    assert cache.get((b"big",)) is None
    assert ResponseCache(0).entry_cap == 0  # MERCURY_KG_CACHE_BYTES=0 keeps nothing


def test_after_an_accept_the_answers_readers_asked_for_are_made_again(client: TestClient) -> None:
    tokens = client.tokens  # type: ignore[attr-defined]
    asked, headers = "/id/org/gov-norway", {"Accept": "text/turtle"}
    unasked = "/api/queries/membership_table"  # warmed at start-up, never asked by a reader
    client.get(asked, headers=headers)
    body = EXAMPLE.replace(b"flow/norway-asgm-2013", b"flow/norway-rewarm").replace(
        b"label: Norway grant", b"label: Rewarmed Norway grant"
    )
    r = client.post(
        "/api/submissions",
        content=body.replace(b"title: Norway's", b"title: (rewarm) Norway's"),
        headers={"Authorization": f"Bearer {tokens['norway']}", "Content-Type": "application/yaml"},
    )
    assert r.status_code == 201, r.text
    accepted = client.post(
        f"/api/submissions/{r.json()['id']}/accept",
        json={"money:flow/norway-rewarm:flow/norway-asgm-2013": "different"},  # alike, not one
        headers={"Authorization": f"Bearer {tokens['secretariat']}"},
    )
    assert accepted.status_code == 200, accepted.text
    # made before the accept switched to the new revision: the first reader after it finds it
    again = client.get(asked, headers=headers)
    assert again.headers["x-cache"] == "hit" and "norway-rewarm" in again.text
    assert client.get(unasked).headers["x-cache"] == "miss"


def test_rewarm_makes_again_only_cheap_answers_and_never_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    previous = ResponseCache(1 << 20)
    for path, took in ((b"/cheap", 0.001), (b"/dear", CHEAP * 2), (b"/broken", 0.001)):
        key = (path, b"", b"", b"", b"")
        previous.note(key)
        previous.put(key, Kept(200, [], b"x", b'"e"', took))
    previous.note((b"/evicted", b"", b"", b"", b""))  # asked, no longer kept: cost unknown
    asked: list[str] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        asked.append(str(scope["path"]))
        if scope["path"] == "/broken":
            raise RuntimeError("boom")

    assert asyncio.run(rewarm(app, previous)) == 2  # type: ignore[arg-type]
    assert asked == ["/broken", "/cheap"]  # the most recent first; /dear and /evicted left out
    assert "warming /broken failed" in caplog.text
