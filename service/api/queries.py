"""``/api/queries``: the named query catalogue over REST, with typed parameters.

``GET /api/queries`` lists the catalogue; ``GET /api/queries/{name}?param=value`` runs one, in
any results format (``format=`` or Accept), with a label beside every column of IRIs (the
Wikidata label service's ``?xLabel`` convention; ``labels=false`` leaves them out). Each query
also appears in the OpenAPI schema as its own path with typed, exemplified parameters (see
``openapi_paths``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from graph.query.catalog import NamedQuery, ParamError, bind
from graph.query.results import FORMATTERS, NotRepresentable, with_labels
from service.api.negotiation import HTML, RESULTS, negotiate
from service.pages.render import render
from service.pages.tables import table
from service.sandbox.guard import QueryRefused
from service.server.deps import LANGUAGES, StateDep, lang_of

router = APIRouter(prefix="/api/queries", tags=["Named queries"])
RESERVED = {"format", "labels", "lang"}


def describe(q: NamedQuery) -> dict[str, Any]:
    """The catalogue entry of one query, as JSON."""
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "tags": list(q.tags),
        "returns": list(q.returns),
        "url": f"/api/queries/{q.name}",
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "example": p.example,
                "description": p.description,
                "required": not p.optional,
            }
            for p in q.params
        ],
        "sparql": q.text,
    }


@router.get("", summary="The catalogue of named queries")
async def catalogue(state: StateDep) -> JSONResponse:
    """Every named query with its title, description, parameters, result columns and SPARQL."""
    return JSONResponse({"queries": [describe(q) for q in state.catalog.values()]})


@router.get("/{name}", summary="Run a named query", include_in_schema=False)
async def run_named(name: str, request: Request, state: StateDep) -> Response:
    """Run a named query with its parameters taken from the query string."""
    query = state.catalog.get(name)
    if query is None:
        raise HTTPException(404, f"no named query {name!r}; see /api/queries")
    params = dict(request.query_params)
    lang = lang_of(request)
    params.pop("lang", None)
    snap = await state.at_revision(params.pop("revision", None))
    fmt = negotiate(
        request.headers.get("accept"),
        params.pop("format", None),
        RESULTS,
        extra=(HTML,),
        default="json",
    )
    labelled = params.pop("labels", "true").lower()
    if labelled not in ("true", "false"):
        raise ParamError(f"labels must be true or false, not {labelled!r}")
    if fmt is None:
        offered = ", ".join(f.media_type for f in (*RESULTS.values(), HTML))
        raise QueryRefused(f"results are available as {offered} (format=html for a table)", 406)
    for key in params:
        if len(params[key]) > 2000:
            raise ParamError(f"parameter {key!r} is longer than 2000 characters")
    bindings = bind(query, params)
    engine = state.named_engine if snap is state.current else snap.engine
    result = await run_in_threadpool(engine.select, query.text, bindings)
    if labelled == "true" or fmt is HTML:
        result = await run_in_threadpool(
            with_labels, result, lambda iris: snap.engine.labels(iris, lang)
        )
    if fmt is HTML:
        shown = {k: v for k, v in request.query_params.items() if k not in ("format", "labels")}
        page = render(
            "results.html",
            query=query,
            params={k: v for k, v in shown.items() if k != "lang"},
            query_string="&".join(f"{k}={quote(v, safe='')}" for k, v in shown.items()),
            formats=[*RESULTS, "html"],
            **table(result),
        )
        return HTMLResponse(page)
    try:
        body = FORMATTERS[fmt.name](result)
    except NotRepresentable as exc:
        raise QueryRefused(str(exc), 406) from exc
    return Response(body, media_type=f"{fmt.media_type}; charset=utf-8")


_SCHEMA_TYPES = {
    "iri": {"type": "string", "format": "iri-reference"},
    "string": {"type": "string", "minLength": 1, "maxLength": 500},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
}


def openapi_paths(catalog: dict[str, NamedQuery]) -> dict[str, Any]:
    """One OpenAPI path per named query, with typed parameters and examples."""
    paths = {}
    for q in catalog.values():
        parameters = [
            {
                "name": p.name,
                "in": "query",
                "required": not p.optional,
                "description": p.description or p.name,
                "schema": _SCHEMA_TYPES[p.type],
                "example": p.example,
            }
            for p in q.params
        ]
        parameters.append(
            {
                "name": "labels",
                "in": "query",
                "required": False,
                "description": "a <column>Label beside every IRI column (default true)",
                "schema": {"type": "string", "enum": ["true", "false"]},
            }
        )
        parameters.append(
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "description": "language of the labels (else Accept-Language, else English)",
                "schema": {"type": "string", "enum": list(LANGUAGES)},
            }
        )
        parameters.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "results format (overrides Accept)",
                "schema": {"type": "string", "enum": [*RESULTS, "html", "table"]},
            }
        )
        parameters.append(
            {
                "name": "revision",
                "in": "query",
                "required": False,
                "description": "an earlier published revision to ask (404 if there is none)",
                "schema": {"type": "integer", "minimum": 0},
            }
        )
        content = {f.media_type: {"schema": {"type": "string"}} for f in (*RESULTS.values(), HTML)}
        content["application/sparql-results+json"] = {"schema": {"type": "object"}}
        paths[f"/api/queries/{q.name}"] = {
            "get": {
                "tags": ["Named queries"],
                "summary": q.title,
                "description": q.description,
                "operationId": f"query_{q.name}",
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "columns: "
                        + ", ".join(q.returns)
                        + "; a <column>Label beside each column of IRIs",
                        "content": content,
                    },
                    "400": {"description": "a parameter is missing or of the wrong type"},
                    "406": {"description": "no acceptable results format"},
                },
            }
        }
    return paths
