"""AsyncRedisStore: the same store over ``redis.asyncio`` clients; differs from ``store`` only by
``await``.

Layering: imports this package's ``store`` (for the shared constructor pieces) and ``_core``;
``redis.asyncio`` raises the same exception classes as sync redis-py, so errors map identically.

Go: ``redistore.RediStore`` (there is no async Go store; Go's handlers are goroutines).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aredis

from ..securecookie import codecs_from_pairs
from ..sessions._server import AsyncServerStore
from ..sessions.options import Options
from ..sessions.session import Session
from ._core import (
    DEFAULT_KEY_PREFIX,
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_LENGTH,
    Delete,
    RediStoreRules,
    Write,
)
from ._errors import RedisStoreConfigError, ReplicationError, from_redis
from ._serializers import GobSerializer, SessionSerializer
from .store import Rules, _unix_now, check_wait, default_options

__all__ = ["AsyncRedisShell", "AsyncRedisStore"]


class AsyncRedisShell(AsyncServerStore):
    """Async twin of ``store.SyncRedisShell``: same rules, same commands, awaited."""

    rules: Rules

    def __init__(
        self,
        client: Any,
        rules: Rules,
        options: Options,
        *,
        clock: Callable[[], int],
        wait_replicas: int = 0,
        wait_timeout_ms: int = 1000,
    ) -> None:
        self.client = client
        self.rules = rules
        self.options = options
        self.clock = clock
        check_wait(wait_replicas, isinstance(client, aredis.RedisCluster))
        self.wait_replicas = wait_replicas
        self.wait_timeout_ms = wait_timeout_ms

    async def _call(self, command: str, key: str, aw: Awaitable[Any]) -> Any:
        try:
            return await aw
        except Exception as exc:  # redis-py can fail with non-Redis errors mid-command
            raise from_redis(exc, command, key) from exc

    async def _write(self, plan: Write) -> None:
        if self.wait_replicas:
            pipe = self.client.pipeline(transaction=False)
            if plan.command == "SETEX":
                pipe.execute_command("SETEX", plan.key, plan.ttl, plan.payload)
            else:
                pipe.execute_command("SET", plan.key, plan.payload, "EX", plan.ttl)
            pipe.execute_command("WAIT", self.wait_replicas, self.wait_timeout_ms)
            _, acked = await self._call(plan.command, plan.key, pipe.execute())
            if int(acked) < self.wait_replicas:
                raise ReplicationError(int(acked), self.wait_replicas, key=plan.key)
            return
        if plan.command == "SETEX":
            await self._call(
                "SETEX",
                plan.key,
                self.client.execute_command("SETEX", plan.key, plan.ttl, plan.payload),
            )
        else:
            await self._call(
                "SET",
                plan.key,
                self.client.execute_command("SET", plan.key, plan.payload, "EX", plan.ttl),
            )

    async def _load(self, key: str) -> object:
        return await self._call("GET", key, self.client.get(key))

    async def save(self, session: Session) -> str:
        """Async ``RedisStore.save``."""
        plan = self.rules.plan_save(session)
        if isinstance(plan, Delete):
            await self._call("DEL", plan.key, self.client.delete(plan.key))
            return self.rules.deleted_cookie(session, self.clock())
        await self._write(plan)
        return self.rules.saved_cookie(session, self.clock())

    async def ping(self) -> bool:
        return bool(await self._call("PING", "", self.client.ping()))

    async def close(self) -> None:
        await self.client.aclose()


class AsyncRedisStore(AsyncRedisShell):
    """``RedisStore`` for asyncio: a ``redis.asyncio`` ``Redis``/``RedisCluster``/Sentinel client
    or a ``redis://`` URL; same arguments, same keys and bytes.

    Go: ``redistore.RediStore``. Sessions it returns have no ``store`` (``Session.save`` is sync);
    call ``await store.save(session)``.
    """

    def __init__(
        self,
        client_or_url: Any,
        *keys: bytes | None,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        default_max_age: int = DEFAULT_MAX_AGE,
        max_length: int = DEFAULT_MAX_LENGTH,
        serializer: SessionSerializer | None = None,
        options: Options | None = None,
        compat: str = "v2",
        socket_timeout: float | None = 5.0,
        socket_connect_timeout: float | None = 5.0,
        wait_replicas: int = 0,
        wait_timeout_ms: int = 1000,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        if not keys:
            raise RedisStoreConfigError("redistore: at least one key pair is required")
        clock = clock if clock is not None else _unix_now
        random_bytes = random_bytes if random_bytes is not None else os.urandom
        self.codecs = codecs_from_pairs(*keys, clock=clock, random_bytes=random_bytes)
        rules = RediStoreRules(
            self.codecs,
            key_prefix=key_prefix,
            default_max_age=default_max_age,
            max_length=max_length,
            serializer=serializer if serializer is not None else GobSerializer(),
            compat=compat,
            random_bytes=random_bytes,
        )
        self.rules: RediStoreRules = rules
        if isinstance(client_or_url, str):
            client_or_url = aredis.Redis.from_url(
                client_or_url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=socket_connect_timeout,
            )
        super().__init__(
            client_or_url,
            rules,
            options if options is not None else default_options(),
            clock=clock,
            wait_replicas=wait_replicas,
            wait_timeout_ms=wait_timeout_ms,
        )

    async def delete(self, session: Session) -> str:
        """Async ``RedisStore.delete`` (Go: deprecated ``RediStore.Delete``)."""
        key = self.rules.key(session.id)
        await self._call("DEL", key, self.client.delete(key))
        session.values.clear()
        return self.rules.deleted_cookie(session, self.clock(), force_expire=True)

    def set_max_age(self, max_age: int) -> None:
        """Go: ``RediStore.SetMaxAge``."""
        self.options.max_age = max_age
        for c in self.codecs:
            c.max_age = max_age
