"""Submissions in RDF (Turtle, JSON-LD) in the ontology's terms.

For partners whose systems already speak the model. The document holds one node typed
``gmp:Submission`` with ``schema:text``, the submitter's words, and the facts: new nodes under
the data namespace, typed with the classes of a record type (graph/data/README.md), using only
the predicates of record types, each citing the words it comes from as a Web Annotation text
quote (https://www.w3.org/TR/annotation-model/#text-quote-selector)::

    @prefix flow: <https://w3id.org/mercury-kg/id/flow/> .
    [] a gmp:Submission ; schema:text "In March 2013 the Government of Norway granted ..." .
    flow:x a gmp:FundingFlow ; schema:funder organisation:gov-norway ;
        prov:wasDerivedFrom [ oa:exact "the Government of Norway granted 300,000 US$" ] .

Each quote is found in the text and becomes a passage of the submission, as for YAML. Blank
nodes are allowed only as those quotes; nested values are IRIs under their record's
(``<flow/x/amount>``). The triples come from ``graph.contrib.intake`` (parsed and bounded in
the intake worker; JSON-LD by Oxigraph, which never loads a remote context).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import BNode, Node

from graph.compile.passages import SourceText
from graph.compile.records import COMMON, RECORD_TYPES
from graph.compile.triples import Triples
from graph.contrib.submission import Compiled, Problem, SubmissionError, submission_iri
from graph.namespaces import GMP, GMPD, OA, QUDT, SCHEMA

ALLOWED = (
    {spec[0] for spec in COMMON.values()}
    | {spec[0] for rt in RECORD_TYPES.values() for spec in rt.fields.values()}
    | {RDF.type, RDFS.label, SKOS.prefLabel, PROV.wasDerivedFrom}
    | {
        SCHEMA.value,
        SCHEMA.currency,
        QUDT.numericValue,
        QUDT.unit,
        SCHEMA.maxValue,
        GMP.approximation,
        GMP.verbatim,
        GMP.perPeriod,
    }
)
"""The predicates a fact may use: those the record types compile to, and those of amounts."""
CLASSES = {cls for rt in RECORD_TYPES.values() for cls in rt.classes}
NESTED = {SCHEMA.MonetaryAmount, QUDT.QuantityValue}
"""Classes of nested values (an amount, a quantity), which are not records."""


def _short(node: Node) -> str:
    return str(node).removeprefix(str(GMPD))


def compile_rdf(
    triples: list[tuple[Node, Node, Node]],
    sid: str,
    published: set[URIRef],
    vocabulary: set[URIRef],
    reporting_period: URIRef | None = None,
) -> Compiled:
    """Check and rewrite an RDF submission into the graph's form (passages, submission node).

    Raises:
        SubmissionError: naming the subject and the predicate at fault.
    """
    heads = [s for s, p, o in triples if p == RDF.type and o == GMP.Submission]
    if len(heads) != 1:
        raise SubmissionError(
            [Problem("one node must be typed gmp:Submission", field="gmp:Submission")]
        )
    head = heads[0]
    texts = [o for s, p, o in triples if s == head and p == SCHEMA.text and isinstance(o, Literal)]
    if len(texts) != 1 or not str(texts[0]).strip():
        raise SubmissionError(
            [Problem("the submission needs one schema:text (your words)", field="schema:text")]
        )
    node = submission_iri(sid)
    source = SourceText(
        Path("submission"),
        text=str(texts[0]),
        work=node,
        text_node=URIRef(f"{node}/text"),
        passages=f"submission/{sid}/passage/",
    )
    out = Triples()
    source.describe(out)
    quotes = {s: str(o) for s, p, o in triples if isinstance(s, BNode) and p == OA.exact}
    facts = {s for s, _p, _o in triples if s != head and not isinstance(s, BNode)}
    problems: list[Problem] = []
    for s in sorted(facts, key=str):
        if not str(s).startswith(str(GMPD)) or s in published:
            problems.append(
                Problem(
                    "a new record's IRI under the data namespace, not yet published",
                    _short(s),
                    "@id",
                )
            )
    records = sorted(
        {
            s
            for s in facts
            if any(p == RDF.type and o in CLASSES for s2, p, o in triples if s2 == s)
        },
        key=str,
    )
    for s, p, o in triples:
        if s == head:
            if p in (DCTERMS.title,):
                out.add(node, p, o)
            continue
        if isinstance(s, BNode):
            if p != OA.exact:
                problems.append(Problem("blank nodes may only be quotes (oa:exact)", "", _short(p)))
            continue
        if p not in ALLOWED:
            problems.append(Problem("not a predicate of the record format", _short(s), _short(p)))
            continue
        if p == PROV.wasDerivedFrom:
            quote = quotes.get(o) if isinstance(o, BNode) else None
            if quote is None:
                problems.append(
                    Problem(
                        'cite your words as [ oa:exact "..." ]', _short(s), "prov:wasDerivedFrom"
                    )
                )
                continue
            try:
                passage = source.locate(quote)
            except ValueError as exc:
                problems.append(Problem(str(exc), _short(s), "prov:wasDerivedFrom"))
                continue
            out.add(s, PROV.wasDerivedFrom, source.add_passage(out, passage))
            continue
        if isinstance(o, BNode):
            problems.append(
                Problem(
                    "use an IRI under the record's own for a nested value", _short(s), _short(p)
                )
            )
            continue
        if (
            isinstance(o, URIRef)
            and str(o).startswith(str(GMPD))
            and o not in published
            and o not in facts
        ):
            problems.append(
                Problem(f"refers to {_short(o)}, which no record defines", _short(s), _short(p))
            )
            continue
        if p == RDF.type and o not in vocabulary and o not in CLASSES | NESTED:
            problems.append(Problem(f"{o} is not a class of the ontology", _short(s), "rdf:type"))
            continue
        out.add(s, p, o)
    for s in records:
        if not any(p == PROV.wasDerivedFrom for s2, p, _o in triples if s2 == s):
            problems.append(
                Problem(
                    "every record cites your words (prov:wasDerivedFrom)",
                    _short(s),
                    "prov:wasDerivedFrom",
                )
            )
    if not records:
        problems.append(Problem("no record: type each fact with a class of the record format"))
    if problems:
        raise SubmissionError(problems)
    label = f"Submission {sid}"
    if reporting_period is not None:
        out.add(node, GMP.reportingPeriod, reporting_period)
    out.add(node, RDF.type, GMP.Submission)
    out.add(node, RDF.type, PROV.Entity)
    out.add(node, RDFS.label, Literal(label, lang="en"))
    out.add(node, SKOS.prefLabel, Literal(label, lang="en"))
    return Compiled(sid, out, [_short(s) for s in records])
