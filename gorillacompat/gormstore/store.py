"""GormStore: wader/gormstore/v2's sessions over psycopg 3, PyMySQL or sqlite3 (sync).

Layering: imports ``sessions`` and this package's ``_core``/``_dialects``/``_errors``/``_pool``;
imports a driver only when a URL or connection of its kind is given. The rules live in ``_core``; this
shell runs the statements each call needs and turns driver failures into ``GormStoreError``s.

Go: ``gormstore.Store`` (``New`` / ``NewOptions``), as gin-contrib/sessions/gorm v1.0.4 uses it
(gormstore/v2 v2.0.3 on gorm.io/gorm v1.25.12).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import GorillaError
from ..sessions._server import MaxAgeField, PeriodicJob, RulesFields, ServerStore
from ..sessions.options import Options
from ..sessions.session import Session
from ._core import (
    DEFAULT_CLEANUP_INTERVAL,
    DEFAULT_MAX_LENGTH,
    DEFAULT_TABLE_NAME,
    Delete,
    GormStoreRules,
    Write,
)
from ._dialects import DIALECTS, Dialect, Statements, parse_url
from ._errors import GormStoreConfigError, GormStoreError, from_driver
from ._pool import Cursor as Cursor
from ._pool import DBAPIPool, Work

if TYPE_CHECKING:
    from ..pgstore.store import IdleCheck

__all__ = ["GormStore", "driver_errors"]

log = logging.getLogger("gorillacompat.gormstore")


def driver_errors(dialect: str) -> tuple[type[BaseException], ...]:
    """The exceptions of ``dialect``'s drivers that ``from_driver`` classifies."""
    if dialect == "postgres":
        import psycopg

        return (psycopg.Error, OSError)
    if dialect == "mysql":
        import pymysql

        return (pymysql.err.MySQLError, OSError)
    import sqlite3

    return (sqlite3.Error, OSError)


class CursorFactory(Protocol):
    """A cursor for one use of a connection, committed on exit (``Work`` says what the use does)."""

    def __call__(self, work: Work = "transaction") -> AbstractContextManager[Cursor]: ...


def _psycopg_cursor(source: Any, idle: IdleCheck | None = None) -> CursorFactory:
    """A psycopg ``ConnectionPool`` or ``Connection`` as a ``CursorFactory``.

    ``idle`` is set for the autocommit pool a URL makes: each statement commits itself, and only a
    ``"transaction"`` pays for ``BEGIN``/``COMMIT``. A caller's pool commits as psycopg's does on
    return; a caller's connection runs each use in a transaction, under a lock.
    """
    import psycopg

    if isinstance(source, psycopg.Connection):
        lock = threading.Lock()

        @contextmanager
        def on_connection(work: Work = "transaction") -> Iterator[Cursor]:
            with lock, source.transaction(), source.cursor() as cur:
                yield cur

        return on_connection

    @contextmanager
    def from_pool(work: Work = "transaction") -> Iterator[Cursor]:
        with source.connection() as conn:  # commits or rolls back on exit
            try:
                with conn.transaction() if work == "transaction" else nullcontext(), conn.cursor() as cur:
                    yield cur
            finally:
                if idle is not None:
                    idle.used(conn)

    return from_pool


def open_sync(
    url_or_connection: Any, pool_size: int, timeout: float
) -> tuple[str, CursorFactory, Callable[[], None]]:
    """The dialect, a cursor factory and a close function for a URL or a driver object."""
    if isinstance(url_or_connection, str):
        dialect, kw = parse_url(url_or_connection)
        if dialect == "postgres":
            from psycopg_pool import ConnectionPool

            from ..pgstore.store import IdleCheck

            idle = IdleCheck()
            pg_pool: Any = ConnectionPool(
                kw["conninfo"], min_size=1, max_size=pool_size, timeout=timeout, open=True,
                kwargs={"autocommit": True}, check=idle.check,
            )  # fmt: skip
            return dialect, _psycopg_cursor(pg_pool, idle), pg_pool.close
        if dialect == "mysql":
            import pymysql

            def connect() -> Any:
                return pymysql.connect(**kw, charset="utf8mb4", connect_timeout=timeout, autocommit=True,
                                       read_timeout=timeout, write_timeout=timeout)  # fmt: skip
        else:
            import sqlite3

            def connect() -> Any:
                return sqlite3.connect(kw["database"], timeout=timeout, check_same_thread=False)

        pool = DBAPIPool(connect, pool_size, timeout, serialize=dialect == "sqlite")
        return dialect, pool.cursor, pool.close
    module = type(url_or_connection).__module__.partition(".")[0]
    if module in ("psycopg", "psycopg_pool"):
        return "postgres", _psycopg_cursor(url_or_connection), lambda: None
    if module in ("pymysql", "sqlite3"):
        pool = DBAPIPool(lambda: url_or_connection, 1, timeout, owned=False)
        return ("mysql" if module == "pymysql" else "sqlite"), pool.cursor, lambda: None
    raise GormStoreConfigError(
        "gormstore: need a URL or a psycopg, PyMySQL or sqlite3 connection, not "
        f"{type(url_or_connection).__name__}"
    )


class GormStore(RulesFields, MaxAgeField, ServerStore):
    """Sessions in GORM's ``sessions`` table, shared with Go's wader/gormstore/v2.

    Go: ``gormstore.NewOptions(db, gormstore.Options{TableName: table_name}, keyPairs...)``.
    ``url_or_connection`` is a ``postgresql://``, ``mysql://`` or ``sqlite:///path`` URL (the store
    keeps up to ``pool_size`` connections and ``close`` closes them) or a psycopg ``Connection`` /
    ``ConnectionPool``, a PyMySQL or a sqlite3 connection (used under a lock, committed per call).
    Like Go, the constructor creates the table when missing (``create_table=False`` is Go's
    ``SkipCreateTable``). ``time_zone`` is the zone Go writes wall times in: the DSN's ``loc``
    for MySQL, the Go process's ``time.Local`` for SQLite (PostgreSQL stores instants). ``timeout``
    bounds each wait for a connection or an answer. ``clock`` (Unix seconds, with a fraction) and
    ``random_bytes`` are for tests and migrations; the defaults are what you want.

    ``get``/``new`` and the ``options``/``max_age``/``max_length`` fields are
    ``sessions._server``'s (Go: ``New``, ``MaxAge``, ``MaxLength``); ``new`` raises a
    ``GormStoreError`` where Go's ``New`` hides a database failure and starts a new session.
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
        dialect, self._cursor_factory, self._close = open_sync(url_or_connection, pool_size, timeout)
        self.dialect: Dialect = DIALECTS[dialect]
        self.sql: Statements = self.dialect.statements(table_name)
        self._errors: tuple[type[BaseException], ...] = (*driver_errors(dialect), TimeoutError)
        self._cleanup = PeriodicJob(self.cleanup, name="gormstore", log=log, catch=GormStoreError)
        if create_table:
            try:
                self.create_table()
            except BaseException:
                self.close()
                raise

    # -- the database ------------------------------------------------------------------------------

    @contextmanager
    def _cursor(self, operation: str, work: Work) -> Iterator[Cursor]:
        """A cursor for ``work``, committed on exit; driver errors become ours."""
        try:
            with self._cursor_factory(work) as cur:
                yield cur
        except GorillaError:
            raise
        except self._errors as exc:
            raise from_driver(exc, self.dialect.name, operation) from exc

    def _time(self, when: datetime) -> object:
        return self.dialect.time(when, self.time_zone)

    def create_table(self) -> None:
        """Go: ``AutoMigrate(&gormSession{})`` on a missing table: the same table Go would create.

        Two processes starting on an empty database both see no table; the one whose CREATE then
        fails goes on when the other's table is there (Go's AutoMigrate fails in that race).
        """
        try:
            with self._cursor("create table", "write") as cur:
                if not self._has_table(cur):
                    cur.execute(self.sql.create_table)
        except GormStoreError:
            with self._cursor("create table", "read") as cur:
                if not self._has_table(cur):
                    raise

    def _has_table(self, cur: Cursor) -> bool:
        cur.execute(self.sql.has_table, self.sql.has_table_params)
        return bool(cur.fetchone()[0])

    def _load(self, session_id: str) -> Sequence[object] | None:
        with self._cursor("load", "read") as cur:
            cur.execute(self.sql.select, (session_id, self._time(self.rules.now())))
            row: Sequence[object] | None = cur.fetchone()
        return row

    def _write(self, plan: Write) -> str:
        now, expires = self._time(plan.now), self._time(plan.expires_at)
        # One UPDATE, or one INSERT under a fresh ID: each commits alone, so a failure anywhere
        # leaves the stored row as it was, and no transaction (round trips) is needed.
        with self._cursor("save", "write") as cur:
            if plan.session_id:
                cur.execute(self.sql.update, (plan.data, now, expires, plan.session_id, now))
                if cur.rowcount > 0:
                    return plan.session_id
                # MySQL counts changed rows, not matched ones: a same-millisecond rewrite is 0.
                cur.execute(self.sql.live, (plan.session_id, now))
                if cur.fetchone() is not None:
                    return plan.session_id
            cur.execute(self.sql.insert, (plan.fresh_id, plan.data, now, now, expires))
        return plan.fresh_id

    def _delete(self, plan: Delete) -> None:
        if plan.session_id:
            with self._cursor("delete", "write") as cur:
                cur.execute(self.sql.delete, (plan.session_id,))

    # -- the store API (get and new: sessions._server) ------------------------------------------

    def save(self, session: Session) -> str:
        """Write (or, for MaxAge < 0, delete) the row and return the ``Set-Cookie`` value (Go: ``Save``).

        Raises securecookie's errors (nothing is written) or a ``GormStoreError``; the value
        returned means the write has committed. The cookie names the ID the row was written
        under: a session whose row is gone gets a new ID, as in Go.
        """
        plan = self.rules.plan_save(session)
        if isinstance(plan, Delete):
            self._delete(plan)
            return self.rules.cookie_after(session, plan, "")
        return self.rules.cookie_after(session, plan, self._write(plan))

    def delete(self, session: Session) -> str:
        """Delete the session's row; the ``Set-Cookie`` value that removes the cookie.

        Go: ``Options.MaxAge = -1`` then ``Save``.
        """
        session.options.max_age = -1
        return self.save(session)

    # -- cleanup ------------------------------------------------------------------------------------

    def cleanup(self) -> int:
        """Delete the rows whose ``expires_at`` has passed; how many (Go: ``Cleanup``, which
        ignores its error; this raises a ``GormStoreError``)."""
        with self._cursor("cleanup", "write") as cur:
            cur.execute(self.sql.cleanup, (self._time(self.rules.now()),))
            return int(cur.rowcount)

    def periodic_cleanup(self, interval: float = DEFAULT_CLEANUP_INTERVAL) -> None:
        """Run ``cleanup`` every ``interval`` seconds in a daemon thread until ``stop_cleanup``.

        Go: ``go store.PeriodicCleanup(interval, quit)``; gin-contrib's ``NewStore(db, true, ...)``
        uses one hour and cannot stop it. Failures are logged and the loop goes on.
        """
        if self._cleanup.running:
            raise GormStoreConfigError("gormstore: periodic cleanup is already running")
        if interval <= 0:
            raise GormStoreConfigError("gormstore: the cleanup interval must be positive")
        self._cleanup.start(interval)

    def stop_cleanup(self) -> None:
        """Stop the cleanup thread and wait for it (Go: closing ``quit``); no-op when not running."""
        self._cleanup.stop()

    def close(self) -> None:
        """Stop cleanup and close the connections this store made."""
        self.stop_cleanup()
        self._close()
