"""Run the real service (``python -m service.server.run``, uvicorn) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll ``/health`` until the server answers; fail if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the service did not start") from None
            time.sleep(0.1)


@contextmanager
def serving(env: dict[str, str], timeout: float = 60.0) -> Iterator[str]:
    """Start the server with extra environment; yield its URL."""
    with server(env, timeout) as (base, _):
        yield base


@contextmanager
def server(
    env: dict[str, str],
    timeout: float = 60.0,
    log_level: str = "warning",
    output: Path | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start the server with extra environment; yield its URL and its process.

    ``output``: a file that gets the server's stdout and stderr (its logs).
    """
    port = free_port()
    sink = output.open("wb") if output is not None else None
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service.server.run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            log_level,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=sink,
        stderr=sink,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, timeout)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(10)
        if sink is not None:
            sink.close()
