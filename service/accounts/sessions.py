"""The write path's pages: signing in and out, and what every page of it shares.

Pages use a session cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` behind https) made by
signing in with an account's token; every form carries the session's CSRF token, checked on
each POST (OWASP's synchroniser token pattern,
https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
The contribute, review, accounts and feed pages are in modules of their own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib.accounts import Account, Forbidden
from graph.contrib.ledger import Ledger
from graph.contrib.sessions import csrf_ok
from graph.namespaces import GMPD
from service.limits import untrusted
from service.pages import reviewing
from service.pages.render import render
from service.server.deps import StateDep, account_for, client_of, take_token
from service.server.errors import Refusal
from service.server.state import ServiceState

router = APIRouter(include_in_schema=False)
COOKIE = "mkg_session"


async def form_of(request: Request, state: ServiceState) -> dict[str, str]:
    """The text fields of the request's form, read in an intake worker."""
    return (await untrusted.form(request, state)).fields


async def session_of(request: Request, state: ServiceState) -> tuple[Account, str] | None:
    """The signed-in account and its CSRF token, from the session cookie (None: signed out)."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or state.ledger is None:
        return None
    return await run_in_threadpool(state.ledger.session, cookie)


async def signed_in(request: Request, state: ServiceState) -> tuple[Account, str]:
    """The signed-in account and its CSRF token.

    Raises:
        Refusal: signed out; the answer is the way to the sign-in page.
    """
    session = await session_of(request, state)
    if session is None:
        raise Refusal(RedirectResponse("/signin", status_code=303))
    return session


def page(template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    """A page of the write path."""
    return HTMLResponse(render(template, **context), status)


def ledger_of(state: ServiceState) -> Ledger:
    """The service's ledger.

    Raises:
        Forbidden: contributions are not enabled.
    """
    if state.ledger is None:
        raise Forbidden("contributions are not enabled on this service")
    return state.ledger


def org_name(state: ServiceState, account: Account) -> str:
    """The name of an account's organisation."""
    names = reviewing.names(ledger_of(state))
    return names.labels.get(account.org.removeprefix(str(GMPD)), account.org)


def home_of(account: Account) -> str:
    """Where an account starts: the queue for reviewers (leads too), the forms for partners."""
    return "/contribute" if account.role == "partner" else "/review"


@router.get("/signin")
async def signin_page(request: Request, state: StateDep) -> Response:
    """Paste your token to sign in."""
    session = await session_of(request, state)
    return page("signin.html", account=session[0] if session else None, error="")


@router.post("/signin")
async def signin(request: Request, state: StateDep) -> Response:
    """Start a session for a valid token."""
    ledger = ledger_of(state)
    take_token(state.upload_limiter, client_of(request, state.settings), "sign-ins")
    token = (await form_of(request, state)).get("token", "").strip()
    known = await account_for(state, token) if token else None
    made = await run_in_threadpool(ledger.sign_in, token) if known else None
    if made is None:
        return page("signin.html", 401, account=None, error="That token is unknown or revoked.")
    account, cookie, _csrf = made
    response = RedirectResponse(home_of(account), status_code=303)
    secure = (state.settings.public_url or "").startswith("https://")
    response.set_cookie(
        COOKIE, cookie, httponly=True, samesite="strict", secure=secure, max_age=8 * 3600
    )
    return response


@router.post("/signout")
async def signout(request: Request, state: StateDep) -> Response:
    """End the session (needs its CSRF token)."""
    session = await session_of(request, state)
    form = await form_of(request, state)
    if session is not None and csrf_ok(session[1], form.get("csrf", "")):
        await run_in_threadpool(ledger_of(state).sign_out, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE)
    return response
