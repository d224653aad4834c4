"""``/api/search``: find resources by name (labels, acronyms), description or the report's words.

Ranked, prefix and typo tolerant (graph.publish.search, SQLite FTS5), grouped by kind; every hit
links to its page here, and a hit on the report's words quotes the passage that matched.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from graph.publish.search import Hit
from service.pages.links import href
from service.sandbox.guard import QueryRefused
from service.server.deps import StateDep

router = APIRouter(tags=["Search"])


@router.get("/api/search", summary="Find resources by name or by the report's words")
async def search(
    state: StateDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to look for")],
    limit: Annotated[int, Query(ge=1, le=50, description="most hits")] = 20,
) -> JSONResponse:
    """Hits best first, and the same hits grouped by kind (the kind of the best hit first)."""
    hits = await run_in_threadpool(state.search.search, q, limit)
    if not hits and not any(c.isalnum() for c in q):
        raise QueryRefused("give at least one word or number to look for")
    return JSONResponse(
        {
            "query": q,
            "count": len(hits),
            "hits": [_item(hit) for hit in hits],
            "groups": grouped(hits),
        }
    )


def _item(hit: Hit) -> dict[str, Any]:
    item = {**asdict(hit), "href": href(hit.iri)}
    if hit.passage:
        item["passage_href"] = href(hit.passage)
    return item


def grouped(hits: list[Hit]) -> list[dict[str, Any]]:
    """The hits grouped by kind, the kind of the best hit first, each group best first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(_item(hit))
    return [{"kind": kind, "hits": items} for kind, items in groups.items()]
