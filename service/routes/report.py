"""``GET /report``: the progress report of a period, written from the published revision.

``?period=START/END`` (default: the seed report's period) and ``?format=html|md|pdf`` (else by
the Accept header, else HTML). A report is made once per revision, period and format, one at a
time, and then served from memory (the last 12 per revision) with an ETag; making one costs the
client a token of the upload rate (a PDF takes seconds). A bad period is a 400 that says what is
wrong with it.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from graph.query.catalog import NamedQuery
from graph.report.context import PeriodError, parse_period
from graph.report.edition import MEDIA, edition, render
from service.deps import StateDep, client_of, take_token
from service.links import href
from service.state import Snapshot

router = APIRouter(tags=["Report"])
_MAKING = threading.Lock()
"""One report is made at a time (the PDF engine and the figures are CPU-bound)."""
ACCEPTS = (("application/pdf", "pdf"), ("text/markdown", "md"))
KEPT = 12
"""Reports kept per revision (periods are the client's choice, so the memory is bounded)."""


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
    fmt = format or _negotiated(request.headers.get("accept", ""))
    snap = state.current
    key = (f"{span[0]}/{span[1]}" if span else "", fmt)
    etag = f'{snap.etag[:-1]}-report-{hashlib.sha256(repr(key).encode()).hexdigest()[:12]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if fmt == "pdf":
        headers["Content-Disposition"] = 'inline; filename="progress-report.pdf"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body = snap.reports.get(key)
    if body is None:
        take_token(state.upload_limiter, client_of(request, state.settings), "reports made")
        body = await run_in_threadpool(_make, snap, state.catalog, span, fmt, key)
    return Response(body, media_type=MEDIA[fmt], headers=headers)


def _negotiated(accept: str) -> str:
    for media, fmt in ACCEPTS:
        if media in accept:
            return fmt
    return "html"


def _make(
    snap: Snapshot,
    catalog: dict[str, NamedQuery],
    span: tuple[date, date] | None,
    fmt: str,
    key: tuple[str, str],
) -> bytes:
    with _MAKING:
        if key not in snap.reports:
            made = edition(snap.engine, catalog, snap.revision, span)
            while len(snap.reports) >= KEPT:
                snap.reports.pop(next(iter(snap.reports)))  # the oldest first
            snap.reports[key] = render(made, fmt, "", lambda iri: href(iri) or iri)
        return snap.reports[key]
