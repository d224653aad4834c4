"""Whole responses kept per revision: the read path answers repeated requests from memory.

The data changes only when the revision does, so a successful ``GET`` of a read route (named
queries, ``/sparql``, resource pages, downloads, search, networks, reports, ``/read``) is kept, as
the bytes that were sent, in the current snapshot's ``ResponseCache``: an LRU with a byte budget
(``MERCURY_KG_CACHE_BYTES``). The key is the path, the query string and the headers the answer
depends on (Accept, Accept-Language, Origin). A new revision brings a new snapshot and so an empty
cache: entries are never invalidated by time, and never outlive their revision. Every kept answer
has a strong ETag made of the revision's and the body's digests, so ``If-None-Match`` gets
``304 Not Modified`` (RFC 9110, https://www.rfc-editor.org/rfc/rfc9110#name-if-none-match).
Requests with credentials (Authorization, Cookie) are never answered from it, and no answer that
sets a cookie or says ``no-store`` is kept. The middleware is the outermost layer of the app, so a
kept answer costs no routing, validation or serialisation. ``warm`` fills the cache with the named
queries (their example parameters) at start-up. A publish calls ``rewarm`` before it switches
to the new revision: it asks again, of the new one, the requests readers made of the old one (at
most ``ASKED``, the most recent first, those whose answer took under ``CHEAP`` seconds to make,
for ``REWARM_SECONDS`` at most), so the answers in use are ready when readers move to the new
revision, and the server does not redo the whole catalogue at every accept.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

log = logging.getLogger("mercury_kg.service")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_ROUTES = (
    "/api/queries",
    "/sparql",
    "/id/",
    "/resource",
    "/dataset",
    "/api/search",
    "/search",
    "/api/network",
    "/queries",
    "/prefixes",
    "/report",
    "/read",
)
"""Path prefixes whose answers depend only on the revision and the request."""
KEY_HEADERS = (b"accept", b"accept-language", b"origin")
"""Request headers an answer may vary by (content negotiation, label language, CORS)."""
PRIVATE = (b"authorization", b"cookie")
KEPT_HEADERS = (b"etag", b"cache-control", b"vary", b"content-location")
"""Headers repeated on a 304."""
ASKED = 64
"""How many of the requests readers made of a revision are asked again of the next one."""
CHEAP = 0.1
"""Seconds an answer took to make, under which it is made again before a switch."""
REWARM_SECONDS = 0.5
"""How long a publish spends making answers again before it switches."""
WARMING = "mercury_kg.warming"
"""Scope key marking the cache's own requests (they do not count as asked)."""


@dataclass(frozen=True)
class Kept:
    """A response as it was sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    took: float = 0.0
    """Seconds it took to make."""

    @property
    def size(self) -> int:
        """Bytes it holds (body and headers)."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


class ResponseCache:
    """An LRU of responses within a byte budget (used from the event loop only)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.entry_cap = budget // 8
        self.used = 0
        self._entries: OrderedDict[tuple[bytes, ...], Kept] = OrderedDict()
        self.asked: OrderedDict[tuple[bytes, ...], None] = OrderedDict()
        """The keys readers asked for, the most recent last (at most ``ASKED``)."""

    def note(self, key: tuple[bytes, ...]) -> None:
        """Remember that a reader asked for ``key``."""
        self.asked[key] = None
        self.asked.move_to_end(key)
        if len(self.asked) > ASKED:
            self.asked.popitem(last=False)

    def peek(self, key: tuple[bytes, ...]) -> Kept | None:
        """The kept response, leaving the order as it is; None if absent."""
        return self._entries.get(key)

    def get(self, key: tuple[bytes, ...]) -> Kept | None:
        """The kept response, now the most recently used; None if absent."""
        kept = self._entries.get(key)
        if kept is not None:
            self._entries.move_to_end(key)
        return kept

    def put(self, key: tuple[bytes, ...], kept: Kept) -> None:
        """Keep a response, dropping the least recently used ones past the budget."""
        if kept.size > self.entry_cap:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.used -= old.size
        self._entries[key] = kept
        self.used += kept.size
        while self.used > self.budget:
            _, dropped = self._entries.popitem(last=False)
            self.used -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)


def etag_of(revision: str, body: bytes) -> bytes:
    """A strong validator: the revision's digest and the body's."""
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return f'"{revision.strip(chr(34))[:16]}-{digest}"'.encode()


class CachedResponses:
    """The middleware: answer from the current snapshot's cache, or fill it."""

    def __init__(self, app: ASGIApp, skip: tuple[str, ...] = ()) -> None:
        self.app = app
        self.skip = skip
        """Path prefixes not to keep (named queries, when a remote endpoint answers them)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a GET of a read route from the cache, or pass it on and keep the answer."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(READ_ROUTES)
            or (self.skip and scope["path"].startswith(self.skip))
        ):
            await self.app(scope, receive, send)
            return
        state = getattr(scope["app"].state, "kg", None)
        request = dict(scope["headers"])
        if state is None or any(h in request for h in PRIVATE):
            await self.app(scope, receive, send)
            return
        snap = state.current
        key = (
            scope["path"].encode("utf-8", "surrogateescape"),
            scope["query_string"],
            *(request.get(h, b"") for h in KEY_HEADERS),
        )
        cache: ResponseCache = snap.responses
        if WARMING not in scope:
            cache.note(key)
        kept = cache.get(key)
        if kept is not None:
            await _answer(send, kept, request.get(b"if-none-match"), b"hit")
            return
        await self._fill(scope, receive, send, state, snap, key, request.get(b"if-none-match"))

    async def _fill(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        state: Any,
        snap: Any,
        key: tuple[bytes, ...],
        if_none_match: bytes | None,
    ) -> None:
        """Run the app, holding its answer until it is complete (within the entry cap)."""
        cache: ResponseCache = snap.responses
        began = time.perf_counter()
        start: Message | None = None
        chunks: list[bytes] = []
        held = 0
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, held, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or not _keepable(message["headers"]):
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            held += len(chunks[-1])
            if held > cache.entry_cap:  # too large to keep: send what is held, then stream
                passing = True
                assert start is not None  # noqa: S101 - the ASGI order
                await send(start)
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"".join(chunks),
                        "more_body": message.get("more_body", False),
                    }
                )
                return
            if not message.get("more_body", False):
                assert start is not None  # noqa: S101 - the ASGI order
                body = b"".join(chunks)
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"etag"]
                own = dict(start["headers"]).get(b"etag")
                etag = own or etag_of(snap.etag, body)
                took = time.perf_counter() - began
                kept = Kept(200, [*headers, (b"etag", etag)], body, etag, took)
                if state.current is snap:
                    cache.put(key, kept)
                await _answer(send, kept, if_none_match, b"miss")

        await self.app(scope, receive, capture)


def _keepable(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        name = name.lower()
        if name == b"set-cookie" or (name == b"cache-control" and b"no-store" in value):
            return False
    return True


async def _answer(send: Send, kept: Kept, if_none_match: bytes | None, how: bytes) -> None:
    if if_none_match is not None and kept.etag in (t.strip() for t in if_none_match.split(b",")):
        headers = [(k, v) for k, v in kept.headers if k.lower() in KEPT_HEADERS]
        await send(
            {"type": "http.response.start", "status": 304, "headers": [*headers, (b"x-cache", how)]}
        )
        await send({"type": "http.response.body", "body": b""})
        return
    await send(
        {
            "type": "http.response.start",
            "status": kept.status,
            "headers": [*kept.headers, (b"x-cache", how)],
        }
    )
    await send({"type": "http.response.body", "body": kept.body})


async def warm(app: ASGIApp, catalog: dict[str, Any]) -> None:
    """Ask every named query with its example parameters once, so the cache holds them."""
    for name, query in catalog.items():
        qs = urlencode(query.example_values()).encode()
        await _ask(app, _scope(f"/api/queries/{name}", qs))


async def rewarm(app: ASGIApp, previous: ResponseCache) -> int:
    """Ask again, of the current revision, what readers asked of the previous one: how many.

    Only answers that were cheap to make (``CHEAP``), for ``REWARM_SECONDS`` at most; the others
    are made when a reader asks.
    """
    began, asked = time.monotonic(), 0
    for key in reversed(list(previous.asked)):
        kept = previous.peek(key)
        if kept is None or kept.took > CHEAP:
            continue
        if time.monotonic() - began > REWARM_SECONDS:
            break
        path, query_string, *values = key
        headers = [(h, v) for h, v in zip(KEY_HEADERS, values, strict=True) if v]
        await _ask(app, _scope(path.decode("utf-8", "surrogateescape"), query_string, headers))
        asked += 1
    return asked


async def _ask(app: ASGIApp, scope: Scope) -> None:
    """One of the cache's own requests; a failure is logged, never raised (it warms only)."""
    try:
        await app(scope, _no_body, _discard)
    except Exception:
        log.exception("warming %s failed", scope["path"])


def _scope(path: str, query_string: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
        "state": {},
        WARMING: True,
    }


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _discard(message: Message) -> None:
    return None
