"""The write path's pages: sign in, contribute (two forms and an upload), review.

Pages use a session cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` behind https) made by
signing in with an account's token; every form carries the session's CSRF token, checked on
each POST (OWASP's synchroniser token pattern). The two forms cover the common cases, "report a
funding contribution" and "report an activity": they are turned into a submission in the
curated record format, the form's statement being the submitter's words every record quotes,
and go through the same gate as ``POST /api/submissions``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib.accounts import Account
from graph.contrib.ledger import Forbidden, GateFailed, Ledger
from graph.contrib.money import decisions_of
from graph.contrib.sessions import csrf_ok
from graph.contrib.submission import SubmissionError
from graph.contrib.workflow import WorkflowError
from graph.query.catalog import support
from service import untrusted
from service.deps import StateDep, account_for, client_of, take_token
from service.pages import render
from service.state import ServiceState

router = APIRouter(include_in_schema=False)
COOKIE = "mkg_session"
TRANSACTIONS = ("granted", "pledged", "funded", "contributed", "provided", "approved", "expended")
STATUSES = ("planned", "in-preparation", "ongoing", "completed")
MONTH = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


async def _form(request: Request, state: ServiceState) -> dict[str, str]:
    """The text fields of the request's form, read in an intake worker."""
    return (await untrusted.form(request, state)).fields


async def session_of(request: Request, state: ServiceState) -> tuple[Account, str] | None:
    """The signed-in account and its CSRF token, from the session cookie (None: signed out)."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or state.ledger is None:
        return None
    return await run_in_threadpool(state.ledger.session, cookie)


def _page(template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status)


def _contribute(
    state: ServiceState, status: int, account: Account, csrf: str, **context: Any
) -> HTMLResponse:
    """The contribute page, with the area choices and no errors or receipt unless given."""
    context = {"errors": [], "done": None, **context}
    return _page(
        "contribute.html", status, account=account, csrf=csrf, **context, **_choices(state)
    )


def _ledger(state: ServiceState) -> Ledger:
    if state.ledger is None:
        raise Forbidden("contributions are not enabled on this service")
    return state.ledger


@router.get("/signin")
async def signin_page(request: Request, state: StateDep) -> Response:
    """Paste your token to sign in."""
    session = await session_of(request, state)
    return _page("signin.html", account=session[0] if session else None, error="")


@router.post("/signin")
async def signin(request: Request, state: StateDep) -> Response:
    """Start a session for a valid token."""
    ledger = _ledger(state)
    take_token(state.upload_limiter, client_of(request, state.settings), "sign-ins")
    token = (await _form(request, state)).get("token", "").strip()
    known = await account_for(state, token) if token else None
    made = await run_in_threadpool(ledger.sign_in, token) if known else None
    if made is None:
        return _page("signin.html", 401, account=None, error="That token is unknown or revoked.")
    account, cookie, _csrf = made
    target = "/review" if account.role == "secretariat" else "/contribute"
    response = RedirectResponse(target, status_code=303)
    secure = (state.settings.public_url or "").startswith("https://")
    response.set_cookie(
        COOKIE, cookie, httponly=True, samesite="strict", secure=secure, max_age=8 * 3600
    )
    return response


@router.post("/signout")
async def signout(request: Request, state: StateDep) -> Response:
    """End the session (needs its CSRF token)."""
    session = await session_of(request, state)
    form = await _form(request, state)
    if session is not None and csrf_ok(session[1], form.get("csrf", "")):
        await run_in_threadpool(_ledger(state).sign_out, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _choices(state: ServiceState) -> dict[str, list[tuple[str, str]]]:
    rows = state.engine.select(support("form_areas").text).rows
    areas = [(str(a).rsplit("/id/", 1)[-1], str(lbl)) for a, lbl in rows]
    held = state.ledger.published().periods() if state.ledger is not None else []
    return {
        "areas": areas,
        "transactions": [(t, t) for t in TRANSACTIONS],
        "statuses": [(s, s) for s in STATUSES],
        # the open period (the one that starts last) first: the form's default
        "periods": [(p.span, p.label) for p in reversed(held)],
    }


@router.get("/contribute")
async def contribute_page(request: Request, state: StateDep) -> Response:
    """The forms, for a signed-in partner."""
    session = await session_of(request, state)
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    account, csrf = session
    return _contribute(state, 200, account, csrf)


def _record_id(kind: str) -> str:
    return f"{kind}/contribution-{secrets.token_hex(4)}"


def form_document(kind: str, form: dict[str, str], org: str) -> dict[str, Any]:
    """A submission document from one of the two forms.

    Raises:
        SubmissionError: a field that is missing or malformed (named).
    """
    from graph.contrib.submission import Problem

    text = form.get("text", "").strip()
    label = form.get("label", "").strip()
    when = form.get("when", "").strip()
    problems = [
        Problem(f"'{name}' is required", field=name)
        for name, value in (("text", text), ("label", label))
        if not value
    ]
    if when and not MONTH.fullmatch(when):
        problems.append(Problem("'when' is YYYY, YYYY-MM or YYYY-MM-DD", field="when"))
    period = form.get("period", "").strip()
    start, sep, end = period.partition("/")
    if period and not (sep and MONTH.fullmatch(start) and MONTH.fullmatch(end)):
        problems.append(Problem("choose a reporting period", field="period"))
    record: dict[str, Any] = {"label": label, "source": text}
    if when:
        record["when"] = when
    if kind == "funding":
        value = form.get("amount", "").replace(",", "").strip()
        currency = form.get("currency", "USD").strip().upper()
        if not re.fullmatch(r"\d+(\.\d+)?", value):
            problems.append(Problem("'amount' is a number (e.g. 300000)", field="amount"))
        if form.get("transaction") not in TRANSACTIONS:
            problems.append(Problem("choose a transaction type", field="transaction"))
        record |= {
            "id": _record_id("flow"),
            "type": "FundingFlow",
            "funder": org.rsplit("/id/", 1)[-1],
            "item": form.get("item", ""),
            "transaction": f"gmp:tt-{form.get('transaction', '')}",
            "amount": {
                "value": value or "0",
                "currency": currency,
                "approx": "exact",
                "verbatim": form.get("amount", "").strip() + f" {currency}",
            },
        }
    else:
        if form.get("status") not in STATUSES:
            problems.append(Problem("choose a status", field="status"))
        record |= {
            "id": _record_id("activity"),
            "type": "Activity",
            "area": form.get("item", ""),
            "implementer": org.rsplit("/id/", 1)[-1],
            "status": f"gmp:status-{form.get('status', '')}",
        }
    if problems:
        raise SubmissionError(problems)
    doc: dict[str, Any] = {"title": label, "text": text, "records": [record]}
    if period:
        doc["period"] = {"from": start, "to": end}
    return doc


@router.post("/contribute")
async def contribute(request: Request, state: StateDep) -> Response:
    """Turn a form (or an uploaded file) into a submission and send it through the gate."""
    import json

    session = await session_of(request, state)
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    account, csrf = session
    received = await untrusted.form(request, state)
    form = received.fields
    if not csrf_ok(csrf, form.get("csrf", "")):
        return _contribute(
            state,
            403,
            account,
            csrf,
            errors=["The form is stale or came from another site; reload it."],
        )
    ledger = _ledger(state)
    try:
        if received.file is not None:
            name, body = received.file
            media = "application/json" if name.endswith(".json") else "application/yaml"
        else:
            body = json.dumps(form_document(form.get("kind", ""), form, account.org)).encode()
            media = "application/json"
        intake = await untrusted.submission(request, state, body, media)
        sub, report = await run_in_threadpool(ledger.submit, account, media, body, intake)
    except SubmissionError as exc:
        errors = [f"{p.field or 'submission'}: {p.message}" for p in exc.problems]
        return _contribute(state, 422, account, csrf, errors=errors)
    except GateFailed as exc:
        return _contribute(state, 422, account, csrf, errors=[str(exc)])
    except Forbidden as exc:
        return _contribute(state, 403, account, csrf, errors=[str(exc)])
    return _contribute(state, 201, account, csrf, done=sub, warnings=report.warnings)


@router.get("/review")
async def review_queue(request: Request, state: StateDep) -> Response:
    """The secretariat's queue (a partner sees its own submissions)."""
    session = await session_of(request, state)
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    account, csrf = session
    subs = await run_in_threadpool(_ledger(state).listing)
    visible = [s for s in subs if account.role == "secretariat" or s.org == account.org]
    return _page("review.html", account=account, csrf=csrf, subs=list(reversed(visible)), view=None)


@router.get("/review/{sid}")
async def review_one(sid: str, request: Request, state: StateDep) -> Response:
    """One submission: triples, report, figures before and after, history, decisions."""
    session = await session_of(request, state)
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    account, csrf = session
    ledger = _ledger(state)
    try:
        sub = await run_in_threadpool(ledger.get, sid)
    except WorkflowError:
        return _page("review.html", 404, account=account, csrf=csrf, subs=[], view=None)
    if account.role != "secretariat" and sub.org != account.org:
        return _page("review.html", 404, account=account, csrf=csrf, subs=[], view=None)
    view = await run_in_threadpool(ledger.review, sid)
    return _page("review.html", account=account, csrf=csrf, subs=[], view=view)


async def _again(
    ledger: Ledger, sid: str, status: int, account: Account, csrf: str, error: str
) -> HTMLResponse:
    """The submission's page once more, saying why the decision was not taken (404 if none)."""
    try:
        view = await run_in_threadpool(ledger.review, sid)
    except WorkflowError:
        return _page("review.html", 404, account=account, csrf=csrf, subs=[], view=None)
    return _page("review.html", status, account=account, csrf=csrf, subs=[], view=view, error=error)


@router.post("/review/{sid}/{action}")
async def decide(sid: str, action: str, request: Request, state: StateDep) -> Response:
    """Accept, reject or retract from the page (secretariat, with the CSRF token)."""
    session = await session_of(request, state)
    if session is None:
        return RedirectResponse("/signin", status_code=303)
    account, csrf = session
    form = await _form(request, state)
    if action not in ("accept", "reject", "retract") or not csrf_ok(csrf, form.get("csrf", "")):
        return _page("review.html", 403, account=account, csrf=csrf, subs=[], view=None)
    ledger = _ledger(state)
    reason = form.get("reason", "")
    try:
        decisions = decisions_of(form)
    except ValueError as exc:
        return await _again(ledger, sid, 400, account, csrf, str(exc))
    try:
        if action == "accept":
            await run_in_threadpool(ledger.accept, sid, account, decisions)
        elif action == "reject":
            await run_in_threadpool(ledger.reject, sid, account, reason)
        else:
            await run_in_threadpool(ledger.retract, sid, account, reason)
    except Forbidden:
        return _page("review.html", 403, account=account, csrf=csrf, subs=[], view=None)
    except (WorkflowError, SubmissionError, GateFailed) as exc:
        return await _again(ledger, sid, 409, account, csrf, str(exc))
    if action in ("accept", "retract"):
        await state.publish()
    return RedirectResponse(f"/review/{sid}", status_code=303)
