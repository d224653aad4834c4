"""SHACL shapes, tested both ways.

Valid data conforms; each invalid fixture gets exactly the violations its
``# expect: <component> <focus>`` lines declare, on both validation paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from graph.check.validate import load_shapes, validate, validate_plain
from graph.compile.build import Build, load_ontology
from graph.namespaces import GMPD

HERE = Path(__file__).parent / "shapes"
BASE = HERE / "valid" / "base.ttl"
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
SHAPES_NS = "https://w3id.org/mercury-kg/shapes#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _expected(path: Path) -> set[tuple[str, str]]:
    out = set()
    for line in path.read_text().splitlines():
        if line.startswith("# expect:"):
            component, focus = line.removeprefix("# expect:").split()
            iri = focus if focus.startswith("http") else str(GMPD[focus])
            out.add((component, iri))
    return out


def _found(violations: list) -> set[tuple[str, str]]:
    return {(v.component, v.focus) for v in violations}


def test_real_graph_conforms(build: Build) -> None:
    assert validate(build.abox(), build.ontology()) == []


@pytest.mark.parametrize("path", sorted((HERE / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_fixture_conforms(path: Path, ontology: Graph, shapes: Graph) -> None:
    data = Graph().parse(path)
    assert validate(data, ontology, shapes) == []
    assert validate_plain(data, ontology, shapes) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gets_exactly_its_violations(
    path: Path, ontology: Graph, shapes: Graph
) -> None:
    data = Graph().parse(BASE).parse(path)
    expected = _expected(path)
    assert expected, f"{path.name} declares no '# expect:' line"
    assert _found(validate(data, ontology, shapes)) == expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_fast_path_agrees_with_plain_pyshacl(path: Path, ontology: Graph, shapes: Graph) -> None:
    data = Graph().parse(BASE).parse(path)
    assert _found(validate(data, ontology, shapes)) == _found(
        validate_plain(data, ontology, shapes)
    )


def test_every_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    named = {
        str(s).removeprefix(SHAPES_NS)
        for s in shapes.subjects()
        if isinstance(s, URIRef)
        and str(s).startswith(SHAPES_NS)
        and s != URIRef(SHAPES_NS + "prefixes")
    }
    covered = {p.stem.split("__")[0] for p in INVALID}
    assert covered <= named, f"fixtures name unknown shapes: {covered - named}"
    untested = sorted(named - covered)
    assert not untested, f"shapes without an invalid fixture: {untested}"
