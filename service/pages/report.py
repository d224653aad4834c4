"""``GET /report``: the progress report of a period, written from the published revision.

``?period=START/END`` (default: the seed report's period) and ``?format=html|md|pdf`` (else by
the Accept header, with q-values, else HTML). Reports are made one at a time, and making one
costs the client a token of the upload rate (a PDF takes seconds); the answer is then kept for
the revision by the response cache (``service/limits/cache.py``), with its ETag and 304s. A
bad period is a 400 that says what is wrong with it.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from graph.query.catalog import NamedQuery
from graph.report.context import PeriodError, parse_period
from graph.report.edition import FORMATS, MEDIA, edition, render
from service.api.negotiation import Format, negotiate
from service.pages.links import href
from service.server.deps import StateDep, client_of, take_token
from service.server.state import Snapshot

router = APIRouter(tags=["Report"])
_MAKING = threading.Lock()
"""One report is made at a time (the PDF engine and the figures are CPU-bound)."""
OFFERED = {f: Format(f, MEDIA[f].split(";")[0], f) for f in FORMATS}


@router.get("/report", summary="The progress report of a period, every figure linked to its source")
async def report(
    request: Request,
    state: StateDep,
    period: Annotated[
        str | None, Query(max_length=40, description="START/END, e.g. 2012-07/2014-06")
    ] = None,
    format: Annotated[Literal["html", "md", "pdf"] | None, Query()] = None,
) -> Response:
    """The report, as HTML (default), Markdown or PDF."""
    try:
        span = parse_period(period) if period else None
    except PeriodError as exc:
        raise HTTPException(400, f"parameter 'period': {exc}") from None
    chosen = negotiate(request.headers.get("accept"), format, OFFERED, default="html")
    fmt = chosen.name if chosen else "html"
    headers = {"Cache-Control": "no-cache", "Vary": "Accept"}
    if fmt == "pdf":
        headers["Content-Disposition"] = 'inline; filename="progress-report.pdf"'
    take_token(state.upload_limiter, client_of(request, state.settings), "reports made")
    public = (state.settings.public_url or "").rstrip("/")
    body = await run_in_threadpool(_make, state.current, state.catalog, span, fmt, public)
    return Response(body, media_type=MEDIA[fmt], headers=headers)


def _make(
    snap: Snapshot,
    catalog: dict[str, NamedQuery],
    span: tuple[date, date] | None,
    fmt: str,
    public: str,
) -> bytes:
    """The edition; links relative to this service, or absolute to its public URL when set."""

    def link(iri: str) -> str:
        target = href(iri) or iri
        return public + target if target.startswith("/") else target

    with _MAKING:
        made = edition(snap.engine, catalog, snap.revision, span)
        return render(made, fmt, public, link)
