"""SHACL shapes, tested both ways.

Valid data conforms; each invalid fixture gets exactly the violations its
``# expect: <component> <focus>`` lines declare, on both validation paths.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from graph.check.validate import load_shapes, validate, validate_plain
from graph.compile.build import Build, load_ontology
from graph.namespaces import GMPD, SH, shorten
from graph.paths import ROOT

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


def test_the_docs_name_only_shapes_that_exist(shapes: Graph) -> None:
    """The ontology README's "Kept by" column and the shapes README name real shapes."""
    defined = {
        str(s).removeprefix(SHAPES_NS) for s in shapes.subjects() if str(s).startswith(SHAPES_NS)
    }
    for doc in (ROOT / "ontology" / "README.md", ROOT / "shapes" / "README.md"):
        named = set(re.findall(r"`gmps:([A-Za-z]+)`", doc.read_text(encoding="utf-8")))
        assert named and named <= defined, f"{doc}: {sorted(named - defined)}"


def test_one_kind_lists_the_kinds_the_ontology_readme_lists(shapes: Graph) -> None:
    """Its targets, its alternatives and the README's list are the same 15 classes."""
    one_kind = URIRef(SHAPES_NS + "OneKind")
    listed = shapes.value(one_kind, SH.xone)
    kinds = {shorten(shapes.value(k, SH["class"])) for k in Collection(shapes, listed)}  # type: ignore[arg-type]
    assert kinds == {shorten(k) for k in shapes.objects(one_kind, SH.targetClass)}
    text = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| the things of one kind"))
    said = set(re.findall(r"`([a-z]+:[A-Za-z]+)`", row.split("; nothing is two", 1)[0]))
    assert len(kinds) == 15 and kinds == said


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_a_focused_validation_gives_the_whole_validations_results_for_its_nodes(
    path: Path, ontology: Graph, shapes: Graph
) -> None:
    """The gate's focus: each focus node's results, nested shapes and literal values included.

    pySHACL's own ``focus_nodes`` let every nested shape on a value outside the list conform,
    so ``FactShape__no_english_label`` and ``FactShape__plain_label`` passed focused; the focus
    is now given by the targets.
    """
    data = Graph().parse(BASE).parse(path)
    whole = _found(validate(data, ontology, shapes))
    focus = {URIRef(node) for _component, node in _expected(path)}
    assert _found(validate(data, ontology, shapes, focus)) == whole
    others = {s for s in data.subjects() if isinstance(s, URIRef)} - focus
    assert _found(validate(data, ontology, shapes, others)) == set()
