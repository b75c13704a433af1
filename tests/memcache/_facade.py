"""Run the async store through the sync API, so one contract covers both stores."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from gorillacompat.memcache import AsyncMemcacheStore, MemcacheStore
from gorillacompat.sessions.session import Session

T = TypeVar("T")


class SyncOverAsync:
    """``AsyncMemcacheStore`` driven by its own event loop; the same methods as ``MemcacheStore``."""

    def __init__(self, store: AsyncMemcacheStore) -> None:
        self.store = store
        self.loop = asyncio.new_event_loop()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def new(self, cookies: Mapping[str, str], name: str) -> Session:
        return self._run(self.store.new(cookies, name))

    def get(self, cookies: Mapping[str, str], name: str) -> Session:
        return self._run(self.store.get(cookies, name))

    def save(self, session: Session) -> str:
        return self._run(self.store.save(session))

    def delete(self, session: Session) -> str:
        return self._run(self.store.delete(session))

    def close(self) -> None:
        self._run(self.store.close())
        self.loop.close()


def make_store(flavor: str, address: str, *keys: bytes | None, **kw: Any) -> Any:
    """A MemcacheStore, or an AsyncMemcacheStore behind ``SyncOverAsync``."""
    if flavor == "sync":
        return MemcacheStore(address, *keys, **kw)
    return SyncOverAsync(AsyncMemcacheStore(address, *keys, **kw))


def cookie_of(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]
