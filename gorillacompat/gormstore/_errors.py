"""Errors of the GORM session store.

Layering: imports ``errors`` only (drivers are imported inside ``from_driver``, and only the one
the failing store uses).

Go's gormstore swallows most failures (``New`` never returns an error; ``Cleanup`` ignores it).
Here every failure is a ``GorillaError``; messages name the operation and the driver's text,
never the session ID or a key (a session ID is a bearer credential).
"""

from __future__ import annotations

from ..errors import (
    DecodeError,
    StoreConfigError,
    StoreConnectionError,
    StoreResponseError,
    StoreServerError,
    StoreTimeoutError,
)

__all__ = [
    "CorruptRowError",
    "GormConnectionError",
    "GormResponseError",
    "GormStoreConfigError",
    "GormStoreError",
    "GormTimeoutError",
    "from_driver",
]


class GormStoreError(StoreServerError):
    """The database could not do what the store asked (down, slow, locked); never raised itself.

    See ``StoreServerError`` for ``operation``. A save that raises was not committed.
    """


class GormConnectionError(GormStoreError, StoreConnectionError):
    """The store could not reach the database, or lost the connection mid-statement."""


class GormTimeoutError(GormConnectionError, StoreTimeoutError):
    """No connection within the timeout, a statement cancelled for time, or SQLite's lock wait."""


class GormResponseError(GormStoreError, StoreResponseError):
    """The database refused the statement (missing table, no privilege, read-only, ...)."""


class GormStoreConfigError(StoreConfigError):
    """A store argument that cannot work (no key pairs, an unknown URL scheme, a bad driver object)."""


class CorruptRowError(DecodeError):
    """The live row of the cookie's ID holds no securecookie text in ``data`` (NULL, bytes).

    Set as ``session.error`` by ``new``/``get``, like a ``data`` that fails to decode.
    """


#: MySQL/MariaDB server errors that mean the connection is going away: too many connections,
#: shutdown in progress, aborted, network read/write errors, connection killed.
_MYSQL_GONE = frozenset({1040, 1053, 1077, 1152, 1153, 1158, 1159, 1160, 1161, 1927})
#: Lock wait timeout, statement max execution time exceeded (MySQL 3024, MariaDB 1969).
_MYSQL_TIMEOUTS = frozenset({1205, 1969, 3024})


def _timed_out(exc: BaseException) -> bool:
    # asyncio.TimeoutError is not a TimeoutError before Python 3.11.
    named = type(exc).__name__ == "TimeoutError"
    return named or isinstance(exc, TimeoutError) or "timed out" in str(exc).lower()


def from_driver(exc: BaseException, dialect: str, operation: str) -> GormStoreError:
    """Our error for a psycopg, PyMySQL/aiomysql or sqlite3 exception (or an OSError/TimeoutError)."""
    kind: type[GormStoreError] = GormResponseError
    if dialect == "postgres":
        from ..pgstore._errors import PGConnectionError, PGTimeoutError, from_psycopg

        pg = from_psycopg(exc, operation)
        kind = (
            GormTimeoutError if isinstance(pg, PGTimeoutError)
            else GormConnectionError if isinstance(pg, PGConnectionError)
            else GormResponseError
        )  # fmt: skip
    elif dialect == "mysql":
        import pymysql

        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 2000
        if _timed_out(exc) or code in _MYSQL_TIMEOUTS:
            kind = GormTimeoutError
        elif isinstance(exc, (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError)):
            # 2xxx codes are the client's connection; of the server's 1xxx, only shutdown/kill ones.
            lost = code >= 2000 or code in _MYSQL_GONE or isinstance(exc, OSError)
            kind = GormConnectionError if lost else GormResponseError
    elif dialect == "sqlite":
        text_l = str(exc).lower()
        if "locked" in text_l or "busy" in text_l or _timed_out(exc):
            kind = GormTimeoutError
        elif "unable to open" in text_l or "disk i/o" in text_l or isinstance(exc, OSError):
            kind = GormConnectionError
    elif _timed_out(exc):
        kind = GormTimeoutError
    hint = {
        GormTimeoutError: "no answer in time (down, overloaded or locked); nothing was committed",
        GormConnectionError: "is the database running and reachable? the session was not read or written",
        GormResponseError: "the database refused the statement; the stored session (if any) is unchanged",
    }[kind]
    return kind.wrapping("gormstore", operation, exc, hint)
