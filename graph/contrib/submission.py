"""A submission: the submitter's own words and the records that cite them, compiled to RDF.

A submission has the curated files' record format (graph/data/README.md) plus its own source:

.. code-block:: yaml

    period: {from: 2012-07, to: 2013-06}   # what it reports on
    text: |                                 # the submitter's words, which every 'source' quotes
      In March 2013 the Government of Norway granted 500,000 US$ ...
    records:
    - {id: flow/norway-coal-2013, type: FundingFlow, ..., source: 'granted 500,000 US$'}

It is compiled with the curated files' compiler against that text: each fact's ``source`` quote
must occur in it, and becomes a Web Annotation passage of the submission
(``gmpd:submission/<id>/passage/<start>-<end>``, https://www.w3.org/TR/annotation-model/). A
submission only adds: its record ids must be new, and its references must name records of the
published graph, of the submission, or ontology terms. Every problem is a ``SubmissionError``
naming the record and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.compile.compiler import Compiler, check_refs
from graph.compile.passages import SourceText
from graph.compile.records import COMMON, RECORD_TYPES
from graph.compile.timevalues import time_value
from graph.compile.triples import Triples
from graph.compile.yamlsource import DataError, Record, records_of
from graph.namespaces import GMP, GMPD

PLACE = Path("submission")
"""How messages name the submitted document."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission: which record, which field, what."""

    message: str
    record: str = ""
    field: str = ""
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The problem as a JSON object."""
        return {
            "record": self.record,
            "field": self.field,
            "line": self.line,
            "message": self.message,
        }


class SubmissionError(ValueError):
    """A submission that cannot be read or compiled; ``problems`` says where.

    ``status`` is the HTTP answer: 422 (what it says is wrong), 413 (too large), 415 (the type).
    """

    def __init__(self, problems: list[Problem], status: int = 422) -> None:
        self.problems = problems
        self.status = status
        super().__init__("; ".join(_sentence(p) for p in problems))


def _sentence(p: Problem) -> str:
    where = " ".join(
        x for x in (p.record and f"record {p.record!r}", p.field and f"field {p.field!r}") if x
    )
    return f"{where}: {p.message}" if where else p.message


@dataclass
class Compiled:
    """A compiled submission: its triples and the record ids it defines."""

    id: str
    triples: Triples
    records: list[str] = field(default_factory=list)
    period: URIRef | None = None

    @property
    def node(self) -> URIRef:
        """The submission as a work."""
        return submission_iri(self.id)


def submission_iri(sid: str) -> URIRef:
    """``gmpd:submission/<id>``."""
    return GMPD[f"submission/{sid}"]


def graph_iri(sid: str) -> URIRef:
    """The named graph an accepted submission is published in."""
    return GMPD[f"graph/submission/{sid}"]


SINGLE = ("ref", "text", "str", "int", "decimal", "literal-date", "time", "money", "quantity")
"""Field kinds that hold one value: a submission may state them of an existing node only where
the graph has none (it adds, never replaces)."""


def _extension(
    compiler: Compiler, record: Record, published: set[URIRef], graph: Graph | None
) -> Problem | None:
    """Compile an ``extends`` record (statements about a published node), or say what is wrong."""
    target = str(record.fields.get("extends", ""))
    node = GMPD[target]
    if node not in published or graph is None:
        return Problem(
            "'extends' names a record the graph does not publish", target, "extends", record.line
        )
    rtype = record_type_of(set(graph.objects(node, RDF.type)))
    if rtype is None:
        return Problem("this kind of record cannot be added to", target, "extends", record.line)
    spec = {**COMMON, **RECORD_TYPES[rtype].fields}
    for key in record.fields:
        field_spec = spec.get(key)
        if field_spec and field_spec[1] in SINGLE and (node, field_spec[0], None) in graph:
            return Problem(
                f"the graph already states '{key}' of {target}; a submission adds, never "
                "replaces (a correction of the report is a matter for the secretariat)",
                target,
                key,
                record.line,
            )
    try:
        compiler.extend(record, node, rtype, "submission")
    except DataError as exc:
        return _problem(exc, target)
    return None


def record_type_of(types: set[Node]) -> str | None:
    """The record type whose classes a node has (the most specific that matches)."""
    best, score = None, 0
    for name, spec in RECORD_TYPES.items():
        if set(spec.classes) <= types and len(spec.classes) > score:
            best, score = name, len(spec.classes)
    return best


def compile_submission(
    doc: dict[str, Any],
    sid: str,
    published: set[URIRef],
    vocabulary: set[URIRef],
    graph: Graph | None = None,
    reporting_period: URIRef | None = None,
) -> Compiled:
    """Compile a parsed submission.

    Args:
        doc: from ``graph.contrib.intake.read`` (its ``doc``).
        sid: the submission's id.
        published: subjects of the published graph (references may name them; ids may not).
        vocabulary: ontology terms references may name.
        graph: the published graph, for records that add to a node of it (``extends``).
        reporting_period: the reporting period it reports on (``graph.contrib.periods``).

    Raises:
        SubmissionError: naming the record and field at fault.
    """
    node = submission_iri(sid)
    source = SourceText(
        PLACE,
        text=doc["text"],
        work=node,
        text_node=URIRef(f"{node}/text"),
        passages=f"submission/{sid}/passage/",
    )
    compiler = Compiler(source)
    try:
        records = records_of(list(doc["records"]), PLACE)
    except DataError as exc:
        raise SubmissionError([Problem(exc.message, field="records")]) from exc
    problems = []
    ids = []
    for n, record in enumerate(records, start=1):
        if "extends" in record.fields:
            problem = _extension(compiler, record, published, graph)
            if problem is not None:
                problems.append(problem)
            continue
        rid = str(record.fields.get("id", f"#{n}"))
        if GMPD[rid] in published:
            problems.append(
                Problem(
                    "this id is already published; a submission only adds new records "
                    "(to correct one, retract the submission that made it)",
                    rid,
                    "id",
                    record.line or None,
                )
            )
            continue
        try:
            compiler.compile([record], "submission")
        except DataError as exc:
            problems.append(_problem(exc, rid))
            continue
        ids.append(rid)
    if problems:
        raise SubmissionError(problems)
    try:
        check_refs(compiler.result, vocabulary | published)
    except DataError as exc:
        raise SubmissionError([_problem(exc, "")]) from exc
    triples = Triples()
    for part in compiler.result.graphs.values():
        for triple in part:
            triples.add(*triple)
    compiled = Compiled(sid, triples, ids)
    if doc.get("period") is not None:
        try:
            compiled.period = time_value(triples, doc["period"])
        except (ValueError, TypeError) as exc:
            raise SubmissionError([Problem(str(exc), field="period")]) from exc
        triples.add(node, DCTERMS.temporal, compiled.period)
    if reporting_period is not None:
        triples.add(node, GMP.reportingPeriod, reporting_period)
    triples.add(node, RDF.type, GMP.Submission)
    triples.add(node, RDF.type, PROV.Entity)
    label = f"Submission {sid}"
    if doc.get("title"):
        triples.add(node, DCTERMS.title, Literal(str(doc["title"]), lang="en"))
        label = f"{label}: {doc['title']}"
    triples.add(node, RDFS.label, Literal(label, lang="en"))
    triples.add(node, SKOS.prefLabel, Literal(label, lang="en"))
    return compiled


def _problem(exc: DataError, rid: str) -> Problem:
    """A compiler error as a problem: the record from the message, the field where it says."""
    message = exc.message
    record = rid
    if message.startswith("record "):
        head, _, rest = message.partition(": ")
        record = head.removeprefix("record ").strip("'\"") or rid
        message = rest or message
    fieldname = ""
    for marker in ("unknown key '", "requires '", "'"):
        if marker in message:
            fieldname = message.split(marker, 1)[1].split("'", 1)[0]
            break
    if "quote" in message:
        fieldname = "source"
    return Problem(message, record, fieldname, exc.line or None)
