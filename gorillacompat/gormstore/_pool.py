"""Pools of DB-API connections for the drivers that have none of their own (sqlite3, PyMySQL).

Layering: imports nothing of gorillacompat and no driver; ``store`` and ``asyncio`` hand in a
``connect`` function. ``DBAPIPool`` serves threads; ``ThreadedPool`` serves asyncio tasks.

``ThreadedPool`` is what keeps asyncio off the blocking calls of sqlite3. Each connection gets a
thread of its own for its whole life, and every call on it (connect, statements, commit, rollback,
close) runs there, one after another. A use (its statements and their commit) is one trip to that
thread and back: each trip costs two thread wake-ups, which on a busy loop cost more than SQLite's
own work. So a task that holds a connection can always finish (no shared executor for lock
waiters to fill up), and a task cancelled mid-use cannot hand the connection on, or close it,
while its thread still uses it: the slot is given back only once the use has ended there. Tasks
wait for a slot (and SQLite writers for the write lock) on the event loop, never in a thread.

SQLite takes one writer at a time per file, and a writer's commit waits for the readers. Left to
sqlite3's busy wait, which sleeps and polls, 16 threads ran at a third of one thread's rate and a
writer that kept losing the race could time out. So a pool made with ``serialize`` (SQLite) runs
one use at a time and queues the others in order (reads gain little from overlapping under the
GIL); the busy wait (the driver's ``timeout``) is then only for other processes on the file.
Both pools commit every use (the drivers open transactions themselves), whatever its ``Work``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Literal, Protocol, TypeVar

__all__ = ["Cursor", "DBAPIPool", "ThreadedPool", "Work"]

log = logging.getLogger("gorillacompat.gormstore")

T = TypeVar("T")

#: What one use of a connection does, so each pool runs it as cheaply as is safe:
#: ``"read"``: reads only. ``"write"``: writes whose statements each stand alone (a failure
#: between them loses nothing: a gormstore save is one UPDATE, or one INSERT of a fresh ID).
#: ``"transaction"``: all or nothing (the CLI's delete + insert of a batch).
#: An autocommit PostgreSQL pool opens a transaction for the last one only.
Work = Literal["read", "write", "transaction"]


class Cursor(Protocol):
    """The DB-API 2 cursor surface the store uses (psycopg, PyMySQL and sqlite3 all have it)."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...


class _Connections:
    """What both pools share: making, ending and dropping DB-API connections.

    A connection that fails is closed and replaced on the next use, so a restarted server is
    picked up without a new store. With ``owned=False`` (the caller's one connection) it is
    rolled back instead, never closed.
    """

    def __init__(self, connect: Callable[[], Any], owned: bool) -> None:
        self._connect = connect
        self._owned = owned

    def _end(self, conn: Any, cur: Any, commit: bool) -> bool:
        """Close ``cur``, then commit (``commit``) or drop; whether ``conn`` may be used again.

        A failed commit drops the connection and raises.
        """
        try:
            if cur is not None:
                cur.close()
            if commit:
                conn.commit()
                return True
        except BaseException:
            self._drop(conn)
            raise
        self._drop(conn)
        return not self._owned

    def _drop(self, conn: Any) -> None:
        try:
            conn.rollback() if not self._owned else conn.close()
        except Exception as exc:  # the connection is broken already; the original error matters
            log.debug("gormstore: dropping a connection: %s", exc)


class DBAPIPool(_Connections):
    """Up to ``size`` connections made by ``connect`` for threads; each use is committed on exit.

    With ``serialize`` (SQLite), one use runs at a time (see the module doc). The turn is taken
    before a connection, so nobody holds a connection while waiting for it.
    """

    def __init__(
        self,
        connect: Callable[[], Any],
        size: int,
        timeout: float,
        *,
        owned: bool = True,
        serialize: bool = False,
    ) -> None:
        super().__init__(connect, owned)
        self._idle: list[Any] = []
        self._slots = threading.BoundedSemaphore(size)
        self._turn = threading.Lock() if serialize else None
        self._timeout = timeout

    @contextmanager
    def cursor(self, work: Work = "transaction") -> Iterator[Cursor]:
        deadline = time.monotonic() + self._timeout
        turn = self._turn
        if turn is not None and not turn.acquire(timeout=self._timeout):
            raise TimeoutError(f"no turn on the file within {self._timeout} s")
        try:
            if not self._slots.acquire(timeout=max(deadline - time.monotonic(), 0)):
                raise TimeoutError(f"no free connection within {self._timeout} s")
            try:
                conn = self._idle.pop() if self._idle else self._connect()
                cur = None
                try:
                    cur = conn.cursor()
                    yield cur
                except BaseException:
                    if self._end(conn, cur, commit=False):
                        self._idle.append(conn)
                    raise
                if self._end(conn, cur, commit=True):
                    self._idle.append(conn)
            finally:
                self._slots.release()
        finally:
            if turn is not None:
                turn.release()

    def close(self) -> None:
        while self._idle:
            conn = self._idle.pop()
            if self._owned:
                conn.close()


class _Gate:
    """A FIFO semaphore for tasks whose ``acquire`` takes a timeout.

    Not ``asyncio.wait_for(semaphore.acquire(), t)``: before Python 3.12 that can lose a slot it
    acquired just as it timed out or was cancelled. ``release`` hands the slot to the first waiter.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self, timeout: float, what: str) -> None:
        if self._free and all(w.done() for w in self._waiters):  # done ones are leaving
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        expired = False

        def expire() -> None:
            nonlocal expired
            if not waiter.done():
                expired = True
                waiter.cancel()

        self._waiters.append(waiter)
        timer = asyncio.get_running_loop().call_later(max(timeout, 0), expire)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed over just as this task was cancelled: pass it on
            elif waiter in self._waiters:  # ``release`` may have dropped it already
                self._waiters.remove(waiter)
            if expired:
                raise TimeoutError(f"no {what} within {timeout:g} s") from None
            raise
        finally:
            timer.cancel()

    def release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1


class _Worker:
    """One connection and the one thread that ever touches it (its connect runs there first)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="gormstore-db")
        self._opened = self._thread.submit(connect)

    @property
    def conn(self) -> Any:
        """The connection (on its thread only, where connect has run: calls run in order);
        raises connect's error."""
        return self._opened.result()

    def connected(self) -> bool:
        """On its thread: whether connect succeeded."""
        return self._opened.exception() is None

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        return self._thread.submit(fn, *args)

    def retire(self, close: bool) -> Future[None]:
        """Close the connection (``close``) after whatever is queued, and end the thread."""

        def end() -> None:
            if close and self.connected():
                self.conn.close()

        done = self.submit(end)
        self._thread.shutdown(wait=False)
        return done


class _InlineCursor:
    """A DB-API cursor as an async body sees it, on the connection's thread: its awaits never
    suspend, so the body runs to its end in one step there (``_run_inline``)."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    async def execute(self, query: Any, params: Any = (), /) -> None:
        self._cur.execute(query, params)

    async def fetchone(self) -> Any:
        return self._cur.fetchone()


def _run_inline(body: Awaitable[T]) -> T:
    """The result of a coroutine that awaits only ``_InlineCursor`` methods."""
    step = body.__await__()
    try:
        step.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    step.close()
    raise RuntimeError("gormstore: a statement body awaited something other than its cursor")


class ThreadedPool(_Connections):
    """Up to ``size`` connections for asyncio tasks, each on its own thread (see the module doc).

    ``timeout`` bounds the wait for a slot (and the turn); ``serialize`` as in ``DBAPIPool``.
    """

    def __init__(
        self,
        connect: Callable[[], Any],
        size: int,
        timeout: float,
        *,
        owned: bool = True,
        serialize: bool = False,
    ) -> None:
        super().__init__(connect, owned)
        self._idle: list[_Worker] = []
        self._slots = _Gate(size)
        self._turn = _Gate(1) if serialize else None
        self._timeout = timeout
        self._closed = False

    async def run(self, body: Callable[[Any], Awaitable[T]], work: Work = "transaction") -> T:
        """``body(cursor)`` as one use, committed (rolled back and dropped if it raises), all in
        one trip to the connection's thread. ``body`` may await the cursor's ``execute`` and
        ``fetchone`` only."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        gates = [(self._slots, "free connection")]
        if self._turn is not None:
            gates.insert(0, (self._turn, "turn on the file"))  # first: nobody waits holding a connection
        held: list[_Gate] = []
        try:
            for gate, what in gates:
                await gate.acquire(deadline - loop.time(), what)
                held.append(gate)
        except BaseException:
            for gate in held:
                gate.release()
            raise
        worker = self._idle.pop() if self._idle else _Worker(self._connect)
        waiter: asyncio.Future[T] = loop.create_future()

        def use() -> None:  # on the worker's thread
            result: Any = None
            error: BaseException | None = None
            keep = False
            try:
                conn = worker.conn
                cur = conn.cursor()
                try:
                    result = _run_inline(body(_InlineCursor(cur)))
                except BaseException as exc:
                    error = exc
                    keep = self._end(conn, cur, commit=False)
                else:
                    keep = self._end(conn, cur, commit=True)
            except BaseException as exc:  # connect, cursor or commit failed
                error = error or exc
            try:
                loop.call_soon_threadsafe(self._check_in, worker, keep, held, waiter, result, error)
            except RuntimeError:  # the loop is closed: nobody waits for the slot any more
                worker.retire(close=keep and self._owned)

        # A task cancelled meanwhile leaves the use to end on its thread; the slot comes back then.
        worker.submit(use)
        return await waiter

    def _check_in(
        self,
        worker: _Worker,
        keep: bool,
        held: list[_Gate],
        waiter: asyncio.Future[Any],
        result: Any,
        error: BaseException | None,
    ) -> None:
        if keep and not self._closed:
            self._idle.append(worker)
        else:
            worker.retire(close=keep and self._owned)
        for gate in held:
            gate.release()
        if waiter.done():  # its task was cancelled
            return
        if error is not None:
            waiter.set_exception(error)
        else:
            waiter.set_result(result)

    async def close(self) -> None:
        """Close the idle connections; those in use are closed as they come back."""
        self._closed = True
        idle, self._idle = self._idle, []
        await asyncio.gather(*(asyncio.wrap_future(w.retire(close=self._owned)) for w in idle))
