"""Errors of the Redis session stores.

Layering: imports ``errors`` only.

Go's redistore returns plain ``error`` values (redigo's, or ``errors.New``); here every failure is a
``GorillaError`` so one ``except GorillaError`` covers cookies, gob and Redis. Where Go has a text of
its own (``SessionStore: the value to store is too big``), ``str()`` starts with it.
"""

from __future__ import annotations

from ..errors import InternalError, UsageError

__all__ = [
    "InvalidExpireError",
    "JSONKeyError",
    "RedisConnectionError",
    "RedisResponseError",
    "RedisStoreConfigError",
    "RedisStoreError",
    "RedisTimeoutError",
    "ReplicationError",
    "ValueTooBigError",
]


class RedisStoreError(InternalError):
    """Redis could not do what the store asked (down, slow, refused, or replied nonsense).

    Never raised itself; see the subclasses. ``key`` is the Redis key involved (``""`` when none)
    and ``command`` the Redis command (``"GET"``, ``"SETEX"``, ...). A failed save leaves the record
    that was stored before it as it was: the store writes with one ``SETEX``/``SET … EX``.
    """

    def __init__(self, message: str, *, command: str = "", key: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.command = command
        self.key = key


class RedisConnectionError(RedisStoreError):
    """The store could not reach Redis, or lost the connection mid-command."""


class RedisTimeoutError(RedisConnectionError):
    """Redis did not answer within ``socket_timeout`` (a slow server or a network stall)."""


class RedisResponseError(RedisStoreError):
    """Redis answered with an error (``READONLY``, ``WRONGTYPE``, ``CLUSTERDOWN``, ...) or a reply
    of the wrong kind."""


class ReplicationError(RedisStoreError):
    """``WAIT`` saw fewer replicas acknowledge the save than ``wait_replicas`` asked for.

    The value was written on the master but may be lost on a failover; the save is not acknowledged.
    """

    def __init__(self, acked: int, wanted: int, *, key: str = "") -> None:
        super().__init__(
            f"redistore: save acknowledged by {acked} of {wanted} replicas",
            command="WAIT",
            key=key,
            hint="a replica is down or lagging; retry the save, or lower wait_replicas",
        )
        self.acked = acked
        self.wanted = wanted


class RedisStoreConfigError(UsageError, ValueError):
    """A store argument Go would refuse (no key pairs, negative max length, unknown compat...)."""


class ValueTooBigError(UsageError):
    """The serialized session is longer than ``max_length`` (Go: redistore ``save``)."""

    def __init__(self, length: int, max_length: int) -> None:
        super().__init__(
            "SessionStore: the value to store is too big",
            hint=f"{length} bytes serialized, max_length is {max_length}; store less or raise it "
            "(0 = unlimited)",
        )
        self.length = length
        self.max_length = max_length


class InvalidExpireError(UsageError):
    """The TTL of a save would be zero or negative, which Redis refuses for ``SETEX``.

    Go sends ``SETEX key 0 …`` and returns Redis's error; we raise before sending anything.
    """

    def __init__(self, ttl: int, *, key: str = "") -> None:
        super().__init__(
            "ERR invalid expire time in 'setex' command",
            hint=f"the TTL would be {ttl}: session MaxAge is 0 and default_max_age is {ttl}; "
            "set default_max_age > 0 or give the session a MaxAge",
        )
        self.ttl = ttl
        self.key = key


class JSONKeyError(UsageError):
    """JSONSerializer met a key that is not a string (Go: ``JSONSerializer.Serialize``)."""

    def __init__(self, key_text: str, *, capitalized: bool = False) -> None:
        first = "Non-string" if capitalized else "non-string"
        super().__init__(
            f"{first} key value, cannot serialize session to JSON: {key_text}",
            hint="JSON objects have string keys only; use GobSerializer for other keys",
        )
        self.key_text = key_text


def from_redis(exc: BaseException, command: str, key: str, where: str = "") -> RedisStoreError:
    """Our error for a redis-py exception (sync and asyncio clients raise the same classes)."""
    import redis.exceptions as rx  # local: this module stays importable without redis-py

    at = f" ({where})" if where else ""
    text = f"redistore: {command} {key}: {type(exc).__name__}: {exc}"
    if isinstance(exc, (rx.TimeoutError, TimeoutError)):
        return RedisTimeoutError(
            text, command=command, key=key,
            hint=f"Redis{at} did not answer in time; raise socket_timeout or check the server load",
        )  # fmt: skip
    if isinstance(exc, (rx.ConnectionError, ConnectionError, OSError)):
        return RedisConnectionError(
            text, command=command, key=key,
            hint=f"is Redis{at} running and reachable? the session was not read or written",
        )  # fmt: skip
    if isinstance(exc, rx.ResponseError):
        return RedisResponseError(
            text, command=command, key=key,
            hint="Redis refused the command; the stored session (if any) is unchanged",
        )  # fmt: skip
    if isinstance(exc, rx.RedisError):
        return RedisResponseError(
            text, command=command, key=key,
            hint="the Redis client gave up (e.g. a cluster redirect loop); retry the call",
        )  # fmt: skip
    # Not a Redis error at all: the client broke mid-command (redis-py's asyncio cluster client
    # closes connections under concurrent MOVED redirects, redis/redis-py#3835).
    return RedisConnectionError(
        text, command=command, key=key,
        hint="the Redis client failed mid-command (e.g. a cluster topology change); outcome unknown",
    )  # fmt: skip
