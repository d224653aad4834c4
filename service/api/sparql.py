"""``/sparql``: the SPARQL 1.1 Protocol, read-only (https://www.w3.org/TR/sparql11-protocol/).

Queries by GET, POST form and POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri`` name local graphs only; results in JSON, XML, CSV or TSV, graphs in Turtle,
N-Triples, JSON-LD, RDF/XML, TriG or N-Quads; a Service Description on GET without a query.
Every query is screened (service.sandbox.guard) and runs in a killable worker without network
(service.sandbox.workers, service.sandbox.netns), at most half the pool per client.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from graph.publish.void import describe_service
from service.api.negotiation import HTML, RDF, RESULTS, negotiate
from service.api.responses import graph_response
from service.sandbox.guard import QueryRefused, screen
from service.sandbox.worker_main import Job
from service.server.deps import StateDep, base_url, client_of, take_token
from service.server.state import ServiceState

router = APIRouter(tags=["SPARQL"])
FORM = "application/x-www-form-urlencoded"


@router.get("/sparql", summary="SPARQL 1.1 query (GET), or the service description")
async def sparql_get(
    request: Request,
    state: StateDep,
    query: Annotated[
        str | None,
        Query(description="a SPARQL 1.1 query (see /api/queries for ready ones)"),
    ] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    format: Annotated[str | None, Query(description="results format, overrides Accept")] = None,
    revision: Annotated[
        int | None, Query(ge=0, description="an earlier published revision to query (404 if none)")
    ] = None,
) -> Response:
    """Run ``?query=``; without a query, describe the service (browsers go to the query UI)."""
    params = request.query_params.multi_items()  # parsed once, for the parameters above too
    if any(k == "update" for k, _ in params):
        raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted", 403)
    queries = [v for k, v in params if k == "query"]
    if not queries:
        return _service_description(request, state)
    return await _answer(request, state, queries, params)


_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}},
                    "required": ["query"],
                },
            },
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST form or application/sparql-query)",
    openapi_extra=_POST_BODY,
)
async def sparql_post(request: Request, state: StateDep) -> Response:
    """Run a query sent as a form field or as the request body."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()  # capped and timed by service.limits.bodies
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused("the request body is not UTF-8") from exc
    url_params = request.query_params.multi_items()
    if media == "application/sparql-update":
        raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted", 403)
    if media == "application/sparql-query":
        return await _answer(request, state, [text], url_params)
    if media == FORM:
        params = parse_qsl(text, keep_blank_values=True)
        if any(k == "update" for k, _ in params):
            raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted", 403)
        return await _answer(
            request, state, [v for k, v in params if k == "query"], params + url_params
        )
    raise QueryRefused(f"send the query as {FORM} or application/sparql-query, not {media!r}", 415)


async def _answer(
    request: Request, state: ServiceState, queries: list[str], params: list[tuple[str, str]]
) -> Response:
    client = client_of(request, state.settings)
    take_token(state.limiter, client, "queries")
    if len(queries) != 1:
        raise QueryRefused("give exactly one query" if queries else "no query given")
    text = queries[0]
    screen(text, state.settings.max_query_bytes, state.settings.max_depth)
    snap = await state.at_revision(next((v for k, v in params if k == "revision"), None))
    defaults = tuple(v for k, v in params if k == "default-graph-uri")
    named = tuple(v for k, v in params if k == "named-graph-uri")
    for iri in (*defaults, *named):
        if iri not in snap.local_graphs:
            raise QueryRefused(f"graph <{iri}> is not held here; nothing is fetched")
    override = next((v for k, v in params if k == "format"), None)
    accept = request.headers.get("accept")
    results = negotiate(accept, override, RESULTS, default="json")
    graph = negotiate(accept, override, RDF, default="ttl")
    if results is None and graph is None:
        offered = ", ".join(f.media_type for f in (*RESULTS.values(), *RDF.values()))
        raise QueryRefused(
            f"none of the accepted media types can be produced; offered: {offered}", 406
        )
    job = Job(
        text,
        (results or RESULTS["json"]).name,
        (graph or RDF["ttl"]).name,
        state.settings.row_cap,
        defaults,
        named or None,
        base_url(request, state.settings) + "/sparql",
        None if snap is state.current else snap.nquads,
    )
    answer = await state.pools.queries.run(job, state.settings.query_timeout, client)
    if not answer.ok:
        raise QueryRefused(answer.error, answer.status)
    if answer.kind == "rdf":
        fmt = graph or RDF["ttl"]
    else:
        fmt = results or RESULTS["json"]
        if answer.kind == "boolean" and fmt.name not in ("json", "xml"):
            fmt = RESULTS["json"]
    headers = {"X-Truncated": "true"} if answer.truncated else {}
    headers["X-Revision"] = str(snap.revision)
    if answer.truncated:
        headers["X-Row-Cap"] = str(state.settings.row_cap)
    return Response(answer.body, media_type=_with_charset(fmt.media_type), headers=headers)


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8"


def _service_description(request: Request, state: ServiceState) -> Response:
    accept = request.headers.get("accept")
    fmt = negotiate(accept, request.query_params.get("format"), RDF, (HTML,), default="ttl")
    if fmt is HTML:
        return RedirectResponse("/", status_code=303)
    if fmt is None:
        raise QueryRefused("the service description is available as an RDF format", 406)
    return graph_response(describe_service(state.dataset, base_url(request, state.settings)), fmt)
