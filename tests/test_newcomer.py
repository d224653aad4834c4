"""What a newcomer meets first.

Predeclared prefixes, data prefixes, names in six languages, named answers with labels (JSON,
CSV, TSV, an HTML table), the home, search and prefix pages.

The browser walk through the same pages is ``tests/test_browser.py::test_a_newcomers_first_hour``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.compile.build import Build
from graph.namespaces import DATA_KINDS, GMPD, PREFIXES, SH, shorten
from service.cli.main import main
from service.server.app import create_app
from service.server.settings import Settings

KYRGYZSTAN = URIRef("http://www.wikidata.org/entity/Q813")
SCRIPTS = {"ar": r"[\u0600-\u06FF]", "zh": r"[\u4E00-\u9FFF]", "ru": r"[\u0400-\u04FF]"}


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=2), build)) as c:
        yield c


def _select(client: TestClient, query: str) -> list[dict[str, dict[str, str]]]:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]  # type: ignore[no-any-return]


def test_a_query_with_no_prefix_lines_runs(client: TestClient) -> None:
    rows = _select(client, "SELECT ?l WHERE { ?a a gmp:PartnershipArea ; skos:prefLabel ?l }")
    assert len(rows) == 8


def test_a_data_iri_written_with_its_kind_prefix_works(client: TestClient) -> None:
    rows = _select(client, "SELECT ?l WHERE { area:coal skos:prefLabel ?l }")
    assert [r["l"]["value"] for r in rows] == ["Mercury releases from coal combustion"]
    r = client.get("/sparql", params={"query": "ASK { organisation:unido a org:Organization }"})
    assert r.json()["boolean"] is True


def test_a_query_s_own_prefix_wins(client: TestClient) -> None:
    rows = _select(client, "PREFIX area: <urn:x:> SELECT ?l WHERE { area:coal skos:prefLabel ?l }")
    assert rows == []


def test_every_kind_of_data_iri_has_a_prefix(graph: Graph) -> None:
    kinds = {
        str(s).removeprefix(str(GMPD)).split("/")[0]
        for s in graph.subjects()
        if str(s).startswith(str(GMPD)) and "/" in str(s).removeprefix(str(GMPD))
    }
    assert kinds <= set(DATA_KINDS.values())
    assert not {"org", "time"} & set(DATA_KINDS), "a data prefix shadows W3C ORG or OWL-Time"
    assert shorten(str(GMPD) + "org/unido") == "organisation:unido"


def test_a_slash_in_a_prefixed_name_says_what_to_write(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { gmpd:org/unido ?p ?o }"})
    assert r.status_code == 400
    message = r.json()["error"]
    assert message.startswith("SPARQL syntax error: gmpd:org/unido is not a prefixed name")
    assert "write organisation:unido or <https://w3id.org/mercury-kg/id/org/unido>" in message


def test_the_command_line_predeclares_and_hints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sparql", "SELECT ?l WHERE { area:coal skos:prefLabel ?l }"]) == 0
    assert "Mercury releases from coal combustion" in capsys.readouterr().out
    assert main(["sparql", "SELECT ?l WHERE { gmpd:area/coal skos:prefLabel ?l }"]) == 1
    assert "write area:coal or <" in capsys.readouterr().err


def test_parameters_take_ids_prefixed_names_and_iris(client: TestClient) -> None:
    answers = [
        client.get("/api/queries/provenance", params={"fact": fact}).json()["results"]["bindings"]
        for fact in (
            "flow/norway-kyrgyz-2011",
            "flow:norway-kyrgyz-2011",
            "https://w3id.org/mercury-kg/id/flow/norway-kyrgyz-2011",
        )
    ]
    assert answers[0] and answers[0] == answers[1] == answers[2]


def test_countries_and_languages_have_names_in_the_six_un_languages(graph: Graph) -> None:
    names = {n.language: str(n) for n in graph.objects(KYRGYZSTAN, SKOS.prefLabel)}
    assert set(names) == {"en", "ar", "zh", "fr", "ru", "es"}
    assert names["en"] == "Kyrgyzstan" and names["fr"] == "Kirghizistan"
    for lang, script in SCRIPTS.items():
        assert re.search(script, names[lang]), (lang, names[lang])
    french = {n.language: str(n) for n in graph.objects(GMPD["language/fr"], SKOS.prefLabel)}
    assert len(french) == 6 and re.search(SCRIPTS["zh"], french["zh"])
    areas = [n for n in graph.objects(GMPD["area/coal"], SKOS.prefLabel) if isinstance(n, Literal)]
    assert [n.language for n in areas] == ["en"], "the report's own words stay English"


def test_named_answers_carry_labels_in_every_format(client: TestClient) -> None:
    r = client.get("/api/queries/area_leads")
    assert "United States Environmental Protection Agency" in r.text
    assert "leadLabel" in r.json()["head"]["vars"]
    for fmt in ("csv", "tsv"):
        text = client.get("/api/queries/area_leads", params={"format": fmt}).text
        assert "leadLabel" in text.splitlines()[0] and "Mercury Policy Project" in text


def test_labels_follow_lang_then_accept_language_then_english(client: TestClient) -> None:
    def label(**kw: object) -> str:
        r = client.get(
            "/api/queries/country_areas",
            params={"format": "json", **kw.get("params", {})},
            headers=kw.get("headers", {}),
        )  # type: ignore[arg-type]
        rows = r.json()["results"]["bindings"]
        return next(
            b["countryLabel"]["value"] for b in rows if b["country"]["value"] == str(KYRGYZSTAN)
        )

    assert label() == "Kyrgyzstan"
    assert label(params={"lang": "ru"}) == "Киргизия"
    assert label(headers={"Accept-Language": "de, zh-CN;q=0.8, en;q=0.5"}) == "吉尔吉斯坦"
    assert label(headers={"Accept-Language": "de"}) == "Kyrgyzstan"
    r = client.get("/api/queries/country_areas", params={"lang": "de"})
    assert r.status_code == 400 and "lang must be one of en, ar, zh, fr, ru, es" in r.text


def test_named_answers_as_an_html_table_with_links(client: TestClient) -> None:
    for fmt in ("html", "table"):
        r = client.get("/api/queries/area_leads", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert '<a href="/id/org/usepa">United States Environmental Protection Agency</a>' in r.text
        assert "organisation:usepa" in r.text
    browser = client.get("/api/queries/area_leads", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")
    missing = client.get("/api/queries/leads_on_date", params={"format": "html"})
    assert missing.status_code == 400 and "needs parameter 'date'" in missing.text
    assert "-p date" not in missing.text


def test_the_home_page_is_for_people(client: TestClient) -> None:
    page = client.get("/").text
    assert page.count('<a href="/id/area/') >= 8
    assert "United States Environmental Protection Agency" in page
    assert "111" in page and 'href="/id/passage/' in page
    assert 'href="/api/queries/donors_areas_countries?format=html"' in page
    assert 'href="/query"' in page and 'action="/search"' in page
    editor = client.get("/?example=area_leads", follow_redirects=False)
    assert editor.status_code == 307 and editor.headers["location"] == "/query?example=area_leads"


def test_every_page_has_the_search_box(client: TestClient) -> None:
    for path in ("/", "/query", "/queries", "/network", "/id/area/coal", "/dataset", "/prefixes"):
        page = client.get(path, headers={"Accept": "text/html"}).text
        assert 'form class="search" action="/search"' in page, path


def test_the_search_page_groups_hits_and_links_them(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Kyrgyz"}).text
    assert "<h2>project</h2>" in page and "<h2>country</h2>" in page
    assert 'href="/id/project/kyrgyz-mining-phase-out"' in page
    russian = client.get("/search", params={"q": "Киргизия"}).text
    assert "Kyrgyzstan" in russian


def test_the_prefix_list_matches_what_queries_may_use(client: TestClient) -> None:
    assert client.get("/prefixes", params={"format": "json"}).json() == {
        k: str(v) for k, v in PREFIXES.items()
    }
    assert (
        "PREFIX area: <https://w3id.org/mercury-kg/id/area/>"
        in client.get("/prefixes", params={"format": "rq"}).text
    )
    page = client.get("/prefixes").text
    assert "<code>organisation:</code>" in page
    description = Graph().parse(
        data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    declared = {
        str(description.value(d, SH.prefix)): str(description.value(d, SH.namespace))
        for d in description.objects(None, SH.declare)
    }
    assert declared == {k: str(v) for k, v in PREFIXES.items()}


def test_the_editor_opens_on_a_real_query_using_the_prefixes(client: TestClient) -> None:
    page = client.get("/query").text
    default = re.search(r'data-default-query="([^"]*)"', page)
    assert default and "PREFIX" not in default.group(1) and "org:Membership" in default.group(1)
    from html import unescape

    rows = _select(client, unescape(default.group(1)))
    assert len(rows) == 11 and all("leadLabel" in r for r in rows)
