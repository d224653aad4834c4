"""The report as a document (issue 27): sections, paragraphs, tables, rows and cells (DoCO).

Every passage of the report has its place; each part's text is the report's own; "what does
section S say" is one pattern; a passage's page shows where it stands, the words around it and
the facts resting on it; ``/read`` marks what facts rest on and says what share of the text that
is; a structure that does not fit the text stops the build naming what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph import paths
from graph.compile.build import Build
from graph.compile.passages import SourceText
from graph.compile.rendering import report_chars
from graph.compile.structure import STRUCTURE, StructureError, document_structure
from graph.compile.triples import Triples
from graph.query.engine import EmbeddedEngine
from service.server.app import create_app
from service.server.settings import Settings

PREFIXES = (
    "PREFIX gmp: <https://w3id.org/mercury-kg/def#> PREFIX dct: <http://purl.org/dc/terms/> "
    "PREFIX doco: <http://purl.org/spar/doco/> PREFIX oa: <http://www.w3.org/ns/oa#> "
    "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX schema: <https://schema.org/> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    "PREFIX gmpd: <https://w3id.org/mercury-kg/id/> "
)
REPORT = "<https://w3id.org/mercury-kg/id/report/gmp-progress-2010-2012>"


def _select(engine: EmbeddedEngine, query: str) -> list[tuple[str, ...]]:
    return [tuple(str(c) for c in row) for row in engine.select(PREFIXES + query).rows]


def test_every_passage_of_the_report_has_its_place(engine: EmbeddedEngine) -> None:
    ((total, placed),) = _select(
        engine,
        "SELECT (COUNT(?p) AS ?n) (SUM(IF(EXISTS { ?p dct:isPartOf ?x }, 1, 0)) AS ?placed) "
        f"WHERE {{ ?p a gmp:Passage ; prov:wasQuotedFrom {REPORT} }}",
    )
    assert int(total) >= 344 and placed == total


def test_the_tables_have_their_rows_and_the_broken_row_its_cells(engine: EmbeddedEngine) -> None:
    rows = dict(
        _select(
            engine,
            "SELECT ?t (COUNT(?r) AS ?n) WHERE { ?t a doco:Table . ?r dct:isPartOf ?t ; "
            "a gmp:TableRow } GROUP BY ?t",
        )
    )
    names = {k.rsplit("/", 1)[-1]: int(v) for k, v in rows.items()}
    assert names == {"table-2": 8, "table-3": 8, "annex": 8}
    cells = _select(
        engine,
        "SELECT ?col ?text WHERE { ?c dct:isPartOf gmpd:table\\/annex\\/row-7 ; "
        "gmp:column ?col ; rdf:value ?text ; schema:position ?n } ORDER BY ?n",
    )
    assert cells[0] == ("Partnership area", "Mercury supply and storage")
    assert cells[1][1].startswith("Governments of Spain and Uruguay took over in November 2011")


def test_each_part_says_the_reports_words(engine: EmbeddedEngine) -> None:
    stored = paths.SOURCE_TEXT.read_text(encoding="utf-8")
    parts = _select(
        engine,
        "SELECT ?part ?text ?start ?end WHERE { ?part a doco:Paragraph ; rdf:value ?text ; "
        "oa:hasSelector ?at . ?at a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }",
    )
    assert len(parts) > 50
    for part, text, start, end in parts:
        assert report_chars(stored[int(start) : int(end)]) == text, part


def test_what_a_section_says_is_one_pattern(engine: EmbeddedEngine) -> None:
    said = _select(
        engine,
        "SELECT ?text WHERE { ?part dct:isPartOf+ gmpd:section\\/next-steps-asgm ; "
        "rdf:value ?text ; schema:position ?n } ORDER BY ?n",
    )
    assert len(said) == 5
    assert said[0][0].startswith("As the partnership continues to build up its portfolio")
    assert said[-1][0].startswith("The Geological Service of Denmark (GEUS)")
    areas = _select(engine, "SELECT ?s WHERE { ?s a doco:Section ; dct:subject ?area }")
    assert len(areas) == 8


def _spec(tmp_path: Path, old: str, new: str) -> Path:
    text = STRUCTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "structure.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("heading: Membership}", "heading: Members}", "no line 'Members'"),
        ("number: '3', rows: 8", "number: '3', rows: 9", "has 8 rows in the text, 9 said"),
    ],
)
def test_a_structure_that_does_not_fit_the_text_is_named(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    source = SourceText(paths.SOURCE_TEXT)
    with pytest.raises(StructureError, match=re.escape(said)):
        document_structure(source, Triples(), _spec(tmp_path, old, new))


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1), build)) as c:
        yield c


def test_a_passage_page_shows_its_place_the_words_around_and_its_facts(
    client: TestClient,
) -> None:
    r = client.get("/id/passage/14636-14734", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.text
    place = re.search(r'<nav class="place".*?</nav>', page, re.S)
    assert place, "the passage's place"
    assert [a for a in re.findall(r'href="([^"]+)"', place.group(0))] == [
        "/read",
        "/id/section/section-1",
        "/id/section/highlights",
        "/id/table/table-2",
        "/id/table/table-2/row-7",
        "/id/table/table-2/row-7/cell-2",
    ]
    assert (
        "<mark>Small grants project promoting alternative to primary mercury mining Phase II "
        "completed with UNDP.</mark>" in page
    )
    assert "Kyrgyz Republic Mercury Mining Phase Out Project: </span>" in page  # words before
    assert 'href="/id/project/kyrgyz-mining-phase-out-phase-2"' in page  # a fact resting on it


def test_the_report_to_read_marks_what_facts_rest_on(client: TestClient) -> None:
    r = client.get("/read")
    assert r.status_code == 200
    share = re.search(r"<strong>([\d.]+)%</strong> of the text", r.text)
    assert share and 50 < float(share.group(1)) <= 100
    cited = re.findall(r'<a class="cited" href="(/id/passage/[\d-]+)">', r.text)
    assert len(cited) > 100
    assert client.get(cited[0], headers={"Accept": "text/html"}).status_code == 200
    for heading in ("Introduction", "Membership", "Future of the Partnership", "Annex"):
        assert f">{heading}</a></h" in r.text, heading
    assert "&lt;p&gt;" not in r.text and "\\$" not in r.text  # the report's words, no markup


def test_a_resource_asked_with_no_accept_header_is_a_page(client: TestClient) -> None:
    bare = client.get("/id/area/cement", headers={"Accept": ""})
    assert bare.status_code == 200 and bare.headers["content-type"].startswith("text/html")
    rdf = client.get("/id/area/cement", headers={"Accept": "*/*"})
    assert rdf.headers["content-type"].startswith("text/turtle")


def test_the_readme_states_the_share_the_page_shows(client: TestClient) -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"the share of the text that backs facts \(([\d.]+) %\)", readme)
    shown = re.search(r"<strong>([\d.]+)%</strong> of the text", client.get("/read").text)
    assert said and shown and said.group(1) == shown.group(1)
