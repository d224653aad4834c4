"""``POST /api/validate``: uploads are checked against the shapes and never stored.

Hostile documents (entity expansion, external entities, remote contexts, deep nesting) are
refused without fetching anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from service.server.app import create_app
from service.server.settings import Settings
from tests.canary import canary

SHAPES = Path(__file__).parent / "shapes"


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1, query_timeout=5.0), build)) as c:
        yield c


def test_valid_data_conforms(client: TestClient) -> None:
    body = (SHAPES / "valid" / "base.ttl").read_bytes()
    r = client.post("/api/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 200
    assert r.json()["conforms"] is True and r.json()["triples"] > 100


def test_invalid_data_gets_its_violations(client: TestClient) -> None:
    body = (
        (SHAPES / "valid" / "base.ttl").read_text()
        + "\n"
        + "\n".join(
            line
            for line in (SHAPES / "invalid" / "MembershipShape__two_members.ttl")
            .read_text()
            .splitlines()
            if not line.startswith("@") and not line.startswith("#")
        )
    )
    r = client.post("/api/validate", content=body.encode(), headers={"Content-Type": "text/turtle"})
    report = r.json()
    assert report["conforms"] is False
    assert {(v["component"], v["focus"].rsplit("/id/", 1)[1]) for v in report["violations"]} == {
        ("MaxCountConstraintComponent", "membership/two")
    }


def _laughs(levels: int) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1}' + ("&lol" + str(i - 1) + ";") * 9 + '">'
        for i in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{"".join(entities)}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        f"<ex:p>&lol{levels};</ex:p></rdf:Description></rdf:RDF>"
    ).encode()


@pytest.mark.parametrize("levels", [5, 6, 9])
def test_billion_laughs_is_refused_at_once(client: TestClient, levels: int) -> None:
    import time

    started = time.monotonic()
    r = client.post(
        "/api/validate", content=_laughs(levels), headers={"Content-Type": "application/rdf+xml"}
    )
    assert r.status_code == 400 and "entity" in r.json()["error"]
    assert time.monotonic() - started < 1.0
    assert client.get("/health").status_code == 200


def test_external_entities_fetch_nothing(client: TestClient) -> None:
    with canary() as c:
        for target in ("file:///etc/hostname", f"{c.url}/xxe"):
            doc = (
                f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{target}">]>'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
            ).encode()
            r = client.post(
                "/api/validate", content=doc, headers={"Content-Type": "application/rdf+xml"}
            )
            assert r.status_code == 400
        assert c.hits == []


def test_remote_jsonld_contexts_fetch_nothing(client: TestClient) -> None:
    with canary() as c:
        for context in (
            f'"{c.url}/ctx"',
            '"file:///etc/passwd"',
            "[" + ", ".join(f'"{c.url}/c{i}"' for i in range(50)) + "]",
        ):
            doc = f'{{"@context": {context}, "@id": "http://example.org/a", "name": "x"}}'.encode()
            r = client.post(
                "/api/validate", content=doc, headers={"Content-Type": "application/ld+json"}
            )
            assert r.status_code == 400
        assert c.hits == []


def test_deeply_nested_turtle_is_refused_not_fatal(client: TestClient) -> None:
    depth = 100_000
    doc = (
        "<http://example.org/a> <http://example.org/p> "
        + "[ <http://example.org/p> " * depth
        + "1"
        + " ]" * depth
        + " ."
    ).encode()
    r = client.post("/api/validate", content=doc, headers={"Content-Type": "text/turtle"})
    assert r.status_code in (400, 413)
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    ("body", "media", "status"),
    [
        (b"@prefix broken", "text/turtle", 400),
        (b"<a> <b> <c> .", "text/plain", 415),
        (b"   ", "text/turtle", 400),
        (b"x" * 2_000_000, "text/turtle", 413),
    ],
)
def test_bad_uploads_get_clear_4xx(
    client: TestClient, body: bytes, media: str, status: int
) -> None:
    r = client.post("/api/validate", content=body, headers={"Content-Type": media})
    assert r.status_code == status and r.json()["error"]
