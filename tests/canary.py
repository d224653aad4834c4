"""A canary HTTP server on loopback.

It counts every request, so a test can prove the service fetched nothing (security.md cases 1-3).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Canary:
    """Where the canary listens and how often it was hit."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.url = ""


@contextmanager
def canary() -> Iterator[Canary]:
    """Run a canary server for the duration of the block."""
    state = Canary()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits.append(self.path)
            body = b'<http://canary/s> <http://canary/p> "TOPSECRET" .\n'
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
