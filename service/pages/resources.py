"""Linked data: every IRI of the data namespace dereferences here (``/id/...``).

Browsers get an HTML page (label, types, every outgoing and incoming link with labels, the
provenance passages quoted, links onward); RDF clients get Turtle, N-Triples, JSON-LD, RDF/XML,
TriG or N-Quads by Accept or ``?format=`` (https://www.w3.org/TR/cooluris/).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote as urlquote

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from rdflib import URIRef
from rdflib.namespace import RDF as RDFNS

from graph.contrib import history
from graph.namespaces import GMP, GMPD, shorten
from graph.query.catalog import support
from graph.report.words import approx_word, money
from graph.report.words import number as grouped
from service.api.negotiation import HTML, RDF
from service.api.responses import page_or_rdf
from service.pages.links import href, is_local, is_web_iri
from service.pages.passages import passage_context
from service.pages.render import render
from service.sandbox.worker_main import RDF_FORMATS
from service.server.deps import StateDep, lang_of
from service.server.state import ServiceState

router = APIRouter(tags=["Linked data"])
_SAFE_PATH = "abcdefghijklmnopqrstuvwxyz0123456789-._~/QABCDEFGHIJKLMNOPRSTUVWXYZ"


@router.get("/id/{path:path}", summary="A resource of the graph (HTML or RDF)")
async def resource(path: str, request: Request, state: StateDep) -> Response:
    """Describe one resource of the data namespace."""
    if not path or any(c not in _SAFE_PATH for c in path) or "//" in path or ".." in path:
        raise HTTPException(404, "no such resource")
    return await _describe(URIRef(str(GMPD) + path), repr(path), request, state)


@router.get("/resource", summary="A resource named elsewhere and described here (HTML or RDF)")
async def external_resource(iri: str, request: Request, state: StateDep) -> Response:
    """What this graph says about an IRI of another namespace (a Wikidata country, say).

    IRIs of our own namespace redirect to their ``/id/...`` page.
    """
    if len(iri) > 2000 or not is_web_iri(iri):
        raise HTTPException(400, "iri must be an absolute http(s) IRI")
    if is_local(iri):
        return RedirectResponse(href(iri) or "/", status_code=303)
    return await _describe(URIRef(iri), f"<{iri}>", request, state)


async def _describe(iri: URIRef, name: str, request: Request, state: ServiceState) -> Response:
    fmt = page_or_rdf(request, "this resource")
    if fmt is HTML:
        context = await run_in_threadpool(page_context, state, iri, lang_of(request))
        if context is None:
            return await _absent(iri, name, request, state)
        return HTMLResponse(render("resource.html", **context))
    triples = await run_in_threadpool(
        state.engine.construct, support("resource_rdf").text, {"r": iri}
    )
    if not triples:
        return await _absent(iri, name, request, state)
    body = _serialize(triples, fmt.name, state)
    return Response(
        body,
        media_type=f"{fmt.media_type}; charset=utf-8",
        headers={"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'},
    )


async def _absent(iri: URIRef, name: str, request: Request, state: ServiceState) -> Response:
    """404, or 410 Gone when a retraction took the resource out.

    The 410 says when, why and from which submission (``graph.contrib.history.tombstone``).
    """
    rid = str(iri).removeprefix(str(GMPD))
    gone = None
    if state.ledger is not None and str(iri).startswith(str(GMPD)):
        gone = await run_in_threadpool(state.ledger.read, history.tombstone, rid)
    if gone is None:
        raise HTTPException(404, f"no resource {name} in this graph")
    message = (
        f"{rid} was retracted on {gone['retracted'][:10]}"
        + (f" by {gone['by']}" if gone["by"] else "")
        + f": {gone['reason']}. It came from submission {gone['submission']} "
        f"({gone['organisation']}); its history: {gone['history']}"
    )
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(render("gone.html", gone=gone, message=message), 410)
    return JSONResponse({"error": message, "status": 410, **gone}, 410)


def _serialize(triples: list[ox.Triple], fmt: str, state: ServiceState) -> bytes:
    from service.server.state import prefixes

    items: list[ox.Triple] | list[ox.Quad] = triples
    if fmt in ("trig", "nq"):
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    rdf_format = RDF_FORMATS[fmt]
    with_prefixes = fmt in ("ttl", "trig", "xml")
    return (
        ox.serialize(items, format=rdf_format, prefixes=prefixes() if with_prefixes else None)
        or b""
    )


def page_context(state: ServiceState, iri: URIRef, lang: str = "en") -> dict[str, Any] | None:
    """Everything the resource page shows, or None if the graph does not know the IRI.

    Labels are in ``lang`` where the graph has them (countries, languages), else English.
    """
    engine = state.engine
    out = engine.select(support("resource_out").text, {"s": iri})
    incoming = engine.select(support("resource_in").text, {"o": iri})
    if not out.cells and not incoming.cells:
        return None
    prov = state.catalog["provenance"]
    passages = engine.select(prov.text, {"fact": iri})
    seen = [
        URIRef(p.value)
        for row in (*out.parts(), *incoming.parts())
        for p in row
        if p is not None and p.kind == "uri"
    ]
    labels = engine.labels([iri, *seen], lang)
    type_iris = {o.value for p, o in out.parts() if p and o and p.value == str(RDFNS.type)}
    types: list[dict[str, Any]] = []
    statements: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for p, o in out.parts():
        assert p is not None and o is not None  # noqa: S101 - a triple pattern binds both
        if p.value == str(RDFNS.type):
            term = _term(o, labels)
            if all(t["label"] != term["label"] for t in types):  # org: and schema: both say it
                types.append(term)
        else:
            statements.append((_term(p, labels), _term(o, labels)))
    words = _value_words(engine, iri)
    statements = [
        (p, {**o, "label": words[o["value"]]} if o["value"] in words else o) for p, o in statements
    ]
    links_in = [(_term(s, labels), _term(p, labels)) for s, p in incoming.parts() if s and p]
    quotes = []
    for passage, start, end, quote in passages.parts():
        if passage and start and end and quote:
            quotes.append(
                {
                    "passage": _term(passage, labels),
                    "start": start.value,
                    "end": end.value,
                    "quote": quote.value,
                }
            )
    contributions: list[dict[str, Any]] = [
        {
            "submission": _term(sub, labels),
            "org": _term(org, labels),
            "received": received.value,
            "accepted": accepted.value,
            "reviewer": engine.labels([URIRef(reviewer.value)], lang).get(
                URIRef(reviewer.value), reviewer.value.rsplit("/", 1)[-1]
            ),
        }
        for sub, org, received, reviewer, accepted in engine.select(
            support("resource_contribution").text, {"r": iri}
        ).parts()
        if sub and org and received and reviewer and accepted
    ]
    for c in contributions:
        labels_of = engine.labels([URIRef(c["org"]["value"])], lang)
        c["org"]["label"] = labels_of.get(URIRef(c["org"]["value"]), c["org"]["label"])
    return {
        "iri": str(iri),
        "passage": passage_context(state, iri) if str(GMP.Passage) in type_iris else None,
        "contributions": contributions,
        "label": labels.get(iri, shorten(str(iri))),
        "types": types,
        "statements": statements,
        "incoming": links_in,
        "quotes": quotes,
        "formats": [(f.name, f.media_type) for f in RDF.values()],
        "external": not is_local(str(iri)),
        "format_base": "?" if is_local(str(iri)) else f"?iri={urlquote(str(iri), safe='')}&",
    }


def _value_words(engine: Any, iri: URIRef) -> dict[str, str]:
    """The amounts and quantities ``iri`` points to, in words, by their IRI."""
    out: dict[str, str] = {}
    for value, number, currency, unit, approx, verbatim in engine.select(
        support("resource_values").text, {"s": iri}
    ).parts():
        if value is None or number is None:
            continue
        if currency is not None:
            said = money(number.value, currency.value, approx.value if approx else None)
        else:
            word = approx_word(approx.value if approx else None)
            amount = grouped(number.value)
            said = " ".join(w for w in (word, amount, unit.value if unit else "") if w)
        if verbatim is not None and verbatim.value != said:
            said += f" (as written: “{verbatim.value}”)"
        out[value.value] = said
    return out


def _term(p: Any, labels: dict[URIRef, str]) -> dict[str, Any]:
    if p.kind == "uri":
        return {
            "kind": "uri",
            "value": p.value,
            "href": href(p.value),
            "label": labels.get(URIRef(p.value)) or shorten(p.value),
        }
    return {"kind": p.kind, "value": p.value, "datatype": p.datatype, "lang": p.lang}
