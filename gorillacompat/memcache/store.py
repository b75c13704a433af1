"""MemcacheStore: gorilla-sessions-memcache's sessions in memcached (sync).

Layering: imports ``sessions``, this package's ``_core``/``_errors``/``_client``/``_protocol`` and
pymemcache (for a client you pass in). The rules live in ``_core``; this shell sends the one command
each call needs and turns client and socket failures into ``MemcacheStoreError`` subclasses.

The store made from an address talks to memcached through ``_client`` (see that module for why not
pymemcache's ``PooledClient``); a pymemcache client you pass in is used as it is.

Go: ``gsm.MemcacheStore`` (``NewMemcacheStore`` / ``NewMemcacherStore``), as
gin-contrib/sessions/memcached v1.0.4 uses it (gorilla-sessions-memcache
v0.0.0-20240916143655-c0e34fd2f304 over bradfitz/gomemcache).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from pymemcache.client.base import Client, PooledClient  # type: ignore[import-untyped]
from pymemcache.client.hash import HashClient  # type: ignore[import-untyped]
from pymemcache.client.retrying import RetryingClient  # type: ignore[import-untyped]
from pymemcache.exceptions import MemcacheError  # type: ignore[import-untyped]

from ..sessions._server import PlannedStore, RulesFields
from ..sessions.options import Options
from ._client import SocketClient
from ._core import (
    DEFAULT_MAX_ITEM_SIZE,
    DEFAULT_MAX_LENGTH,
    Delete,
    MemcacheRules,
    Write,
    parse_address,
)
from ._errors import MemcacheResponseError, MemcacheStoreConfigError, ReplyError, from_sync_client
from ._protocol import MAX_VALUE

__all__ = ["DEFAULT_TIMEOUT", "MemcacheStore", "PymemcacheClient"]

#: Go: gomemcache's ``DefaultTimeout`` (500 ms), for connecting and for each answer.
DEFAULT_TIMEOUT = 0.5

#: The pymemcache clients the store accepts (a plain ``Client`` is not thread-safe).
PymemcacheClient: TypeAlias = Client | PooledClient | HashClient | RetryingClient


class MemcacheStore(RulesFields, PlannedStore):
    """Sessions in memcached, shared with Go's gorilla-sessions-memcache.

    Go: ``gsm.NewMemcacheStore(client, keyPrefix, keyPairs...)``, then ``StoreMethod``.
    ``client_or_address`` is ``"host:port"`` (a thread-safe pooled client bounding every command by
    ``timeout`` is made, and closed by ``close``) or a pymemcache client (its own ``key_prefix``
    would be added in front of ours; leave it empty). ``store_method`` is ``"securecookie"`` (Go's
    default), ``"gob"`` or ``"json"``. ``max_item_size`` is memcached's ``-I`` (0 = do not check).
    ``clock`` and ``random_bytes`` are for tests and migrations; the defaults are what you want.

    ``get``/``new``/``save``/``delete`` and the ``options``/``max_length`` fields are
    ``sessions._server``'s (Go: ``New``, ``Save``, ``MaxLength``). ``save`` raises securecookie's,
    gob's or JSON's errors, ``MalformedKeyError`` or ``ItemTooLargeError`` (nothing is sent), or a
    ``MemcacheStoreError``; the value it returns means memcached acknowledged the command.
    """

    rules: MemcacheRules

    def __init__(
        self,
        client_or_address: str | PymemcacheClient,
        *keys: bytes | None,
        key_prefix: str = "",
        store_method: str = "securecookie",
        options: Options | None = None,
        max_length: int = DEFAULT_MAX_LENGTH,
        max_item_size: int = DEFAULT_MAX_ITEM_SIZE,
        timeout: float = DEFAULT_TIMEOUT,
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
        self._owned = isinstance(client_or_address, str)
        if isinstance(client_or_address, str):
            host, port = parse_address(client_or_address)
            self.client: SocketClient | PymemcacheClient = SocketClient(
                host, port, timeout=timeout, max_value=MAX_VALUE
            )
            self._commands: SocketClient | _Pymemcache = self.client
        elif isinstance(client_or_address, (Client, PooledClient, HashClient, RetryingClient)):
            self.client = client_or_address
            self._commands = _Pymemcache(client_or_address)
        else:
            raise MemcacheStoreConfigError(
                f'memcache: need "host:port" or a pymemcache client, not {type(client_or_address).__name__}'
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

    def _load(self, key: bytes) -> object:
        try:
            return self._commands.get(key)
        except (MemcacheError, ReplyError, OSError) as exc:
            raise from_sync_client(exc, "load") from exc

    def _apply(self, plan: Write | Delete) -> None:
        operation = "delete" if isinstance(plan, Delete) else "save"
        try:
            if isinstance(plan, Delete):
                self._commands.delete(plan.key)
                return
            stored = self._commands.set(plan.key, plan.value, plan.exptime)
        except (MemcacheError, ReplyError, OSError) as exc:
            raise from_sync_client(exc, operation) from exc
        if not stored:
            raise MemcacheResponseError("memcache: save: NOT_STORED", operation=operation)

    def close(self) -> None:
        """Close the client this store made (a client you passed in stays open)."""
        if self._owned:
            self.client.close()


class _Pymemcache:
    """A pymemcache client behind ``SocketClient``'s three commands; every command asks for its
    reply (``noreply=False``), whatever the client's default, so a save that returns was stored."""

    __slots__ = ("client",)

    def __init__(self, client: PymemcacheClient) -> None:
        self.client = client

    def get(self, key: bytes) -> bytes | None:
        value: bytes | None = self.client.get(key)
        return value

    def set(self, key: bytes, value: bytes, exptime: int) -> bool:
        return bool(self.client.set(key, value, expire=exptime, noreply=False))

    def delete(self, key: bytes) -> bool:
        return bool(self.client.delete(key, noreply=False))
