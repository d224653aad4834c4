"""Quality checks: ``queries/checks/*-violation.rq`` must return no rows (the ODK convention).

Each row a check returns is one problem; it is reported with the check's title and the row's
values, so the curator sees which node is at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from graph import paths
from graph.namespaces import GMPD
from graph.oxi import store_from
from graph.query.catalog import NamedQuery, compile_query, parse_file
from graph.query.engine import EmbeddedEngine

CHECKS_DIR = paths.QUERIES_DIR / "checks"


@dataclass(frozen=True)
class CheckFailure:
    """One row returned by a check."""

    check: str
    title: str
    row: dict[str, str]

    def describe(self) -> str:
        """``check-name: title: var=value, ...`` with data IRIs shortened to their ids."""
        values = ", ".join(f"{k}={v.removeprefix(str(GMPD))}" for k, v in self.row.items() if v)
        return f"{self.check}: {self.title}: {values}"


def load_checks(directory: Path = CHECKS_DIR) -> list[NamedQuery]:
    """Every check, compiled."""
    checks = [parse_file(p) for p in sorted(directory.glob("*-violation.rq"))]
    for check in checks:
        compile_query(check)
    return checks


def run_checks(graph: Graph, checks: list[NamedQuery] | None = None) -> list[CheckFailure]:
    """Run every check on the graph (one Oxigraph store); return all rows as failures."""
    engine = EmbeddedEngine(store_from((s, p, o, URIRef("urn:x-local:data")) for s, p, o in graph))
    return run_checks_on(engine, checks)


def run_checks_on(
    engine: EmbeddedEngine, checks: list[NamedQuery] | None = None
) -> list[CheckFailure]:
    """Run every check on an engine's store (the union of its named graphs)."""
    failures = []
    for check in load_checks() if checks is None else checks:
        result = engine.select(check.text)
        for row in result.rows:
            values = {
                v: "" if t is None else str(t) for v, t in zip(result.variables, row, strict=True)
            }
            failures.append(CheckFailure(check.name, check.title, values))
    return failures
