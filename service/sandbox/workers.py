"""Pools of killable, network-less worker processes, shared fairly between clients.

The parent never runs untrusted work itself. It hands a job to an idle worker and waits on the
pipe; at the deadline it kills the worker (SIGKILL) and starts a fresh one in the background. A
worker found dead when it is taken is replaced before use, so a crash before a job is nobody's;
a crash during a job is that job's answer (security.md cases 6, 7, 8).

Fair share (the Wikidata Query Service model of bounded, per-client capacity): a client may hold
at most ``per_client`` workers of a pool at once; its further jobs wait for one of its own places,
and a job that cannot start within ``queue_timeout`` is turned away with ``Busy`` (HTTP 429 with
``Retry-After``, the seconds until a worker is due to come free) instead of waiting out another
client's deadline.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing as mp
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from service.sandbox.intake import FormJob, IntakeJob
from service.sandbox.process import Busy, QueryTimeout, SandboxRefused, Worker, readable
from service.sandbox.worker_main import (
    TOO_BIG,
    Answer,
    Job,
    ReloadJob,
    RenderJob,
    Setup,
    ValidateJob,
    serve,
)

__all__ = ["Busy", "Pools", "QueryTimeout", "SandboxRefused", "WorkerPool"]
log = logging.getLogger("mercury_kg.service")
AnyJob = Job | ValidateJob | RenderJob | IntakeJob | FormJob
SPAWN_WAIT = 3.0
"""Seconds a closing pool waits for workers still being started."""
_NARROW = {"query": "narrow it (LIMIT, more specific patterns) rather than retry it as is"}
_WHAT = {"intake": "reading of what was sent"}


@dataclass
class _Slot:
    """A client's share of a pool: ``per_client`` places, and how many requests use them."""

    free: asyncio.Semaphore
    users: int = 0


@dataclass
class _Stats:
    killed: int = 0
    """Workers killed at a deadline."""
    replaced: int = 0
    """Workers found dead when taken, and replaced before use."""
    refused: int = 0
    """Jobs turned away with Busy."""


class WorkerPool:
    """``size`` worker processes started from one ``Setup``."""

    target = staticmethod(serve)
    """What a worker process runs (service.sandbox.worker_main.serve)."""

    def __init__(
        self,
        name: str,
        setup: Setup,
        size: int,
        per_client: int,
        queue_timeout: float,
    ) -> None:
        self.name = name
        self.size = size
        self.per_client = max(1, per_client)
        self.queue_timeout = queue_timeout
        self.stats = _Stats()
        self._setup = setup
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[Worker] | None = None
        self._busy: set[Worker] = set()
        self._slots: dict[str, _Slot] = {}
        self._admitted: dict[str, int] = {}
        self._spawning: set[asyncio.Future[None]] = set()
        self._closing = False
        self.sandbox = ""
        """What confines the workers: "network namespace", or "" when nothing does."""
        self.generation = 0
        """Bumped by ``reload``: workers of an older generation are retired, not reused."""

    @property
    def killed(self) -> int:
        """Workers killed at a deadline (for tests and metrics)."""
        return self.stats.killed

    async def start(self) -> None:
        """Start every worker and wait until each has loaded its data.

        Raises:
            SandboxRefused: a worker could not be cut off the network (and must be).
        """
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(loop.run_in_executor(None, self._spawn) for _ in range(self.size))
        )
        self.sandbox = workers[0].sandbox
        for w in workers:
            self._idle.put_nowait(w)

    async def reload(self, setup: Setup) -> None:
        """Serve from ``setup`` from now on (a new revision of the graph).

        Each idle worker takes the new data in place (no new process; it loads the N-Quads when
        its next query comes, so an accept costs the workers nothing); a busy worker finishes its
        job on the data it had and is replaced when it returns. A job taken after ``reload``
        returns runs on the new data.
        """
        assert self._idle is not None, "start() the pool first"  # noqa: S101
        loop = asyncio.get_running_loop()
        generation = self.generation + 1
        self._setup, self.generation = setup, generation
        idle = []
        while not self._idle.empty():
            idle.append(self._idle.get_nowait())

        def load(worker: Worker) -> bool:
            try:
                worker.conn.send(ReloadJob(setup))
                if worker.conn.poll(60):
                    answer = worker.conn.recv()
                    return bool(getattr(answer, "ok", False))
            except (EOFError, OSError):
                pass
            return False

        done = await asyncio.gather(*(loop.run_in_executor(None, load, w) for w in idle))
        for worker, ok in zip(idle, done, strict=True):
            if ok:
                worker.generation = generation
                self._idle.put_nowait(worker)
            else:
                self._discard(worker)
                self._replace_later()

    def _spawn(self, setup: Setup | None = None, generation: int | None = None) -> Worker:
        setup = self._setup if setup is None else setup
        generation = self.generation if generation is None else generation
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=self.target, args=(child, setup), daemon=True)
        process.start()
        child.close()
        if not parent.poll(60):
            process.kill()
            raise RuntimeError(f"a {self.name} worker did not start within 60 s")
        status, detail = parent.recv()
        if status != "ready":
            process.join(5)
            raise SandboxRefused(
                f"{self.name} workers cannot run without network access: {detail}. Run as root "
                "(or with user namespaces), or set MERCURY_KG_SANDBOX=weak to rely on the query "
                "screen alone (reported by /health)"
            )
        return Worker(process, parent, detail, generation=generation)

    def pids(self) -> list[int]:
        """Process ids of the workers, idle and busy."""
        idle = list(self._idle._queue) if self._idle is not None else []  # type: ignore[attr-defined]
        return [w.process.pid for w in (*idle, *self._busy) if w.process.pid is not None]

    @contextmanager
    def admitted(self, client: str, limit: int) -> Iterator[None]:
        """Hold one of ``limit`` places for a job being prepared (a body being read).

        Raises:
            Busy: ``limit`` jobs are being prepared already, or this client's share is.
        """
        mine = self._admitted.get(client, 0)
        if mine >= self.per_client or sum(self._admitted.values()) >= limit:
            self.stats.refused += 1
            raise Busy(
                f"{self.name} jobs are queued to capacity; try again shortly",
                self._retry_after(None),
            )
        self._admitted[client] = mine + 1
        try:
            yield
        finally:
            self._admitted[client] -= 1
            if not self._admitted[client]:
                del self._admitted[client]

    async def run(self, job: AnyJob, deadline: float, client: str = "") -> Answer:
        """Run a job for ``client`` within ``deadline`` seconds.

        Raises:
            Busy: the client holds its share, or no worker came free within ``queue_timeout``.
            QueryTimeout: the deadline passed; the worker was killed and is being replaced.
        """
        ends = time.monotonic() + self.queue_timeout
        slot = self._slots.setdefault(client, _Slot(asyncio.Semaphore(self.per_client)))
        slot.users += 1
        try:
            try:
                await asyncio.wait_for(slot.free.acquire(), self.queue_timeout)
            except TimeoutError:
                self.stats.refused += 1
                raise Busy(
                    f"this client already has {self.per_client} {self.name} job(s) running, the "
                    "most one client may run at once; wait for one to finish",
                    self._retry_after(client),
                ) from None
            try:
                worker = await self._take(max(0.0, ends - time.monotonic()))
                return await self._run_on(worker, job, deadline, client)
            finally:
                slot.free.release()
        finally:
            slot.users -= 1
            if not slot.users:
                del self._slots[client]

    async def _take(self, wait: float) -> Worker:
        assert self._idle is not None, "start() the pool first"  # noqa: S101
        try:
            worker = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            self.stats.refused += 1
            raise Busy(
                f"all {self.size} {self.name} workers are busy; try again shortly",
                self._retry_after(None),
            ) from None
        if worker.generation != self.generation:  # started before a reload: retire it
            self._discard(worker)
            self._replace_later()
            return await self._take(wait)
        if not worker.alive():
            self.stats.replaced += 1
            self._discard(worker)
            worker = await asyncio.get_running_loop().run_in_executor(None, self._spawn)
        return worker

    async def _run_on(self, worker: Worker, job: AnyJob, deadline: float, client: str) -> Answer:
        assert self._idle is not None  # noqa: S101
        worker.due, worker.client = time.monotonic() + deadline, client
        self._busy.add(worker)
        try:
            worker.conn.send(job)
            ready = await readable(worker.conn, deadline)
            if ready:
                answer: Answer = worker.conn.recv()
                self._busy.discard(worker)
                worker.due, worker.client = 0.0, ""
                if worker.generation == self.generation:
                    self._idle.put_nowait(worker)
                else:  # it ran on an older revision: a fresh one takes its place
                    self._discard(worker)
                    self._replace_later()
                return answer
        except (EOFError, OSError):
            pass  # the worker died during the job: replace it below and say so
        self._busy.discard(worker)
        timed_out = time.monotonic() >= worker.due
        self._discard(worker)
        self._replace_later()
        if timed_out:
            self.stats.killed += 1
            raise QueryTimeout(
                f"the {_WHAT.get(self.name, self.name)} was stopped after {deadline:g} s, the "
                "most one may take; "
                + _NARROW.get(self.name, "send less at a time rather than retry it as is")
            )
        return Answer(
            False,
            error=f"the {_WHAT.get(self.name, self.name)} stopped its worker (out of memory, or "
            "too large or too deep for the parser); it was not retried",
            status=TOO_BIG,
        )

    def _discard(self, worker: Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def _replace_later(self) -> None:
        """Start a replacement worker in the background; it joins the idle queue when ready."""
        loop = asyncio.get_running_loop()

        async def replace() -> None:
            assert self._idle is not None  # noqa: S101
            for attempt in range(1, 4):
                if self._closing:
                    return
                try:
                    worker = await loop.run_in_executor(None, self._spawn)
                except (RuntimeError, OSError) as exc:  # a start that failed: say so, try again
                    log.error(
                        "replacing a %s worker failed (try %d of 3): %s", self.name, attempt, exc
                    )
                    await asyncio.sleep(attempt)
                    continue
                if self._closing:  # the pool closed while it started
                    self._discard(worker)
                else:
                    self._idle.put_nowait(worker)
                return

        task = asyncio.ensure_future(replace())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    def _retry_after(self, client: str | None) -> int:
        """Whole seconds until a worker (this client's, if given) is due to come free; >= 1."""
        now = time.monotonic()
        dues = [w.due - now for w in self._busy if client is None or w.client == client]
        return max(1, math.ceil(min(dues))) if dues else 1

    async def close(self) -> None:
        """Stop every worker, after waiting for those being started.

        A start cancelled midway would leave its process half-spawned when the server exits.
        """
        self._closing = True
        if self._spawning:
            await asyncio.wait(list(self._spawning), timeout=SPAWN_WAIT)
        for task in list(self._spawning):
            task.cancel()
        for w in list(self._busy):
            self._discard(w)
        if self._idle is None:
            return
        while not self._idle.empty():
            self._discard(self._idle.get_nowait())


@dataclass
class Pools:
    """The pools: ad-hoc queries, validations, posted networks, the write path's intake."""

    queries: WorkerPool
    validation: WorkerPool
    networks: WorkerPool
    intake: WorkerPool
    all: tuple[WorkerPool, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.all = (self.queries, self.validation, self.networks, self.intake)

    async def start(self) -> None:
        """Start every pool."""
        for pool in self.all:
            await pool.start()

    async def close(self) -> None:
        """Stop every pool."""
        for pool in self.all:
            await pool.close()
