"""``/feed``: an account's notices as an Atom feed (RFC 4287, https://www.rfc-editor.org/rfc/rfc4287).

Decisions on its submissions (accepted, rejected, a question, retracted) and the submissions
awaiting its review (``graph.contrib.notices``), newest first, written by feedgen. A browser
signed in reads it with its session; a feed reader sends the account's token as
``Authorization: Bearer``. Links use ``MERCURY_KG_PUBLIC_URL`` when set.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool

from graph.contrib import notices
from graph.contrib.accounts import Account
from service.accounts.sessions import ledger_of, session_of
from service.server.deps import StateDep, account_for, bearer_token

router = APIRouter(tags=["Contributions"])
ATOM = "application/atom+xml"


def atom(account: Account, items: list[notices.Notice], base: str) -> bytes:
    """The Atom document of an account's notices."""
    fg = FeedGenerator()
    fg.id(f"{base}/feed/{account.id}")
    fg.title(f"mercury-kg notices for {account.shown}")
    fg.author({"name": "mercury-kg"})
    fg.link(href=f"{base}/feed", rel="self", type=ATOM)
    fg.link(href=f"{base}/review", rel="alternate", type="text/html")
    fg.updated(datetime.fromisoformat(items[0].at if items else account.created))
    for n in reversed(items):  # feedgen lists the entry added last first
        entry = fg.add_entry()
        entry.id(f"{base}/feed/{account.id}/{n.seq}")
        entry.title(n.title)
        entry.updated(datetime.fromisoformat(n.at))
        entry.link(href=f"{base}/review/{n.submission}", rel="alternate", type="text/html")
        entry.category(term=n.kind)
        entry.content(n.body or n.title, type="text")
    return bytes(fg.atom_str(pretty=True))


@router.get("/feed", summary="Your notices as an Atom feed (session or bearer token)")
async def feed(request: Request, state: StateDep) -> Response:
    """An account's latest notices, newest first."""
    token = bearer_token(request)
    if token:  # a token sent is the one asked about, whatever session the client holds
        account = await account_for(state, token)
    else:
        session = await session_of(request, state)
        account = session[0] if session else None
    if account is None:
        return JSONResponse(
            {"error": "sign in, or send your token as Authorization: Bearer", "status": 401},
            401,
            headers={"WWW-Authenticate": 'Bearer realm="mercury-kg"'},
        )
    ledger = ledger_of(state)
    items = await run_in_threadpool(ledger.read, notices.feed, account.id)
    base = (state.settings.public_url or str(request.base_url)).rstrip("/")
    return Response(atom(account, items, base), media_type=f"{ATOM}; charset=utf-8")
