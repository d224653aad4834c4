"""The write path over HTTP: ``/api/submissions`` and their review.

Tokens travel as ``Authorization: Bearer`` (RFC 6750): no token or a wrong one is 401; an
account that may not do something is 403 (a partner accepting, a partner submitting for another
organisation); with no accounts at all every write route is 403 and says how to make one. A
submission that does not compile or does not pass the gate is 422 with the problems (record,
field, message) or the SHACL results (focus node, path, message), and nothing is stored.
Pending submissions are visible to the secretariat, to their own organisation and to the leads
of their partnership areas; the secretariat and those leads accept, reject or ask the partner a
question (``graph.contrib.roles``), and the partner answers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib import history
from graph.contrib.accounts import Account, Forbidden
from graph.contrib.intake import JSON_TYPES, RDF_TYPES, YAML_TYPES
from graph.contrib.ledger import GateFailed, Ledger
from graph.contrib.money import decisions_of
from graph.contrib.roles import sees
from graph.contrib.submission import SubmissionError
from graph.contrib.workflow import WorkflowError
from service.limits import untrusted
from service.pages import reviewing
from service.sandbox.guard import QueryRefused
from service.server.deps import StateDep, account_for, bearer_token, client_of, take_token
from service.server.errors import Refusal
from service.server.state import ServiceState

router = APIRouter(tags=["Contributions"])
HOW = (
    "no accounts exist yet, so nothing can be submitted; the operator creates one with "
    "'mercury-kg accounts add --org ORG_ID --role partner|secretariat'"
)
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string"}}
            for media in (*YAML_TYPES, *JSON_TYPES, *RDF_TYPES)
        },
    }
}


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="mercury-kg"'} if status == 401 else None
    return JSONResponse({"error": message, "status": status, **extra}, status, headers=headers)


def _ledger(state: ServiceState) -> Ledger:
    if state.ledger is None:
        raise Refusal(_error(403, "contributions are not enabled on this service"))
    return state.ledger


async def account_of(request: Request, state: StateDep) -> Account:
    """The account of the request's bearer token (401 without one, 403 with no accounts)."""
    ledger = _ledger(state)
    take_token(state.upload_limiter, client_of(request, state.settings), "contributions")
    if not await run_in_threadpool(ledger.has_accounts):
        raise Refusal(_error(403, HOW))
    token = bearer_token(request)
    if not token:
        raise Refusal(_error(401, "send your account's token as 'Authorization: Bearer TOKEN'"))
    account = await account_for(state, token)
    if account is None:
        raise Refusal(_error(401, "the token is unknown, mistyped or revoked"))
    return account


AccountDep = Annotated[Account, Depends(account_of)]


@router.post(
    "/api/submissions",
    summary="Submit a contribution (YAML or JSON, the curated record format)",
    status_code=201,
    openapi_extra=_BODY,
)
async def submit(request: Request, state: StateDep, account: AccountDep) -> Response:
    """Read the body in an intake worker, compile, gate; store it as pending."""
    ledger = _ledger(state)
    media = request.headers.get("content-type", "")
    body = await request.body()  # capped and timed by service.limits.bodies
    try:
        intake = await untrusted.submission(request, state, body, media)
        sub, report = await run_in_threadpool(ledger.submit, account, media, body, intake)
    except Forbidden as exc:
        return _error(403, str(exc))
    except SubmissionError as exc:
        return _error(exc.status, str(exc), problems=[p.as_json() for p in exc.problems])
    except GateFailed as exc:
        return _error(422, str(exc), shacl=exc.report.as_json()["results"])
    return JSONResponse(
        {
            **sub.summary(),
            "warnings": report.warnings,
            "links": {"self": f"/api/submissions/{sub.id}", "review": f"/review/{sub.id}"},
        },
        201,
        headers={"Location": f"/api/submissions/{sub.id}"},
    )


@router.get("/api/submissions", summary="List submissions (the secretariat's queue, or your own)")
async def listing(state: StateDep, account: AccountDep) -> Response:
    """The secretariat sees every submission; a partner those of its organisation."""
    ledger = _ledger(state)
    subs = await run_in_threadpool(ledger.listing)
    visible = await run_in_threadpool(
        lambda: [s for s in subs if sees(account, s.org, ledger.areas(s))]
    )
    return JSONResponse({"submissions": [s.summary() for s in visible]})


async def _visible(ledger: Ledger, sid: str, account: Account) -> Response | None:
    try:
        sub = await run_in_threadpool(ledger.get, sid)
    except WorkflowError as exc:
        return _error(exc.status, str(exc))
    if not await run_in_threadpool(lambda: sees(account, sub.org, ledger.areas(sub))):
        return _error(404, f"no submission {sid!r}")
    return None


@router.get("/api/submissions/{sid}", summary="A submission as its reviewer sees it")
async def review(sid: str, state: StateDep, account: AccountDep) -> Response:
    """The triples it adds, the gate's report, the change in the report's figures, its history."""
    ledger = _ledger(state)
    refused = await _visible(ledger, sid, account)
    if refused is not None:
        return refused
    return JSONResponse(await run_in_threadpool(reviewing.view, ledger, sid))


@router.get(
    "/api/submissions/{sid}/history",
    summary="The public history of a published or retracted submission (no token needed)",
)
async def public_history(sid: str, state: StateDep) -> Response:
    """Who sent it for which organisation and when, who accepted it, who retracted it and why."""
    ledger = _ledger(state)
    try:
        record = await run_in_threadpool(ledger.read, history.public_history, sid)
    except WorkflowError as exc:
        return _error(exc.status, str(exc))
    return JSONResponse(record)


async def _reason(request: Request, state: ServiceState) -> str:
    """The ``{"reason": "..."}`` of a decision, read in an intake worker ("" without a body)."""
    if not await request.body():  # read once; Starlette keeps it for the form below
        return ""
    try:
        form = await untrusted.form(request, state)
    except QueryRefused as exc:
        raise Refusal(
            _error(exc.status, f'send the reason as JSON, {{"reason": "..."}}: {exc}')
        ) from None
    return form.fields.get("reason", "")


async def _decide(
    state: ServiceState,
    action: str,
    sid: str,
    account: Account,
    reason: str,
    decisions: dict[tuple[str, str], bool] | None = None,
) -> Response:
    ledger = _ledger(state)
    try:
        if action == "accept":
            sub = await run_in_threadpool(ledger.accept, sid, account, decisions)
        elif action == "reject":
            sub = await run_in_threadpool(ledger.reject, sid, account, reason)
        elif action == "ask":
            sub = await run_in_threadpool(ledger.ask, sid, account, reason)
        elif action == "answer":
            sub = await run_in_threadpool(ledger.answer, sid, account, reason)
        else:
            sub = await run_in_threadpool(ledger.retract, sid, account, reason)
    except Forbidden as exc:
        return _error(403, str(exc))
    except WorkflowError as exc:
        return _error(exc.status, str(exc))
    except SubmissionError as exc:
        return _error(422, str(exc), problems=[p.as_json() for p in exc.problems])
    except GateFailed as exc:
        return _error(
            422, f"no longer passes the gate: {exc}", shacl=exc.report.as_json()["results"]
        )
    if action in ("accept", "retract"):
        await state.publish()
    return JSONResponse({**sub.summary(), "published_revision": state.current.revision})


@router.post(
    "/api/submissions/{sid}/ask", summary="Ask the partner about it (secretariat or area lead)"
)
async def ask(sid: str, request: Request, state: StateDep, account: AccountDep) -> Response:
    """A question in ``{"reason": "..."}``; the submission stays pending, the partner hears."""
    return await _decide(state, "ask", sid, account, await _reason(request, state))


@router.post("/api/submissions/{sid}/answer", summary="Answer a reviewer's question (partner)")
async def answer(sid: str, request: Request, state: StateDep, account: AccountDep) -> Response:
    """An answer in ``{"reason": "..."}``, from the organisation that sent the submission."""
    return await _decide(state, "answer", sid, account, await _reason(request, state))


@router.post(
    "/api/submissions/{sid}/accept", summary="Accept and publish (secretariat or area lead)"
)
async def accept(sid: str, request: Request, state: StateDep, account: AccountDep) -> Response:
    """Re-gate on the current graph, then publish the submission in its own named graph.

    Money it may report twice needs a decision per pair in the body:
    ``{"money:flow/a:flow/b": "same"}`` (counted once) or ``"different"`` (both counted).
    """
    fields: dict[str, str] = {}
    if await request.body():
        try:
            fields = (await untrusted.form(request, state)).fields
        except QueryRefused as exc:
            raise Refusal(_error(exc.status, str(exc))) from None
    try:
        decisions = decisions_of(fields)
    except ValueError as exc:
        raise Refusal(_error(400, str(exc))) from None
    return await _decide(state, "accept", sid, account, "", decisions)


@router.post(
    "/api/submissions/{sid}/reject", summary="Reject with a reason (secretariat or area lead)"
)
async def reject(sid: str, request: Request, state: StateDep, account: AccountDep) -> Response:
    """Reject a pending submission; the reason goes to the submitter."""
    return await _decide(state, "reject", sid, account, await _reason(request, state))


@router.post(
    "/api/submissions/{sid}/retract", summary="Retract an accepted submission (secretariat)"
)
async def retract(sid: str, request: Request, state: StateDep, account: AccountDep) -> Response:
    """Withdraw it from the published graph; it stays in the history."""
    return await _decide(state, "retract", sid, account, await _reason(request, state))
