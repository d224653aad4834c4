"""What runs inside a query worker process: the store, one query at a time, serialisation.

Workers exist so that a query can be stopped for real: the parent kills the process at the
deadline (security.md §2: threads cannot be stopped, and pyoxigraph exposes no cancellation).
Each worker loads the dataset from N-Quads, caps its own memory, and answers jobs on a pipe.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.results import FORMATTERS, Result, boolean_json, boolean_xml

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


@dataclass(frozen=True)
class Job:
    """One query: its text, the negotiated formats for each query form, and the row cap."""

    text: str
    results_format: str
    rdf_format: str
    row_cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ValidateJob:
    """RDF to check against the shapes: the bytes and their format (a key of RDF_FORMATS)."""

    data: bytes
    rdf_format: str


@dataclass(frozen=True)
class Answer:
    """A worker's reply: body bytes and what they are, or an error message."""

    ok: bool
    body: bytes = b""
    kind: str = ""
    """'results', 'boolean' or 'rdf' (which format table the body is in)."""
    truncated: bool = False
    error: str = ""


def serve(conn: Connection, nquads: bytes, memory_mb: int, prefixes: dict[str, str]) -> None:
    """Worker main loop: load the data, then answer jobs until the pipe closes."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if isinstance(job, ValidateJob):
            conn.send(validate_upload(job))
        else:
            conn.send(run(store, job, prefixes))


def run(store: ox.Store, job: Job, prefixes: dict[str, str]) -> Answer:
    """Execute one job; every failure becomes an Answer with the engine's message."""
    try:
        kwargs: dict[str, object] = {}
        if job.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        result = store.query(job.text, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            text = (boolean_xml if job.results_format == "xml" else boolean_json)(bool(result))
            return Answer(True, text.encode(), "boolean")
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows: list[tuple[object, ...]] = []
            for solution in result:
                if len(rows) == job.row_cap:
                    return _results(variables, rows, job, truncated=True)
                rows.append(tuple(solution))
            return _results(variables, rows, job, truncated=False)
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) == job.row_cap:
                return _rdf(triples, job, prefixes, truncated=True)
            triples.append(triple)
        return _rdf(triples, job, prefixes, truncated=False)
    except SyntaxError as exc:
        return Answer(False, error=f"SPARQL syntax error: {exc}")
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return Answer(False, error=f"the query could not be evaluated: {exc}")
    except MemoryError:
        return Answer(False, error="the query needs more memory than a query may use")


_CHECKERS: dict[str, object] = {}


def validate_upload(job: ValidateJob) -> Answer:
    """Parse uploaded RDF with Oxigraph (no remote JSON-LD contexts) and run the shapes on it."""
    import json

    from rdflib import Graph

    from graph.build import load_ontology
    from graph.oxi import from_ox
    from graph.validate import load_shapes, validate

    if "ontology" not in _CHECKERS:
        _CHECKERS["ontology"], _CHECKERS["shapes"] = load_ontology(), load_shapes()
    try:
        quads = list(ox.parse(job.data, format=RDF_FORMATS[job.rdf_format]))
    except (SyntaxError, ValueError, OSError) as exc:
        return Answer(False, error=f"the data does not parse: {exc}")
    data = Graph()
    for q in quads:
        data.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    violations = validate(data, _CHECKERS["ontology"], _CHECKERS["shapes"])  # type: ignore[arg-type]
    report = {
        "conforms": not violations,
        "triples": len(data),
        "violations": [v.__dict__ for v in violations],
    }
    return Answer(True, json.dumps(report, indent=1).encode(), "report")


def _results(
    variables: tuple[str, ...], rows: list[tuple[object, ...]], job: Job, truncated: bool
) -> Answer:
    body = FORMATTERS[job.results_format](Result(variables, tuple(rows)))  # type: ignore[arg-type]
    return Answer(True, body.encode("utf-8"), "results", truncated)


def _rdf(triples: list[ox.Triple], job: Job, prefixes: dict[str, str], truncated: bool) -> Answer:
    fmt = RDF_FORMATS[job.rdf_format]
    items: list[ox.Triple] | list[ox.Quad] = triples
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    body = ox.serialize(
        items,
        format=fmt,
        prefixes=prefixes
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
        else None,
    )
    return Answer(True, body or b"", "rdf", truncated)
