"""Pages for people who do not write SPARQL: the home page, search results, the prefix list.

The home page says what the graph holds (the Partnership, its areas and their leads, key
figures linked to the report's passages, the named questions as plain links) with a search box;
the query editor is one click away at ``/query``. Figures come from the named query
``area_leads`` and the support query ``key_figures``, so the page shows what the data says.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from graph.namespaces import DATA_KINDS, PREFIXES
from graph.query.catalog import support
from graph.query.results import with_labels
from service.api.negotiation import parse_accept
from service.pages.links import href
from service.pages.render import render
from service.pages.search import grouped
from service.pages.tables import table
from service.server.deps import LangDep, StateDep
from service.server.state import ServiceState

router = APIRouter(tags=["Pages"])


@router.get("/", response_class=HTMLResponse, summary="The home page")
async def home(request: Request, state: StateDep, lang: LangDep) -> Response:
    """What the graph holds, key figures with their passages, the named questions, search.

    Links the editor shared before it moved to ``/query`` (``/?query=``, ``/?example=``) go there.
    """
    if "query" in request.query_params or "example" in request.query_params:
        return RedirectResponse(f"/query?{request.url.query}", status_code=307)
    if lang not in state.home_pages:
        state.home_pages[lang] = await run_in_threadpool(_home, state, lang)
    return HTMLResponse(render("home.html", **state.home_pages[lang]))


def _home(state: ServiceState, lang: str) -> dict[str, Any]:
    leads = state.engine.select(state.catalog["area_leads"].text)
    leads = with_labels(leads, lambda iris: state.engine.labels(iris, lang))
    areas: dict[str, dict[str, Any]] = {}
    for row in table(leads)["rows"]:
        area, lead, role = row[0], row[1], row[2]
        entry = areas.setdefault(area["href"], {"area": area, "leads": []})
        entry["leads"].append({"lead": lead, "role": role["text"]})
    figures: dict[str, dict[str, dict[str, Any]]] = {"partners": {}, "funds": {}}
    for fact, kind, label, _value, words, passage, quote in state.engine.select(
        support("key_figures").text
    ).rows:
        found = figures[str(kind)].get(str(fact))
        if found and (found["quote"] or "").count(str(words)):
            continue  # a passage that holds the figure's own words is the one to show
        figures[str(kind)][str(fact)] = {
            "href": href(str(fact)),
            "label": str(label),
            "words": str(words),
            "passage": href(str(passage)) if passage else None,
            "quote": str(quote) if quote else None,
        }
    return {
        "areas": sorted(areas.values(), key=lambda a: a["area"]["text"]),
        "partners": sorted(figures["partners"].values(), key=lambda f: f["label"]),
        "funds": list(figures["funds"].values())[:5],
        "queries": list(state.catalog.values()),
        "periods": ", ".join(
            p.label for p in (state.ledger.published().periods() if state.ledger else [])
        ),
    }


@router.get("/search", response_class=HTMLResponse, summary="Search results, for people")
async def search_page(
    state: StateDep,
    q: Annotated[str, Query(max_length=200, description="words to look for")] = "",
) -> HTMLResponse:
    """The hits of ``/api/search`` as a page, grouped by kind, passages quoted."""
    hits = await run_in_threadpool(state.search.search, q, 50) if q.strip() else []
    return HTMLResponse(render("search.html", q=q, count=len(hits), groups=grouped(hits)))


@router.get("/prefixes", summary="The predeclared prefixes (HTML, JSON, Turtle or SPARQL)")
async def prefix_list(request: Request) -> Response:
    """Every prefix a query may use without declaring it: ``format=`` html, json, ttl or rq."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    wanted = request.query_params.get("format") or next(
        (
            {"application/json": "json", "text/turtle": "ttl"}.get(m, "html")
            for m, _ in parse_accept(request.headers.get("accept"))
            if m in ("application/json", "text/turtle", "text/html")
        ),
        "html",
    )
    if wanted == "json":
        return JSONResponse(prefixes)
    if wanted == "ttl":
        text = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
        return PlainTextResponse(text, media_type="text/turtle")
    if wanted == "rq":
        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        return PlainTextResponse(text, media_type="application/sparql-query")
    kinds = {f"{p}": f"{segment}/" for p, segment in DATA_KINDS.items()}
    return HTMLResponse(render("prefixes.html", prefixes=prefixes, kinds=kinds))
