"""Reporting periods over HTTP: the list for everyone, opening one for the secretariat.

``GET /api/periods`` and the ``/periods`` page list the periods the published graph holds, the
open one marked (a submission that names no period reports on it). The secretariat opens the
next period with ``POST /api/periods`` (a bearer token, ``{"period": "2012-07/2014-06",
"label": "..."}``) or the page's form (a session with its CSRF token): the period is published
at once as its own attributed statement (``graph.contrib.ledger.Ledger.open_period``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib.accounts import Account, Forbidden
from graph.contrib.ledger import GateFailed
from graph.contrib.periods import Period, PeriodError, open_period
from graph.contrib.sessions import csrf_ok
from graph.contrib.submission import SubmissionError
from service.accounts.sessions import session_of, signed_in
from service.api.contrib import AccountDep, _error
from service.limits import untrusted
from service.pages.render import render
from service.sandbox.guard import QueryRefused
from service.server.deps import StateDep, base_url
from service.server.errors import Refusal
from service.server.state import ServiceState

router = APIRouter(tags=["Reporting periods"])


def _periods(state: ServiceState) -> list[Period]:
    return state.ledger.published().periods() if state.ledger is not None else []


@router.get("/api/periods", summary="The reporting periods, the open one marked")
async def list_periods(request: Request, state: StateDep) -> Response:
    """Every reporting period of the published graph, the earliest first."""
    periods = await run_in_threadpool(_periods, state)
    current = open_period(periods)
    base = base_url(request, state.settings)
    return JSONResponse({"periods": [p.as_json(current, base) for p in periods]})


async def _open(state: ServiceState, account: Account, span: str, label: str) -> str | None:
    """Open a period and publish it; the error sentence, or None when it is open."""
    if state.ledger is None:
        return "contributions are not enabled on this service"
    try:
        await run_in_threadpool(state.ledger.open_period, account, span, label)
    except (PeriodError, SubmissionError, GateFailed) as exc:
        return str(exc)
    await state.publish()
    return None


@router.post("/api/periods", summary="Open a reporting period (secretariat)", status_code=201)
async def open_one(request: Request, state: StateDep, account: AccountDep) -> Response:
    """Open the period ``{"period": "START/END", "label": "..."}``; 201 with it."""
    try:
        form = await untrusted.form(request, state)
    except QueryRefused as exc:
        raise Refusal(_error(exc.status, str(exc))) from None
    span = form.fields.get("period", "").strip()
    if not span:
        return _error(422, 'say which period: {"period": "2012-07/2014-06"}')
    try:
        failed = await _open(state, account, span, form.fields.get("label", ""))
    except Forbidden as exc:
        return _error(403, str(exc))
    if failed:
        return _error(409 if "overlaps" in failed else 422, failed)
    periods = _periods(state)
    made = next(p for p in periods if p.span == span.replace(" ", ""))
    body = made.as_json(open_period(periods), base_url(request, state.settings))
    return JSONResponse(body, 201, headers={"Location": "/api/periods"})


@router.get("/periods", response_class=HTMLResponse, include_in_schema=False)
async def periods_page(request: Request, state: StateDep) -> Response:
    """The periods, and for the secretariat a form to open the next one."""
    return await _page(request, state, 200, "")


async def _page(request: Request, state: ServiceState, status: int, error: str) -> Response:
    session = await session_of(request, state)
    periods = await run_in_threadpool(_periods, state)
    current = open_period(periods)
    rows = [p.as_json(current) for p in periods]
    page = render(
        "periods.html",
        periods=rows,
        account=session[0] if session else None,
        csrf=session[1] if session else "",
        error=error,
    )
    return HTMLResponse(page, status)


@router.post("/periods", include_in_schema=False)
async def open_from_page(request: Request, state: StateDep) -> Response:
    """The page's form: open a period (secretariat session, CSRF checked)."""
    account, csrf = await signed_in(request, state)
    fields = (await untrusted.form(request, state)).fields
    if not csrf_ok(csrf, fields.get("csrf", "")):
        return await _page(request, state, 403, "The form is stale or came from another site.")
    span = f"{fields.get('start', '').strip()}/{fields.get('end', '').strip()}"
    try:
        failed = await _open(state, account, span, fields.get("label", ""))
    except Forbidden as exc:
        return await _page(request, state, 403, str(exc))
    if failed:
        return await _page(request, state, 422, failed)
    return RedirectResponse("/periods", status_code=303)
