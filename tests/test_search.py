"""``/api/search``: by name, acronym, prefix, typo and the report's words; grouped, linked, safe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.namespaces import GMPD
from graph.publish.search import SearchIndex
from graph.query.engine import EmbeddedEngine
from service.server.app import create_app
from service.server.settings import Settings

KYRGYZ_PROJECT = str(GMPD["project/kyrgyz-mining-phase-out"])
KYRGYZSTAN = "http://www.wikidata.org/entity/Q813"


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1), build)) as c:
        yield c


def _search(client: TestClient, q: str, **params: Any) -> dict[str, Any]:
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    return doc


def _iris(doc: dict[str, Any]) -> list[str]:
    return [h["iri"] for h in doc["hits"]]


@pytest.mark.parametrize("q", ["Kyrgyz", "kyrg", "KYRGYZSTAN", "Kyrgz", "Kirgyz"])
def test_names_prefixes_and_typos_find_the_country_and_the_project(
    client: TestClient, q: str
) -> None:
    found = _iris(_search(client, q))
    assert KYRGYZSTAN in found[:3] and KYRGYZ_PROJECT in found[:5]


def test_hits_are_grouped_by_kind_and_link_here(client: TestClient) -> None:
    doc = _search(client, "Kyrgyz")
    kinds = {g["kind"]: [h["iri"] for h in g["hits"]] for g in doc["groups"]}
    assert KYRGYZSTAN in kinds["country"] and KYRGYZ_PROJECT in kinds["project"]
    assert sum(len(g["hits"]) for g in doc["groups"]) == doc["count"] == len(doc["hits"])
    for hit in doc["hits"]:
        assert hit["href"].startswith(("/id/", "/resource?iri="))
        assert client.get(hit["href"], headers={"Accept": "text/html"}).status_code == 200


def test_acronyms_are_names(client: TestClient) -> None:
    assert str(GMPD["org/nrdc"]) == _iris(_search(client, "NRDC"))[0]


def test_the_report_s_words_find_the_facts_that_cite_them_with_the_passage(
    client: TestClient,
) -> None:
    doc = _search(client, "sums")
    hit = doc["hits"][0]
    assert hit["matched"] == "passage" and "[sums]" in hit["quote"]
    assert "no mechanism to gather and report on these" in hit["quote"]
    assert hit["passage_href"].startswith("/id/passage/")


def test_a_word_only_a_description_holds_finds_its_resource(client: TestClient) -> None:
    doc = _search(client, "analyzes")
    hit = doc["hits"][0]
    assert hit["iri"] == str(GMPD["dataset/mercury-watch"])
    assert hit["matched"] == "description" and "[analyzes]" in hit["quote"]


def test_sections_of_the_report_are_found_by_heading_paragraphs_are_not(
    client: TestClient,
) -> None:
    doc = _search(client, "future of the partnership")
    assert doc["hits"][0]["iri"] == str(GMPD["section/future"])
    assert doc["hits"][0]["kind"] == "section of the report"
    for q in ("paragraph", "row", "cell"):
        for hit in _search(client, q)["hits"]:
            assert not re.search(r"/(paragraph|row|cell)-[0-9]+$", hit["iri"]), hit["iri"]


def test_passages_and_vocabulary_are_not_hits_by_name(client: TestClient) -> None:
    for q in ("funded item", "all types", "ontology"):
        for hit in _search(client, q)["hits"]:
            assert "/id/passage/" not in hit["iri"] and "/def#" not in hit["iri"]


@pytest.mark.parametrize("q", ['"; DROP TABLE docs; --', "NEAR(a b)", "a* OR b", "^", "\\x00"])
def test_search_syntax_is_only_text(client: TestClient, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code in (200, 400)
    assert _search(client, "Kyrgyz")["count"] > 0  # the index is still there


def test_bad_searches_get_clear_4xx(client: TestClient) -> None:
    assert client.get("/api/search").status_code == 400
    r = client.get("/api/search", params={"q": "*"})
    assert r.status_code == 400 and "word or number" in r.json()["error"]
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 400
    assert client.get("/api/search", params={"q": "coal", "limit": 0}).status_code == 400
    assert len(_search(client, "mercury", limit=3)["hits"]) == 3


def test_the_index_alone(engine: EmbeddedEngine) -> None:
    index = SearchIndex(engine)
    assert index.search("") == [] and index.search("zzzzqqq") == []
    assert index.search("coal")[0].kind == "partnership area"
