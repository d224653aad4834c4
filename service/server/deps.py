"""What request handlers need: the state, the client, its account, the base URL, the language."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from graph.contrib.accounts import TOKEN, Account
from service.api.negotiation import parse_languages
from service.limits.ratelimit import TokenBuckets
from service.server.settings import Settings
from service.server.state import ServiceState


async def get_state(request: Request) -> ServiceState:
    """The state the lifespan put on the app.

    ``async`` although it awaits nothing: FastAPI runs a plain ``def`` dependency in its thread
    pool, a thread hop on every request for one attribute read.
    """
    state: ServiceState = request.app.state.kg
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


def client_of(request: Request, settings: Settings) -> str:
    """Who is asking: the connection's address, or the configured header's last entry.

    Behind a proxy the last entry is the address the proxy itself saw; earlier entries are the
    client's to forge.
    """
    if settings.client_header:
        forwarded = request.headers.get(settings.client_header, "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.client.host if request.client else "unknown"


def take_token(limiter: TokenBuckets | None, client: str, what: str) -> None:
    """Spend one of the client's tokens, or answer 429 with ``Retry-After``.

    Raises:
        HTTPException: 429, the client is over its rate for ``what``.
    """
    wait = limiter.take(client) if limiter else 0.0
    if wait:
        raise HTTPException(
            429,
            f"too many {what} from this client; slow down",
            headers={"Retry-After": str(max(1, round(wait)))},
        )


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer`` header (RFC 6750), else ''."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def account_for(state: ServiceState, token: str) -> Account | None:
    """The active account of a token; wrong tokens are counted per account id.

    A token naming an account id that has had too many wrong ones (from any client) is not
    checked at all until its bucket refills: 429 with ``Retry-After``.

    Raises:
        HTTPException: 429, too many wrong tokens for this account id.
    """
    from starlette.concurrency import run_in_threadpool

    ledger = state.ledger
    if ledger is None:
        return None
    match = TOKEN.fullmatch(token)
    key = match.group(1) if match else "(malformed)"
    wait = state.guesses.wait(key) if state.guesses else 0.0
    if wait:
        raise HTTPException(
            429,
            "too many wrong tokens for this account; wait before trying again",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    account = await run_in_threadpool(ledger.authenticate, token)
    if account is None and state.guesses is not None:
        state.guesses.failed(key)
    return account


def base_url(request: Request, settings: Settings) -> str:
    """The service's public base URL, without a trailing slash.

    ``MERCURY_KG_PUBLIC_URL`` if set, else the address the server listens on: never the Host
    header, which any client (or a cache in front) can set.
    """
    if settings.public_url:
        return settings.public_url.rstrip("/")
    server = request.scope.get("server")
    scheme = request.scope.get("scheme", "http")
    if not server:
        return "http://127.0.0.1"
    host, port = server
    host = f"[{host}]" if ":" in str(host) else host
    default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    return f"{scheme}://{host}" + ("" if default or port is None else f":{port}")


LANGUAGES = ("en", "ar", "zh", "fr", "ru", "es")
"""The UN languages labels can be shown in (graph.compile.names); English is the fallback."""


def lang_of(request: Request) -> str:
    """The label language a request asks for: ``?lang=``, else ``Accept-Language``, else English.

    Only the six UN languages are offered (RFC 9110 §12.5.4 ranges, ``zh-CN`` counts as ``zh``);
    an unknown ``?lang=`` is 400 rather than silently English.

    Raises:
        HTTPException: 400, ``?lang=`` names a language not offered.
    """
    asked = request.query_params.get("lang")
    if asked is not None:
        code = asked.strip().lower().split("-")[0]
        if code not in LANGUAGES:
            raise HTTPException(400, f"lang must be one of {', '.join(LANGUAGES)}, not {asked!r}")
        return code
    for tag in parse_languages(request.headers.get("accept-language")):  # best first, q > 0
        if tag.split("-")[0] in LANGUAGES:
            return tag.split("-")[0]
    return "en"


async def _asked_lang(request: Request) -> str:
    """``lang_of`` as a dependency, on the event loop (no thread hop, as ``get_state``)."""
    return lang_of(request)


LangDep = Annotated[str, Depends(_asked_lang)]
