"""One worker process of a pool, as the parent holds it, and the wait for its answer.

A worker is a process with a pipe (``multiprocessing``), the sandbox it runs in, the deadline of
the job it runs and the client it runs it for; the parent waits for its answer on the event loop
itself (``add_reader``), never in a thread. The errors a pool's caller sees are here too.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess


class QueryTimeout(Exception):
    """The job ran past its deadline and was stopped."""


class Busy(Exception):
    """No worker can be had soon: the pool is full, or this client holds its share."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SandboxRefused(RuntimeError):
    """A worker could not leave the network and the settings do not allow running without."""


@dataclass(eq=False)
class Worker:
    """A worker process of a pool."""

    process: BaseProcess
    conn: Connection
    sandbox: str
    due: float = 0.0
    """When the job it runs must end (monotonic seconds); 0 while idle."""
    client: str = ""
    generation: int = 0
    """The pool's setup it was started from (``WorkerPool.reload`` moves to the next)."""

    def alive(self) -> bool:
        """Still running and its pipe not closed (an idle worker never has data to read)."""
        if not self.process.is_alive():
            return False
        try:
            return not self.conn.poll(0)
        except (OSError, EOFError):
            return False


async def readable(conn: Connection, timeout: float) -> bool:
    """Whether the pipe from a worker has something to read within ``timeout`` seconds.

    That is an answer, or the pipe's end when the worker died. The event loop itself waits
    (``add_reader``): no thread is handed the wait, so an answer is read as soon as it is written.
    """
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[bool] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(True)

    loop.add_reader(fd, wake)
    try:
        return await asyncio.wait_for(ready, timeout)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # the loop made the pipe non-blocking; ``recv`` must wait for a long answer's rest
        os.set_blocking(fd, True)
