"""Errors as clear 4xx answers in JSON (or HTML for browsers); never a stack trace.

Every handler turns a known failure into a status and a one-line message: 4xx for anything a
client can send (422 for a query stopped at its deadline, 429 with ``Retry-After`` when no worker
can be had soon). Anything unexpected becomes a 500 that carries only a correlation id; the
details go to the server log.
"""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.query.catalog import ParamError
from graph.query.engine import QueryError
from service.sandbox.guard import QueryRefused
from service.sandbox.workers import Busy, QueryTimeout

log = logging.getLogger("mercury_kg.service")


class Refusal(Exception):
    """An answer other than the route's own (a 4xx, a redirect to sign in), raised from below it."""

    def __init__(self, response: Response) -> None:
        self.response = response


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """JSON ``{"error": ..., "status": ...}``, or a small escaped HTML page for browsers."""
    accept = request.headers.get("accept", "")
    if "text/html" in accept and "json" not in accept:
        from html import escape

        body = (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>{status}</title>"
            f"<link rel=stylesheet href=/static/site.css><main><h1>{status}</h1>"
            f"<p>{escape(message)}</p><p><a href=/>Query the graph</a></p></main></html>"
        )
        return HTMLResponse(body, status, headers=headers)
    return JSONResponse({"error": message, "status": status}, status, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""

    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))

    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return error_response(request, 400, f"invalid request: {where}: {first.get('msg', '')}")

    async def refused(request: Request, exc: QueryRefused) -> Response:
        return error_response(request, exc.status, str(exc))

    async def bad_param(request: Request, exc: ParamError) -> Response:
        return error_response(request, 400, str(exc))

    async def query_error(request: Request, exc: QueryError) -> Response:
        # only the service's own queries run in-process: the engine's words (positions inside
        # those queries) are for the log, not for the client
        log.warning("named or page query failed on %s: %s", request.url.path, exc)
        return error_response(
            request,
            400,
            "the values given could not be used in this query; check each parameter against its"
            " type (GET /api/queries lists them)",
        )

    async def timeout(request: Request, exc: QueryTimeout) -> Response:
        return error_response(request, 422, str(exc))

    async def busy(request: Request, exc: Busy) -> Response:
        return error_response(request, 429, str(exc), {"Retry-After": str(exc.retry_after)})

    async def unexpected(request: Request, exc: Exception) -> Response:
        ref = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        return error_response(request, 500, f"internal error (reference {ref})")

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryRefused, refused)  # type: ignore[arg-type]
    app.add_exception_handler(ParamError, bad_param)  # type: ignore[arg-type]
    app.add_exception_handler(QueryError, query_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryTimeout, timeout)  # type: ignore[arg-type]
    app.add_exception_handler(Busy, busy)  # type: ignore[arg-type]

    async def refusal(request: Request, exc: Refusal) -> Response:
        return exc.response

    app.add_exception_handler(Refusal, refusal)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected)
