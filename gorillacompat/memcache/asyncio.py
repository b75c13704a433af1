"""AsyncMemcacheStore: the same store for asyncio; differs from ``store`` only by ``await``.

Layering: imports this package's ``_core``/``_errors``/``_pipeline``/``_protocol``, ``store``
(shared defaults) and aiomcache (for a client you pass in).

The store made from an address talks to memcached through ``_pipeline``: every task's commands
share one connection and leave together once per loop turn (see that module for why not
aiomcache). An ``aiomcache.Client`` you pass in is used as it is, each command bounded by
``timeout``.

Go: ``gsm.MemcacheStore`` (there is no async Go store; Go's handlers are goroutines).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiomcache

from ..sessions._server import AsyncPlannedStore, RulesFields
from ..sessions.options import Options
from ._core import (
    DEFAULT_MAX_ITEM_SIZE,
    DEFAULT_MAX_LENGTH,
    Delete,
    MemcacheRules,
    Write,
    parse_address,
)
from ._errors import (
    MemcacheResponseError,
    MemcacheStoreConfigError,
    MemcacheStoreError,
    ReplyError,
    from_async_client,
)
from ._pipeline import PipelinedClient
from ._protocol import MAX_VALUE
from .store import DEFAULT_TIMEOUT

__all__ = ["AsyncMemcacheStore"]

T = TypeVar("T")


class AsyncMemcacheStore(RulesFields, AsyncPlannedStore):
    """Async twin of ``MemcacheStore``: same arguments, same rules, ``async`` methods.

    ``client_or_address`` is ``"host:port"`` (a pipelined client is made, and closed by
    ``close``: commands share a connection, and a new one opens, up to ``pool_size``, only when
    every open one has ``PIPELINE_DEPTH`` commands in flight) or an ``aiomcache.Client``.
    Every command is bounded by ``timeout``; the store must be used from one event loop.
    """

    rules: MemcacheRules

    def __init__(
        self,
        client_or_address: str | aiomcache.Client,
        *keys: bytes | None,
        key_prefix: str = "",
        store_method: str = "securecookie",
        options: Options | None = None,
        max_length: int = DEFAULT_MAX_LENGTH,
        max_item_size: int = DEFAULT_MAX_ITEM_SIZE,
        timeout: float = DEFAULT_TIMEOUT,
        pool_size: int = 16,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        self.rules = MemcacheRules(
            keys,
            options,
            key_prefix=key_prefix,
            store_method=store_method,
            max_length=max_length,
            max_item_size=max_item_size,
            clock=clock,
            random_bytes=random_bytes,
        )
        self.timeout = timeout
        self._owned = isinstance(client_or_address, str)
        if isinstance(client_or_address, str):
            host, port = parse_address(client_or_address)
            self.client: PipelinedClient | aiomcache.Client = PipelinedClient(
                host, port, timeout=timeout, connections=pool_size, max_value=MAX_VALUE
            )
        elif isinstance(client_or_address, aiomcache.Client):
            self.client = client_or_address
        else:
            raise MemcacheStoreConfigError(
                f'memcache: need "host:port" or an aiomcache.Client, not {type(client_or_address).__name__}'
            )

    # -- Go's fields and setters --------------------------------------------------------------------

    @property
    def key_prefix(self) -> str:
        """Go: ``KeyPrefix``."""
        return self.rules.key_prefix

    @property
    def store_method(self) -> str:
        """Go: ``StoreMethod``."""
        return self.rules.store_method

    # -- memcached ---------------------------------------------------------------------------------

    async def _command(self, operation: str, call: Awaitable[T]) -> T:
        try:
            if self._owned:  # the pipelined client bounds every command itself
                return await call
            return await asyncio.wait_for(call, self.timeout)
        except MemcacheStoreError:
            raise
        except (aiomcache.ClientException, ReplyError, OSError, EOFError, asyncio.TimeoutError) as exc:
            raise from_async_client(exc, operation) from exc

    async def _load(self, key: bytes) -> object:
        return await self._command("load", self.client.get(key))

    async def _apply(self, plan: Write | Delete) -> None:
        if isinstance(plan, Delete):
            await self._command("delete", self.client.delete(plan.key))
            return
        stored = await self._command("save", self.client.set(plan.key, plan.value, exptime=plan.exptime))
        if not stored:
            raise MemcacheResponseError("memcache: save: NOT_STORED", operation="save")

    async def close(self) -> None:
        """Close the client this store made (a client you passed in stays open)."""
        if self._owned:
            await self.client.close()
