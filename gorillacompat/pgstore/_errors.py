"""Errors of the PostgreSQL session store.

Layering: imports ``errors`` only (psycopg is imported inside ``from_psycopg``).

Go's pgstore returns plain ``error`` values from database/sql and lib/pq; here every failure is a
``GorillaError``, so one ``except GorillaError`` covers cookies, gob and the database. Messages name
the operation, never the session ID or a key: a session ID is a bearer credential.
"""

from __future__ import annotations

from ..errors import (
    DecodeError,
    StoreConfigError,
    StoreConnectionError,
    StoreResponseError,
    StoreServerError,
    StoreTimeoutError,
    UsageError,
)

__all__ = [
    "CorruptRowError",
    "ExpiresOnTypeError",
    "PGConnectionError",
    "PGResponseError",
    "PGStoreConfigError",
    "PGStoreError",
    "PGTimeoutError",
    "from_psycopg",
]


class PGStoreError(StoreServerError):
    """PostgreSQL could not do what the store asked (down, slow, or refused); never raised itself.

    See ``StoreServerError`` for ``operation``. A save that raises was not committed.
    """


class PGConnectionError(PGStoreError, StoreConnectionError):
    """The store could not reach PostgreSQL, or lost the connection mid-statement."""


class PGTimeoutError(PGConnectionError, StoreTimeoutError):
    """No connection within the pool timeout, or the server cancelled the statement
    (``statement_timeout``)."""


class PGResponseError(PGStoreError, StoreResponseError):
    """PostgreSQL refused the statement (missing table, no privilege, read-only server, ...)."""


class PGStoreConfigError(StoreConfigError):
    """A store argument Go would refuse (no key pairs, a negative max length, a bad driver object)."""


class CorruptRowError(DecodeError):
    """The ``http_sessions`` row of the cookie's ID is not a securecookie value (not ASCII, NULL).

    Set as ``session.error`` by ``new``/``get``, like a ``data`` column that fails to decode.
    """


class ExpiresOnTypeError(UsageError):
    """``session.values["expires_on"]`` is set but is not a time.

    Go: pgstore's ``save`` asserts ``exOn.(time.Time)`` and panics; we raise before writing.
    """

    def __init__(self, type_name: str) -> None:
        super().__init__(
            f'pgstore: session value "expires_on" is a {type_name}, not a time.Time',
            hint="pgstore reads the keys expires_on and created_on as times; store a GoTime or "
            "datetime there, or use other key names",
        )
        self.type_name = type_name


def from_psycopg(exc: BaseException, operation: str) -> PGStoreError:
    """Our error for a psycopg / psycopg-pool exception (sync and async raise the same classes)."""
    import psycopg  # local: this module stays importable without psycopg
    import psycopg_pool

    if isinstance(exc, (psycopg_pool.PoolTimeout, psycopg.errors.QueryCanceled, TimeoutError)):
        return PGTimeoutError.wrapping(
            "pgstore", operation, exc,
            "PostgreSQL did not answer in time (is it down or overloaded?); nothing was committed",
        )  # fmt: skip
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError, psycopg_pool.PoolClosed, OSError)):
        return PGConnectionError.wrapping(
            "pgstore", operation, exc,
            "is PostgreSQL running and reachable? the session was not read or written",
        )  # fmt: skip
    return PGResponseError.wrapping(
        "pgstore", operation, exc,
        "PostgreSQL refused the statement; the stored session (if any) is unchanged",
    )  # fmt: skip
