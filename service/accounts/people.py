"""``/accounts``: the secretariat makes, lists and revokes accounts in the browser.

An account acts for an organisation of the published graph (one accepted through a submission
can be given an account at once), chosen by its name; an area lead also names the partnership
areas it reviews. The new token is shown once, on the page that made it, and stored only as its
scrypt hash (``graph.contrib.accounts``). Every form carries the session's CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib import accounts
from graph.contrib.accounts import Account
from graph.contrib.forms.names import UnknownName
from graph.contrib.ledger import Ledger
from graph.contrib.sessions import csrf_ok
from graph.namespaces import GMPD
from service.accounts.sessions import form_of, ledger_of, page, signed_in
from service.pages import reviewing
from service.server.deps import StateDep
from service.server.errors import Refusal

router = APIRouter(include_in_schema=False)


def _rows(ledger: Ledger) -> list[dict[str, Any]]:
    names = reviewing.names(ledger)
    out = []
    for a in ledger.read(accounts.listing):
        out.append(
            {
                "id": a.id,
                "name": a.shown,
                "org": names.labels.get(a.org.removeprefix(str(GMPD)), a.org),
                "role": a.role,
                "areas": [names.labels.get(x.removeprefix(str(GMPD)), x) for x in a.areas],
                "email": a.email,
                "created": a.created[:10],
                "revoked": (a.revoked or "")[:10],
            }
        )
    return out


def _page(
    ledger: Ledger, account: Account, csrf: str, status: int = 200, **more: Any
) -> HTMLResponse:
    names = reviewing.names(ledger)
    context = {
        "account": account,
        "csrf": csrf,
        "rows": _rows(ledger),
        "orgs": names.shown["org"],
        "areas": names.shown["area"],
        "roles": accounts.ROLES,
        "made": None,
        "token": "",
        "error": "",
        "values": {},
        **more,
    }
    return page("accounts.html", status, **context)


async def _secretariat(request: Request, state: StateDep) -> tuple[Account, str]:
    """The signed-in secretariat account and its CSRF token (others: sign in, or 403)."""
    account, csrf = await signed_in(request, state)
    if account.role != "secretariat":
        raise Refusal(page("accounts.html", 403, account=account, csrf=csrf, rows=None))
    return account, csrf


@router.get("/accounts")
async def accounts_page(request: Request, state: StateDep) -> Response:
    """Every account, and a form to make one."""
    found = await _secretariat(request, state)
    return await run_in_threadpool(_page, ledger_of(state), *found)


def _make(ledger: Ledger, form: dict[str, str]) -> tuple[Account, str]:
    """Make the account a form describes.

    Raises:
        ValueError: a name not found, or what ``accounts.add`` refuses.
    """
    names = reviewing.names(ledger)
    org = names.find("org", form.get("org", ""), "an organisation")
    areas = tuple(
        str(GMPD[names.find("area", a, "a partnership area")])
        for key, a in sorted(form.items())
        if key.startswith("area-") and a
    )
    made: tuple[Account, str] = ledger.read(
        accounts.add,
        str(GMPD[org]),
        form.get("role", ""),
        form.get("name", "").strip(),
        areas,
        form.get("email", "").strip(),
    )
    return made


async def _posted(request: Request, state: StateDep) -> tuple[Ledger, Account, str, dict[str, str]]:
    """The secretariat's session and its form (a refused one is raised as its page)."""
    account, csrf = await _secretariat(request, state)
    form = await form_of(request, state)
    ledger = ledger_of(state)
    if not csrf_ok(csrf, form.get("csrf", "")):
        stale = await _answer(ledger, account, csrf, 403, error="The form is stale; reload it.")
        raise Refusal(stale)
    return ledger, account, csrf, form


async def _answer(
    ledger: Ledger, account: Account, csrf: str, status: int, **more: Any
) -> HTMLResponse:
    return await run_in_threadpool(lambda: _page(ledger, account, csrf, status, **more))


@router.post("/accounts")
async def make_account(request: Request, state: StateDep) -> Response:
    """Make an account; its token is shown once."""
    ledger, account, csrf, form = await _posted(request, state)
    try:
        made, token = await run_in_threadpool(_make, ledger, form)
    except (UnknownName, accounts.AccountError) as exc:
        return await _answer(ledger, account, csrf, 422, error=str(exc), values=form)
    return await _answer(ledger, account, csrf, 201, made=made, token=token)


@router.post("/accounts/{account_id}/revoke")
async def revoke_account(account_id: str, request: Request, state: StateDep) -> Response:
    """Revoke an account (it stays in the history)."""
    ledger, account, csrf, _form = await _posted(request, state)
    try:
        await run_in_threadpool(ledger.read, accounts.revoke, account_id)
    except accounts.AccountError as exc:
        why = str(exc)
        return await _answer(ledger, account, csrf, 409 if "already" in why else 404, error=why)
    return RedirectResponse("/accounts", status_code=303)
