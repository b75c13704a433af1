"""AsyncMemcacheStore: the same store over aiomcache (aio-libs); differs from ``store`` only by
``await``.

Layering: imports this package's ``_core``/``_errors``, ``store`` (shared defaults) and aiomcache.

Two aiomcache 0.8 behaviours are fixed in ``_Client``, the client made from an address: a
connection the server closes mid-command made ``set``/``delete`` spin forever without yielding
(``_execute_simple_command`` loops on ``readline() == b""``), and a command cancelled by a timeout
put its connection back into the pool with the answer still unread, for the next command to take.

Go: ``gsm.MemcacheStore`` (there is no async Go store; Go's handlers are goroutines).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import aiomcache
from aiomcache.pool import Connection

from ..sessions._server import AsyncPlannedStore, RulesFields
from ..sessions.options import Options
from ._core import (
    DEFAULT_MAX_ITEM_SIZE,
    DEFAULT_MAX_LENGTH,
    Delete,
    MemcacheRules,
    Write,
    default_options,
    parse_address,
)
from ._errors import MemcacheResponseError, MemcacheStoreConfigError, MemcacheStoreError, from_aiomcache
from .store import DEFAULT_TIMEOUT

__all__ = ["AsyncMemcacheStore"]

T = TypeVar("T")


@contextmanager
def _discard_if_interrupted(conn: Connection) -> Iterator[None]:
    """Mark the connection broken when a command stops half-way, so the pool closes it."""
    try:
        yield
    except BaseException as exc:
        if conn.reader.exception() is None:
            conn.reader.set_exception(ConnectionAbortedError(f"memcache command interrupted: {exc!r}"))
        raise


class _Client(aiomcache.Client):
    """aiomcache's ``Client`` with an EOF check and cancel-safe connections (see the module doc)."""

    async def _execute_simple_command(self, conn: Connection, raw_command: bytes) -> bytes:
        with _discard_if_interrupted(conn):
            conn.writer.write(raw_command)
            await conn.writer.drain()
            line = await conn.reader.readline()
            if not line.endswith(b"\r\n"):
                raise ConnectionResetError("memcached closed the connection mid-command")
            return line[:-2]

    async def _multi_get(self, conn: Connection, *keys: bytes, with_cas: bool = True) -> Any:
        with _discard_if_interrupted(conn):
            try:
                if with_cas:
                    return await super()._multi_get(conn, *keys)
                return await super()._multi_get(conn, *keys, with_cas=False)
            except aiomcache.ClientException as exc:
                if conn.reader.at_eof():
                    raise ConnectionResetError("memcached closed the connection mid-command") from exc
                raise


class AsyncMemcacheStore(RulesFields, AsyncPlannedStore):
    """Async twin of ``MemcacheStore``: same arguments, same rules, ``async`` methods.

    ``client_or_address`` is ``"host:port"`` (a pool of up to ``pool_size`` connections is made,
    and closed by ``close``) or an ``aiomcache.Client`` (used as it is, without the fixes above).
    Every command is bounded by ``timeout``.
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
            options.copy() if options is not None else default_options(),
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
            self.client: aiomcache.Client = _Client(host, port, pool_size=pool_size, pool_minsize=pool_size)
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
            return await asyncio.wait_for(call, self.timeout)
        except MemcacheStoreError:
            raise
        except (aiomcache.ClientException, OSError, EOFError, asyncio.TimeoutError) as exc:
            raise from_aiomcache(exc, operation) from exc

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
        """Close the pool this store made (a client you passed in stays open)."""
        if self._owned:
            await self.client.close()
