"""Human-readable validation reports: entity, label, message and the curated file and line."""

from __future__ import annotations

from rdflib import Graph, URIRef

from graph.check.validate import Violation, label_of
from graph.compile.build import relative_path
from graph.namespaces import GMPD


def source_of(focus: str, subjects: dict[URIRef, tuple[str, int]]) -> tuple[str, int] | None:
    """The file and line of the record a node belongs to (nested nodes live under its IRI)."""
    iri = URIRef(focus.split("#", 1)[0])
    while True:
        if iri in subjects:
            return subjects[iri]
        if "/" not in iri.removeprefix(str(GMPD)) or not iri.startswith(str(GMPD)):
            return None
        iri = URIRef(iri.rsplit("/", 1)[0])


def short(iri: str) -> str:
    """Data IRIs as their record id, others unchanged."""
    return iri.removeprefix(str(GMPD))


def format_violation(v: Violation, graph: Graph, subjects: dict[URIRef, tuple[str, int]]) -> str:
    """One line per violation: ``file:line: id "label": message [component path]``."""
    where = source_of(v.focus, subjects)
    location = f"{relative_path(where[0])}:{where[1]}" if where else "(no curated source)"
    label = label_of(graph, v.focus)
    entity = f'{short(v.focus)} "{label}"' if label else short(v.focus)
    detail = ", ".join(x for x in (v.component, short(v.path), v.value and f"value {v.value}") if x)
    return f"{location}: {entity}: {v.message or 'constraint violated'} [{detail}]"
