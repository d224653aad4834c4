"""Every named query runs unchanged on Virtuoso, the reference external engine, with the same rows.

Rows are compared as RDF terms (numbers by value: engines write "1.0E6" or "1000000.0" for the
same decimal), in order where the query orders them.
"""

from __future__ import annotations

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
    assert ours.rows


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
