"""``/api/search``: find resources by name (labels, acronyms) or by the report's words.

Ranked, prefix and typo tolerant (graph.publish.search, SQLite FTS5), grouped by kind; every hit
links to its page here, and a hit on the report's words quotes the passage that matched.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from service.deps import StateDep
from service.links import href
from service.sandbox.guard import QueryRefused

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
    found: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in hits:
        item = {**asdict(hit), "href": href(hit.iri)}
        if hit.passage:
            item["passage_href"] = href(hit.passage)
        found.append(item)
        groups.setdefault(hit.kind, []).append(item)
    return JSONResponse(
        {
            "query": q,
            "count": len(found),
            "hits": found,
            "groups": [{"kind": kind, "hits": items} for kind, items in groups.items()],
        }
    )
