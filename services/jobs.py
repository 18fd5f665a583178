"""HR's heavy work off the event loop: one worker thread for parsing and building workbooks,
and the tasks that drive it, so that the bot keeps answering everyone meanwhile.

A job is recorded (``storage.jobs``) before it starts; its answer is enqueued in the outbox
in the transaction that finishes it, and a restart resumes every job still received.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import gc
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from storage import jobs
from storage.jobs import Job, JobKind, JobStatus

if TYPE_CHECKING:
    from .context import Context

__all__ = ["Job", "JobKind", "JobStatus", "Jobs", "get", "output", "sent", "set_message",
           "unfinished"]

log = logging.getLogger("bagalau.jobs")
T = TypeVar("T")


class Jobs:
    """The worker thread and the running job tasks (kept so that none is garbage-collected
    mid-way, and so that tests and the benchmark can wait for them)."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = 0

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the background (the caller's context, its language among it, goes
        with it)."""
        task = asyncio.create_task(self._paused_gc(work), name="bagalau-job")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    async def _paused_gc(self, work: Coroutine[Any, Any, None]) -> None:
        """Python's cyclic garbage collector stops every thread while it walks all objects:
        with a 100,000-row roster in memory each full pass froze other users for 300–400 ms.
        The rows are freed by reference counting anyway, so the collector pauses while a job
        runs and resumes after the last one."""
        self._running += 1
        if self._running == 1:
            gc.disable()
        try:
            await work
        finally:
            self._running -= 1
            if self._running == 0:
                gc.enable()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a background job failed", exc_info=task.exception())

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the worker thread, with the caller's context variables."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="bagalau-job")
        call = functools.partial(contextvars.copy_context().run, fn, *args)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def wait_idle(self) -> None:
        """Until every job started so far has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


# ------------------------------------------------------------------ the jobs' records
async def set_message(ctx: Context, job_id: int, message_id: int) -> None:
    """The "preparing…" message the job's answer will replace."""
    async with ctx.transaction() as tx:
        await jobs.set_message(tx.conn, job_id, message_id)


async def get(ctx: Context, job_id: int) -> Job | None:
    async with ctx.reading() as conn:
        return await jobs.get(conn, job_id)


async def output(ctx: Context, job_id: int) -> bytes | None:
    """The file the job made, until it has been sent."""
    async with ctx.reading() as conn:
        return await jobs.output_of(conn, job_id)


async def sent(ctx: Context, job_id: int) -> None:
    """The outbox delivered the job's file: it is not kept."""
    async with ctx.transaction() as tx:
        await jobs.drop_output(tx.conn, job_id)


async def unfinished(ctx: Context) -> list[Job]:
    """Jobs received before a restart and never processed."""
    async with ctx.reading() as conn:
        return await jobs.unfinished(conn)
