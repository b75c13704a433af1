"""PGStore: antonlindstrom/pgstore's sessions over psycopg 3 (sync).

Layering: imports ``sessions``, this package's ``_core``/``_errors``, psycopg and psycopg-pool.
The rules live in ``_core``; this shell runs the SQL each call needs and turns psycopg failures
into ``PGStoreError`` subclasses.

Go: ``pgstore.PGStore`` (``NewPGStore`` / ``NewPGStoreFromPool``), as gin-contrib/sessions/postgres
v1.0.4 uses it (pgstore v0.0.0-20220421113606-e3a6e3fed12a).
"""

from __future__ import annotations

import logging
import math
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from ..sessions._server import MaxAgeField, PeriodicJob, PlannedStore, RulesFields
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
    UPDATE_ROWS,
    WRITE_ROW,
    Delete,
    PGStoreRules,
    Write,
)
from ._errors import PGStoreConfigError, PGStoreError, from_psycopg

__all__ = ["PGStore", "default_options"]

log = logging.getLogger("gorillacompat.pgstore")


#: libpq has pipeline mode (14+; psycopg[binary] bundles one): a save is one round trip.
PIPELINE = psycopg.Pipeline.is_supported()


def one_trip(conn: psycopg.Connection[Any]) -> AbstractContextManager[object]:
    """Run LOCK_KEY + WRITE_ROW as one transaction: a pipeline (sent together, one implicit
    transaction committed at its Sync, so one round trip), else ``BEGIN`` … ``COMMIT``."""
    return conn.pipeline() if PIPELINE else conn.transaction()


#: A pooled connection idle for longer than this (seconds) is checked before use (``IdleCheck``).
CHECK_IDLE_AFTER = 1.0


class IdleCheck:
    """The ``check`` callback of the pools this package makes, and the record it reads.

    psycopg_pool's ``check_connection`` costs a round trip per checkout. What it guards against (a
    server restart, an idle-session timeout) kills connections that sit idle, so only a connection
    idle for over ``CHECK_IDLE_AFTER`` seconds (or never used) is checked: a busy store pays nothing.
    The shells call ``used`` as they finish with a connection (not the pool's ``reset`` callback:
    with one, the pool hands every returned connection to a worker first, and requests queue).
    """

    def __init__(self) -> None:
        self._used: weakref.WeakKeyDictionary[object, float] = weakref.WeakKeyDictionary()

    def stale(self, conn: object) -> bool:
        return time.monotonic() - self._used.get(conn, -math.inf) > CHECK_IDLE_AFTER

    def used(self, conn: object) -> None:
        self._used[conn] = time.monotonic()

    def check(self, conn: psycopg.Connection[Any]) -> None:
        if self.stale(conn):
            ConnectionPool.check_connection(conn)


def default_options(max_age: int) -> Options:
    """Go: ``&sessions.Options{Path: "/", MaxAge: 86400 * 30}``."""
    return Options(path="/", max_age=max_age)


class PGStore(RulesFields, MaxAgeField, PlannedStore):
    """Sessions in PostgreSQL's ``http_sessions`` table, shared with Go's antonlindstrom/pgstore.

    Go: ``pgstore.NewPGStore(dbURL, keyPairs...)``. ``conninfo_or_connection`` is a libpq
    connection string (a ``psycopg_pool.ConnectionPool`` of ``pool_size`` connections is made and
    closed by ``close``), a ``ConnectionPool``, or a ``psycopg.Connection`` (used under a lock). Like
    Go, the constructor creates the table and its indexes when missing (``create_table=False`` skips
    it). ``timeout`` bounds the wait for a pooled connection. ``clock`` and ``random_bytes`` are for
    tests and migrations; the defaults are what you want.

    ``get``/``new``/``save``/``delete`` and the ``options``/``max_age``/``max_length`` fields are
    ``sessions._server``'s (Go: ``New``, ``Save``, ``MaxAge``, ``MaxLength``); ``save`` raises
    securecookie's errors or ``ExpiresOnTypeError`` (nothing is written) or a ``PGStoreError``.
    """

    rules: PGStoreRules

    def __init__(
        self,
        conninfo_or_connection: str | ConnectionPool[Any] | psycopg.Connection[Any],
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
        self._idle: IdleCheck | None = None
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = None
        if isinstance(conninfo_or_connection, str):
            self._idle = idle = IdleCheck()
            self._pool: ConnectionPool[Any] | None = ConnectionPool(
                conninfo_or_connection, min_size=1, max_size=pool_size, timeout=timeout, open=True,
                kwargs={"autocommit": True}, check=idle.check,
            )  # fmt: skip
        elif isinstance(conninfo_or_connection, ConnectionPool):
            self._pool = conninfo_or_connection
        elif isinstance(conninfo_or_connection, psycopg.Connection):
            self._pool = None
            self._conn = conninfo_or_connection
        else:
            raise PGStoreConfigError(
                f"pgstore: need a conninfo string, ConnectionPool or Connection, not "
                f"{type(conninfo_or_connection).__name__}"
            )
        self._cleanup = PeriodicJob(self.delete_expired, name="pgstore", log=log, catch=PGStoreError)
        if create_table:
            try:
                with self._connection("create table") as conn:
                    conn.execute(CREATE_TABLE)
            except BaseException:
                self.close()
                raise

    # -- the database ------------------------------------------------------------------------------

    @contextmanager
    def _connection(self, operation: str) -> Iterator[psycopg.Connection[Any]]:
        """A connection (in a transaction when it is the caller's own); psycopg errors → ours."""
        try:
            if self._pool is not None:
                with self._pool.connection() as conn:
                    try:
                        yield conn
                    finally:
                        if self._idle is not None:
                            self._idle.used(conn)
            else:
                assert self._conn is not None
                with self._lock, self._conn.transaction():
                    yield self._conn
        except PGStoreError:
            raise
        except (psycopg.Error, OSError) as exc:
            raise from_psycopg(exc, operation) from exc

    def _load(self, key: bytes) -> object:
        with self._connection("load") as conn:
            row = conn.execute(SELECT_ROW, (key,)).fetchone()
        return None if row is None else row[0]

    def _write(self, plan: Write) -> None:
        with self._connection("save") as conn:
            if plan.update_first and conn.execute(UPDATE_ROWS, plan.update_params()).rowcount:
                return
            with one_trip(conn):
                conn.execute(LOCK_KEY, (plan.session_id,))
                conn.execute(WRITE_ROW, plan.write_params())

    def _delete(self, plan: Delete) -> None:
        if plan.session_id:
            with self._connection("delete") as conn:
                conn.execute(DELETE_ROWS, (plan.key,))

    def _apply(self, plan: Write | Delete) -> None:
        if isinstance(plan, Delete):
            self._delete(plan)
        else:
            self._write(plan)

    # -- cleanup (Go: cleanup.go) -----------------------------------------------------------------

    def delete_expired(self) -> int:
        """Delete the rows whose ``expires_on`` has passed; how many (Go: ``deleteExpired``)."""
        with self._connection("cleanup") as conn:
            return conn.execute(DELETE_EXPIRED).rowcount

    def cleanup(self, interval: float = DEFAULT_CLEANUP_INTERVAL) -> None:
        """Run ``delete_expired`` every ``interval`` seconds in a daemon thread (Go: ``Cleanup``).

        An interval <= 0 means 5 minutes, as in Go. Failures are logged and the loop goes on.
        """
        if self._cleanup.running:
            raise PGStoreConfigError("pgstore: cleanup is already running")
        self._cleanup.start(interval if interval > 0 else DEFAULT_CLEANUP_INTERVAL)

    def stop_cleanup(self) -> None:
        """Stop the cleanup thread and wait for it (Go: ``StopCleanup``); no-op when not running."""
        self._cleanup.stop()

    def close(self) -> None:
        """Stop cleanup and close the pool this store made (Go: ``Close``)."""
        self.stop_cleanup()
        if self._owned and self._pool is not None:
            self._pool.close()
