"""Named queries: catalogue metadata, golden results on the real graph, typed parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph import paths
from graph.namespaces import GMPD, WD
from graph.query.catalog import (
    CatalogError,
    Param,
    ParamError,
    bind,
    load_catalog,
    parse_file,
    to_term,
)
from graph.query.engine import EmbeddedEngine, QueryError, with_values
from graph.query.results import Result, to_tsv

CATALOG = load_catalog()
EXPECTED = Path(__file__).parent / "queries" / "expected"


def test_catalogue_has_the_promised_breadth() -> None:
    assert len(CATALOG) >= 25
    tags = {t for q in CATALOG.values() for t in q.tags}
    for needed in (
        "funding",
        "leadership",
        "membership",
        "projects",
        "countries",
        "events",
        "documents",
        "targets",
        "gaps",
        "provenance",
        "report-table",
        "as-of",
    ):
        assert needed in tags, needed


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_metadata_is_complete(name: str) -> None:
    q = CATALOG[name]
    assert q.title and len(q.description) > 40 and q.returns and q.tags
    for p in q.params:
        assert p.example and p.description, p.name


def _golden_text(result: Result, ordered: bool) -> str:
    lines = to_tsv(result).splitlines()
    body = lines[1:] if ordered else sorted(lines[1:])
    return "\n".join([lines[0], *body]) + "\n"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_golden_result_on_the_real_graph(
    name: str, engine: EmbeddedEngine, update_golden: bool
) -> None:
    q = CATALOG[name]
    result = engine.select(q.text, bind(q, q.example_values()))
    text = _golden_text(result, q.ordered)
    golden = EXPECTED / f"{name}.tsv"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file; run pytest --update-golden and review {golden}"
    assert text == golden.read_text(encoding="utf-8")
    if "contributions" not in q.tags:  # facts only accepted submissions bring: tests/test_money.py
        assert result.rows, f"{name} returns no rows on the real graph"


def test_no_stale_golden_files() -> None:
    assert sorted(p.stem for p in EXPECTED.glob("*.tsv")) == sorted(CATALOG)


FUNDED_PAIRS = {
    ("org/eu", "area/coal", "Q148"),
    ("org/eu", "area/coal", "Q159"),
    ("org/eu", "area/coal", "Q258"),
    ("org/eu", "area/coal", "Q668"),
    ("org/european-commission", "area/air-transport", None),
    ("org/european-commission", "area/coal", "Q258"),
    ("org/gef", "area/air-transport", "Q148"),
    ("org/gef", "area/asgm", "Q252"),
    ("org/gef", "area/asgm", "Q928"),
    ("org/gef", "area/supply-storage", "Q813"),
    ("org/gov-norway", "area/asgm", None),
    ("org/gov-norway", "area/supply-storage", "Q813"),
    ("org/unep", "area/products", None),
    *{
        ("org/us-dos", "area/coal", q)
        for q in ("Q668", "Q424", "Q252", "Q833", "Q928", "Q869", "Q881")
    },
}


def test_donors_areas_countries_has_every_funded_pair(engine: EmbeddedEngine) -> None:
    result = engine.select(CATALOG["donors_areas_countries"].text)
    found = {
        (
            str(r[0]).removeprefix(str(GMPD)),
            str(r[1]).removeprefix(str(GMPD)),
            None if r[2] is None else str(r[2]).removeprefix(str(WD)),
        )
        for r in result.rows
    }
    assert found == FUNDED_PAIRS
    norway = [r for r in result.rows if r[3] == GMPD["flow/norway-kyrgyz-2011"]]
    assert [
        (r[4].toPython(), str(r[5]), str(r[6]).rsplit("-", 1)[1], str(r[7])) for r in norway
    ] == [(850000, "USD", "exact", "850,000 US$")]


@pytest.mark.parametrize(
    ("param", "raw", "expected"),
    [
        (Param("x", "iri", "area/coal"), "area/coal", GMPD["area/coal"]),
        (Param("x", "iri", "wd:Q1"), "wd:Q258", WD["Q258"]),
        (Param("x", "iri", "x"), "https://example.org/a", URIRef("https://example.org/a")),
        (Param("x", "date", "2011-01-01"), "2011-11-15", Literal("2011-11-15", datatype=XSD.date)),
        (Param("x", "integer", "1"), " 42 ", Literal(42)),
        (Param("x", "year", "2012"), "2013", Literal("2013", datatype=XSD.gYear)),
        (Param("x", "string", "ru"), 'ru" } ?s ?p ?o {', Literal('ru" } ?s ?p ?o {')),
    ],
)
def test_values_become_typed_terms(param: Param, raw: str, expected: object) -> None:
    assert to_term(param, raw) == expected


@pytest.mark.parametrize(
    ("param", "raw", "message"),
    [
        (Param("date", "date", "2011-01-01"), "November 2011", "is not a valid date"),
        (Param("x", "iri", "area/coal"), "<http://evil>", "is not an IRI"),
        (Param("x", "iri", "area/coal"), "foo:bar", "unknown prefix"),
        (Param("x", "iri", "area/coal"), "javascript:alert(1)", "unknown prefix"),
        (Param("n", "integer", "1"), "1; DROP", "is not a valid integer"),
        (Param("y", "year", "2012"), "12", "four-digit year"),
        (Param("s", "string", "ru"), "", "1 to 500 characters"),
    ],
)
def test_bad_values_are_refused_clearly(param: Param, raw: str, message: str) -> None:
    with pytest.raises(ParamError, match=message):
        to_term(param, raw)


def test_unknown_and_missing_parameters() -> None:
    q = CATALOG["leads_on_date"]
    with pytest.raises(ParamError, match=r"needs parameter 'date' \(e\.g\. 2011-01-01\)"):
        bind(q, {})
    with pytest.raises(ParamError, match="has no parameter colour"):
        bind(q, {"date": "2011-01-01", "colour": "red"})


def test_a_quote_in_a_string_parameter_is_data_not_syntax(engine: EmbeddedEngine) -> None:
    q = CATALOG["documents_by_language"]
    result = engine.select(q.text, bind(q, {"code": 'ru" } ?s ?p ?o . { ?s ?p "'}))
    assert result.rows == ()


def test_leads_on_date_sees_the_november_2011_change(engine: EmbeddedEngine) -> None:
    q = CATALOG["leads_on_date"]

    def leads(day: str) -> set[str]:
        rows = engine.select(q.text, bind(q, {"date": day})).rows
        return {
            str(r[1]).removeprefix(str(GMPD)) for r in rows if r[0] == GMPD["area/supply-storage"]
        }

    assert leads("2011-06-01") == {"org/mpp"}
    assert leads("2011-11-15") == {"org/mpp", "org/gov-spain", "org/gov-uruguay"}
    assert leads("2012-06-30") == {"org/gov-spain", "org/gov-uruguay"}


def test_no_lead_before_the_area_exists_and_each_row_says_its_basis(
    engine: EmbeddedEngine,
) -> None:
    """The cement area was "newly established in November 2011": no co-chair before then."""
    q = CATALOG["leads_on_date"]

    def rows(day: str) -> dict[tuple[str, str], str]:
        return {
            (str(r[0]).removeprefix(str(GMPD)), str(r[1]).removeprefix(str(GMPD))): str(r[3])
            for r in engine.select(q.text, bind(q, {"date": day})).rows
        }

    assert ("area/cement", "org/csi") not in rows("2011-10-01")
    assert rows("2011-11-15")[("area/cement", "org/csi")] == "assumed"
    assert rows("2011-11-15")[("area/supply-storage", "org/gov-spain")] == "possible"
    assert rows("2012-01-01")[("area/supply-storage", "org/gov-spain")] == "stated"
    assert rows("2012-01-01")[("area/waste", "org/gov-japan")] == "assumed"
    assert rows("2012-06-30")[("area/waste", "org/gov-japan")] == "stated"  # current, per Annex


def test_with_values_goes_into_the_top_level_where() -> None:
    text = "# WHERE { in a comment\nSELECT ?a WHERE { ?a ?b ?c }"
    out = with_values(text, {"c": Literal("x")})
    assert out.endswith('WHERE { VALUES ?c { "x" } ?a ?b ?c }')
    with pytest.raises(QueryError, match="explicit WHERE"):
        with_values("SELECT ?a { ?a ?b ?c }", {"c": Literal("x")})


def test_broken_query_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text(
        "#+ title: T\n#+ description: D\n#+ returns: [a]\nSELECT ?b WHERE { ?b ?p ?o }\n"
    )
    from graph.query.catalog import compile_query

    with pytest.raises(CatalogError, match=r"returns \['a'\] but selects \['b'\]"):
        compile_query(parse_file(bad))
    bad.write_text("#+ title: T\n#+ description: D\n#+ returns: [a]\nSELECT ?a WHERE { ?a ?p }\n")
    with pytest.raises(CatalogError):
        compile_query(parse_file(bad))
    bad.write_text(
        "#+ title: T\n#+ description: D\n#+ returns: [a]\n"
        "#+ params:\n#+   - {name: z, type: iri, example: area/coal}\n"
        "SELECT ?a WHERE { ?a ?p ?o }\n"
    )
    with pytest.raises(CatalogError, match="not used as"):
        parse_file(bad)


def test_every_query_declares_its_prefixes() -> None:
    """Queries are self-contained: they run unchanged in any SPARQL tool and endpoint.

    The editor's default query is the one exception: it shows off the predeclared prefixes.
    """
    import re

    for path in paths.QUERIES_DIR.rglob("*.rq"):
        if path.name == "editor_default.rq":
            continue
        text = path.read_text()
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        used = set(re.findall(r"(?<![\w<:/#])([a-z][\w-]*):[A-Za-z_]", body)) - {
            "http",
            "https",
            "urn",
        }
        declared = set(re.findall(r"PREFIX\s+([\w-]+):", text))
        assert used <= declared, f"{path.name}: undeclared {used - declared}"


def test_json_results_are_w3c(engine: EmbeddedEngine) -> None:
    from graph.query.results import from_json, to_json

    result = engine.select(CATALOG["targets"].text)
    doc = json.loads(to_json(result))
    assert doc["head"]["vars"] == list(result.variables)
    assert from_json(doc) == result


CHECK_FIXTURES = sorted((Path(__file__).parent / "checks").glob("*.ttl"))


def test_every_check_has_a_fixture() -> None:
    from graph.check.checks import load_checks

    assert sorted(c.name for c in load_checks()) == [p.stem for p in CHECK_FIXTURES]


@pytest.mark.parametrize("path", CHECK_FIXTURES, ids=lambda p: p.stem)
def test_check_fires_on_its_fixture_and_no_other(path: Path) -> None:
    from rdflib import Graph

    from graph.check.checks import run_checks

    base = Path(__file__).parent / "shapes" / "valid" / "base.ttl"
    assert run_checks(Graph().parse(base)) == [], "the base fixture must pass every check"
    expected = int(path.read_text().split("# expect-rows:", 1)[1].split()[0])
    failures = run_checks(Graph().parse(base).parse(path))
    assert [f.check for f in failures] == [path.stem] * expected


def test_real_graph_passes_every_check(build: object) -> None:
    from graph.check.checks import run_checks
    from graph.publish.export import union_graph

    assert run_checks(union_graph(build.dataset)) == []  # type: ignore[attr-defined]


def test_with_values_serialises_typed_terms() -> None:
    out = with_values(
        "SELECT ?x WHERE { ?x ?p ?y }", {"y": Literal(3), "x": [GMPD["a"], GMPD["b"]]}
    )
    assert out == (
        "SELECT ?x WHERE { VALUES ?x { <https://w3id.org/mercury-kg/id/a> "
        "<https://w3id.org/mercury-kg/id/b> } "
        'VALUES ?y { "3"^^<http://www.w3.org/2001/XMLSchema#integer> } ?x ?p ?y }'
    )


def test_relative_dates_and_deadlines_mean_what_the_report_says(engine: EmbeddedEngine) -> None:
    """Relative dates and deadlines.

    The fourth PAG meeting followed ICHMET (September 2012): not in the period; "initiated by
    the end of 2012" is a deadline for the start, not the year the work happens in.
    """
    q = CATALOG["events_in_period"]
    period = {
        str(r[0]).removeprefix(str(GMPD))
        for r in engine.select(q.text, bind(q, {"start": "2010-07-01", "end": "2012-06-30"})).rows
    }
    assert "event/pag3" in period and "event/pag4" not in period
    later = engine.select(q.text, bind(q, {"start": "2012-07-01", "end": "2012-12-31"})).rows
    assert {str(r[0]).removeprefix(str(GMPD)) for r in later} >= {"event/pag4"}
    rows = engine.select(
        "PREFIX gmp: <https://w3id.org/mercury-kg/def#> PREFIX time: <http://www.w3.org/2006/time#>"
        " SELECT ?latest ?time WHERE {"
        " VALUES ?p { <https://w3id.org/mercury-kg/id/project/coal-demo-south-africa> }"
        " ?p gmp:startBy/gmp:latest ?latest OPTIONAL { ?p time:hasTime ?time } }"
    ).rows
    assert [(str(r[0]), r[1]) for r in rows] == [("2012-12-31", None)]
