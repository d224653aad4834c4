"""Every request body capped and timed before any route reads it; long URLs refused.

One ASGI middleware (https://asgi.readthedocs.io/en/latest/specs/www.html) in front of the whole
app: a body larger than its route's cap is refused with 413 as soon as the declared length or the
bytes received pass the cap, so no route ever holds more; a body that does not arrive within the
body timeout gets 408 (slow clients, security.md case 9); a URL past the cap gets 414. The body
is then handed to the app from memory. Caps and timeouts come from the settings.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.server.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
LARGE_BODY_ROUTES = ("/api/network/graph",)
"""Routes whose bodies may be as large as ``max_network_body_bytes``."""


class RequestLimits:
    """The middleware; ``cap(path)`` tells a route's body cap."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def cap(self, path: str) -> int:
        """The largest body accepted on ``path``."""
        if path in LARGE_BODY_ROUTES:
            return self.settings.max_network_body_bytes
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the URL, read the body within its cap and time, then call the app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string", b"")
        )
        if url_bytes > self.settings.max_url_bytes:
            await _refuse(
                send,
                414,
                f"the URL is longer than {self.settings.max_url_bytes} bytes;"
                " send the query by POST",
            )
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if not declared and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body
            return
        cap = self.cap(scope["path"])
        if declared and (not declared.isdigit() or int(declared) > cap):
            await _refuse(
                send,
                413,
                _too_large(cap, scope["path"])
                if declared.isdigit()
                else "the Content-Length header is not a number",
            )
            return
        body = await self._read(receive, send, cap, scope["path"])
        if body is None:
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, send: Send, cap: int, path: str) -> bytes | None:
        """The whole body, or None once a refusal was sent (or the client went away)."""
        chunks: list[bytes] = []
        size = 0
        ends = time.monotonic() + self.settings.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, ends - time.monotonic()))
            except TimeoutError:
                await _refuse(
                    send,
                    408,
                    f"the request body did not arrive within {self.settings.body_timeout:g} s",
                )
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await _refuse(send, 413, _too_large(cap, path))
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _too_large(cap: int, path: str) -> str:
    return f"the request body is larger than {cap:,} bytes, the most {path} accepts"


async def _refuse(send: Send, status: int, message: str) -> None:
    """A JSON error answer (the same shape as service.server.errors), closing the connection."""
    body = json.dumps({"error": message, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
