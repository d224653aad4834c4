"""``/contribute``: a partner reports in words and names, sees it read back, then sends it.

One form per kind of thing reported (``graph.contrib.forms.fields``): money, an activity or a
project, an event, a document, a new organisation, a highlight, a count of partners; or a file
in the curated record format. "Check" reads the form (``graph.contrib.forms.build``) and runs the
whole gate without storing (``Ledger.dry_run``): the page comes back with everything typed, each
wrong field marked and said, or with what will be stored in a sentence per record and any
warning. "Send for review" stores it, only when the fields are the ones read back.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from graph.contrib.accounts import Account, Forbidden
from graph.contrib.amounts import FORMATS
from graph.contrib.forms.build import read_form
from graph.contrib.forms.fields import FORMS, MANY
from graph.contrib.ledger import GateFailed
from graph.contrib.sessions import csrf_ok
from graph.contrib.submission import SubmissionError
from service.accounts.sessions import ledger_of, org_name, page, signed_in
from service.limits import untrusted
from service.pages import reviewing
from service.server.deps import StateDep
from service.server.state import ServiceState

router = APIRouter(include_in_schema=False)
UNSIGNED = ("csrf", "action", "checked")
"""Fields that are not part of what is read back."""


def digest(form: dict[str, str]) -> str:
    """What the read-back was of: a hash of the form's fields."""
    fields = {k: v.strip() for k, v in sorted(form.items()) if k not in UNSIGNED}
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def _context(state: ServiceState, account: Account, csrf: str, kind: str) -> dict[str, Any]:
    ledger = ledger_of(state)
    names = reviewing.names(ledger)
    held = ledger.published().periods()
    own = org_name(state, account)
    return {
        "account": account,
        "org_name": own,
        "csrf": csrf,
        "kind": kind,
        "kinds": [(k, heading) for k, (heading, _f) in FORMS.items()],
        "heading": FORMS[kind][0] if kind in FORMS else "",
        "fields": FORMS[kind][1] if kind in FORMS else (),
        "many": range(1, MANY + 1),
        "names": names.shown,
        "formats": list(FORMATS.items()),
        # the open period (the one that starts last) first: the form's default
        "periods": [(p.span, p.label) for p in reversed(held)],
        "values": {"funder": own} if kind == "funding" else {},
        "errors": {},
        "messages": [],
        "readback": [],
        "warnings": [],
        "checked": "",
        "done": None,
    }


def _kind(asked: str) -> str:
    """The form asked for, or the funding form when there is no such form."""
    return asked if asked in FORMS or asked == "file" else "funding"


def _page(status: int, context: dict[str, Any], **more: Any) -> HTMLResponse:
    return page("contribute.html", status, **{**context, **more})


@router.get("/contribute")
async def contribute_page(request: Request, state: StateDep, kind: str = "funding") -> Response:
    """The form of one kind, for a signed-in partner or area lead."""
    account, csrf = await signed_in(request, state)
    context = await run_in_threadpool(_context, state, account, csrf, _kind(kind))
    return _page(200, context)


@router.post("/contribute")
async def contribute(request: Request, state: StateDep) -> Response:
    """Check a form and read it back; send it when it was read back unchanged."""
    account, csrf = await signed_in(request, state)
    received = await untrusted.form(request, state)
    form = received.fields
    kind = _kind(form.get("kind", "file" if received.file is not None else ""))
    context = await run_in_threadpool(_context, state, account, csrf, kind)
    if not csrf_ok(csrf, form.get("csrf", "")):
        return _page(
            403, context, messages=["The form is stale or came from another site; reload it."]
        )
    if not account.submits:
        return _page(403, context, messages=["Only partners and area leads report; you review."])
    ledger = ledger_of(state)
    if received.file is not None:
        name, body = received.file
        media = "application/json" if name.endswith(".json") else "application/yaml"
        return await _send(request, state, context, account, body, media)
    values = {k: v for k, v in form.items() if k not in ("csrf",)}
    context["values"] = values
    outcome = await run_in_threadpool(
        read_form, kind, form, account.org.rsplit("/id/", 1)[-1], reviewing.names(ledger)
    )
    if outcome.doc is None:
        count = len(outcome.errors)
        return _page(
            422,
            context,
            errors=outcome.errors,
            messages=[f"{count} field{'s' if count > 1 else ''} to correct:"],
        )
    body = json.dumps(outcome.doc, ensure_ascii=False).encode()
    if form.get("action") == "send" and form.get("checked") == digest(form):
        return await _send(request, state, context, account, body, "application/json")
    try:
        intake = await untrusted.submission(request, state, body, "application/json")
        report = await run_in_threadpool(ledger.dry_run, account, intake)
    except SubmissionError as exc:
        return _page(422, context, messages=[_said(p) for p in exc.problems])
    except GateFailed as exc:
        return _page(422, context, messages=[str(exc)])
    warnings = [*outcome.warnings, *(str(w.get("message", "")) for w in report.warnings)]
    return _page(
        200,
        context,
        readback=outcome.readback,
        warnings=sorted(set(warnings), key=warnings.index),
        checked=digest(form),
    )


def _said(problem: Any) -> str:
    return f"{problem.field or 'submission'}: {problem.message}"


async def _send(
    request: Request,
    state: ServiceState,
    context: dict[str, Any],
    account: Account,
    body: bytes,
    media: str,
) -> HTMLResponse:
    """Store a submission as pending and say so (422 with the problems if it fails)."""
    ledger = ledger_of(state)
    try:
        intake = await untrusted.submission(request, state, body, media)
        sub, report = await run_in_threadpool(ledger.submit, account, media, body, intake)
    except SubmissionError as exc:
        return _page(422, context, messages=[_said(p) for p in exc.problems])
    except GateFailed as exc:
        return _page(422, context, messages=[str(exc)])
    except Forbidden as exc:
        return _page(403, context, messages=[str(exc)])
    warnings = [str(w.get("message", "")) for w in report.warnings]
    return _page(201, context, done=sub, warnings=warnings, values={})
