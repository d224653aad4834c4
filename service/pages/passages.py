"""The report as text: a passage in its place, and the whole report to read with what is cited.

A passage's page (``/id/passage/...``) shows the whole quote, where it stands (its paragraph or
cell, each section up to the report), the report's words around it and every fact that rests on
it. ``/read`` lays the seed report out by its sections, paragraphs and tables (DoCO,
``graph.compile.structure``), marks each span a fact rests on with a link to its passage, and
says what share of the text backs facts (``graph.publish.reading``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from rdflib import URIRef

from graph import paths
from graph.compile.passages import REPORT
from graph.compile.rendering import context
from graph.publish.reading import read
from graph.query.catalog import support
from service.pages.links import href
from service.pages.render import render
from service.server.deps import StateDep
from service.server.state import ServiceState

router = APIRouter(tags=["Pages"])
AROUND = 300
"""Characters of the report's words shown before and after a passage."""


@lru_cache(maxsize=1)
def stored_text() -> str:
    """The seed report's stored text, which every position counts in."""
    return paths.SOURCE_TEXT.read_text(encoding="utf-8")


def passage_context(state: ServiceState, iri: URIRef) -> dict[str, Any] | None:
    """What a passage's page adds: the quote, its place, the words around it, its facts."""
    place = state.engine.select(support("passage_place").text, {"p": iri})
    if not place.rows:
        return None
    first = place.records()[0]
    start, end = int(first["start"] or 0), int(first["end"] or 0)
    path = [
        {"iri": r["part"], "href": href(r["part"] or ""), "label": r["label"]}
        for r in place.records()
        if r["part"]
    ]
    before = after = ""
    if first["work"] == str(REPORT):
        before, after = context(stored_text(), start, end, AROUND)
    facts = [
        {"iri": r["fact"], "href": href(r["fact"] or ""), "label": r["label"] or r["fact"]}
        for r in state.engine.select(support("passage_facts").text, {"p": iri}).records()
    ]
    return {
        "exact": first["exact"],
        "start": start,
        "end": end,
        "path": list(reversed(path)),
        "before": before,
        "after": after,
        "facts": facts,
    }


@router.get("/read", summary="The report to read, each cited span linked to its passage")
async def reading(state: StateDep) -> HTMLResponse:
    """The seed report by its sections, paragraphs and tables, what facts rest on marked."""
    return HTMLResponse(await run_in_threadpool(_reading, state))


def _reading(state: ServiceState) -> str:
    """The page, laid out and rendered off the event loop (kept per revision, limits/cache)."""
    rows = state.engine.select(support("report_reading").text).records()
    title = state.engine.labels([REPORT]).get(REPORT, str(REPORT))
    laid = read(rows, stored_text())
    return render("read.html", reading=laid, href=href, report=str(REPORT), title=title)
