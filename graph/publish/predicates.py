"""The predicate reference: every predicate the data uses, on what, pointing to what.

Written to ``ontology/PREDICATES.md`` by ``python -m graph.publish.predicates`` and checked by
``tests/test_docs.py`` to equal what the built graph holds, so the docs list exactly the
predicates of the data (RDF Schema domains and ranges as observed, https://www.w3.org/TR/rdf11-schema/).
Meanings are the ontology's ``rdfs:comment`` (our terms) or ``skos:scopeNote`` (how we use a
standard term, ``ontology/usage.ttl``).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from graph.compile.build import Build, build_dataset
from graph.namespaces import PREFIXES

STANDARDS = {
    "org": "W3C ORG",
    "prov": "PROV-O",
    "time": "OWL-Time",
    "skos": "SKOS",
    "dct": "DCTERMS",
    "schema": "schema.org",
    "oa": "Web Annotation",
    "qb": "RDF Data Cube",
    "dcat": "DCAT",
    "void": "VoID",
    "qudt": "QUDT",
    "rdf": "RDF",
    "rdfs": "RDF Schema",
    "owl": "OWL",
    "sdmx-attribute": "SDMX",
    "spdx": "SPDX",
    "vann": "VANN",
    "gmp": "mercury-kg",
}


def _short(graph: Graph, node: object) -> str:
    return node.n3(graph.namespace_manager) if isinstance(node, URIRef) else str(node)


def _kinds(graph: Graph, node: object) -> list[str]:
    if isinstance(node, Literal):
        if node.language:
            return ["rdf:langString"]
        return [_short(graph, node.datatype or XSD.string)]
    types = sorted(_short(graph, t) for t in graph.objects(node, RDF.type))  # type: ignore[arg-type]
    return types or ["(untyped IRI)"]


def _top(kinds: Counter[str], n: int = 4) -> list[str]:
    """The most used kinds, ties by name (stable whatever order the triples come in)."""
    return [k for k, _ in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def predicate_table(build: Build) -> str:
    """The Markdown reference, one row per predicate of the data graphs, sorted by name."""
    data = build.abox()
    ontology = build.ontology()
    for prefix, ns in PREFIXES.items():
        data.bind(prefix, ns, override=True, replace=True)
    typed = data + ontology
    counts: Counter[URIRef] = Counter()
    subjects: dict[URIRef, Counter[str]] = defaultdict(Counter)
    objects: dict[URIRef, Counter[str]] = defaultdict(Counter)
    for s, p, o in data:
        assert isinstance(p, URIRef)  # noqa: S101 - RDF predicates are IRIs
        counts[p] += 1
        subjects[p].update(_kinds(typed, s))
        objects[p].update(_kinds(typed, o))
    lines = [
        "# Every predicate in the data",
        "",
        "Generated from the built graph by `python -m graph.publish.predicates >"
        " ontology/PREDICATES.md`; `tests/test_docs.py` fails when it differs from the data."
        ' "On" and "to" are the classes (or datatypes) of the subjects and objects the'
        ' predicate links, most used first (at most four each); "facts" counts its triples.',
        "",
        "| Predicate | Standard | On | To | Facts | Meaning |",
        "|---|---|---|---|---|---|",
    ]
    for p in sorted(counts, key=lambda q: _short(data, q)):
        name = _short(data, p)
        prefix = name.split(":", 1)[0]
        meaning = (
            ontology.value(p, RDFS.comment)
            or ontology.value(p, SKOS.scopeNote)
            or ontology.value(p, RDFS.label)
            or ""
        )
        on = ", ".join(f"`{k}`" for k in _top(subjects[p]))
        to = ", ".join(f"`{k}`" for k in _top(objects[p]))
        text = str(meaning).replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| `{name}` | {STANDARDS.get(prefix, prefix)} | {on} | {to} | {counts[p]} | {text} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(predicate_table(build_dataset()))
