"""Shared fixtures: the real graph is built once per test session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from rdflib import Graph

from graph import paths
from graph.compile.build import Build, build_dataset
from graph.compile.passages import SourceText
from graph.publish.export import union_graph
from graph.query.engine import EmbeddedEngine

# Apps and servers the tests start keep their write-path state out of the checkout.
os.environ.setdefault("MERCURY_KG_DATA_DIR", tempfile.mkdtemp(prefix="mercury-kg-test-data-"))


@pytest.fixture(scope="session")
def build() -> Build:
    return build_dataset()


@pytest.fixture(scope="session")
def graph(build: Build) -> Graph:
    """The union of every named graph of the real dataset."""
    return union_graph(build.dataset)


@pytest.fixture(scope="session")
def source() -> SourceText:
    return SourceText(paths.SOURCE_TEXT)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/queries/expected/*.tsv from the current results",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def engine(build: Build) -> EmbeddedEngine:
    return EmbeddedEngine.from_dataset(build.dataset)


@pytest.fixture(scope="session")
def virtuoso(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private Virtuoso with the graph pushed; yields its SPARQL endpoint URL.

    Skipped where Virtuoso is not installed, except under CI=true, where it must run.
    """
    from graph.query.remote import push
    from tests import virtuoso as vt

    if vt.binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t missing under CI; make test installs virtuoso-opensource")
        pytest.skip("virtuoso-t not installed (make test installs it)")
    with vt.running(tmp_path_factory.mktemp("virtuoso")) as base:
        with vt.credentials_in_env():
            push(build.dataset, f"{base}/sparql-graph-crud-auth")
        yield f"{base}/sparql"


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The real service under uvicorn on a free loopback port; yields its base URL."""
    from tests.liveserver import serving

    with serving({"MERCURY_KG_WORKERS": "2", "MERCURY_KG_BURST": "100000"}) as base:
        yield base
