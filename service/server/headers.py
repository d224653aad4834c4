"""Security headers and ``Vary`` on every answer, as one plain ASGI middleware.

Every response gets ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
``X-Frame-Options: DENY``; an HTML page gets a Content Security Policy (OWASP Secure Headers);
every answer but static files says ``Vary: Accept, Accept-Language``, the headers that choose its
format and its labels' language (RFC 9110 §12.5.5), merged with any ``Vary`` it already has.
A plain ASGI middleware rewrites the start of the response only: no task or stream per request
(Starlette's ``BaseHTTPMiddleware`` costs both, on every cold read).
"""

from __future__ import annotations

from service.limits.cache import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
"""Swagger UI starts from an inline script; everything else is still this site's own."""
NEGOTIATED_BY = ("Accept", "Accept-Language")
"""Request headers that choose an answer's format and its labels' language."""
STATIC = ("/static/", "/vendor/")
"""Files that are the same whatever the request asks."""
ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def with_security_headers(
    headers: list[tuple[bytes, bytes]], path: str
) -> list[tuple[bytes, bytes]]:
    """The response headers with the security headers and ``Vary`` added (none replaced)."""
    names = {k.lower() for k, _ in headers}
    out = list(headers)
    out += [(k, v) for k, v in ALWAYS if k not in names]
    if not path.startswith(STATIC):
        vary = [
            item.strip()
            for k, v in headers
            if k.lower() == b"vary"
            for item in v.decode("latin-1").split(",")
            if item.strip()
        ]
        missing = [h for h in NEGOTIATED_BY if h.lower() not in {x.lower() for x in vary}]
        if missing:
            out = [(k, v) for k, v in out if k.lower() != b"vary"]
            out.append((b"vary", ", ".join([*vary, *missing]).encode("latin-1")))
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
        policy = DOCS_CSP if path.startswith("/docs") else CSP
        out.append((b"content-security-policy", policy.encode("ascii")))
    return out


class SecurityHeaders:
    """Adds the security headers and ``Vary`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through; rewrite the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": with_security_headers(list(message.get("headers", [])), path),
                }
            await send(message)

        await self.app(scope, receive, send_with_headers)
