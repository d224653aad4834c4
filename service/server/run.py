"""Run the app under uvicorn with timeouts for slow clients (``mercury-kg serve``).

uvicorn closes idle keep-alive connections but never times out a request's headers, so a client
that opens connections and sends headers a byte at a time (slowloris, security.md case 9) would
hold them forever. ``HeaderTimeout`` is uvicorn's httptools protocol (the C HTTP parser of
Node.js, llhttp) with a deadline on the headers of every request: a connection that has not sent
complete headers within ``header_timeout`` seconds of connecting (or of starting its next request)
gets 408 and is closed. Bodies are timed by service.limits.bodies. The event loop is uvloop (libuv).
Run as ``python -m service.server.run [--host H] [--port P]``.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from collections.abc import Sequence

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from graph.contrib.datadir import DataDir, DataDirError
from graph.report import say
from service.server.settings import Settings

GRACE = 4
"""Seconds requests under way get to finish after SIGTERM before they are cancelled."""
SWITCH_INTERVAL = 0.0001
"""Seconds a thread may hold the interpreter before another may run (Python's default: 0.005)."""
_TIMEOUT_BODY = b'{"error": "the request headers did not arrive in time", "status": 408}'
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


class HeaderTimeout(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose request headers are late."""

    header_timeout = 10.0
    _header_timer: asyncio.TimerHandle | None = None
    _waiting = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        """A request starts: its headers are now awaited."""
        super().on_message_begin()
        self._waiting = True
        self._arm()

    def on_headers_complete(self) -> None:
        """The headers are in: stop the clock."""
        self._waiting = False
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        """The answer is out: the next request's headers are awaited (within keep-alive)."""
        self._waiting = True
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if self._waiting and not busy and not self.transport.is_closing():
            self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()


def protocol(header_timeout: float) -> type[HeaderTimeout]:
    """The protocol class with this header timeout."""
    return type("HeaderTimeoutProtocol", (HeaderTimeout,), {"header_timeout": header_timeout})


def port_free(host: str, port: int) -> str:
    """Why ``host:port`` cannot be listened on ('' when it can): taken, or not an address here.

    Checked before the service loads anything, so a busy port is one line and exit 2, never
    "serving" followed by uvicorn's exit.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"{host} is not an address to listen on ({exc})"
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return f"{host}:{port} is in use or not allowed ({exc.strerror}); choose --port"
    return ""


def run(
    host: str,
    port: int,
    settings: Settings | None = None,
    log_level: str = "info",
    announce: str = "",
) -> None:
    """Serve ``service.server.app:app_factory`` on host:port until interrupted.

    A busy port (exit 2), report wording that cannot be used or a damaged data directory (exit
    1) is one line on stderr; ``announce`` is printed only once all of them passed.
    """
    why = port_free(host, port)
    if why:
        sys.stderr.write(f"error: {why}\n")
        raise SystemExit(2)
    settings = settings or Settings()
    for problem in say.check():  # reworded report templates that cannot be used: say so now
        sys.stderr.write(f"error: {problem}\n")
        raise SystemExit(1)
    try:  # a damaged or unwritable data directory: one line and exit 1, not a traceback
        DataDir.resolve(settings.data_dir).connect().close()
    except DataDirError as exc:
        raise SystemExit(f"error: {exc}") from None  # printed to stderr, exit status 1
    # the write path's work (gate, publish) runs in threads; a short switch interval lets the
    # event loop take the interpreter back within a millisecond, so reads do not wait for it
    sys.setswitchinterval(SWITCH_INTERVAL)
    if announce:
        sys.stderr.write(announce + "\n")
    uvicorn.run(
        "service.server.app:app_factory",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        http=protocol(settings.header_timeout),
        loop="uvloop",
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=5,
        # SIGTERM: stop accepting, let requests under way finish for at most this long, then
        # stop the workers; the whole stop stays within 10 s
        timeout_graceful_shutdown=GRACE,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m service.server.run``: the tests' and benchmarks' way to start the real server."""
    parser = argparse.ArgumentParser(prog="python -m service.server.run")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    run(args.host, args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
