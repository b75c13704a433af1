"""The rbcervilla/redisstore flavour: ``session:`` keys, 103-char IDs, the raw ID as cookie.

Layering: like ``store``/``asyncio``, whose shells it reuses with its own rules.

Go: ``github.com/rbcervilla/redisstore/v9`` v9.0.0 ``RedisStore`` (spec redistore.md §8)::

    cookie  name=<ID>                       # no securecookie, no MAC
    key     "session:" + ID                 # ID = base32 std of 64 random bytes, "=" trimmed
    value   gob of session.Values           # GobSerializer
    save    SET key value EX MaxAge         # MaxAge <= 0: DEL key and an empty cookie
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis
import redis.asyncio as aredis

from ..errors import GorillaError
from ..sessions.cookie import new_cookie
from ..sessions.options import Options
from ..sessions.session import Session
from ._core import Delete, Write, new_session_id
from ._serializers import GobSerializer, SessionSerializer
from .asyncio import AsyncRedisShell
from .store import SyncRedisShell, default_options

__all__ = ["AsyncRbcRedisStore", "RbcRedisStore", "RbcRules"]

#: Go: ``keyPrefix: "session:"``.
RBC_KEY_PREFIX = "session:"


class RbcRules:
    """What rbcervilla/redisstore decides without Redis (Go: ``New``/``Save``/``save``/``load``)."""

    def __init__(
        self,
        *,
        key_prefix: str = RBC_KEY_PREFIX,
        serializer: SessionSerializer,
        key_gen: Callable[[], str] | None = None,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.key_prefix = key_prefix
        self.serializer = serializer
        self.random_bytes = random_bytes
        self.key_gen = key_gen if key_gen is not None else self._generate

    def _generate(self) -> str:
        """Go: ``generateRandomKey`` — base32 of 64 bytes of crypto/rand, ``=`` trimmed: 103 chars."""
        return new_session_id(self.random_bytes, 64)

    def key(self, session_id: str) -> str:
        return self.key_prefix + session_id

    def begin_load(self, session: Session, cookies: Mapping[str, str]) -> str | None:
        """Go: the cookie value is the ID, verbatim (no check at all)."""
        value = cookies.get(session.name)
        if value is None:
            return None
        session.id = value
        return self.key(value)

    def finish_load(self, session: Session, data: object) -> None:
        """Go: ``redis.Nil`` → new session, no error; else ``Deserialize``."""
        if data is None:
            return
        if not isinstance(data, bytes):
            data = str(data).encode()
        try:
            loaded = self.serializer.loads(data)
        except GorillaError as exc:
            session.error = exc
            return
        session.values.update(loaded)
        session.is_new = False

    def end_new(self) -> None:
        """Go's ``New`` changes nothing of the store."""

    def plan_save(self, session: Session) -> Write | Delete:
        """Go: MaxAge <= 0 → ``DEL``; else ID if missing, serialize, ``SET key value EX MaxAge``."""
        max_age = int(session.options.max_age)
        if max_age <= 0:
            return Delete(self.key(session.id))
        if not session.id:
            session.id = self.key_gen()
        payload = self.serializer.dumps(session.values)
        return Write(self.key(session.id), max_age, payload, command="SET")

    def saved_cookie(self, session: Session, now: int) -> str:
        return new_cookie(session.name, session.id, session.options, now=now)

    def deleted_cookie(self, session: Session, now: int, *, force_expire: bool = False) -> str:
        options = session.options
        if force_expire:
            options = options.copy()
            options.max_age = -1
        return new_cookie(session.name, "", options, now=now)


def _rbc_parts(
    serializer: SessionSerializer | None,
    options: Options | None,
    key_prefix: str,
    key_gen: Callable[[], str] | None,
    random_bytes: Callable[[int], bytes] | None,
    clock: Callable[[], int] | None,
) -> tuple[RbcRules, Options, Callable[[], int]]:
    rules = RbcRules(
        key_prefix=key_prefix,
        serializer=serializer if serializer is not None else GobSerializer(),
        key_gen=key_gen,
        random_bytes=random_bytes if random_bytes is not None else os.urandom,
    )
    return (
        rules,
        options if options is not None else default_options(),
        clock if clock is not None else (lambda: int(time.time())),
    )


class RbcRedisStore(SyncRedisShell):
    """Sessions shared with Go's rbcervilla/redisstore (v9); sync.

    Go: ``redisstore.NewRedisStore(ctx, client)`` plus ``KeyPrefix``, ``Options``, ``KeyGen``,
    ``Serializer``. No keys: the cookie carries the bare session ID.
    """

    def __init__(
        self,
        client_or_url: Any,
        *,
        key_prefix: str = RBC_KEY_PREFIX,
        serializer: SessionSerializer | None = None,
        options: Options | None = None,
        key_gen: Callable[[], str] | None = None,
        socket_timeout: float | None = 5.0,
        socket_connect_timeout: float | None = 5.0,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        rules, opts, clk = _rbc_parts(serializer, options, key_prefix, key_gen, random_bytes, clock)
        if isinstance(client_or_url, str):
            client_or_url = redis.Redis.from_url(
                client_or_url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=socket_connect_timeout,
            )
        super().__init__(client_or_url, rules, opts, clock=clk)


class AsyncRbcRedisStore(AsyncRedisShell):
    """``RbcRedisStore`` over ``redis.asyncio`` clients."""

    def __init__(
        self,
        client_or_url: Any,
        *,
        key_prefix: str = RBC_KEY_PREFIX,
        serializer: SessionSerializer | None = None,
        options: Options | None = None,
        key_gen: Callable[[], str] | None = None,
        socket_timeout: float | None = 5.0,
        socket_connect_timeout: float | None = 5.0,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        rules, opts, clk = _rbc_parts(serializer, options, key_prefix, key_gen, random_bytes, clock)
        if isinstance(client_or_url, str):
            client_or_url = aredis.Redis.from_url(
                client_or_url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=socket_connect_timeout,
            )
        super().__init__(client_or_url, rules, opts, clock=clk)
