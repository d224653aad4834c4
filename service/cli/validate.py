"""``mercury-kg validate [FILE...]``: check the graph, or curated or RDF files, against the shapes.

With no files the whole curated graph is built and checked. A ``.yaml`` file replaces the curated
file of the same name (or is added), so an edited copy can be checked before it is committed; RDF
files are checked on their own, with the ontology for class membership.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef

from graph.check.checks import load_checks, run_checks
from graph.check.report import format_violation
from graph.check.validate import validate
from graph.compile.build import build_dataset, data_files, load_ontology
from graph.compile.yamlsource import DataError, DataParseError
from graph.query.catalog import CatalogError
from graph.report import say

RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}


def run_validate(files: list[Path]) -> int:
    """Validate and print a report; return 0 (conforms), 1 (violations) or 2 (parse errors)."""
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    unknown = [f for f in files if f.suffix not in RDF_FORMATS and f.suffix != ".yaml"]
    if unknown:
        print(f"error: not a .yaml or RDF file: {', '.join(map(str, unknown))}", file=sys.stderr)
        return 2
    try:
        data, ontology, subjects = _load(files)
    except DataParseError as exc:
        print(f"parse error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    violations = validate(data, ontology)
    union = data + ontology
    try:
        failures = run_checks(union)
    except CatalogError as exc:  # a check's own file is broken: name it, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    wording = [] if files else say.check()
    for problem in wording:
        print(f"report wording: {problem}")
    if wording:
        return 1
    if not violations and not failures:
        print(
            f"conforms: {len(data)} triples checked against the shapes and "
            f"{len(load_checks())} quality checks"
        )
        return 0
    for v in violations:
        print(format_violation(v, union, subjects))
    for f in failures:
        print(f.describe())
    print(
        f"{len(violations)} shape violation(s), {len(failures)} check failure(s)", file=sys.stderr
    )
    return 1


def _load(files: list[Path]) -> tuple[Graph, Graph, dict[URIRef, tuple[str, int]]]:
    yaml_files = [f for f in files if f.suffix == ".yaml"]
    rdf_files = [f for f in files if f.suffix != ".yaml"]
    if rdf_files and not yaml_files:
        data = Graph()
        for f in rdf_files:
            try:
                data.parse(f, format=RDF_FORMATS[f.suffix])
            except Exception as exc:  # rdflib raises many parser exception types
                raise DataParseError(f, getattr(exc, "lines", None), str(exc)) from exc
        return data, load_ontology(), {}
    chosen = {p.name: p for p in data_files()}
    chosen.update({f.name: f.resolve() for f in yaml_files})
    build = build_dataset(sorted(chosen.values(), key=lambda p: p.name))
    data = build.abox()
    for f in rdf_files:
        data.parse(f, format=RDF_FORMATS[f.suffix])
    return data, build.ontology(), build.subjects
