"""What runs inside a worker process: no network, a memory cap, one job at a time.

Workers exist so that work can be stopped for real: the parent kills the process at the deadline
(security.md section 2: threads cannot be stopped, and pyoxigraph exposes no cancellation). At start
a worker leaves the network (service.sandbox.netns: an empty network namespace, so SERVICE and any
other fetch fail whatever the query text says), caps its address space, loads the dataset from
N-Quads if its pool runs queries, and then answers jobs on a pipe: ad-hoc queries (screened by the
parser's view, service.sandbox.guard.explain), uploads to validate, posted networks to lay out,
submissions and forms to read (service.sandbox.intake). A
new revision (``ReloadJob``) replaces the data, loaded when the next query comes.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph.query.hints import syntax_hint
from graph.query.results import (
    FORMATTERS,
    NotRepresentable,
    Result,
    boolean_json,
    boolean_xml,
)
from service.sandbox.guard import QueryRefused, explain, load_parser, network_refusal
from service.sandbox.intake import FormError, FormJob, IntakeJob, read_form, read_submission
from service.sandbox.netns import SANDBOXED, SandboxUnavailable, isolate

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
NICENESS = 5
"""Workers run below the server's priority: an answer the server keeps comes before new work."""
TOO_BIG = 422
"""Status of work that is well formed but past a limit (deadline, memory): do not retry as is."""


@dataclass(frozen=True)
class Setup:
    """How a worker starts: the data it holds and how it is confined."""

    nquads: bytes | None
    """The dataset (query workers), or None (validation and network workers)."""
    memory_mb: int
    prefixes: dict[str, str]
    local_graphs: frozenset[str]
    require_sandbox: bool = True
    """Refuse to start without a network namespace (else run with the screen alone)."""


@dataclass(frozen=True)
class Job:
    """One query: its text, the negotiated formats for each query form, and the row cap."""

    text: str
    results_format: str
    rdf_format: str
    row_cap: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    """What relative IRIs in the query resolve against (the endpoint's own IRI)."""
    dataset: bytes | None = None
    """An earlier revision's N-Quads to query instead of the current one (``?revision=N``)."""


@dataclass(frozen=True)
class ValidateJob:
    """RDF to check against the shapes: the bytes and their format (a key of RDF_FORMATS)."""

    data: bytes
    rdf_format: str


@dataclass(frozen=True)
class RenderJob:
    """A posted network to lay out and export: attributed nodes, edges, format and size metric."""

    nodes: list[tuple[str, dict[str, Any]]]
    edges: list[dict[str, Any]]
    title: str
    format: str
    size_by: str


@dataclass(frozen=True)
class ReloadJob:
    """Serve from this setup from now on: a new revision of the published graph."""

    setup: Setup


@dataclass(frozen=True)
class Answer:
    """A worker's reply: body bytes and what they are, or an error message and its status."""

    ok: bool
    body: bytes = b""
    kind: str = ""
    """'results', 'boolean', 'rdf', 'report' or a network format."""
    truncated: bool = False
    error: str = ""
    status: int = 400
    data: Any = None
    """Plain data for the server: a submission read (``Intake``), a form, or the problems."""


def serve(conn: Connection, setup: Setup) -> None:
    """Worker main loop: leave the network, load the data, answer jobs until the pipe closes."""
    try:
        sandbox = isolate()
    except SandboxUnavailable as exc:
        if setup.require_sandbox:
            conn.send(("failed", str(exc)))
            return
        sandbox = ""
    limit = setup.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(NICENESS)
    store: ox.Store | None = _load(setup)
    if setup.nquads is not None:
        load_parser()  # now, not in the first query's time
    try:
        conn.send(("ready", SANDBOXED if sandbox else ""))
    except BrokenPipeError:  # the pool closed while this worker started (the server stopping)
        return
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if isinstance(job, ReloadJob):
            # a new revision is loaded when the next query comes, not while the accept that made
            # it is publishing: readers of the server's cache do not share the cores with it
            store, setup = None, job.setup
            conn.send(Answer(True, kind="reloaded"))
        elif isinstance(job, ValidateJob):
            conn.send(validate_upload(job))
        elif isinstance(job, RenderJob):
            conn.send(render(job))
        elif isinstance(job, IntakeJob | FormJob):
            conn.send(take_in(job))
        elif job.dataset is not None:
            conn.send(answer(_earlier(job.dataset), job, setup))
        else:
            if store is None:
                store = _load(setup)
            conn.send(answer(store, job, setup))


def _load(setup: Setup) -> ox.Store:
    """The setup's dataset in a store of its own (empty for validation and network workers)."""
    store = ox.Store()
    if setup.nquads is not None:
        store.load(setup.nquads, format=ox.RdfFormat.N_QUADS)
    return store


_EARLIER: dict[str, ox.Store] = {}


def _earlier(nquads: bytes) -> ox.Store:
    """A store of an earlier revision, the last one asked kept (by its digest)."""
    import hashlib

    key = hashlib.sha256(nquads).hexdigest()
    if key not in _EARLIER:
        _EARLIER.clear()
        store = ox.Store()
        store.load(nquads, format=ox.RdfFormat.N_QUADS)
        _EARLIER[key] = store
    return _EARLIER[key]


def answer(store: ox.Store, job: Job, setup: Setup) -> Answer:
    """Explain a refusal as the parser reads the query, else run it."""
    try:
        explain(job.text, setup.local_graphs, setup.prefixes, job.base_iri)
    except QueryRefused as exc:
        return Answer(False, error=str(exc), status=exc.status)
    return run(store, job, setup.prefixes)


def run(store: ox.Store, job: Job, prefixes: dict[str, str]) -> Answer:
    """Execute one job; every failure becomes an Answer with a message about the query.

    The project's prefixes are predeclared (a query's own PREFIX lines win) and relative IRIs
    resolve against ``job.base_iri``.
    """
    try:
        kwargs: dict[str, object] = {"prefixes": prefixes, "base_iri": job.base_iri}
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
        hint = syntax_hint(job.text)
        if hint:
            return Answer(False, error=f"SPARQL syntax error: {hint}\n(the parser: {exc})")
        return Answer(False, error=f"SPARQL syntax error: {exc}")
    except MemoryError:
        return Answer(
            False, error="the query needs more memory than a query may use", status=TOO_BIG
        )
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        refusal = network_refusal(str(exc)) if isinstance(exc, OSError) else None
        return Answer(False, error=refusal or f"the query could not be evaluated: {exc}")


_CHECKERS: dict[str, object] = {}


def validate_upload(job: ValidateJob) -> Answer:
    """Parse uploaded RDF with Oxigraph (no remote JSON-LD contexts) and run the shapes on it."""
    import json

    from rdflib import Graph

    from graph.check.validate import load_shapes, validate
    from graph.compile.build import load_ontology
    from graph.oxi import from_ox

    if "ontology" not in _CHECKERS:
        _CHECKERS["ontology"], _CHECKERS["shapes"] = load_ontology(), load_shapes()
    try:
        quads = list(ox.parse(job.data, format=RDF_FORMATS[job.rdf_format]))
    except (SyntaxError, ValueError, OSError) as exc:
        return Answer(False, error=f"the data does not parse: {exc}")
    except MemoryError:
        return Answer(
            False, error="the data needs more memory than an upload may use", status=TOO_BIG
        )
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


def take_in(job: IntakeJob | FormJob) -> Answer:
    """Read a submission or a form from a stranger's bytes (service.sandbox.intake)."""
    if isinstance(job, IntakeJob):
        ok, data, error, status = read_submission(job)
        return Answer(ok, kind="intake", error=error, status=status, data=data)
    try:
        return Answer(True, kind="form", data=read_form(job))
    except FormError as exc:
        return Answer(False, error=str(exc), status=exc.status)
    except MemoryError:
        return Answer(False, error="the form needs more memory than one may use", status=413)
    except Exception as exc:  # a parser's own error type: still the sender's bytes
        return Answer(False, error=f"the form cannot be read ({type(exc).__name__})", status=400)


def render(job: RenderJob) -> Answer:
    """Metrics, layout and export of a posted network (service.pages.netviews.render)."""
    from service.pages.netviews import network_of, render_view

    try:
        view = network_of(job.nodes, job.edges, job.title)
        return Answer(True, render_view(view, job.format, job.size_by), job.format)
    except MemoryError:
        return Answer(False, error="the network needs more memory than one may use", status=TOO_BIG)
    except (ValueError, TypeError, KeyError) as exc:
        return Answer(False, error=f"the network could not be drawn: {exc}")


def _results(
    variables: tuple[str, ...], rows: list[tuple[object, ...]], job: Job, truncated: bool
) -> Answer:
    try:
        body = FORMATTERS[job.results_format](Result(variables, tuple(rows)))  # type: ignore[arg-type]
    except NotRepresentable as exc:
        return Answer(False, error=str(exc), status=406)
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
