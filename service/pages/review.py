"""``/review``: the queue and each submission's page, for the people who review and submit.

The queue shows what each submission is (title, organisation, kinds, amounts, areas, warnings);
a page shows the partner's words first, a card per record in names, every change of the report
in words, then the raw RDF folded away (``graph.contrib.reviewing``). The secretariat and the
leads of a submission's areas accept it, reject it or ask the partner a question; the partner
answers on the same page. Every form carries the session's CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib.accounts import Account, Forbidden
from graph.contrib.ledger import GateFailed, Ledger
from graph.contrib.money import decisions_of
from graph.contrib.roles import deciders, sees
from graph.contrib.sessions import csrf_ok
from graph.contrib.submission import SubmissionError
from graph.contrib.workflow import WorkflowError
from service.accounts.sessions import form_of, ledger_of, org_name, page, signed_in
from service.pages import reviewing
from service.server.deps import StateDep

router = APIRouter(include_in_schema=False)
ACTIONS = ("accept", "reject", "retract", "ask", "answer")


def _queue(ledger: Ledger, account: Account) -> list[dict[str, object]]:
    names = reviewing.names(ledger)
    subs = [s for s in ledger.listing() if sees(account, s.org, ledger.areas(s))]
    return [reviewing.line(ledger, s, names) for s in reversed(subs)]


@router.get("/review")
async def review_queue(request: Request, state: StateDep) -> Response:
    """The submissions an account may see: to review, and its own."""
    account, csrf = await signed_in(request, state)
    ledger = ledger_of(state)
    lines = await run_in_threadpool(_queue, ledger, account)
    return page(
        "review.html",
        account=account,
        org_name=org_name(state, account),
        csrf=csrf,
        subs=lines,
        view=None,
    )


def _view(ledger: Ledger, sid: str, account: Account) -> dict[str, object] | None:
    """The page's view, or None when the account may not see the submission."""
    try:
        sub = ledger.get(sid)
    except WorkflowError:
        return None
    areas = ledger.areas(sub)
    if not sees(account, sub.org, areas):
        return None
    view = reviewing.view(ledger, sid)
    view["may_decide"] = not deciders(account, areas)
    view["may_answer"] = sub.org == account.org and account.submits
    return view


async def _one(
    request: Request, state: StateDep, sid: str, status: int = 200, error: str = ""
) -> HTMLResponse:
    account, csrf = await signed_in(request, state)
    view = await run_in_threadpool(_view, ledger_of(state), sid, account)
    context = {"account": account, "org_name": org_name(state, account), "csrf": csrf}
    if view is None:
        return page("review.html", 404, subs=[], view=None, missing=sid, **context)
    return page("review.html", status, subs=[], view=view, error=error, **context)


@router.get("/review/{sid}")
async def review_one(sid: str, request: Request, state: StateDep) -> Response:
    """One submission, for the people who may see it."""
    return await _one(request, state, sid)


@router.post("/review/{sid}/{action}")
async def decide(sid: str, action: str, request: Request, state: StateDep) -> Response:
    """Accept, reject, retract, ask or answer from the page (with the CSRF token)."""
    account, csrf = await signed_in(request, state)
    form = await form_of(request, state)
    if action not in ACTIONS or not csrf_ok(csrf, form.get("csrf", "")):
        return await _one(request, state, sid, 403, "The form is stale or came from elsewhere.")
    ledger = ledger_of(state)
    reason = form.get("reason", "")
    try:
        decisions = decisions_of(form)
    except ValueError as exc:
        return await _one(request, state, sid, 400, str(exc))
    try:
        if action == "accept":
            await run_in_threadpool(ledger.accept, sid, account, decisions)
        elif action == "reject":
            await run_in_threadpool(ledger.reject, sid, account, reason)
        elif action == "retract":
            await run_in_threadpool(ledger.retract, sid, account, reason)
        elif action == "ask":
            await run_in_threadpool(ledger.ask, sid, account, reason)
        else:
            await run_in_threadpool(ledger.answer, sid, account, reason)
    except Forbidden as exc:
        return await _one(request, state, sid, 403, str(exc))
    except SubmissionError as exc:
        return await _one(request, state, sid, 400, str(exc))
    except (WorkflowError, GateFailed) as exc:
        return await _one(request, state, sid, 409, str(exc))
    if action in ("accept", "retract"):
        await state.publish()
    return RedirectResponse(f"/review/{sid}", status_code=303)
