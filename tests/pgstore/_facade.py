"""Run the async store through the sync API, so one contract covers PGStore and AsyncPGStore."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from gorillacompat.pgstore import AsyncPGStore, PGStore
from gorillacompat.sessions.session import Session

T = TypeVar("T")


class SyncOverAsync:
    """``AsyncPGStore`` driven by its own event loop; the same methods as ``PGStore``."""

    def __init__(self, store: AsyncPGStore) -> None:
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

    def delete_expired(self) -> int:
        return self._run(self.store.delete_expired())

    def close(self) -> None:
        self._run(self.store.close())
        self.loop.close()


def make_store(flavor: str, dsn: str, *keys: bytes | None, **kw: Any) -> Any:
    """A PGStore, or an AsyncPGStore behind ``SyncOverAsync``."""
    if flavor == "sync":
        return PGStore(dsn, *keys, **kw)
    facade = SyncOverAsync(AsyncPGStore(dsn, *keys, **kw))
    facade._run(facade.store.delete_expired())  # open the pool and create the table, as Go does
    return facade


def cookie_of(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]
