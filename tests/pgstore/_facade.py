"""PGStore, or AsyncPGStore through the sync API (tests/_sync_over_async.py), for one contract."""

from __future__ import annotations

from typing import Any

from gorillacompat.pgstore import AsyncPGStore, PGStore
from tests._sync_over_async import SyncOverAsync, cookie_of
from tests._sync_over_async import make_store as _make_store

__all__ = ["SyncOverAsync", "cookie_of", "make_store"]


def make_store(flavor: str, dsn: str, *keys: bytes | None, **kw: Any) -> Any:
    """A PGStore, or an AsyncPGStore behind ``SyncOverAsync``."""
    store = _make_store(flavor, PGStore, AsyncPGStore, dsn, *keys, **kw)
    if isinstance(store, SyncOverAsync):
        store.delete_expired()  # open the pool and create the table, as Go does
    return store
