"""AsyncGormStore: the same store with ``async`` methods; differs from ``store`` by ``await``, and
on PostgreSQL by coalescing: the loads, and the updates of live rows, that tasks start while one
is under way go to the server together as the next one (``sessions._coalesce``;
``Statements.select_many``/``update_many``), as in ``AsyncPGStore``. A call alone runs the lone
statement. The rows read and written are the same; only the number of round trips changes.

Layering: imports this package's ``store`` (``driver_errors``), ``_pool``, ``_core``,
``_dialects`` and ``_errors``; the drivers are imported for the dialect in use only.

How each dialect waits without blocking the loop:

- PostgreSQL: psycopg 3's own asyncio API (an autocommit ``AsyncConnectionPool`` with pgstore's
  ``AsyncIdleCheck``), as ``AsyncPGStore`` does.
- MySQL/MariaDB: aiomysql (aio-libs; PyMySQL's protocol code under asyncio, so the same errors
  and the same value conversions as the sync store). It has no read timeout, so every operation
  is bounded by ``timeout`` here.
- SQLite: sqlite3 on ``_pool.ConnectionThread``: one connection on a thread of its own (as
  aiosqlite does, without another dependency), each use (its statements and commit) one trip
  there, uses run in the order tasks ask (SQLite has one writer at a time anyway), and the uses
  queued together committed together.

Go: ``gormstore.Store`` (there is no async Go store; Go's handlers are goroutines).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import GorillaError
from ..sessions._coalesce import Coalescer
from ..sessions._server import AsyncPeriodicJob, AsyncServerStore, MaxAgeField, RulesFields
from ..sessions.options import Options
from ..sessions.session import Session
from ._core import (
    DEFAULT_CLEANUP_INTERVAL,
    DEFAULT_MAX_LENGTH,
    DEFAULT_TABLE_NAME,
    Delete,
    GormStoreRules,
    Write,
    update_many_params,
)
from ._dialects import DIALECTS, Dialect, Statements, parse_url
from ._errors import GormStoreConfigError, GormStoreError, from_driver
from ._pool import ConnectionThread, Work
from .store import driver_errors

if TYPE_CHECKING:
    from ..pgstore.asyncio import AsyncIdleCheck

__all__ = ["AsyncGormStore"]

log = logging.getLogger("gorillacompat.gormstore")


class AsyncCursor(Protocol):
    """What psycopg's and aiomysql's async cursors (and ``ConnectionThread``'s) have in common."""

    @property
    def rowcount(self) -> int: ...

    async def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Any: ...


class CursorFactory(Protocol):
    """Async ``store.CursorFactory``: a cursor for one use, committed on exit."""

    def __call__(self, work: Work = "transaction") -> AbstractAsyncContextManager[AsyncCursor]: ...


#: ``body(cursor)`` as one use of a connection (``Work``), committed: how the store reaches the
#: database. psycopg and aiomysql: a cursor of a ``CursorFactory``; SQLite: ``ConnectionThread.run``.
Uses = Callable[[Callable[[AsyncCursor], Awaitable[Any]], Work], Awaitable[Any]]


def _uses_of(factory: CursorFactory) -> Uses:
    async def use(body: Callable[[AsyncCursor], Awaitable[Any]], work: Work) -> Any:
        async with factory(work) as cur:
            return await body(cur)

    return use


def _psycopg(source: Any, idle: AsyncIdleCheck | None = None) -> CursorFactory:
    """A psycopg ``AsyncConnectionPool`` or ``AsyncConnection`` (see ``store._psycopg_cursor``)."""
    import psycopg

    if isinstance(source, psycopg.AsyncConnection):
        lock = asyncio.Lock()

        @asynccontextmanager
        async def on_connection(work: Work = "transaction") -> AsyncIterator[AsyncCursor]:
            async with lock, source.transaction(), source.cursor() as cur:
                yield cur

        return on_connection

    @asynccontextmanager
    async def from_pool(work: Work = "transaction") -> AsyncIterator[AsyncCursor]:
        async with source.connection() as conn:  # commits or rolls back on exit
            try:
                async with (
                    conn.transaction() if work == "transaction" else nullcontext(),
                    conn.cursor() as cur,
                ):
                    yield cur
            finally:
                if idle is not None:
                    idle.used(conn)

    return from_pool


def _aiomysql(source: Any) -> CursorFactory:
    """An aiomysql ``Pool`` or ``Connection``; each use is one transaction, except on a connection
    in autocommit mode (the pool a URL makes), where only a ``"transaction"`` opens one (see
    ``_pool``'s module doc).

    aiomysql runs on the loop (no threads). A failed pooled connection is closed (the pool then
    drops it). The caller's own connection is rolled back after an error, but closed when the
    use was cancelled (or timed out): a reply may be half read, and the next statement would read
    the rest of it as its own.
    """
    import aiomysql

    pooled = isinstance(source, aiomysql.Pool)
    lock = asyncio.Lock()
    wakeups: set[asyncio.Task[None]] = set()

    def wake_pool() -> None:
        # aiomysql 0.3.2's Pool.release wakes no waiter when the connection is closed: a task
        # waiting for one would wait out its timeout though the pool may now open another.
        task = asyncio.get_running_loop().create_task(source._wakeup())
        wakeups.add(task)
        task.add_done_callback(wakeups.discard)

    @asynccontextmanager
    async def cursor(work: Work = "transaction") -> AsyncIterator[AsyncCursor]:
        async with source.acquire() if pooled else _locked(lock, source) as conn:
            try:
                autocommit = conn.get_autocommit()
                if autocommit and work == "transaction":
                    await conn.begin()
                async with conn.cursor() as cur:
                    yield cur
                if not autocommit or work == "transaction":
                    await conn.commit()
            except BaseException as exc:
                if pooled or isinstance(exc, asyncio.CancelledError):
                    conn.close()
                else:
                    try:
                        await conn.rollback()
                    except Exception as inner:  # broken already; the original error matters
                        log.debug("gormstore: rolling back: %s", inner)
                raise
            finally:
                if pooled and conn.closed:
                    wake_pool()

    return cursor


@asynccontextmanager
async def _locked(lock: asyncio.Lock, conn: Any) -> AsyncIterator[Any]:
    async with lock:
        yield conn


class AsyncGormStore(RulesFields, MaxAgeField, AsyncServerStore):
    """Async twin of ``GormStore``: same arguments, same rules and SQL, ``async`` methods.

    ``url_or_connection`` is a URL (PostgreSQL and MySQL pools are made on first use and closed
    by ``close``), a psycopg ``AsyncConnection``/``AsyncConnectionPool``, an aiomysql
    ``Connection``/``Pool``, or a sqlite3 connection. The table is created on first use (Go: in
    the constructor), unless ``create_table=False``.
    """

    rules: GormStoreRules

    def __init__(
        self,
        url_or_connection: Any,
        *keys: bytes | None,
        table_name: str = DEFAULT_TABLE_NAME,
        options: Options | None = None,
        max_length: int = DEFAULT_MAX_LENGTH,
        create_table: bool = True,
        time_zone: tzinfo = timezone.utc,
        pool_size: int = 4,
        timeout: float = 10.0,
        clock: Callable[[], float] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        self.rules = GormStoreRules(
            keys,
            options,
            max_length=max_length,
            clock=clock,
            random_bytes=random_bytes,
        )
        self.time_zone = time_zone
        self.timeout = timeout
        self._pool_size = pool_size
        self._source: Any = url_or_connection
        self._opened: Any = None  # the pool this store made, once open
        self._uses: Uses | None = None
        self._threads: ConnectionThread | None = None  # SQLite's connection, once open
        if isinstance(url_or_connection, str):
            dialect, self._url_kw = parse_url(url_or_connection)
        else:
            module = type(url_or_connection).__module__.partition(".")[0]
            dialect = {
                "psycopg": "postgres",
                "psycopg_pool": "postgres",
                "aiomysql": "mysql",
                "sqlite3": "sqlite",
            }.get(module, "")
            if not dialect:
                raise GormStoreConfigError(
                    f"gormstore: need a URL or a psycopg async, aiomysql or sqlite3 connection, not "
                    f"{type(url_or_connection).__name__}"
                )
        self.dialect: Dialect = DIALECTS[dialect]
        self.sql: Statements = self.dialect.statements(table_name)
        self._errors: tuple[type[BaseException], ...] = (
            *driver_errors(dialect), TimeoutError, asyncio.TimeoutError,
        )  # fmt: skip
        self._needs_table = create_table
        self._ready_lock = asyncio.Lock()
        self._cleanup = AsyncPeriodicJob(self.cleanup, name="gormstore", log=log, catch=GormStoreError)
        # PostgreSQL: concurrent loads and updates share statements (see the module doc).
        self._loads: Coalescer[tuple[str, object], Sequence[object] | None] | None = None
        self._updates: Coalescer[Write, bool] | None = None
        if self.sql.select_many is not None:
            self._loads = Coalescer(self._load_many)
            self._updates = Coalescer(self._update_many)

    # -- the database ------------------------------------------------------------------------------

    async def _open(self) -> Uses:
        """How to run a use, making (and opening) the pool on first use."""
        source, name = self._source, self.dialect.name
        if name == "sqlite":
            if isinstance(source, str):
                import sqlite3

                path = self._url_kw["database"]
                self._threads = ConnectionThread(
                    lambda: sqlite3.connect(path, timeout=self.timeout, check_same_thread=False), self.timeout
                )
            else:
                self._threads = ConnectionThread(lambda: source, self.timeout, owned=False)
            return self._threads.run
        if not isinstance(source, str):
            return _uses_of(_psycopg(source) if name == "postgres" else _aiomysql(source))
        if name == "postgres":
            from psycopg_pool import AsyncConnectionPool

            from ..pgstore.asyncio import AsyncIdleCheck

            idle = AsyncIdleCheck()
            pool: Any = AsyncConnectionPool(
                self._url_kw["conninfo"], min_size=1, max_size=self._pool_size, timeout=self.timeout,
                open=False, kwargs={"autocommit": True}, check=idle.acheck,
            )  # fmt: skip
            await pool.open()
            self._opened = pool
            return _uses_of(_psycopg(pool, idle))
        import aiomysql

        kw = dict(self._url_kw)
        kw["db"] = kw.pop("database")
        self._opened = await aiomysql.create_pool(
            minsize=1,
            maxsize=self._pool_size,
            charset="utf8mb4",
            connect_timeout=self.timeout,
            autocommit=True,
            **kw,
        )
        return _uses_of(_aiomysql(self._opened))

    async def _ready(self) -> Uses:
        if self._uses is None or self._needs_table:
            async with self._ready_lock:
                if self._uses is None:
                    self._uses = await self._open()
                if self._needs_table:
                    await self._create_table_with(self._uses)
                    self._needs_table = False
        return self._uses

    async def _run(
        self,
        operation: str,
        work: Work,
        body: Callable[[AsyncCursor], Awaitable[Any]],
        uses: Uses | None = None,
    ) -> Any:
        """``body(cursor)`` as one use of a connection (``Work``); driver errors and timeouts become ours.

        ``body`` awaits the cursor's methods only (SQLite runs it on the connection's thread).
        """

        async def attempt() -> Any:
            return await (uses or await self._ready())(body, work)

        try:
            if self.dialect.name == "mysql":  # aiomysql has no read timeout of its own
                return await asyncio.wait_for(attempt(), self.timeout)
            return await attempt()
        except GorillaError:
            raise
        except self._errors as exc:
            raise from_driver(exc, self.dialect.name, operation) from exc

    def _time(self, when: datetime) -> object:
        return self.dialect.time(when, self.time_zone)

    async def _has_table(self, cur: AsyncCursor) -> bool:
        await cur.execute(self.sql.has_table, self.sql.has_table_params)
        return bool((await cur.fetchone())[0])

    async def _create_table(self, cur: AsyncCursor) -> None:
        if not await self._has_table(cur):
            await cur.execute(self.sql.create_table)

    async def create_table(self) -> None:
        """Go: ``AutoMigrate(&gormSession{})`` on a missing table (see ``GormStore.create_table``)."""
        await self._create_table_with(None)

    async def _create_table_with(self, uses: Uses | None) -> None:
        """``create_table``; the first use passes ``uses``, as ``_ready`` is under way."""
        try:
            await self._run("create table", "write", self._create_table, uses)
        except GormStoreError:  # another process's CREATE won the race: its table will do
            if not await self._run("create table", "read", self._has_table, uses):
                raise

    async def _load(self, session_id: str) -> Sequence[object] | None:
        item = (session_id, self._time(self.rules.now()))
        if self._loads is not None:
            return await self._loads(item)
        return (await self._load_many([item]))[0]

    async def _load_many(self, items: list[tuple[str, object]]) -> list[Sequence[object] | None]:
        """The live row of each ``(id, now)``: ``(data,)``, or None; one statement for many."""

        async def body(cur: AsyncCursor) -> list[Sequence[object] | None]:
            if len(items) == 1:
                await cur.execute(self.sql.select, items[0])
                return [await cur.fetchone()]
            await cur.execute(self.sql.select_many, ([i for i, _ in items], [now for _, now in items]))
            found = {row[0]: row[1:] for row in await cur.fetchall()}
            return [found.get(i) for i, _ in items]

        rows: list[Sequence[object] | None] = await self._run("load", "read", body)
        return rows

    async def _update_many(self, plans: list[Write]) -> list[bool]:
        """``update`` of each plan's live row, one statement for many; whether each had one."""

        async def body(cur: AsyncCursor) -> list[bool]:
            if len(plans) == 1:
                plan = plans[0]
                now = self._time(plan.now)
                await cur.execute(
                    self.sql.update, (plan.data, now, self._time(plan.expires_at), plan.session_id, now)
                )
                return [cur.rowcount > 0]
            await cur.execute(self.sql.update_many, update_many_params(plans, self._time))
            updated = {row[0] for row in await cur.fetchall()}
            return [plan.session_id in updated for plan in plans]

        done: list[bool] = await self._run("save", "write", body)
        return done

    async def _write(self, plan: Write) -> str:
        now, expires = self._time(plan.now), self._time(plan.expires_at)
        updates = self._updates if plan.session_id else None  # PostgreSQL: coalesced, on its own
        if updates is not None and await updates(plan):
            return plan.session_id

        async def body(cur: AsyncCursor) -> str:
            if plan.session_id:
                if updates is None:
                    await cur.execute(self.sql.update, (plan.data, now, expires, plan.session_id, now))
                    if cur.rowcount > 0:
                        return plan.session_id
                # MySQL counts changed rows, not matched ones: a same-millisecond rewrite is 0.
                await cur.execute(self.sql.live, (plan.session_id, now))
                if await cur.fetchone() is not None:
                    return plan.session_id
            await cur.execute(self.sql.insert, (plan.fresh_id, plan.data, now, now, expires))
            return plan.fresh_id

        saved: str = await self._run("save", "write", body)
        return saved

    async def _delete(self, plan: Delete) -> None:
        if plan.session_id:
            await self._run("delete", "write", lambda cur: cur.execute(self.sql.delete, (plan.session_id,)))

    # -- the store API (get and new: sessions._server) ------------------------------------------

    async def save(self, session: Session) -> str:
        """Go: ``Save`` (see ``GormStore.save``); the value returned means the write has committed."""
        plan = self.rules.plan_save(session)
        if isinstance(plan, Delete):
            await self._delete(plan)
            return self.rules.cookie_after(session, plan, "")
        return self.rules.cookie_after(session, plan, await self._write(plan))

    async def delete(self, session: Session) -> str:
        """Delete the session's row; the ``Set-Cookie`` value that removes the cookie."""
        session.options.max_age = -1
        return await self.save(session)

    # -- cleanup ------------------------------------------------------------------------------------

    async def cleanup(self) -> int:
        """Go: ``Cleanup``; how many expired rows were deleted (raises a ``GormStoreError``)."""

        async def body(cur: AsyncCursor) -> int:
            await cur.execute(self.sql.cleanup, (self._time(self.rules.now()),))
            return int(cur.rowcount)

        deleted: int = await self._run("cleanup", "write", body)
        return deleted

    def periodic_cleanup(self, interval: float = DEFAULT_CLEANUP_INTERVAL) -> None:
        """Run ``cleanup`` every ``interval`` seconds in a task of the running loop until
        ``stop_cleanup`` (Go: ``PeriodicCleanup``). Failures are logged."""
        if self._cleanup.running:
            raise GormStoreConfigError("gormstore: periodic cleanup is already running")
        if interval <= 0:
            raise GormStoreConfigError("gormstore: the cleanup interval must be positive")
        self._cleanup.start(interval)

    async def stop_cleanup(self) -> None:
        """Stop the cleanup task and wait for it; no-op when not running."""
        await self._cleanup.stop()

    async def close(self) -> None:
        """Stop cleanup and close the connections this store made."""
        await self.stop_cleanup()
        if self._threads is not None:
            await self._threads.close()
        if self._opened is not None:
            if self.dialect.name == "mysql":
                self._opened.close()
                await self._opened.wait_closed()
            else:
                await self._opened.close()
            self._opened = None
