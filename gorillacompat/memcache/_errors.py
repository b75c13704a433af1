"""Errors of the memcached session store.

Layering: imports ``errors`` only (pymemcache is imported inside ``from_sync_client``).

Go's gorilla-sessions-memcache returns gomemcache's plain ``error`` values; here every failure is a
``GorillaError``, so one ``except GorillaError`` covers cookies, gob, JSON and the server. Messages
name the operation, never the memcached key: it holds the session ID, a bearer credential.
"""

from __future__ import annotations

from ..errors import (
    DecodeError,
    StoreConfigError,
    StoreConnectionError,
    StoreResponseError,
    StoreServerError,
    StoreTimeoutError,
    UsageError,
)

__all__ = [
    "CorruptValueError",
    "ItemTooLargeError",
    "JSONKeyError",
    "MalformedKeyError",
    "MemcacheConnectionError",
    "MemcacheResponseError",
    "MemcacheStoreConfigError",
    "MemcacheStoreError",
    "MemcacheTimeoutError",
    "ReplyError",
    "from_async_client",
    "from_sync_client",
]


class MemcacheStoreError(StoreServerError):
    """memcached could not do what the store asked (down, slow, or refused); never raised itself.

    ``operation`` is ``"load"``, ``"save"`` or ``"delete"``. A save that raises did not replace
    the stored value.
    """


class MemcacheConnectionError(MemcacheStoreError, StoreConnectionError):
    """The store could not reach memcached, or the connection broke mid-command."""


class MemcacheTimeoutError(MemcacheConnectionError, StoreTimeoutError):
    """memcached did not answer within the store's ``timeout`` (Go: gomemcache's ``Timeout``)."""


class MemcacheResponseError(MemcacheStoreError, StoreResponseError):
    """memcached answered with an error (``SERVER_ERROR``, ``CLIENT_ERROR``, ``NOT_STORED``)."""


class MemcacheStoreConfigError(StoreConfigError):
    """A store argument Go would refuse or panic on (no key pairs, an unknown store method,
    a negative max length, a client object of the wrong kind)."""


class MalformedKeyError(UsageError):
    """``key_prefix + session.id`` is not a legal memcached key; nothing was sent.

    Go: gomemcache's ``ErrMalformedKey`` (longer than 250 bytes, or a byte <= 0x20 or 0x7f).
    """

    def __init__(self, length: int) -> None:
        super().__init__(
            "malformed: key is too long or contains invalid characters",
            hint=f"the memcached key (key_prefix + session ID) is {length} bytes; keys are at most "
            "250 bytes with no spaces or control characters",
        )
        self.length = length


class ItemTooLargeError(UsageError):
    """The value would exceed memcached's item size limit; nothing was sent.

    memcached answers ``SERVER_ERROR object too large for cache`` **and deletes the key's old
    value**; Go's store lets that happen. We refuse before sending, so the old value stays.
    """

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"memcache: item of {size} bytes (key, value and overhead) exceeds the {limit}-byte item limit",
            hint="store less in the session, or raise memcached's -I and the store's max_item_size",
        )
        self.size = size
        self.limit = limit


class CorruptValueError(DecodeError):
    """The stored value is not what the store method writes (not ASCII for ``securecookie``).

    Set as ``session.error`` by ``new``/``get``, like a value that fails to decode.
    """


class JSONKeyError(UsageError):
    """The ``json`` store method met a key that is not a string.

    Go: gorilla-sessions-memcache ``save`` (its text, which Go also logs unconditionally).
    """

    def __init__(self, key_text: str) -> None:
        super().__init__(
            f"Non-string key value, cannot jsonize: {key_text}",
            hint='JSON objects have string keys only; use store_method="gob" or "securecookie"',
        )
        self.key_text = key_text


#: The hint of each kind of server failure.
_HINTS: dict[type[MemcacheStoreError], str] = {
    MemcacheTimeoutError: (
        "memcached did not answer in time (is it stopped or overloaded?); nothing was acknowledged"
    ),
    MemcacheConnectionError: "is memcached running and reachable? the session was not read or written",
    MemcacheResponseError: "memcached refused the command; see its message",
}


def _wrap(kind: type[MemcacheStoreError], exc: BaseException, operation: str) -> MemcacheStoreError:
    return kind.wrapping("memcache", operation, exc, _HINTS[kind])


def from_sync_client(exc: BaseException, operation: str) -> MemcacheStoreError:
    """Our error for an exception of the sync client (ours or pymemcache) or a socket."""
    from pymemcache.exceptions import MemcacheUnexpectedCloseError  # type: ignore[import-untyped]

    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return _wrap(MemcacheTimeoutError, exc, operation)
    if isinstance(exc, (MemcacheUnexpectedCloseError, OSError)):
        return _wrap(MemcacheConnectionError, exc, operation)
    return _wrap(MemcacheResponseError, exc, operation)


class ReplyError(Exception):
    """An error line from memcached (``SERVER_ERROR …``, ``CLIENT_ERROR …``, ``ERROR``) or an
    answer the command does not expect, as the async client raises it; the store wraps it in a
    ``MemcacheResponseError``. The line never holds the key."""

    def __init__(self, line: bytes) -> None:
        super().__init__(line.decode("ascii", "replace") or "memcached sent an empty answer")
        self.line = line


def from_async_client(exc: BaseException, operation: str) -> MemcacheStoreError:
    """Our error for an exception of the async client (ours or aiomcache), asyncio or a socket."""
    import asyncio

    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):  # one class since Python 3.11
        return _wrap(MemcacheTimeoutError, exc, operation)
    if isinstance(exc, (OSError, EOFError)):
        return _wrap(MemcacheConnectionError, exc, operation)
    return _wrap(MemcacheResponseError, exc, operation)
