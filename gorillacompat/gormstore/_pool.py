"""Pools of DB-API connections for the drivers that have none of their own (sqlite3, PyMySQL).

Layering: imports nothing of gorillacompat and no driver; ``store`` and ``asyncio`` hand in a
``connect`` function. ``DBAPIPool`` serves threads; ``ConnectionThread`` serves asyncio tasks.

SQLite takes one writer at a time per file, and a writer's commit waits for the readers. Left to
sqlite3's busy wait, which sleeps and polls, 16 threads ran at a third of one thread's rate and a
writer that kept losing the race could time out. So a pool made with ``serialize`` (SQLite) runs
one use at a time and queues the others in order (reads gain little from overlapping under the
GIL); the busy wait (the driver's ``timeout``) is then only for other processes on the file.

``ConnectionThread`` is what keeps asyncio off the blocking calls of sqlite3, with the same rule:
one connection, and one thread that makes it and runs every call on it (statements, commit,
rollback, close), one use after another in the order the tasks asked. A use (its statements and
their commit) is one trip to the thread; the uses queued behind it run there next, as one group
in one transaction, each in a savepoint, with one commit: a commit waits for the disk, and one
wait for the group instead of one per use is what lets the uses of 16 tasks keep up with Go's
16 goroutines. No turn of the event loop runs between them (every turn costs two thread
wake-ups, more than SQLite's own work). A task cancelled mid-use cannot hand the connection on
or close it while the thread uses it: the thread finishes the use first.
Both commit every use (the drivers open transactions themselves), whatever its ``Work``, except
on a connection in autocommit mode (PyMySQL's, made from a URL): there each statement commits
itself, and only a ``"transaction"`` pays for ``BEGIN`` and ``COMMIT``, two round trips saved
on every other use.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Literal, Protocol, TypeVar

__all__ = ["ConnectionThread", "Cursor", "DBAPIPool", "Work"]

log = logging.getLogger("gorillacompat.gormstore")

T = TypeVar("T")

#: What one use of a connection does, so each pool runs it as cheaply as is safe:
#: ``"read"``: reads only. ``"write"``: writes whose statements each stand alone (a failure
#: between them loses nothing: a gormstore save is one UPDATE, or one INSERT of a fresh ID).
#: ``"transaction"``: all or nothing (the CLI's delete + insert of a batch).
#: An autocommit pool (PostgreSQL's or MySQL's, made from a URL) opens a transaction for the last
#: one only.
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

    def _begin(self, conn: Any, work: Work) -> bool:
        """Whether the use must commit at its end: always, unless ``conn`` is in autocommit mode
        (PyMySQL's ``get_autocommit``), where a ``"transaction"`` begins one here."""
        autocommit = getattr(conn, "get_autocommit", None)
        if autocommit is None or not autocommit():
            return True
        if work != "transaction":
            return False
        conn.begin()
        return True

    def _end(self, conn: Any, cur: Any, ok: bool, commit: bool = True) -> bool:
        """Close ``cur``, then, after a use that went well (``ok``), commit unless ``commit`` is
        false (``_begin``); else drop. Whether ``conn`` may be used again.

        A failed commit drops the connection and raises.
        """
        try:
            if cur is not None:
                cur.close()
            if ok:
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
                    commit = self._begin(conn, work)
                    cur = conn.cursor()
                    yield cur
                except BaseException:
                    if self._end(conn, cur, ok=False):
                        self._idle.append(conn)
                    raise
                if self._end(conn, cur, ok=True, commit=commit):
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


class _Use:
    """One ``ConnectionThread.run``: its body, and how to hand back what it gave."""

    __slots__ = ("body", "loop", "turn", "waiter")

    def __init__(self, body: Callable[[Any], Awaitable[Any]], loop: asyncio.AbstractEventLoop) -> None:
        self.body = body
        self.loop = loop
        self.waiter: asyncio.Future[Any] = loop.create_future()
        # Claimed once, by the thread starting the use or the timer giving up on it: a use that
        # started is never reported as timed out, one that timed out never starts.
        self.turn = threading.Lock()

    def start(self) -> bool:
        """Claim the turn on the thread; False: given up (timed out or cancelled), nothing runs."""
        return self.turn.acquire(blocking=False) and not self.waiter.cancelled()


class ConnectionThread(_Connections):
    """One connection on a thread of its own, for asyncio tasks (see the module doc).

    The uses queued when the thread comes to them run as one group, in order, each in a savepoint
    of one transaction, and commit together: one commit (one wait for the disk) for the group, as
    a database's group commit does. A use that raises is rolled back to its savepoint alone; a
    failed commit fails every use of the group (none of them was acknowledged).

    A use waits at most ``timeout`` for its turn; once started it is bounded by the driver's own
    timeout (SQLite's busy wait). A connection that fails is replaced by the next use (with
    ``owned=False``, the caller's connection is rolled back and kept).
    """

    def __init__(self, connect: Callable[[], Any], timeout: float, *, owned: bool = True) -> None:
        super().__init__(connect, owned)
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="gormstore-db")
        self._timeout = timeout
        self._conn: Any = None  # on the thread only
        self._queue: list[_Use] = []
        self._queue_lock = threading.Lock()
        self._draining = False  # a drain is submitted to the thread and has not seen the queue empty

    async def run(self, body: Callable[[Any], Awaitable[T]], work: Work = "transaction") -> T:
        """``body(cursor)`` as one use, committed (rolled back if it raises), run on the thread in
        turn. ``body`` may await the cursor's ``execute`` and ``fetchone`` only. Raises
        ``TimeoutError`` when its turn has not come within ``timeout``."""
        use = _Use(body, asyncio.get_running_loop())
        timeout = self._timeout

        def expire() -> None:
            if use.turn.acquire(blocking=False) and not use.waiter.done():
                use.waiter.set_exception(TimeoutError(f"no turn on the file within {timeout:g} s"))

        timer = use.loop.call_later(timeout, expire)
        with self._queue_lock:
            self._queue.append(use)
            submit, self._draining = not self._draining, True
        if submit:
            self._thread.submit(self._drain)
        try:
            result: T = await use.waiter
            return result
        finally:
            timer.cancel()

    def _drain(self) -> None:  # on the thread
        while True:
            with self._queue_lock:
                group, self._queue = self._queue, []
                if not group:
                    self._draining = False
                    return
            started = [use for use in group if use.start()]
            if started:
                _hand_back(self._run_group(started))

    def _run_group(self, uses: list[_Use]) -> list[tuple[_Use, Any, BaseException | None]]:
        """Each use's (result, error), the group committed (see the class doc)."""
        outcomes: list[tuple[_Use, Any, BaseException | None]] = []
        try:
            if self._conn is None:
                self._conn = self._connect()
            conn = self._conn
            cur = conn.cursor()
        except BaseException as exc:  # connect or cursor failed
            self._conn = None
            return [(use, None, exc) for use in uses]
        alone = len(uses) == 1  # no savepoint: the use's own rollback is the transaction's
        try:
            for use in uses:
                if not alone:
                    cur.execute("SAVEPOINT gormstore_use")
                try:
                    result = _run_inline(use.body(_InlineCursor(cur)))
                except Exception as exc:
                    if alone:
                        raise
                    cur.execute("ROLLBACK TO gormstore_use")
                    cur.execute("RELEASE gormstore_use")
                    outcomes.append((use, None, exc))
                    continue
                if not alone:
                    cur.execute("RELEASE gormstore_use")
                outcomes.append((use, result, None))
        except BaseException as exc:  # a lone use failed, or the connection broke mid-group
            if not self._end(conn, cur, ok=False):
                self._conn = None
            return _failed(uses, outcomes, exc)
        try:
            if not self._end(conn, cur, ok=True):
                self._conn = None
        except BaseException as exc:  # the commit failed: nothing of the group was written
            self._conn = None
            return _failed(uses, outcomes, exc)
        return outcomes

    async def close(self) -> None:
        """Close the connection after the uses already queued, and end the thread."""

        def end() -> None:
            if self._conn is not None and self._owned:
                self._conn.close()
            self._conn = None

        done = self._thread.submit(end)
        self._thread.shutdown(wait=False)
        await asyncio.wrap_future(done)


def _failed(
    uses: list[_Use], outcomes: list[tuple[_Use, Any, BaseException | None]], exc: BaseException
) -> list[tuple[_Use, Any, BaseException | None]]:
    """The group rolled back: each use's own error, or ``exc`` (nothing of it was committed)."""
    own = {id(use): error for use, _, error in outcomes if error is not None}
    return [(use, None, own.get(id(use), exc)) for use in uses]


def _hand_back(outcomes: list[tuple[_Use, Any, BaseException | None]]) -> None:
    """Settle the waiters, one wake-up of each event loop for the whole group."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, BaseException | None]]] = {}
    for use, result, error in outcomes:
        by_loop.setdefault(use.loop, []).append((use.waiter, result, error))
    for loop, settled in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle_all, settled)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass


def _settle_all(settled: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for waiter, result, error in settled:
        _settle(waiter, result, error)


def _settle(waiter: asyncio.Future[T], result: T, error: BaseException | None) -> None:
    if waiter.done():  # its task was cancelled (or timed out) while the use ran
        return
    if error is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(result)
