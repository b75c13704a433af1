"""GormStore, or AsyncGormStore through the sync API (tests/_sync_over_async.py), for one contract."""

from __future__ import annotations

from typing import Any

from gorillacompat.gormstore import AsyncGormStore, GormStore
from tests._sync_over_async import SyncOverAsync, cookie_of
from tests._sync_over_async import make_store as _make_store

__all__ = ["SyncOverAsync", "cookie_of", "make_store"]


def make_store(flavor: str, url: str, *keys: bytes | None, **kw: Any) -> Any:
    """A GormStore, or an AsyncGormStore behind ``SyncOverAsync`` (table made at once, as Go does)."""
    store = _make_store(flavor, GormStore, AsyncGormStore, url, *keys, **kw)
    if isinstance(store, SyncOverAsync) and kw.get("create_table", True):
        store.create_table()
    return store
