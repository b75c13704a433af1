"""Drive an async store through the sync API, so one contract covers a store and its asyncio twin.

Used by the pgstore, memcache and gormstore suites (their ``_facade.make_store``) and tests/gin.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class SyncOverAsync:
    """An async store driven by an event loop of its own; every ``async`` method becomes a sync one.

    Other attributes (``rules``, ``options``, ``max_length`` …) are the store's own.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self.loop = asyncio.new_event_loop()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._run(attr(*args, **kwargs))

        return call

    def close(self) -> None:
        self._run(self.store.close())
        self.loop.close()


def make_store(
    flavor: str, sync_cls: Callable[..., Any], async_cls: Callable[..., Any], *args: Any, **kw: Any
) -> Any:
    """``sync_cls(*args, **kw)``, or ``async_cls(*args, **kw)`` behind ``SyncOverAsync``."""
    if flavor == "sync":
        return sync_cls(*args, **kw)
    return SyncOverAsync(async_cls(*args, **kw))


def cookie_of(header: str) -> str:
    """The value of a ``Set-Cookie`` header."""
    return header.split(";", 1)[0].split("=", 1)[1]
