"""Sessions in PostgreSQL, shared byte for byte with Go's antonlindstrom/pgstore (the store that
gin-contrib/sessions/postgres wraps).

Layering: ``errors`` ← ``securecookie`` ← ``sessions`` ← ``pgstore``; the only package module that
imports psycopg. ``_core`` holds the rules (no I/O); ``store`` (sync) and ``asyncio`` are thin
shells over psycopg 3 and psycopg-pool. Install with the ``pgstore`` extra.

Go: ``github.com/antonlindstrom/pgstore`` v0.0.0-20220421113606-e3a6e3fed12a.
"""

from ._core import CREATE_TABLE as CREATE_TABLE
from ._core import DEFAULT_MAX_AGE as DEFAULT_MAX_AGE
from ._core import DEFAULT_MAX_LENGTH as DEFAULT_MAX_LENGTH
from ._errors import CorruptRowError as CorruptRowError
from ._errors import ExpiresOnTypeError as ExpiresOnTypeError
from ._errors import PGConnectionError as PGConnectionError
from ._errors import PGResponseError as PGResponseError
from ._errors import PGStoreConfigError as PGStoreConfigError
from ._errors import PGStoreError as PGStoreError
from ._errors import PGTimeoutError as PGTimeoutError
from .asyncio import AsyncPGStore as AsyncPGStore
from .store import PGStore as PGStore

__all__ = [
    "CREATE_TABLE",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "AsyncPGStore",
    "CorruptRowError",
    "ExpiresOnTypeError",
    "PGConnectionError",
    "PGResponseError",
    "PGStoreConfigError",
    "PGStoreError",
    "PGTimeoutError",
    "PGStore",
]
