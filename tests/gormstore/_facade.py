"""Run the async store through the sync API, so one contract covers GormStore and AsyncGormStore."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from gorillacompat.gormstore import AsyncGormStore, GormStore
from gorillacompat.sessions.session import Session
from tests.pgstore._facade import cookie_of

__all__ = ["SyncOverAsync", "cookie_of", "make_store"]

T = TypeVar("T")


class SyncOverAsync:
    """``AsyncGormStore`` driven by its own event loop; the same methods as ``GormStore``."""

    def __init__(self, store: AsyncGormStore) -> None:
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

    def cleanup(self) -> int:
        return self._run(self.store.cleanup())

    def create_table(self) -> None:
        self._run(self.store.create_table())

    def close(self) -> None:
        self._run(self.store.close())
        self.loop.close()


def make_store(flavor: str, url: str, *keys: bytes | None, **kw: Any) -> Any:
    """A GormStore, or an AsyncGormStore behind ``SyncOverAsync`` (table made at once, as Go does)."""
    if flavor == "sync":
        return GormStore(url, *keys, **kw)
    facade = SyncOverAsync(AsyncGormStore(url, *keys, **kw))
    if kw.get("create_table", True):
        facade.create_table()
    return facade
