"""``HEAD`` on every ``GET`` route: the same status and headers, no body.

RFC 9110 §9.3.2 (https://www.rfc-editor.org/rfc/rfc9110#name-head): "The server SHOULD send the
same header fields in response to a HEAD request as it would have sent if the request method had
been GET." FastAPI routes declared with ``get`` answer only ``GET``; this ASGI middleware, the
outermost layer, hands a ``HEAD`` to the app as a ``GET`` and drops the body it answers with,
keeping ``Content-Length``, ``ETag`` and the rest, so a kept answer (service.limits.cache) serves
both.
"""

from __future__ import annotations

from service.limits.cache import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer ``HEAD`` as ``GET`` would, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass everything through; a HEAD runs as a GET whose body is not sent."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest follows; only the last (empty) part is sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
