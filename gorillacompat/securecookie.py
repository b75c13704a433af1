"""gorilla/securecookie: authenticated, optionally encrypted cookie values, byte for byte.

Layering: imports ``errors``, ``_cookiewire`` (the byte layout) and ``serializers``; knows
nothing of sessions.

Mirrors ``gorilla/securecookie`` v1.1.2, ``securecookie.go`` (``New``, ``Encode``, ``Decode``,
``CodecsFromPairs``, ``EncodeMulti``, ``DecodeMulti``). The cookie value is::

    base64url( ts "|" base64url(serialized, or IV || AES-CTR(serialized)) "|" mac )
    mac = HMAC(hash_key, name "|" ts "|" inner)       # the trailing "|" is not MACed

Both base64 layers are URL-safe with ``=`` padding; ``ts`` is decimal Unix seconds.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from ._cookiewire import AesCtr, Hmac, open_payload, open_signed, seal
from .errors import (
    DeserializeError,
    EncodedValueTooLongError,
    ExpiredTimestampError,
    GorillaError,
    HashKeyNotSetError,
    InvalidTimestampError,
    KeySizeError,
    MultiError,
    NoCodecsError,
    SerializeError,
    TimestampTooNewError,
    UnknownHashError,
    UsageError,
    ValueToDecodeTooLongError,
)
from .serializers import GobEncoder, Serializer

__all__ = [
    "SecureCookie",
    "codecs_from_pairs",
    "decode_multi",
    "encode_multi",
    "generate_random_key",
    "parse_timestamp",
]

#: Go's ``strconv.ParseInt(s, 10, 64)`` grammar: optional sign, ASCII digits only.
_GO_INT = re.compile(rb"[+-]?[0-9]+")
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def parse_timestamp(text: bytes) -> int | None:
    """The cookie's date field as Go's ``strconv.ParseInt(s, 10, 64)`` reads it, or None.

    Python's ``int()`` also takes spaces, underscores and non-ASCII digits; Go does not.
    """
    if text.isdigit() and len(text) < 19:  # bytes.isdigit is ASCII-only: the usual case, no regex
        return int(text)
    if _GO_INT.fullmatch(text) is None:
        return None
    value = int(text)
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def _unix_now() -> int:
    return int(time.time())


class SecureCookie:
    """Encodes and decodes authenticated, optionally encrypted cookie values.

    Go: ``securecookie.New(hashKey, blockKey)`` plus its setters as keyword arguments.

    A ``block_key`` of 16, 24 or 32 bytes turns on AES-128/192/256-CTR. As in Go, a bad key does
    not raise here: the codec remembers the error and every ``encode``/``decode`` raises it
    (``encode_multi`` then falls through to the next codec, exactly as Go does).
    ``clock`` and ``random_bytes`` are for tests and migrations; the defaults are what you want.
    The keys are read once, here (as Go's ``New`` does): make a new codec to change them.
    """

    #: Go's default serializer is encoding/gob.
    default_serializer: ClassVar[Serializer] = GobEncoder()

    def __init__(
        self,
        hash_key: bytes | None,
        block_key: bytes | None = None,
        *,
        hash_name: str = "sha256",
        serializer: Serializer | None = None,
        max_age: int = 86400 * 30,
        min_age: int = 0,
        max_length: int = 4096,
        clock: Callable[[], int] | None = None,
        random_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        try:
            probe = hashlib.new(hash_name)
        except (ValueError, TypeError) as exc:
            raise UnknownHashError(hash_name) from exc
        if probe.digest_size == 0:  # an XOF (shake_*): no fixed-size MAC
            raise UnknownHashError(hash_name)
        self.hash_key = hash_key
        self.block_key = block_key
        self.hash_name = hash_name
        self.serializer = serializer if serializer is not None else self.default_serializer
        self.max_age = max_age
        self.min_age = min_age
        self.max_length = max_length
        self.clock = clock if clock is not None else _unix_now
        self.random_bytes = random_bytes if random_bytes is not None else os.urandom
        self._ctr: AesCtr | None = None
        self._mac = Hmac(bytes(hash_key), hash_name) if hash_key else None
        # Go keeps a "sticky" error (s.err) checked first by Encode and Decode.
        self._error: UsageError | None = None
        if not hash_key:
            self._error = HashKeyNotSetError()
        # Go runs BlockFunc after the hash-key check, so a bad block key's error wins.
        if block_key is not None:
            if len(block_key) not in (16, 24, 32):
                self._error = KeySizeError(len(block_key))
            else:
                self._ctr = AesCtr(bytes(block_key))

    def __repr__(self) -> str:
        enc = f"AES-{len(self.block_key) * 8}" if self._ctr is not None and self.block_key else "none"
        return (
            f"SecureCookie(hash_name={self.hash_name!r}, encryption={enc!r}, "
            f"serializer={self.serializer!r}, max_age={self.max_age}, min_age={self.min_age}, "
            f"max_length={self.max_length})"
        )

    # -- Encode / Decode ---------------------------------------------------------------------

    def encode(self, name: str, value: object) -> str:
        """The cookie value for ``value`` under cookie ``name`` (Go: ``SecureCookie.Encode``).

        Raises a ``UsageError`` (bad keys, value too long, value the serializer cannot carry) or
        an ``InternalError`` (no IV).
        """
        if self._error is not None:
            raise self._error
        # 1. Serialize.
        try:
            b = self.serializer.dumps(value)
        except GorillaError as exc:
            raise SerializeError.caused_by(exc) from exc
        # 2-4. IV || AES-CTR (optional), inner base64, MAC over name|date|value, outer base64.
        assert self._mac is not None  # no sticky error means the key is set
        out = seal(name, int(self.clock()), b, self._mac, self._ctr, self.random_bytes)
        # 5. Length.
        if self.max_length and len(out) > self.max_length:
            raise EncodedValueTooLongError(len(out), self.max_length)
        return out.decode("ascii")

    def decode(self, name: str, value: str) -> object:
        """The value a cookie carries (Go: ``SecureCookie.Decode``).

        Raises only ``GorillaError``s: a ``DecodeError`` subclass for any input that is not a valid
        cookie for this codec and name, a ``UsageError`` for a codec configured wrongly.
        """
        if self._error is not None:
            raise self._error
        raw = value.encode("utf-8", "surrogateescape")
        # 1. Length, on the raw string.
        if self.max_length and len(raw) > self.max_length:
            raise ValueToDecodeTooLongError(len(raw), self.max_length)
        # 2-3. Outer base64, then the MAC over name|date|value, before anything else is trusted.
        assert self._mac is not None
        date, inner = open_signed(name, raw, self._mac)
        # 4. Timestamp and age.
        t1 = parse_timestamp(date)
        if t1 is None:
            raise InvalidTimestampError()
        t2 = int(self.clock())
        if self.min_age != 0 and t1 > t2 - self.min_age:
            raise TimestampTooNewError(t1, t2, self.min_age)
        if self.max_age != 0 and t1 < t2 - self.max_age:
            raise ExpiredTimestampError(t1, t2, self.max_age)
        # 5-6. Inner base64, then AES-CTR (optional).
        payload = open_payload(inner, self._ctr)
        # 7. Deserialize.
        try:
            return self.serializer.loads(payload)
        except GorillaError as exc:
            raise DeserializeError.caused_by(exc) from exc


# -- Key rotation -----------------------------------------------------------------------------


def codecs_from_pairs(*keys: bytes | None, **options: Any) -> list[SecureCookie]:
    """One codec per (hash key, block key) pair; an odd count leaves the last without encryption.

    Go: ``securecookie.CodecsFromPairs``. ``options`` are passed to every codec (Go users set
    them on each codec afterwards). The first pair is the one that encodes.
    """
    codecs = []
    for i in range(0, len(keys), 2):
        block = keys[i + 1] if i + 1 < len(keys) else None
        codecs.append(SecureCookie(keys[i], block, **options))
    return codecs


def encode_multi(name: str, value: object, codecs: Sequence[SecureCookie]) -> str:
    """Encode with the first codec that succeeds (Go: ``securecookie.EncodeMulti``).

    As in Go, a broken first codec silently hands the work to the next one.
    Raises ``NoCodecsError`` or a ``MultiError`` holding every codec's error.
    """
    if not codecs:
        raise NoCodecsError()
    errors: list[GorillaError] = []
    for codec in codecs:
        try:
            return codec.encode(name, value)
        except GorillaError as exc:
            errors.append(exc)
    raise MultiError(errors)


def decode_multi(name: str, value: str, codecs: Sequence[SecureCookie]) -> object:
    """Decode with the first codec that succeeds (Go: ``securecookie.DecodeMulti``).

    Raises ``NoCodecsError`` or a ``MultiError`` (a ``DecodeError``) holding every codec's error.
    """
    if not codecs:
        raise NoCodecsError()
    errors: list[GorillaError] = []
    for codec in codecs:
        try:
            return codec.decode(name, value)
        except GorillaError as exc:
            errors.append(exc)
    raise MultiError(errors)


def generate_random_key(length: int) -> bytes:
    """``length`` bytes from the OS's secure random source (Go: ``GenerateRandomKey``).

    Use 32 or 64 for hash keys and 16, 24 or 32 for block keys.
    """
    return os.urandom(length)
