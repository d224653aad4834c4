"""Bodies capped and timed, slow clients cut off, no Host-header URLs, no CSV formulas (issue 9).

Body caps and URLs go through the real app; slow headers and bodies need a real socket, so those
tests talk to the real server (``python -m service.server.run``) on loopback.
"""

from __future__ import annotations

import csv
import io
import socket
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from service.server.app import create_app
from service.server.settings import Settings
from tests.liveserver import serving

THIRTY_MB = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1), build)) as c:
        yield c


def _post_routes(client: TestClient) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    return sorted(path for path, operations in paths.items() if "post" in operations)


def test_every_post_route_refuses_a_thirty_megabyte_body(client: TestClient) -> None:
    routes = _post_routes(client)
    assert {"/sparql", "/api/labels", "/api/network/graph", "/api/validate"} <= set(routes)
    for path in routes:
        r = client.post(
            path, content=b"[" + b" " * THIRTY_MB, headers={"Content-Type": "text/turtle"}
        )
        assert r.status_code == 413, path
        assert path in r.json()["error"] and "bytes" in r.json()["error"]


def test_a_chunked_body_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b" " * 1_048_576

    r = client.post("/api/labels", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_posted_networks_have_a_larger_cap(client: TestClient) -> None:
    long = "https://w3id.org/mercury-kg/id/" + "x" * 400
    edges = [{"source": f"{long}/{i}", "target": f"{long}/{i + 1}"} for i in range(2500)]
    r = client.post("/api/network/graph?format=json", json={"edges": edges})
    assert r.status_code == 200, r.text[:200]
    assert len(r.request.content) > 1_048_576  # over the general cap, within this one
    r = client.post("/api/labels", json=[long] * 3000)
    assert r.status_code == 413


def test_a_declared_length_that_is_no_number_is_refused(client: TestClient) -> None:
    r = client.post(
        "/sparql",
        content=b"ASK {}",
        headers={"Content-Length": "x1", "Content-Type": "application/sparql-query"},
    )
    assert r.status_code in (400, 413)


def test_absolute_urls_never_come_from_the_host_header(build: Build) -> None:
    for settings, expected in [
        (Settings(workers=1), "http://testserver"),
        (Settings(workers=1, public_url="https://kg.example.org/"), "https://kg.example.org"),
    ]:
        with TestClient(create_app(settings, build)) as c:
            for path in ("/sparql", "/dataset"):
                r = c.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
                assert r.status_code == 200, path
                assert "evil.example" not in r.text
                assert f"<{expected}/sparql>" in r.text, path


def test_posted_csv_cells_cannot_be_spreadsheet_formulas(client: TestClient) -> None:
    edges = [
        {"source": "http://x/=cmd", "target": "http://x/b", "relation": '=HYPERLINK("http://e")'},
        {"source": "http://x/b", "target": "http://x/c", "relation": "+1+1"},
        {"source": "http://x/c", "target": "http://x/d", "relation": "-2", "weight": 2.5},
        {"source": "http://x/d", "target": "http://x/e", "relation": "@SUM(A1)"},
    ]
    r = client.post("/api/network/graph?format=csv", json={"edges": edges})
    assert r.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(r.text)) for c in row]
    for formula in ('=HYPERLINK("http://e")', "+1+1", "-2", "@SUM(A1)"):
        assert formula not in cells and "'" + formula in cells
    assert "2.5" in cells  # numbers stay numbers


def test_engine_messages_about_our_own_queries_stay_in_the_log(client: TestClient) -> None:
    for path, params in [
        ("/api/queries/area_profile", {"area": "http://x/\x7f"}),
        ("/resource", {"iri": "http://x/\x00"}),
        ("/api/network/links", {"iri": "http://x/\x01"}),
    ]:
        r = client.get(path, params=params)
        assert r.status_code == 400
        assert "error at" not in r.json()["error"]
        assert "iri" in r.json()["error"] or "area" in r.json()["error"]


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    env = {
        "MERCURY_KG_WORKERS": "1",
        "MERCURY_KG_HEADER_TIMEOUT": "1",
        "MERCURY_KG_BODY_TIMEOUT": "1",
    }
    with serving(env) as base:
        yield base


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_slow_headers_get_408_and_the_connection_closed(slow_server: str) -> None:
    started = time.monotonic()
    with _connect(slow_server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408")
    assert 0.9 < time.monotonic() - started < 5


def test_a_silent_connection_is_closed(slow_server: str) -> None:
    started = time.monotonic()
    with _connect(slow_server) as sock:
        assert _read_all(sock).startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 5


def test_a_slow_body_gets_408(slow_server: str) -> None:
    with _connect(slow_server) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive within 1 s" in answer


def test_a_chunked_body_is_refused_at_the_cap_not_at_its_end(slow_server: str) -> None:
    with _connect(slow_server) as sock:
        sock.sendall(
            b"POST /api/labels HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b" " * 1_200_000
        sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))  # past the cap; no last chunk
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")


def _one_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head


def test_a_prompt_client_is_served_on_a_kept_alive_connection(slow_server: str) -> None:
    with _connect(slow_server) as sock:
        for _ in range(2):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _one_response(sock).startswith(b"HTTP/1.1 200")
            time.sleep(1.5)  # idle between requests is the keep-alive timeout's business
