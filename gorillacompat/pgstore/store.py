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
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from ..sessions.cookie import is_cookie_name_valid
from ..sessions.options import Options
from ..sessions.session import InvalidCookieNameError, Session
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


class PGStore:
    """Sessions in PostgreSQL's ``http_sessions`` table, shared with Go's antonlindstrom/pgstore.

    Go: ``pgstore.NewPGStore(dbURL, keyPairs...)``. ``conninfo_or_connection`` is a libpq
    connection string (a ``psycopg_pool.ConnectionPool`` of ``pool_size`` connections is made and
    closed by ``close``), a ``ConnectionPool``, or a ``psycopg.Connection`` (used under a lock). Like
    Go, the constructor creates the table and its indexes when missing (``create_table=False`` skips
    it). ``timeout`` bounds the wait for a pooled connection. ``clock`` and ``random_bytes`` are for
    tests and migrations; the defaults are what you want.
    """

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
            options.copy() if options is not None else default_options(max_age),
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
        self._stop_cleanup: threading.Event | None = None
        self._cleanup_thread: threading.Thread | None = None
        if create_table:
            try:
                with self._connection("create table") as conn:
                    conn.execute(CREATE_TABLE)
            except BaseException:
                self.close()
                raise

    # -- Go's fields and setters ------------------------------------------------------------------

    @property
    def options(self) -> Options:
        """Defaults each new session copies (Go: ``PGStore.Options``)."""
        return self.rules.options

    @property
    def max_age(self) -> int:
        """Go: ``MaxAge``: the default MaxAge, and every codec's max age."""
        return self.rules.max_age

    @max_age.setter
    def max_age(self, age: int) -> None:
        self.rules.max_age = age

    @property
    def max_length(self) -> int:
        """Go: ``MaxLength``: the limit on each encoded value (0 = none)."""
        return self.rules.max_length

    @max_length.setter
    def max_length(self, length: int) -> None:
        self.rules.max_length = length

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

    def _select(self, key: bytes) -> object:
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

    # -- the store API -----------------------------------------------------------------------------

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        """A session loaded from its row when the cookie names one, else a fresh one (Go: ``New``).

        A bad cookie or an undecodable row gives a fresh session with ``session.error``; database
        failures raise a ``PGStoreError`` (Go returns them next to the session).
        """
        session = Session(name, self, options=self.options.copy(), is_new=True)
        key = self.rules.begin_load(session, cookies)
        try:
            if key is not None:
                self.rules.finish_load(session, self._select(key))
        finally:
            self.rules.end_new()
        return session

    def get(self, cookies: Mapping[str, str], name: str) -> Session:
        """Like ``new``, after Go's ``Registry.Get`` name check (``InvalidCookieNameError``)."""
        if not is_cookie_name_valid(name):
            raise InvalidCookieNameError(name)
        return self.new(cookies, name)

    def save(self, session: Session) -> str:
        """Write (or, for MaxAge < 0, delete) the row and return the ``Set-Cookie`` value (Go: ``Save``).

        Raises securecookie's errors or ``ExpiresOnTypeError`` (nothing is written) or a
        ``PGStoreError``; the value returned means the write has committed.
        """
        plan, header = self.rules.plan_save(session)
        if isinstance(plan, Delete):
            self._delete(plan)
        else:
            self._write(plan)
        return header

    def delete(self, session: Session) -> str:
        """Delete the session's rows; the ``Set-Cookie`` value that removes the cookie.

        Go: ``Options.MaxAge = -1`` then ``Save``.
        """
        plan, header = self.rules.delete_plan(session)
        self._delete(plan)
        return header

    # -- cleanup (Go: cleanup.go) -----------------------------------------------------------------

    def delete_expired(self) -> int:
        """Delete the rows whose ``expires_on`` has passed; how many (Go: ``deleteExpired``)."""
        with self._connection("cleanup") as conn:
            return conn.execute(DELETE_EXPIRED).rowcount

    def cleanup(self, interval: float = DEFAULT_CLEANUP_INTERVAL) -> None:
        """Run ``delete_expired`` every ``interval`` seconds in a daemon thread (Go: ``Cleanup``).

        An interval <= 0 means 5 minutes, as in Go. Failures are logged and the loop goes on.
        """
        if self._cleanup_thread is not None:
            raise PGStoreConfigError("pgstore: cleanup is already running")
        every = interval if interval > 0 else DEFAULT_CLEANUP_INTERVAL
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every):
                try:
                    self.delete_expired()
                except PGStoreError as exc:
                    log.warning("pgstore: unable to delete expired sessions: %s", exc)

        self._stop_cleanup = stop
        self._cleanup_thread = threading.Thread(target=loop, name="pgstore-cleanup", daemon=True)
        self._cleanup_thread.start()

    def stop_cleanup(self) -> None:
        """Stop the cleanup thread and wait for it (Go: ``StopCleanup``); no-op when not running."""
        if self._stop_cleanup is None or self._cleanup_thread is None:
            return
        self._stop_cleanup.set()
        self._cleanup_thread.join()
        self._stop_cleanup = self._cleanup_thread = None

    def close(self) -> None:
        """Stop cleanup and close the pool this store made (Go: ``Close``)."""
        self.stop_cleanup()
        if self._owned and self._pool is not None:
            self._pool.close()
