"""RedisStore: boj/redistore's sessions over a synchronous redis-py client.

Layering: imports ``sessions``, ``securecookie``, this package's ``_core``/``_errors``/
``_serializers``, and redis-py. The rules live in ``_core``; this shell only runs the one Redis
command each call needs (``GET``, ``SETEX``, ``DEL``) and turns redis-py failures into
``RedisStoreError`` subclasses.

Go: ``redistore.RediStore`` (boj/redistore v2.0.1 ``NewStore``; ``compat="v1"`` for 2018 … v1.4.2).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import redis

from ..securecookie import codecs_from_pairs
from ..sessions._server import ServerStore
from ..sessions.options import Options
from ..sessions.session import Session
from ._core import (
    DEFAULT_KEY_PREFIX,
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_LENGTH,
    SESSION_EXPIRE,
    Delete,
    RediStoreRules,
    Write,
)
from ._errors import RedisStoreConfigError, ReplicationError, from_redis
from ._serializers import GobSerializer, SessionSerializer

__all__ = ["RedisStore", "Rules", "SyncRedisShell"]


class Rules(Protocol):
    """What a shell needs from a store flavour's pure rules (``RediStoreRules``, ``RbcRules``)."""

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> str | None: ...

    def finish_load(self, session: Session, data: object) -> None: ...

    def end_new(self) -> None: ...

    def plan_save(self, session: Session) -> Write | Delete: ...

    def saved_cookie(self, session: Session, now: int) -> str: ...

    def deleted_cookie(self, session: Session, now: int, *, force_expire: bool = False) -> str: ...


def _unix_now() -> int:
    return int(time.time())


def default_options() -> Options:
    """Go: ``&sessions.Options{Path: "/", MaxAge: sessionExpire}``."""
    return Options(path="/", max_age=SESSION_EXPIRE)


def check_wait(wait_replicas: int, is_cluster: bool) -> None:
    if wait_replicas < 0:
        raise RedisStoreConfigError("redistore: wait_replicas cannot be negative")
    if wait_replicas and is_cluster:
        raise RedisStoreConfigError("redistore: wait_replicas is not supported with RedisCluster")


class SyncRedisShell(ServerStore):
    """get/new/save over a sync redis-py client; the flavour's rules decide everything else.

    ``get`` and ``new`` are ``sessions._server``'s: Go's ``New``, with Redis failures raised as a
    ``RedisStoreError`` (Go returns them next to the session).
    """

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
        #: Defaults copied into every new session (Go: ``RediStore.Options``).
        self.options = options
        self.clock = clock
        check_wait(wait_replicas, isinstance(client, redis.RedisCluster))
        self.wait_replicas = wait_replicas
        self.wait_timeout_ms = wait_timeout_ms

    # -- redis calls --------------------------------------------------------------------------

    def _call(self, command: str, key: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # redis-py can fail with non-Redis errors mid-command
            raise from_redis(exc, command, key) from exc

    def _exec(self, *args: Any) -> Any:
        return self.client.execute_command(*args)

    def _write(self, plan: Write) -> None:
        if self.wait_replicas:
            pipe = self.client.pipeline(transaction=False)
            self._queue_write(pipe, plan)
            pipe.execute_command("WAIT", self.wait_replicas, self.wait_timeout_ms)
            _, acked = self._call(plan.command, plan.key, pipe.execute)
            if int(acked) < self.wait_replicas:
                raise ReplicationError(int(acked), self.wait_replicas, key=plan.key)
            return
        if plan.command == "SETEX":
            self._call("SETEX", plan.key, self._exec, "SETEX", plan.key, plan.ttl, plan.payload)
        else:
            self._call("SET", plan.key, self._exec, "SET", plan.key, plan.payload, "EX", plan.ttl)

    @staticmethod
    def _queue_write(pipe: Any, plan: Write) -> None:
        if plan.command == "SETEX":
            pipe.execute_command("SETEX", plan.key, plan.ttl, plan.payload)
        else:
            pipe.execute_command("SET", plan.key, plan.payload, "EX", plan.ttl)

    # -- the store API ------------------------------------------------------------------------

    def _load(self, key: str) -> object:
        return self._call("GET", key, self.client.get, key)

    def save(self, session: Session) -> str:
        """Write (or delete) the session in Redis and return the ``Set-Cookie`` value (Go: ``Save``).

        Raises the serializer's error, ``ValueTooBigError``, ``InvalidExpireError`` (nothing is
        sent) or a ``RedisStoreError``; a failed save leaves the stored record as it was.
        """
        plan = self.rules.plan_save(session)
        if isinstance(plan, Delete):
            self._call("DEL", plan.key, self.client.delete, plan.key)
            return self.rules.deleted_cookie(session, self.clock())
        self._write(plan)
        return self.rules.saved_cookie(session, self.clock())

    def ping(self) -> bool:
        """Go's constructors ``PING`` once; call this to do the same (raises ``RedisStoreError``)."""
        return bool(self._call("PING", "", self.client.ping))

    def close(self) -> None:
        self.client.close()


class RedisStore(SyncRedisShell):
    """Sessions in Redis, sharing keys and values with Go's boj/redistore.

    Go: ``redistore.NewStore(keyPairs, WithAddress/WithPool, WithKeyPrefix, WithDefaultMaxAge,
    WithMaxLength, WithSerializer, WithSessionOptions)``. ``client_or_url`` is a ``redis.Redis``,
    ``redis.RedisCluster``, a Sentinel ``master_for(...)`` client, or a ``redis://`` URL (then
    ``socket_timeout``/``socket_connect_timeout`` apply). The client must not decode responses.
    ``wait_replicas`` > 0 sends ``WAIT`` after each write and raises ``ReplicationError`` when fewer
    replicas acknowledge it (for Sentinel setups that must not lose a save on failover).
    ``clock`` and ``random_bytes`` are for tests and migrations; the defaults are what you want.
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
            client_or_url = redis.Redis.from_url(
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

    def delete(self, session: Session) -> str:
        """``DEL`` the session, clear its values, return an expiring cookie.

        Go: the deprecated ``RediStore.Delete`` (MaxAge -1 on a copy of the Options).
        """
        key = self.rules.key(session.id)
        self._call("DEL", key, self.client.delete, key)
        session.values.clear()
        return self.rules.deleted_cookie(session, self.clock(), force_expire=True)

    def set_max_age(self, max_age: int) -> None:
        """Go: ``RediStore.SetMaxAge`` — the default Options.MaxAge and every codec's max_age."""
        self.options.max_age = max_age
        for c in self.codecs:
            c.max_age = max_age
