"""Every named query runs unchanged on Virtuoso, the reference external engine, with the same rows.

Rows are compared as RDF terms (numbers by value: engines write "1.0E6" or "1000000.0" for the
same decimal), in order where the query orders them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.check.checks import load_checks
from graph.query.catalog import bind, load_catalog
from graph.query.engine import EmbeddedEngine
from graph.query.remote import RemoteEngine, push
from service.cli.main import main

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def remote(virtuoso: str) -> RemoteEngine:
    return RemoteEngine(virtuoso)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_same_rows_on_virtuoso(name: str, engine: EmbeddedEngine, remote: RemoteEngine) -> None:
    q = CATALOG[name]
    bindings = bind(q, q.example_values())
    ours = engine.select(q.text, bindings)
    theirs = remote.select(q.text, bindings)
    assert theirs.variables == ours.variables
    assert theirs.canonical(q.ordered) == ours.canonical(q.ordered)
    assert ours.rows or "contributions" in q.tags  # those are run on MONEY below


OPTIONALS = sorted(n for n, q in CATALOG.items() if any(p.optional for p in q.params))


@pytest.mark.parametrize("name", OPTIONALS)
def test_same_rows_on_virtuoso_with_optional_parameters_left_out(
    name: str, engine: EmbeddedEngine, remote: RemoteEngine
) -> None:
    q = CATALOG[name]
    values = {p.name: p.example for p in q.params if not p.optional}
    bindings = bind(q, values)
    ours = engine.select(q.text, bindings)
    assert ours.rows, f"{name} with its optional parameters left out returns no row"
    theirs = remote.select(q.text, bindings)
    assert theirs.variables == ours.variables
    assert theirs.canonical(q.ordered) == ours.canonical(q.ordered)


MONEY = Path(__file__).parent / "queries" / "money.ttl"


def test_money_queries_on_contributed_funding_are_the_same_on_virtuoso(
    build: object, virtuoso: str, remote: RemoteEngine
) -> None:
    """Reports linked as the same money, through others and either way, count once on both."""
    from rdflib import Dataset, URIRef

    from tests import virtuoso as vt

    name = "urn:x-test:money"
    ds = Dataset()
    ds.addN(build.dataset.quads((None, None, None, None)))  # type: ignore[attr-defined]
    ds.graph(URIRef(name)).parse(MONEY)
    fixture = Dataset()
    fixture.graph(URIRef(name)).parse(MONEY)
    store = virtuoso.replace("/sparql", "/sparql-graph-crud-auth")
    engine = EmbeddedEngine.from_dataset(ds)
    with vt.credentials_in_env():
        push(fixture, store, name)
    try:
        for q in (q for q in CATALOG.values() if "money-once" in q.tags):
            ours = engine.select(q.text)
            assert ours.rows, q.name
            assert remote.select(q.text).canonical(q.ordered) == ours.canonical(q.ordered), q.name
    finally:
        with vt.credentials_in_env():
            push(Dataset(), store, name)  # the graph emptied for the tests after this one


@pytest.mark.parametrize("check", load_checks(), ids=lambda c: c.name)
def test_quality_checks_pass_on_virtuoso(check: object, remote: RemoteEngine) -> None:
    assert remote.select(check.text).rows == ()  # type: ignore[attr-defined]


def test_cli_queries_a_remote_endpoint(virtuoso: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "area_leads", "--endpoint", virtuoso]) == 0
    out = capsys.readouterr().out
    assert "Mercury Policy Project" in out and "(11 rows)" in out
    assert (
        main(
            [
                "query",
                "leads_on_date",
                "-p",
                "date=2012-01-01",
                "--endpoint",
                virtuoso,
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert len(capsys.readouterr().out.strip().splitlines()) == 11


def test_push_without_credentials_is_refused(
    virtuoso: str, build: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.query.engine import QueryError

    monkeypatch.delenv("MERCURY_KG_USER", raising=False)
    monkeypatch.delenv("MERCURY_KG_PASSWORD", raising=False)
    store = virtuoso.replace("/sparql", "/sparql-graph-crud-auth")
    with pytest.raises(QueryError, match="HTTP 401"):
        push(build.dataset, store, "urn:x-test:refused")  # type: ignore[attr-defined]


def test_push_sends_accepted_contributions_with_the_rest(
    build: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``mercury-kg push --data-dir`` loads the accepted submissions' named graphs too."""
    from pathlib import Path

    from graph.contrib import accounts
    from graph.contrib.datadir import DataDir
    from graph.contrib.ledger import Ledger
    from graph.contrib.submission import graph_iri
    from tests import virtuoso as vt

    if vt.binary() is None:
        pytest.skip("virtuoso-t not installed (make test installs it)")
    data = tmp_path_factory.mktemp("contrib-push") / "data"
    ledger = Ledger(DataDir(data), build)  # type: ignore[arg-type]
    org = "https://w3id.org/mercury-kg/id/org/"
    partner = accounts.add(ledger.conn, org + "gov-norway", "partner")[0]
    reviewer = accounts.add(ledger.conn, org + "unep", "secretariat")[0]
    ledger.open_period(reviewer, "2012-07/2014-06")
    example = Path(__file__).parent.parent / "examples" / "contribution.yaml"
    sub, _ = ledger.submit(partner, "application/yaml", example.read_bytes())
    ledger.accept(sub.id, reviewer)
    ledger.close()
    with vt.running(tmp_path_factory.mktemp("virtuoso-contrib")) as base:
        with vt.credentials_in_env():
            code = main(
                ["push", "--endpoint", f"{base}/sparql-graph-crud-auth", "--data-dir", str(data)]
            )
        assert code == 0
        flow = "https://w3id.org/mercury-kg/id/flow/norway-asgm-2013"
        ask = (
            f"SELECT ?who WHERE {{ GRAPH <{graph_iri(sub.id)}> "
            f"{{ <{flow}> <http://www.w3.org/ns/prov#wasAttributedTo> ?who }} }}"
        )
        rows = RemoteEngine(f"{base}/sparql").select(ask).rows
        assert [str(r[0]) for r in rows] == [org + "gov-norway"]
