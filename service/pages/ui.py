"""The query UI (YASGUI), the API docs (Swagger UI), both from npm, and the query list pages."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from rdflib import URIRef

from graph import paths
from graph.namespaces import PREFIXES
from service.pages.links import href
from service.pages.render import render
from service.sandbox.guard import QueryRefused
from service.server.deps import LangDep, StateDep

router = APIRouter(tags=["Query UI"])
DEFAULT_QUERY = "".join(
    line
    for line in (paths.QUERIES_DIR / "support" / "editor_default.rq").open(encoding="utf-8")
    if not line.startswith("#+")
)
"""The editor's first query: real, short, using the predeclared prefixes (no PREFIX lines)."""


@router.get("/query", response_class=HTMLResponse, summary="The query editor")
async def editor(state: StateDep) -> HTMLResponse:
    """SPARQL editor with the named queries as ready examples and the prefixes predeclared."""
    return HTMLResponse(
        render(
            "index.html",
            queries=list(state.catalog.values()),
            default_query=DEFAULT_QUERY,
            prefixes=json.dumps({name: str(ns) for name, ns in PREFIXES.items()}),
        )
    )


@router.get("/docs", include_in_schema=False)
async def api_docs() -> HTMLResponse:
    """Swagger UI over /openapi.json, from npm (swagger-ui-dist) like every script here."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="mercury-kg API",
        swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        swagger_ui_parameters={"validatorUrl": None},  # the default calls an online validator
    )


@router.get("/queries", response_class=HTMLResponse, summary="The named queries, for people")
async def queries_page(state: StateDep) -> HTMLResponse:
    """The catalogue as a page: title, description, parameters, links to run and to the API."""
    return HTMLResponse(render("queries.html", queries=list(state.catalog.values())))


_IRI_LIST = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {"type": "string", "maxLength": 2000},
                },
                "example": ["https://w3id.org/mercury-kg/id/area/coal"],
            }
        },
    }
}


@router.post("/api/labels", summary="Labels and local links of IRIs", openapi_extra=_IRI_LIST)
async def labels(request: Request, state: StateDep, lang: LangDep) -> JSONResponse:
    """For a JSON list of IRIs (at most 1000): their labels and where they link in this service.

    Labels are in ``?lang=`` (else ``Accept-Language``, else English) where the graph has one.
    """
    try:
        iris = json.loads(await request.body())
    except (ValueError, RecursionError) as exc:
        raise QueryRefused("send a JSON list of IRIs (the body is not JSON)") from exc
    if not isinstance(iris, list) or len(iris) > 1000 or not all(isinstance(i, str) for i in iris):
        raise QueryRefused("send a JSON list of at most 1000 IRI strings")
    for i in iris:
        if len(i) > 2000 or not _is_text(i):
            raise QueryRefused(f"not an IRI: {i[:80]!r} (too long, or not valid Unicode text)")
    found = await run_in_threadpool(state.engine.labels, [URIRef(i) for i in iris], lang)
    return JSONResponse({i: {"label": found.get(URIRef(i)), "href": href(i)} for i in iris})


def _is_text(value: str) -> bool:
    """Encodable as UTF-8 (no lone surrogates) and free of control characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)
