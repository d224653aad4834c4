"""A pool of killable worker processes for ad-hoc SPARQL: every query ends at its deadline.

The parent never evaluates an ad-hoc query itself. It hands the job to an idle worker and waits
on the pipe; at the deadline it kills the worker (SIGKILL), starts a fresh one, and answers 503.
A worker that dies (an engine crash, the memory cap) is replaced the same way, so one bad query
cannot take the service down (security.md cases 6, 7, 8).
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from service.worker_main import Answer, Job, ValidateJob, serve


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped."""


class ServiceBusy(Exception):
    """No worker became free in time."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class WorkerPool:
    """``size`` worker processes over the same dataset."""

    def __init__(self, nquads: bytes, size: int, memory_mb: int, prefixes: dict[str, str]) -> None:
        self._args = (nquads, memory_mb, prefixes)
        self._ctx = mp.get_context("spawn")
        self._size = size
        self._idle: asyncio.Queue[_Worker] | None = None
        self.killed = 0
        """How many workers were killed at a deadline (for tests and metrics)."""

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the data."""
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(loop.run_in_executor(None, self._spawn) for _ in range(self._size))
        )
        for w in workers:
            self._idle.put_nowait(w)

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=serve, args=(child, *self._args), daemon=True)
        process.start()
        child.close()
        if not parent.poll(60) or parent.recv() != "ready":
            process.kill()
            raise RuntimeError("a query worker did not start")
        return _Worker(process, parent)

    async def run(self, job: Job | ValidateJob, deadline: float, queue_timeout: float) -> Answer:
        """Run a job within ``deadline`` seconds.

        Raises:
            QueryTimeout: the deadline passed; the worker was killed and replaced.
            ServiceBusy: no worker was free within ``queue_timeout``.
        """
        assert self._idle is not None, "start() the pool first"  # noqa: S101
        try:
            worker = await asyncio.wait_for(self._idle.get(), queue_timeout)
        except TimeoutError as exc:
            raise ServiceBusy("all query workers are busy; try again shortly") from exc
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        try:
            worker.conn.send(job)
            ready = await loop.run_in_executor(None, worker.conn.poll, deadline)
            if ready:
                answer: Answer = worker.conn.recv()
                self._idle.put_nowait(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            pass  # the worker died: replace it below and report the failure
        timed_out = time.monotonic() - started >= deadline
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        if timed_out:
            self.killed += 1
        replacement = await loop.run_in_executor(None, self._spawn)
        self._idle.put_nowait(replacement)
        if timed_out:
            raise QueryTimeout(f"the query was stopped after {deadline:g} s")
        return Answer(
            False, error="the query crashed the engine (for example by its size); it was stopped"
        )

    async def close(self) -> None:
        """Stop every idle worker (busy ones end with the process)."""
        if self._idle is None:
            return
        while not self._idle.empty():
            w = self._idle.get_nowait()
            w.process.kill()
            w.process.join(5)
