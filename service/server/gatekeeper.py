"""The write path's gate in a process of its own, so that reads never wait for it.

The SHACL gate of a submission (graph.contrib.gate, pyshacl over rdflib) is pure Python and
costs hundreds of milliseconds; run on a thread of the server, it holds the interpreter lock
that every read needs. Here it runs in one long-lived child process at a lower scheduling
priority (``nice``), started with the service when the data directory has accounts (else on the
first submission). It keeps its own :class:`graph.contrib.ledger.Ledger` over the same data
directory (SQLite readers see the server's commits) and catches up with each new revision by
adding the accepted graphs only.
The server still compiles and records submissions (untrusted input is parsed where it always
was); the child receives our own N-Quads and answers with the gate's report.

Until the child is ready (a few seconds after it was started, or after it died), the
ledger gates in the server as before: slower reads under writes meanwhile, the same answers.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from graph.compile.build import Build
from graph.contrib.datadir import DataDir
from graph.contrib.gate import Report
from graph.contrib.ledger import Ledger

log = logging.getLogger("mercury_kg.service")
NICENESS = 10
"""How much lower the child's scheduling priority is than the server's."""


class GateProcess:
    """A callable gatekeeper (``Ledger.gatekeeper``) backed by a child process."""

    def __init__(self, data_dir: Path, baseline: Build) -> None:
        self.data_dir = data_dir
        self.baseline = baseline
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._is_ready = False
        self._baseline_nquads: bytes | None = None
        self.answered = 0
        """Gates the child has answered."""

    def __call__(self, nquads: bytes, others: list[tuple[str, bytes]]) -> tuple[int, Report]:
        """Gate in the child: (revision gated on, report).

        Raises:
            OSError: the child is still starting (it is started on the first call, and again
                after it died), or it failed: the ledger then gates itself.
        """
        with self._lock:
            conn = self._ready()
            if conn is None:
                raise OSError("the gate process is starting")
            try:
                conn.send((nquads, others))
                kind, *rest = conn.recv()
            except (OSError, EOFError) as exc:
                log.warning("the gate process stopped (%s); the next gate starts another", exc)
                self._stop()
                raise OSError("the gate process stopped") from exc
            if kind != "ok":
                raise OSError(f"the gate process failed: {rest[0]}")
            self.answered += 1
            return rest[0], rest[1]

    def start(self) -> None:
        """Start the child now, so that the first submission finds it ready."""
        with self._lock:
            self._ready()

    def wait_ready(self, timeout: float) -> bool:
        """Start the child if needed and wait until it can gate (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._ready() is not None:
                    return True
            time.sleep(0.05)
        return False

    def _ready(self) -> Connection | None:
        """The child's pipe once it has loaded its view, else None (starting one if none runs)."""
        if self._conn is None or self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        assert self._conn is not None  # noqa: S101 - just started
        if not self._is_ready:
            try:
                if not self._conn.poll(0):
                    return None
                self._is_ready = self._conn.recv() == ("ready",)
            except (OSError, EOFError):
                self._stop()
                return None
        return self._conn if self._is_ready else None

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        if self._baseline_nquads is None:
            self._baseline_nquads = self.baseline.dataset.serialize(format="nquads").encode()
        self._process = ctx.Process(
            target=serve,
            args=(child, str(self.data_dir), (self._baseline_nquads, self.baseline.subjects)),
            name="mercury-kg-gate",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._conn, self._is_ready = parent, False

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._conn, self._process, self._is_ready = None, None, False

    def close(self) -> None:
        """Stop the child."""
        with self._lock:
            self._stop()


def serve(conn: Connection, data_dir: str, baseline: tuple[bytes, dict[object, object]]) -> None:
    """The child: load the curated build once, then gate what the pipe brings until it closes."""
    from graph.compile.build import new_dataset
    from graph.contrib.nquads import load

    os.nice(NICENESS)
    dataset = new_dataset()
    load(dataset, baseline[0])
    ledger = Ledger(DataDir(Path(data_dir)), Build(dataset, baseline[1]))  # type: ignore[arg-type]
    ledger.published().index()  # the view of the current revision, before the first gate
    conn.send(("ready",))
    try:
        while True:
            try:
                nquads, others = conn.recv()
            except EOFError:
                return
            try:
                rev, report = ledger.gate(nquads, others)
            except Exception as exc:  # the parent falls back to its own gate
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
            else:
                conn.send(("ok", rev, report))
    finally:
        ledger.close()
