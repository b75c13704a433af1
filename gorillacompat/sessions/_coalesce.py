"""Concurrent calls of one statement, run as one round trip (the asyncio SQL stores' loads and updates).

Layering: asyncio only; pgstore's and gormstore's async shells hand in what one run does.

A Go handler holds a connection of its own, and 16 goroutines run their statements on every core.
One asyncio loop has one core, and each statement costs it the same Python work whatever the
statement carries. So while one run of a statement is under way, the calls that arrive wait, and
then go together as the next run: one task alone runs at once, as before; 16 tasks share about
one run in five. Nothing waits for a batch to fill.

Each caller gets its own result, or the run's error. A caller that is cancelled only drops its
result: the run goes on for the others (a write may still commit, as a cancelled query may).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["Coalescer"]

T = TypeVar("T")
R = TypeVar("R")


class Coalescer(Generic[T, R]):
    """``await coalescer(item)`` is ``run([item, ...])``'s result for ``item``, the items being
    those that arrived while the previous run was under way (``run`` returns one result per item,
    in order). One run at a time per event loop.

    A call that finds no run under way runs alone, in its own task (its errors are its own, as
    without a coalescer); the calls that arrived meanwhile then run as one, in a task of their own.
    """

    def __init__(self, run: Callable[[list[T]], Awaitable[Sequence[R]]]) -> None:
        self._run = run
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._busy: asyncio.AbstractEventLoop | None = None  # the loop a run is under way on
        self._runner: asyncio.Task[None] | None = None  # held: the loop keeps weak references

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        if self._busy is loop:
            waiter: asyncio.Future[R] = loop.create_future()
            self._waiting.append((item, waiter))
            return await waiter
        self._busy, self._waiting = loop, []  # a run on another loop is abandoned with it
        try:
            results = await self._run([item])
        finally:
            self._hand_on(loop)
        if len(results) != 1:
            raise _miscounted(len(results), 1)
        return results[0]

    def _hand_on(self, loop: asyncio.AbstractEventLoop) -> None:
        """After a run on ``loop``: the next one for the calls that arrived meanwhile, or none
        under way (nothing, if the store has moved to another loop since)."""
        if self._busy is not loop:
            return
        if self._waiting and not loop.is_closed():
            self._runner = loop.create_task(self._drain(loop))
        else:
            self._busy = self._runner = None

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._waiting = self._waiting, []
        try:
            batch = [(item, waiter) for item, waiter in batch if not waiter.done()]
            if batch:
                await self._run_batch(batch)
        except asyncio.CancelledError:  # the loop is shutting down: no run after this one
            for _, waiter in self._waiting:
                waiter.cancel()
            self._waiting = []
            raise
        finally:
            self._hand_on(loop)

    async def _run_batch(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._run([item for item, _ in batch])
            if len(results) != len(batch):
                raise _miscounted(len(results), len(batch))
        except asyncio.CancelledError:  # the loop is shutting down
            for _, waiter in batch:
                waiter.cancel()
            raise
        except BaseException as exc:  # every caller of this run gets it
            for _, waiter in batch:
                if not waiter.done():
                    waiter.set_exception(exc)
            return
        for (_, waiter), result in zip(batch, results, strict=True):
            if not waiter.done():
                waiter.set_result(result)


def _miscounted(got: int, calls: int) -> RuntimeError:
    """A bug in ``run``: never hand out a result that may be another caller's."""
    return RuntimeError(f"a coalesced run returned {got} results for {calls} calls")
