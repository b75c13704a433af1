"""MemcacheStore, or AsyncMemcacheStore through the sync API (tests/_sync_over_async.py)."""

from __future__ import annotations

from typing import Any

from gorillacompat.memcache import AsyncMemcacheStore, MemcacheStore
from tests._sync_over_async import SyncOverAsync, cookie_of
from tests._sync_over_async import make_store as _make_store

__all__ = ["SyncOverAsync", "cookie_of", "make_store"]


def make_store(flavor: str, address: str, *keys: bytes | None, **kw: Any) -> Any:
    """A MemcacheStore, or an AsyncMemcacheStore behind ``SyncOverAsync``."""
    return _make_store(flavor, MemcacheStore, AsyncMemcacheStore, address, *keys, **kw)
