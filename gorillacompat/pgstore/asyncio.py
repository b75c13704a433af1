"""AsyncPGStore: the same store over psycopg 3's asyncio API.

It differs from ``store`` by ``await``, and in one more way: loads, and the updates of loaded
sessions, that tasks start while one is under way go to the server together as the next one
(``sessions._coalesce``: ``SELECT_ROWS``, ``UPDATE_MANY``; a call alone runs ``SELECT_ROW`` or
``UPDATE_ROWS`` as before). The rows read and written are the same; only the number of round
trips changes.

Layering: imports this package's ``store`` (shared defaults) and ``_core``, psycopg and
psycopg-pool.

Go: ``pgstore.PGStore`` (there is no async Go store; Go's handlers are goroutines).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from ..sessions._coalesce import Coalescer
from ..sessions._server import AsyncPeriodicJob, AsyncPlannedStore, MaxAgeField, RulesFields
from ..sessions.options import Options
from ._core import (
    CREATE_TABLE,
    DEFAULT_CLEANUP_INTERVAL,
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_LENGTH,
    DELETE_EXPIRED,
    DELETE_ROWS,
    LOCK_KEY,
    SELECT_ROW,
    SELECT_ROWS,
    UPDATE_MANY,
    UPDATE_ROWS,
    WRITE_ROW,
    Delete,
    PGStoreRules,
    Write,
    update_many_params,
)
from ._errors import PGStoreConfigError, PGStoreError, from_psycopg
from .store import PIPELINE, IdleCheck, default_options

__all__ = ["AsyncPGStore"]

log = logging.getLogger("gorillacompat.pgstore")


def one_trip(conn: psycopg.AsyncConnection[Any]) -> AbstractAsyncContextManager[object]:
    """Async ``store.one_trip``: LOCK_KEY + WRITE_ROW in one round trip when it can."""
    return conn.pipeline() if PIPELINE else conn.transaction()


class AsyncIdleCheck(IdleCheck):
    """``store.IdleCheck`` with the async ``check`` an ``AsyncConnectionPool`` takes."""

    async def acheck(self, conn: psycopg.AsyncConnection[Any]) -> None:
        if self.stale(conn):
            await AsyncConnectionPool.check_connection(conn)


class AsyncPGStore(RulesFields, MaxAgeField, AsyncPlannedStore):
    """Async twin of ``PGStore``: same arguments, same rules and SQL, ``async`` methods.

    ``conninfo_or_connection`` is a connection string (an ``AsyncConnectionPool`` is made, opened
    on first use and closed by ``close``), an ``AsyncConnectionPool``, or a
    ``psycopg.AsyncConnection`` (used under a lock). The table is created on first use (Go: in the
    constructor), unless ``create_table=False``.
    """

    rules: PGStoreRules

    def __init__(
        self,
        conninfo_or_connection: str | AsyncConnectionPool[Any] | psycopg.AsyncConnection[Any],
        *keys: bytes | None,
        options: Options | None = None,
        max_length: int = DEFAULT_MAX_LENGTH,
        max_age: int = DEFAULT_MAX_AGE,
        create_table: bool = True,
        pool_size: int = 4,
        timeout: float = 10.0,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        self.rules = PGStoreRules(
            keys,
            options,
            defaults=default_options(max_age),
            max_length=max_length,
            clock=clock,
            random_bytes=random_bytes,
        )
        self._owned = isinstance(conninfo_or_connection, str)
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._pool: AsyncConnectionPool[Any] | None = None
        self._idle: AsyncIdleCheck | None = None
        if isinstance(conninfo_or_connection, str):
            self._idle = idle = AsyncIdleCheck()
            self._pool = AsyncConnectionPool(
                conninfo_or_connection, min_size=1, max_size=pool_size, timeout=timeout, open=False,
                kwargs={"autocommit": True}, check=idle.acheck,
            )  # fmt: skip
        elif isinstance(conninfo_or_connection, AsyncConnectionPool):
            self._pool = conninfo_or_connection
        elif isinstance(conninfo_or_connection, psycopg.AsyncConnection):
            self._conn = conninfo_or_connection
        else:
            raise PGStoreConfigError(
                f"pgstore: need a conninfo string, AsyncConnectionPool or AsyncConnection, not "
                f"{type(conninfo_or_connection).__name__}"
            )
        self._needs_table = create_table
        self._opened = not self._owned
        self._lock = asyncio.Lock()
        self._cleanup = AsyncPeriodicJob(self.delete_expired, name="pgstore", log=log, catch=PGStoreError)
        self._loads: Coalescer[bytes, object] = Coalescer(self._load_many)
        self._updates: Coalescer[Write, bool] = Coalescer(self._update_many)

    # -- the database ------------------------------------------------------------------------------

    async def _ready(self) -> None:
        """Open the pool this store made and create the table, once."""
        if self._opened and not self._needs_table:
            return
        async with self._lock:
            if not self._opened:
                assert self._pool is not None
                await self._pool.open()
                self._opened = True
        if self._needs_table:
            async with self._connection("create table", ready=False) as conn:
                await conn.execute(CREATE_TABLE)
            self._needs_table = False

    @asynccontextmanager
    async def _connection(
        self, operation: str, *, ready: bool = True
    ) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        try:
            if ready:
                await self._ready()
            if self._pool is not None:
                async with self._pool.connection() as conn:
                    try:
                        yield conn
                    finally:
                        if self._idle is not None:
                            self._idle.used(conn)
            else:
                assert self._conn is not None
                async with self._lock, self._conn.transaction():
                    yield self._conn
        except PGStoreError:
            raise
        except (psycopg.Error, OSError) as exc:
            raise from_psycopg(exc, operation) from exc

    async def _load(self, key: bytes) -> object:
        return await self._loads(key)

    async def _load_many(self, keys: list[bytes]) -> list[object]:
        """The data of each key's newest row (None: no row), one statement for all (a lone key:
        the plain statement, whose parameters cost less to send than arrays)."""
        async with self._connection("load") as conn:
            if len(keys) == 1:
                row = await (await conn.execute(SELECT_ROW, (keys[0],))).fetchone()
                return [None if row is None else row[0]]
            rows = await (await conn.execute(SELECT_ROWS, (list(set(keys)),))).fetchall()
        found = {bytes(key): data for key, data in rows}
        return [found.get(key) for key in keys]

    async def _update_many(self, plans: list[Write]) -> list[bool]:
        """UPDATE_ROWS of each plan, one statement for all; whether each key had rows."""
        async with self._connection("save") as conn:
            if len(plans) == 1:
                return [bool((await conn.execute(UPDATE_ROWS, plans[0].update_params())).rowcount)]
            rows = await (await conn.execute(UPDATE_MANY, update_many_params(plans))).fetchall()
        updated = {bytes(key) for (key,) in rows}
        return [plan.key in updated for plan in plans]

    async def _write(self, plan: Write) -> None:
        if plan.update_first and await self._updates(plan):
            return
        async with self._connection("save") as conn, one_trip(conn):
            await conn.execute(LOCK_KEY, (plan.session_id,))
            await conn.execute(WRITE_ROW, plan.write_params())

    async def _delete(self, plan: Delete) -> None:
        if plan.session_id:
            async with self._connection("delete") as conn:
                await conn.execute(DELETE_ROWS, (plan.key,))

    async def _apply(self, plan: Write | Delete) -> None:
        if isinstance(plan, Delete):
            await self._delete(plan)
        else:
            await self._write(plan)

    # -- cleanup (Go: cleanup.go) -----------------------------------------------------------------

    async def delete_expired(self) -> int:
        """Go: ``deleteExpired``; how many rows were deleted."""
        async with self._connection("cleanup") as conn:
            return (await conn.execute(DELETE_EXPIRED)).rowcount

    def cleanup(self, interval: float = DEFAULT_CLEANUP_INTERVAL) -> None:
        """Run ``delete_expired`` every ``interval`` seconds in a task of the running loop
        (Go: ``Cleanup``); an interval <= 0 means 5 minutes. Failures are logged."""
        if self._cleanup.running:
            raise PGStoreConfigError("pgstore: cleanup is already running")
        self._cleanup.start(interval if interval > 0 else DEFAULT_CLEANUP_INTERVAL)

    async def stop_cleanup(self) -> None:
        """Stop the cleanup task and wait for it (Go: ``StopCleanup``); no-op when not running."""
        await self._cleanup.stop()

    async def close(self) -> None:
        """Stop cleanup and close the pool this store made (Go: ``Close``)."""
        await self.stop_cleanup()
        if self._owned and self._pool is not None and self._opened:
            await self._pool.close()
