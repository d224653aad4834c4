"""Shared fixtures: the real graph is built once per test session."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graph import paths
from graph.build import Build, build_dataset
from graph.engine import EmbeddedEngine
from graph.export import union_graph
from graph.passages import SourceText


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
    return EmbeddedEngine.from_build(build)
