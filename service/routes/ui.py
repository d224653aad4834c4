"""The query UI (YASGUI from npm, served from node_modules) and the pages that list queries."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from rdflib import URIRef

from service.deps import StateDep
from service.guard import QueryRefused
from service.links import href
from service.pages import render

router = APIRouter(tags=["Query UI"])


@router.get("/", response_class=HTMLResponse, summary="The query editor")
async def index(state: StateDep) -> HTMLResponse:
    """SPARQL editor with the named queries as ready examples."""
    return HTMLResponse(render("index.html", queries=list(state.catalog.values())))


@router.get("/queries", response_class=HTMLResponse, summary="The named queries, for people")
async def queries_page(state: StateDep) -> HTMLResponse:
    """The catalogue as a page: title, description, parameters, links to run and to the API."""
    return HTMLResponse(render("queries.html", queries=list(state.catalog.values())))


@router.post("/api/labels", summary="Labels and local links of IRIs")
async def labels(request: Request, state: StateDep) -> JSONResponse:
    """For a JSON list of IRIs (at most 1000): their labels and where they link in this service."""
    try:
        iris = await request.json()
    except ValueError as exc:
        raise QueryRefused("send a JSON list of IRIs") from exc
    if not isinstance(iris, list) or len(iris) > 1000 or not all(isinstance(i, str) for i in iris):
        raise QueryRefused("send a JSON list of at most 1000 IRI strings")
    found = await run_in_threadpool(state.engine.labels, [URIRef(i) for i in iris])
    return JSONResponse({i: {"label": found.get(URIRef(i)), "href": href(i)} for i in iris})
