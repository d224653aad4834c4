"""The ontology is documented and anchored, and every term the graph uses is declared."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from graph import paths
from graph.compile.build import Build, load_ontology
from graph.namespaces import GMP, PREFIXES

ONTOLOGY = load_ontology()
ANCHORS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    SKOS.closeMatch,
    SKOS.exactMatch,
    SKOS.broadMatch,
    SKOS.inScheme,
)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
TERMS = sorted(
    {s for k in KINDS for s in ONTOLOGY.subjects(RDF.type, k) if str(s).startswith(str(GMP))}
)


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t).removeprefix(str(GMP)))
def test_term_is_labelled_defined_and_anchored(term: URIRef) -> None:
    assert ONTOLOGY.value(term, RDFS.label) is not None, "rdfs:label missing"
    assert ONTOLOGY.value(term, RDFS.comment) is not None, "rdfs:comment (definition) missing"
    assert ONTOLOGY.value(term, RDFS.isDefinedBy) is not None, "rdfs:isDefinedBy missing"
    assert _standard_anchors(term), (
        "no link to a standard term (subClassOf/subPropertyOf/closeMatch)"
    )


def _standard_anchors(term: URIRef) -> list[URIRef]:
    """Standard terms reached through anchors, following our own super-terms."""
    seen, todo, found = set(), [term], []
    while todo:
        t = todo.pop()
        for o in (o for p in ANCHORS for o in ONTOLOGY.objects(t, p)):
            if not isinstance(o, URIRef) or o in seen:
                continue
            seen.add(o)
            (todo if str(o).startswith(str(GMP)) else found).append(o)
    return found


def test_codes_are_labelled_and_in_a_scheme() -> None:
    for code in ONTOLOGY.subjects(RDF.type, GMP.Concept):
        assert ONTOLOGY.value(code, SKOS.prefLabel) is not None, code
        assert ONTOLOGY.value(code, SKOS.inScheme) is not None, code


def test_every_gmp_term_used_is_declared(build: Build) -> None:
    declared = set(ONTOLOGY.subjects())
    used = set()
    for s, p, o, _ in build.dataset:
        used.update(t for t in (s, p, o) if isinstance(t, URIRef) and str(t).startswith(str(GMP)))
    assert sorted(used - declared) == []


def test_every_gmp_term_in_shapes_and_rules_is_declared() -> None:
    declared = {str(s) for s in ONTOLOGY.subjects()}
    texts = [
        p.read_text() for p in [*paths.SHAPES_DIR.glob("*.ttl"), *paths.RULES_DIR.glob("*.rq")]
    ]
    names = {f"{GMP}{m}" for t in texts for m in re.findall(r"\bgmp:([A-Za-z][\w-]*)", t)}
    assert sorted(names - declared) == []


def test_every_predicate_is_in_a_known_namespace(build: Build) -> None:
    known = tuple(str(ns) for ns in PREFIXES.values())
    unknown = sorted({str(p) for _, p, _, _ in build.dataset if not str(p).startswith(known)})
    assert unknown == []


def test_no_owl_same_as(build: Build) -> None:
    """Pitfall: a government is not its country, a city not its country: skos:exactMatch only."""
    assert not list(build.dataset.quads((None, OWL.sameAs, None, None)))


def test_every_stated_range_is_the_one_the_data_uses(build: Build) -> None:
    """A query written from the ontology finds the data: each object has the stated range."""
    from rdflib import Literal

    ontology, data = build.ontology(), build.abox()
    both = ontology + data

    def classes(node: object) -> set[object]:
        seen: set[object] = set()
        todo = list(both.objects(node, RDF.type))  # type: ignore[arg-type]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo += list(both.objects(c, RDFS.subClassOf))
        return seen

    wrong = []
    for prop, rng in ontology.subject_objects(RDFS.range):
        for _, value in data.subject_objects(prop):  # type: ignore[arg-type]
            if isinstance(value, Literal):
                kind = value.datatype or (RDF.langString if value.language else XSD.string)
                ok = rng in (RDFS.Literal, kind)
            else:
                ok = rng in (RDFS.Resource, OWL.Thing) or rng in classes(value)
            if not ok:
                wrong.append(f"{prop} {value}: not a {rng}")
    assert not wrong, "\n".join(wrong[:20])


def test_the_ontology_page_has_one_title_its_iri_its_version_and_every_term() -> None:
    """Issue 29: ``/def`` named the ontology by a concept scheme's IRI and had nine titles."""
    from graph.publish.docs import ontology_html

    ontology = load_ontology()
    page = ontology_html(ontology)
    metadata = re.sub(r"<[^>]+>", " ", page[page.index('id="metadata"') :][:4000])
    words = " ".join(metadata.split())
    assert "IRI https://w3id.org/mercury-kg/def Title mercury-kg ontology:" in words
    assert words.split(" Publisher ")[0].count("mercury-kg ontology") == 2  # heading and title
    assert "Version Info 0.1.0" in words
    missing = [
        str(t)
        for t in set(ontology.subjects())
        if isinstance(t, URIRef) and str(t).startswith(str(GMP)) and str(t) != str(GMP)
        if f"{str(t).rsplit('#', 1)[-1]}" not in page
    ]
    assert missing == []
