"""The partnership as a network: the page ``/network`` and its data, ``/api/network``.

``GET /api/network`` returns a view (full, donors, co-involvement; as of a day; around a focus) as
Cytoscape.js JSON with positions and metrics, or as GEXF, GraphML, node-link JSON, CSV, PNG or SVG.
``POST /api/network/graph`` makes a network of posted edges (query results, the current view) in
the same formats. Cytoscape.js (https://js.cytoscape.org/) comes from npm, served from
node_modules.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator, BaseModel, Field

from graph.network import export as netexport
from graph.query.catalog import Param, to_term
from service.pages.links import is_web_iri
from service.pages.netviews import View, render_view
from service.pages.render import render
from service.sandbox.guard import QueryRefused
from service.sandbox.worker_main import RenderJob
from service.server.deps import StateDep, client_of, take_token

router = APIRouter(tags=["Network"])
Format = Literal["cyjs", "gexf", "graphml", "json", "csv", "png", "svg"]
SizeBy = Literal["degree", "weighted_degree", "betweenness"]
MAX_EDGES = 5000
MAX_DRAWN = 3000
"""Networks with more nodes are not laid out or drawn (the data formats still serve them)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: str) -> str:
    """Text every export can carry (XML above all): no control characters, no lone surrogates."""
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return value


IRI = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_clean)]
Text = Annotated[str, Field(max_length=200), AfterValidator(_clean)]


class EdgeIn(BaseModel):
    """A link of a posted network."""

    source: IRI
    target: IRI
    relation: Text = ""
    fact: IRI | None = None
    amount: float | None = Field(None, allow_inf_nan=False)
    weight: float | None = Field(None, ge=1e-6, le=1e9, allow_inf_nan=False)
    start: date | None = None
    end: date | None = None


class GraphIn(BaseModel):
    """Nodes (optional: edge ends are nodes anyway) and edges, at most 5000 of each."""

    nodes: list[IRI] = Field(default_factory=list, max_length=MAX_EDGES)
    edges: list[EdgeIn] = Field(max_length=MAX_EDGES)
    title: Text = "Network"


def _check_drawable(nodes: int, fmt: str) -> None:
    if fmt in ("cyjs", "png", "svg") and nodes > MAX_DRAWN:
        raise HTTPException(
            400,
            f"the network has {nodes} nodes; at most {MAX_DRAWN} are laid"
            " out and drawn: ask for gexf, graphml, json or csv",
        )


def _download(data: bytes, fmt: str, name: str) -> Response:
    headers = {}
    if fmt not in netexport.FIGURE_FORMATS:  # figures show in the browser; data downloads
        headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return Response(data, media_type=netexport.MEDIA_TYPES[fmt], headers=headers)


def _respond(view: View, fmt: str, size_by: str, name: str) -> Response:
    _check_drawable(view.graph.number_of_nodes(), fmt)
    return _download(render_view(view, fmt, size_by), fmt, name)


@router.get("/api/network", summary="A view of the partnership network")
async def get_network(
    state: StateDep,
    view: Literal["full", "donors", "coinvolvement"] = "full",
    as_of: Annotated[date | None, Query(description="only links that may hold on this day")] = None,
    focus: Annotated[
        str | None,
        Query(max_length=2000, description="only the neighbourhood of this IRI or data id"),
    ] = None,
    depth: Annotated[int, Query(ge=1, le=4, description="links from focus")] = 1,
    format: Format = "cyjs",
    size_by: SizeBy = "degree",
) -> Response:
    """Nodes with kind, label, link, metrics and position; edges with relation and fact."""
    iri = str(to_term(Param("focus", "iri", "area/coal"), focus)) if focus else None
    try:
        made = await run_in_threadpool(state.networks.get, view, as_of, iri, depth)
    except KeyError as exc:
        raise HTTPException(404, str(exc).strip("'")) from exc
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    name = f"mercury-kg-{view}" + (f"-{as_of.isoformat()}" if as_of else "")
    return await run_in_threadpool(_respond, made, format, size_by, name)


@router.get("/api/network/links", summary="A resource's direct links as a network")
async def resource_links(
    state: StateDep,
    iri: Annotated[str, Query(max_length=2000, description="the resource's IRI")],
    format: Format = "cyjs",
    size_by: SizeBy = "degree",
) -> Response:
    """Any resource the graph describes, with what it links to and from (at most 200 links).

    Documents, funding flows and passages too; links are labelled by property.
    """
    if not is_web_iri(iri):
        raise HTTPException(400, "iri must be an absolute http(s) IRI")
    made = await run_in_threadpool(state.networks.links_of, iri)
    if made is None:
        raise HTTPException(404, f"no resource <{iri}> in this graph")
    return await run_in_threadpool(_respond, made, format, size_by, "mercury-kg-links")


async def _admit(request: Request, state: StateDep) -> AsyncIterator[str]:
    """Admit a posted network before its body is validated, else answer 429 at once.

    Checks the client's upload rate and share, and bounds how many are in preparation (twice the
    network workers), so a flood is turned away before any work.
    """
    client = client_of(request, state.settings)
    take_token(state.upload_limiter, client, "posted networks and validations")
    pool = state.pools.networks
    with pool.admitted(client, 2 * pool.size):
        yield client


@router.post("/api/network/graph", summary="A network of posted edges")
async def post_network(
    client: Annotated[str, Depends(_admit)],
    body: GraphIn,
    state: StateDep,
    format: Format = "cyjs",
    size_by: SizeBy = "degree",
) -> Response:
    """Kinds and labels from the graph, metrics computed, in any network format.

    Laid out and drawn in a worker process of its own pool (one network per client at a time,
    a bounded queue; 429 with Retry-After beyond that or beyond the upload rate).
    """
    edges = [e.model_dump() for e in body.edges]
    for e in edges:
        for k in ("start", "end"):
            e[k] = e[k].isoformat() if e[k] else None
    nodes = await run_in_threadpool(state.networks.attributed, body.nodes, edges)
    _check_drawable(len(nodes), format)
    job = RenderJob(nodes, edges, body.title, format, size_by)
    answer = await state.pools.networks.run(job, state.settings.query_timeout, client)
    if not answer.ok:
        raise QueryRefused(answer.error, answer.status)
    return _download(answer.body, format, "mercury-kg-network")


@router.get("/network", response_class=HTMLResponse, summary="The network, interactive")
async def network_page(state: StateDep) -> HTMLResponse:
    """Force layout, colour by kind, size by a metric, filters, search, click through."""
    areas = await run_in_threadpool(state.networks.areas)
    periods = state.ledger.published().periods() if state.ledger is not None else []
    first = min((p.first for p in periods), default=None)
    last = max((p.last for p in periods), default=None)
    return HTMLResponse(
        render(
            "network.html",
            areas=areas,
            first=(first.replace(year=first.year - 5) if first else None),
            last=last,
        )
    )
