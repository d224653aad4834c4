"""What people see of a submission: the queue's line, and the review page in names and words.

The queue shows each submission's title, organisation, kinds of record, amounts, areas and
warnings; the review page shows the partner's words first, one card per record with names (not
ids), every change of the report of its period in words (``graph.report.changes``), the money
questions (``graph.contrib.money``), the history by name, then the raw RDF (N-Quads, RDF 1.1,
https://www.w3.org/TR/n-quads/) for whoever wants it.
"""

from __future__ import annotations

import threading
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SKOS, TIME
from rdflib.term import Node

from graph.contrib import accounts, workflow
from graph.contrib.forms.names import Directory, directory
from graph.contrib.impact import figures_diff
from graph.contrib.intake import read
from graph.contrib.ledger import Ledger
from graph.contrib.money import open_questions
from graph.contrib.nquads import graph_of, quads_of, triples_of
from graph.contrib.periods import Period
from graph.contrib.submission import graph_iri, submission_iri
from graph.namespaces import GMP, GMPD, QUDT, SCHEMA, shorten
from graph.report.changes import of_addition
from graph.report.words import number

KINDS = (
    (GMP.FundingFlow, "Money"),
    (GMP.Project, "Project"),
    (GMP.Activity, "Activity"),
    (SCHEMA.Event, "Event"),
    (GMP.Highlight, "Highlight"),
    (QB.Observation, "Partner count"),
    (SCHEMA.Country, "Country"),
    (SCHEMA.CreativeWork, "Document"),
    (URIRef("http://www.w3.org/ns/org#Organization"), "Organisation"),
)
"""A record's kind in words: the first of its classes found here."""
SAID: dict[Node, str] = {
    TIME.hasTime: "when",
    SCHEMA.amount: "amount",
    SCHEMA.location: "where",
    SCHEMA.url: "web address",
    DCTERMS.spatial: "place",
    DCTERMS.issued: "issued",
    DCTERMS.language: "language",
    DCTERMS.publisher: "publisher",
    DCTERMS.description: "description",
    SKOS.altLabel: "also called",
}
"""Words for the predicates of other vocabularies a card shows (ours have labels)."""
QUIET = {RDF.type, SKOS.prefLabel, RDFS.label, PROV.wasDerivedFrom, PROV.wasAttributedTo}
"""Predicates a card leaves out (the kind and name head the card; the quotes are the words)."""

_cache: dict[tuple[int, int], Directory] = {}
_cache_lock = threading.Lock()


def names(ledger: Ledger) -> Directory:
    """The directory of the current published revision (made once per revision)."""
    published = ledger.published()
    key = (id(ledger), published.revision)
    with _cache_lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = directory(published.abox())
        return _cache[key]


def words_of(sub: workflow.Submission) -> tuple[str, str]:
    """The submission's title and the partner's words (the quotes, for RDF sent as such)."""
    doc = read(sub.body, sub.media_type).doc if sub.body else None
    if doc:
        return str(doc.get("title") or ""), str(doc.get("text") or "")
    g = graph_of(sub.nquads)
    title = next((str(t) for t in g.objects(submission_iri(sub.id), DCTERMS.title)), "")
    quotes = sorted({str(o) for o in g.objects(None, GMP.verbatim)})
    return title, "\n".join(quotes)


def kind_of(g: Graph, node: URIRef) -> str:
    """A record's kind in words."""
    types = set(g.objects(node, RDF.type))
    return next((words for cls, words in KINDS if cls in types), "Record")


def value_words(g: Graph, node: Any) -> str | None:
    """An amount or a quantity in words ("USD 500,000 (exact; written “500.000,00”)"), or None."""
    value = g.value(node, SCHEMA.value) or g.value(node, QUDT.numericValue)
    if value is None:
        return None
    unit = g.value(node, SCHEMA.currency) or g.value(node, SCHEMA.unitText) or ""
    approx = str(g.value(node, GMP.approximation) or "").rsplit("-", 1)[-1]
    grouped = number(str(value))
    head = f"{unit} {grouped}" if g.value(node, SCHEMA.currency) else f"{grouped} {unit}"
    said = g.value(node, GMP.verbatim)
    extra = [w for w in (approx if approx and approx != "exact" else "",) if w]
    if said:
        extra.append(f"written “{said}”")
    return head.strip() + (f" ({'; '.join(extra)})" if extra else "")


def _object(g: Graph, o: Any, d: Directory, ontology: Graph) -> str:
    if isinstance(o, Literal):
        return str(o)
    words = value_words(g, o)
    if words:
        return words
    label = g.value(o, RDFS.label) or g.value(o, SKOS.prefLabel) or ontology.value(o, RDFS.label)
    if label is not None:
        return str(label)
    rid = str(o).removeprefix(str(GMPD))
    return d.labels.get(rid) or d.labels.get(shorten(str(o))) or shorten(str(o))


def cards(sub: workflow.Submission, d: Directory, ontology: Graph) -> list[dict[str, Any]]:
    """One card per record: kind, name, and each field as (words, value in words)."""
    g = graph_of(sub.nquads)
    out = []
    for rid in sub.records:
        node = GMPD[rid]
        fields: list[tuple[str, str]] = []
        for p, o in sorted(g.predicate_objects(node), key=lambda po: str(po[0])):
            if p in QUIET or p in (GMP.verbatim,):
                continue
            name = SAID.get(p) or ontology.value(p, RDFS.label) or shorten(str(p))
            fields.append((str(name), _object(g, o, d, ontology)))
        label = g.value(node, SKOS.prefLabel) or g.value(node, RDFS.label) or rid
        out.append({"id": rid, "kind": kind_of(g, node), "label": str(label), "fields": fields})
    return out


def line(ledger: Ledger, sub: workflow.Submission, d: Directory) -> dict[str, Any]:
    """The queue's line for a submission."""
    g = graph_of(sub.nquads)
    kinds = sorted({kind_of(g, GMPD[r]) for r in sub.records})
    amounts = [
        w
        for r in sub.records
        if (a := g.value(GMPD[r], SCHEMA.amount)) is not None
        for w in (value_words(g, a),)
        if w
    ]
    areas = sorted(d.labels.get(str(a).removeprefix(str(GMPD)), str(a)) for a in ledger.areas(sub))
    title = str(sub.report.get("title") or g.value(submission_iri(sub.id), DCTERMS.title) or "")
    warnings = [str(w.get("message", "")) for w in sub.report.get("warnings", [])]
    return {
        **sub.summary(),
        "title": title
        or ", ".join(str(g.value(GMPD[r], SKOS.prefLabel) or r) for r in sub.records),
        "organisation_name": d.labels.get(sub.org.removeprefix(str(GMPD)), sub.org),
        "kinds": kinds,
        "amounts": amounts,
        "areas": areas,
        "warnings": warnings,
    }


def who(ledger: Ledger, account_id: str | None, d: Directory) -> str:
    """An account by its name and organisation."""
    if not account_id:
        return ""
    found = ledger.read(accounts.find, account_id)
    if found is None:
        return f"account {account_id}"
    org = d.labels.get(found.org.removeprefix(str(GMPD)), found.org)
    return f"{found.shown} ({org})"


def period_of(ledger: Ledger, sub: workflow.Submission) -> Period | None:
    """The reporting period a submission is on."""
    node = next(
        (
            o
            for s, p, o in triples_of(sub.nquads)
            if p == GMP.reportingPeriod and s == submission_iri(sub.id)
        ),
        None,
    )
    return next((p for p in ledger.published().periods() if p.iri == node), None)


_kept: dict[tuple[str, int, str, int], Any] = {}


def _keep(what: str, ledger: Ledger, sub: workflow.Submission, make: Any) -> Any:
    """``make(ledger, sub)``, kept per submission and published revision (it costs a report)."""
    key = (what, id(ledger), sub.id, ledger.published().revision)
    with _cache_lock:
        if key in _kept:
            return _kept[key]
    found = make(ledger, sub)
    with _cache_lock:
        if len(_kept) >= 128:
            _kept.clear()
        _kept[key] = found
    return found


def report_changes(ledger: Ledger, sub: workflow.Submission) -> list[dict[str, str]]:
    """The changes accepting ``sub`` makes to the report of its period, in words.

    Two reports are built (a few hundred milliseconds): kept per submission and revision.
    """
    found: list[dict[str, str]] = _keep("report", ledger, sub, _report_changes)
    return found


def _figures(ledger: Ledger, sub: workflow.Submission) -> list[dict[str, Any]]:
    return figures_diff(ledger.published().build.dataset, triples_of(sub.nquads), sub.id)


def _report_changes(ledger: Ledger, sub: workflow.Submission) -> list[dict[str, str]]:
    period = period_of(ledger, sub)
    if period is None:
        return []
    quads = list(ledger.published().build.dataset.quads((None, None, None, None)))
    # as if accepted now: the report counts a submission by when it was received and accepted
    reviewer = accounts.Account("reviewer", sub.org, "secretariat", "the reviewer", "", None)
    accepted = workflow.attribution(sub, reviewer, accounts.now())
    additions = [*triples_of(sub.nquads), *((s, p, o) for s, p, o, _g in quads_of(accepted))]
    found = of_addition(quads, additions, graph_iri(sub.id), (period.first, period.last))
    return [{"where": c.where, "before": c.before, "after": c.after, "kind": c.kind} for c in found]


def view(ledger: Ledger, sid: str) -> dict[str, Any]:
    """Everything the review page and ``GET /api/submissions/{id}/review`` show."""
    sub = ledger.get(sid)
    published = ledger.published()
    d = names(ledger)
    title, words = words_of(sub)
    pending = sub.state == "pending"
    period = period_of(ledger, sub)
    history = [{**h, "who": who(ledger, h.get("account"), d)} for h in ledger.history(sid)]
    return {
        **line(ledger, sub, d),
        "title": title,
        "words": words,
        "period": period.label if period else "",
        "submitted_by": who(ledger, sub.account, d),
        "reviewed_by": who(ledger, sub.reviewer, d),
        "cards": cards(sub, d, ledger.baseline.ontology()),
        "report_changes": report_changes(ledger, sub) if pending else [],
        "triples": sub.nquads.decode("utf-8"),
        "report": sub.report,
        "figures": _keep("figures", ledger, sub, _figures) if pending else [],
        "money": [
            {"flow": a, "other": b, "message": why}
            for a, b, why in open_questions(graph_of(sub.nquads), published.abox())
        ]
        if pending
        else [],
        "history": history,
    }
