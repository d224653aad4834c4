"""Run the app under uvicorn with timeouts for slow clients (``mercury-kg serve``).

uvicorn closes idle keep-alive connections but never times out a request's headers, so a client
that opens connections and sends headers a byte at a time (slowloris, security.md case 9) would
hold them forever. ``HeaderTimeout`` is uvicorn's h11 protocol with a deadline on the headers of
every request: a connection that has not sent complete headers within ``header_timeout`` seconds
of connecting (or of starting its next request) gets 408 and is closed. Bodies are timed by
service.limits. Run as ``python -m service.server [--host H] [--port P]``.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import Settings

_TIMEOUT_BODY = b'{"error": "the request headers did not arrive in time", "status": 408}'
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)


class HeaderTimeout(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers are late."""

    header_timeout = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Keep the clock running while headers are incomplete; stop it once they are in."""
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm()
        else:
            self._disarm()

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
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.cycle is None or self.cycle.response_complete:
                self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()


def protocol(header_timeout: float) -> type[HeaderTimeout]:
    """The protocol class with this header timeout."""
    return type("HeaderTimeoutProtocol", (HeaderTimeout,), {"header_timeout": header_timeout})


def run(host: str, port: int, settings: Settings | None = None, log_level: str = "info") -> None:
    """Serve ``service.app:app_factory`` on host:port until interrupted."""
    settings = settings or Settings()
    uvicorn.run(
        "service.app:app_factory",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        http=protocol(settings.header_timeout),
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=5,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m service.server``: the tests' and benchmarks' way to start the real server."""
    parser = argparse.ArgumentParser(prog="python -m service.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    run(args.host, args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
