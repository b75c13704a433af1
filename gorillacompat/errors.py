"""The one exception tree of gorillacompat.

Layering: this module imports nothing from the package; every other module imports it.

Go splits errors into usage, decode and internal kinds (``securecookie.Error`` with ``IsUsage``,
``IsDecode``, ``IsInternal``). We keep that split as classes, and keep Go's message text as the start of
``str(error)`` so that logs of a Go service and a Python service can be searched with one pattern.
Hints for the reader ("what to do") live in ``hint``, not in ``str()``, so the text stays Go's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = [
    "Base64Error",
    "BlockKeyNotSetError",
    "DecodeError",
    "DecryptionError",
    "DeserializeError",
    "EncodedValueTooLongError",
    "ExpiredTimestampError",
    "GobDecodeError",
    "GobEncodeError",
    "GorillaError",
    "HashKeyNotSetError",
    "IVGenerationError",
    "InternalError",
    "InvalidMacError",
    "InvalidTimestampError",
    "JSONDecodeError",
    "JSONEncodeError",
    "KeySizeError",
    "MultiError",
    "NoCodecsError",
    "SerializationError",
    "SerializeError",
    "StoreConfigError",
    "StoreConnectionError",
    "StoreResponseError",
    "StoreServerError",
    "StoreTimeoutError",
    "TimestampTooNewError",
    "UnknownHashError",
    "UsageError",
    "ValueNotBytesError",
    "ValueToDecodeTooLongError",
    "ValueTooLongError",
]


class GorillaError(Exception):
    """Base of every error this library raises; never raised itself.

    Go: the ``securecookie.Error`` interface. ``str()`` is Go's text; ``hint`` says what to do.
    """

    #: Advice for the operator, kept out of ``str()`` so the text matches Go's.
    hint: str = ""

    def __new__(cls, *args: object, **kwargs: object) -> GorillaError:
        if cls in _ABSTRACT:
            raise TypeError(f"{cls.__name__} is abstract; raise one of its subclasses")
        return super().__new__(cls, *args)

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return self.message

    def is_usage(self) -> bool:
        """Go: ``Error.IsUsage`` — the caller configured or called something wrongly."""
        return isinstance(self, UsageError)

    def is_decode(self) -> bool:
        """Go: ``Error.IsDecode`` — the input was not valid."""
        return isinstance(self, DecodeError)

    def is_internal(self) -> bool:
        """Go: ``Error.IsInternal`` — something failed that neither caller nor input controls."""
        return isinstance(self, InternalError)


class UsageError(GorillaError):
    """A wrong configuration or call (Go: ``usageError``)."""


class DecodeError(GorillaError, ValueError):
    """Input that is not valid (Go: ``decodeError``)."""


class InternalError(GorillaError):
    """A failure neither the caller nor the input caused (Go: ``internalError``)."""


_S = TypeVar("_S", bound="SerializationError")


class SerializationError(GorillaError):
    """A serializer failed inside securecookie (Go: ``securecookie: error - caused by: ...``)."""

    @classmethod
    def caused_by(cls: type[_S], cause: BaseException) -> _S:
        """Go's ``cookieError{cause: err}`` text; securecookie and its serializers each add one."""
        return cls(f"securecookie: error - caused by: {cause}")


class ValueTooLongError(GorillaError):
    """Go: ``errEncodedValueTooLong`` / ``errValueToDecodeTooLong``.

    securecookie v1.1.2 returns these as plain errors without a kind; we classify them (usage on
    encode, decode on decode) and keep Go's text, ``securecookie: the value is too long: N``.
    """

    def __init__(self, length: int, max_length: int) -> None:
        super().__init__(
            f"securecookie: the value is too long: {length}",
            hint=f"the limit is max_length={max_length}; raise it on every codec or store less",
        )
        self.length = length
        self.max_length = max_length


# -- usage -----------------------------------------------------------------------------------


class HashKeyNotSetError(UsageError):
    """Go: ``errHashKeyNotSet``."""

    def __init__(self) -> None:
        super().__init__(
            "securecookie: hash key is not set",
            hint="pass a non-empty hash_key (32 or 64 random bytes)",
        )


class BlockKeyNotSetError(UsageError):
    """Go: ``errBlockKeyNotSet``."""

    def __init__(self) -> None:
        super().__init__("securecookie: block key is not set")


class KeySizeError(UsageError):
    """A block key that is not 16, 24 or 32 bytes (Go: ``aes.KeySizeError`` wrapped by BlockFunc)."""

    def __init__(self, size: int) -> None:
        super().__init__(
            f"securecookie: error - caused by: crypto/aes: invalid key size {size}",
            hint="block keys must be 16, 24 or 32 bytes (AES-128/192/256)",
        )
        self.size = size


class UnknownHashError(UsageError):
    """A ``hash_name`` that hashlib does not know (Go passes a ``func() hash.Hash`` instead)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"securecookie: unknown hash function {name!r}",
            hint="use a hashlib name such as sha256, sha512, sha1, sha512_256 or md5",
        )
        self.name = name


class NoCodecsError(UsageError):
    """Go: ``errNoCodecs``."""

    def __init__(self) -> None:
        super().__init__("securecookie: no codecs provided")


class EncodedValueTooLongError(ValueTooLongError, UsageError):
    """The encoded cookie is longer than ``max_length`` (Go: ``errEncodedValueTooLong``)."""


class SerializeError(SerializationError, UsageError):
    """The serializer could not serialize the value (Go: Encode's ``usageError`` wrapping)."""


class GobEncodeError(UsageError):
    """encoding/gob refused a value (Go: ``gob: type not registered for interface: ...``)."""


class JSONEncodeError(UsageError):
    """encoding/json refused a value (Go: ``json: unsupported type: ...``)."""


# -- decode ----------------------------------------------------------------------------------


class Base64Error(DecodeError):
    """Go: ``securecookie: base64 decode failed - caused by: illegal base64 data at input byte N``."""

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"securecookie: base64 decode failed - caused by: illegal base64 data at input byte {offset}",
            hint="the cookie was cut or altered in transit (URL-safe base64 with padding expected)",
        )
        self.offset = offset


class InvalidMacError(DecodeError):
    """Go: ``ErrMacInvalid``; also what a wrong cookie name gives."""

    def __init__(self) -> None:
        super().__init__(
            "securecookie: the value is not valid",
            hint="was the cookie signed with a key not in hash_keys, or under another cookie name?",
        )


class InvalidTimestampError(DecodeError):
    """Go: ``errTimestampInvalid``."""

    def __init__(self) -> None:
        super().__init__("securecookie: invalid timestamp")


class ExpiredTimestampError(DecodeError):
    """Go: ``errTimestampExpired``; carries the data to say by how much."""

    def __init__(self, timestamp: int, now: int, max_age: int) -> None:
        super().__init__(
            "securecookie: expired timestamp",
            hint=f"signed {now - timestamp}s ago, max_age is {max_age}s",
        )
        self.timestamp = timestamp
        self.now = now
        self.max_age = max_age


class TimestampTooNewError(DecodeError):
    """Go: ``errTimestampTooNew``."""

    def __init__(self, timestamp: int, now: int, min_age: int) -> None:
        super().__init__(
            "securecookie: timestamp is too new",
            hint=f"signed {now - timestamp}s ago, min_age is {min_age}s",
        )
        self.timestamp = timestamp
        self.now = now
        self.min_age = min_age


class DecryptionError(DecodeError):
    """Go: ``errDecryptionFailed``."""

    def __init__(self) -> None:
        super().__init__("securecookie: the value could not be decrypted")


class ValueToDecodeTooLongError(ValueTooLongError, DecodeError):
    """The cookie to decode is longer than ``max_length`` (Go: ``errValueToDecodeTooLong``)."""


class DeserializeError(SerializationError, DecodeError):
    """The serializer could not read the payload (Go: Decode's ``decodeError`` wrapping)."""


class ValueNotBytesError(DecodeError):
    """Go: ``errValueNotByte`` — NopEncoder takes bytes only (a decode-kind error even on encode)."""

    def __init__(self) -> None:
        super().__init__("securecookie: value not a []byte.")


class GobDecodeError(DecodeError):
    """encoding/gob could not decode the bytes; the text follows Go's ``gob: ...`` messages."""


class JSONDecodeError(DecodeError):
    """encoding/json could not decode the bytes; the text follows Go's messages."""


class MultiError(DecodeError):
    """Every codec failed; one error per codec, in codec order.

    Go: ``securecookie.MultiError``. It sits under DecodeError because ``decode_multi`` is where it
    is met; the predicates follow Go and ask the children ("any child is a usage error", ...).
    """

    def __init__(self, errors: Sequence[GorillaError]) -> None:
        self.errors: list[GorillaError] = list(errors)
        super().__init__(_multi_text(self.errors))

    def is_usage(self) -> bool:
        return any(e.is_usage() for e in self.errors)

    def is_decode(self) -> bool:
        return any(e.is_decode() for e in self.errors)

    def is_internal(self) -> bool:
        return any(e.is_internal() for e in self.errors)


def _multi_text(errors: Sequence[Exception]) -> str:
    """Go's MultiError.Error(): the first text plus "(and N other errors)"."""
    if not errors:
        return "(0 errors)"
    first = str(errors[0])
    n = len(errors) - 1
    if n == 0:
        return first
    if n == 1:
        return f"{first} (and 1 other error)"
    return f"{first} (and {n} other errors)"


# -- internal --------------------------------------------------------------------------------


class IVGenerationError(InternalError, UsageError):
    """Go: ``errGeneratingIV``: the random source gave no IV.

    An internal failure, but Go's Encode wraps it as a usage error, so both predicates hold and
    the text is Go's wrapped one.
    """

    def __init__(self) -> None:
        super().__init__(
            "securecookie: error - caused by: securecookie: failed to generate random iv",
            hint="the random_bytes source failed or returned fewer than 16 bytes",
        )


# -- server-side session stores ----------------------------------------------------------------
#
# pgstore, memcache and gormstore fail the same ways; each has its own classes (``PGStoreError``,
# ``PGConnectionError``, ...) that also subclass these, so ``except StoreTimeoutError`` covers
# every store. (redistore's errors carry a Redis ``command`` and ``key`` instead: not this shape.)

_E = TypeVar("_E", bound="StoreServerError")


class StoreServerError(InternalError):
    """The server behind a session store could not do what the store asked (down, slow, refused).

    Never raised itself; see the subclasses. ``operation`` is what the store was doing
    (``"load"``, ``"save"``, ``"delete"``, ``"cleanup"``, ``"create table"``). A save that raises
    did not replace what was stored before it. Messages name the operation, never a session ID
    or a key: a session ID is a bearer credential.
    """

    def __init__(self, message: str, *, operation: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.operation = operation

    @classmethod
    def wrapping(cls: type[_E], prefix: str, operation: str, exc: BaseException, hint: str) -> _E:
        """``cls`` for a driver's ``exc``: ``"<prefix>: <operation>: <ExcType>: <exc>"``."""
        text = f"{prefix}: {operation}: {type(exc).__name__}: {exc}".rstrip()
        return cls(text, operation=operation, hint=hint)


class StoreConnectionError(StoreServerError):
    """The store could not reach its server, or lost the connection mid-command."""


class StoreTimeoutError(StoreConnectionError):
    """The server did not answer within the store's timeout."""


class StoreResponseError(StoreServerError):
    """The server refused the command or statement."""


class StoreConfigError(UsageError, ValueError):
    """A store argument that cannot work (no key pairs, a negative max length, a bad client object)."""


_ABSTRACT = frozenset(
    {
        GorillaError, UsageError, DecodeError, InternalError, SerializationError, ValueTooLongError,
        StoreServerError,
    }
)  # fmt: skip
