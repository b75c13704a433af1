"""Sessions in SQL via GORM, shared byte for byte with Go's wader/gormstore/v2 (the store that
gin-contrib/sessions/gorm wraps), on PostgreSQL, MySQL/MariaDB and SQLite.

Layering: ``errors`` ← ``securecookie`` ← ``sessions`` ← ``gormstore``; the only package module
that imports PyMySQL/aiomysql (psycopg is shared with ``pgstore``). ``_core`` holds the rules and
``_dialects`` the table and SQL (no I/O); ``store`` (sync) and ``asyncio`` are thin shells.
Install with the ``gormstore`` extra.

Go: ``github.com/wader/gormstore/v2`` v2.0.3 on ``gorm.io/gorm`` v1.25.12.
"""

from ._core import DEFAULT_CLEANUP_INTERVAL as DEFAULT_CLEANUP_INTERVAL
from ._core import DEFAULT_MAX_AGE as DEFAULT_MAX_AGE
from ._core import DEFAULT_MAX_LENGTH as DEFAULT_MAX_LENGTH
from ._core import DEFAULT_TABLE_NAME as DEFAULT_TABLE_NAME
from ._errors import CorruptRowError as CorruptRowError
from ._errors import GormConnectionError as GormConnectionError
from ._errors import GormResponseError as GormResponseError
from ._errors import GormStoreConfigError as GormStoreConfigError
from ._errors import GormStoreError as GormStoreError
from ._errors import GormTimeoutError as GormTimeoutError
from .asyncio import AsyncGormStore as AsyncGormStore
from .store import GormStore as GormStore

__all__ = [
    "DEFAULT_CLEANUP_INTERVAL",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_TABLE_NAME",
    "AsyncGormStore",
    "CorruptRowError",
    "GormConnectionError",
    "GormResponseError",
    "GormStore",
    "GormStoreConfigError",
    "GormStoreError",
    "GormTimeoutError",
]
