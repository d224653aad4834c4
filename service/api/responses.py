"""Answers that every route shapes the same way: pick HTML or an RDF format, serialise a graph."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response
from rdflib import Graph

from service.api.negotiation import HTML, RDF, Format, negotiate

SERIALIZERS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
    "nq": "nquads",
}
"""Our RDF format names -> rdflib serializers."""


def page_or_rdf(request: Request, what: str) -> Format:
    """HTML or an RDF format for this request (Accept, or ``?format=``); 406 when neither fits.

    A client that sends no Accept header at all gets the page (a person at a terminal, a link
    checker); ``*/*`` and RDF media types get Turtle or the type asked for.
    """
    accept = request.headers.get("accept")
    if not (accept or "").strip() and not request.query_params.get("format"):
        return HTML
    fmt = negotiate(
        accept,
        request.query_params.get("format"),
        RDF,
        (HTML,),
        default="ttl",
    )
    if fmt is None:
        raise HTTPException(406, f"{what} is available as HTML or an RDF format")
    return fmt


def graph_response(graph: Graph, fmt: Format, headers: dict[str, str] | None = None) -> Response:
    """An rdflib graph serialised in a negotiated RDF format."""
    return Response(
        graph.serialize(format=SERIALIZERS[fmt.name]),
        media_type=f"{fmt.media_type}; charset=utf-8",
        headers={"Vary": "Accept", **(headers or {})},
    )
