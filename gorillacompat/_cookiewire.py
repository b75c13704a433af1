"""securecookie's byte layout without its policy: HMAC, AES-CTR and the two base64 layers.

Layering: imports ``errors`` and ``_encoding``; ``securecookie`` decides keys, clocks, ages and
how errors are wrapped, this module turns a payload into a cookie value and back. It is compiled
by mypyc when possible (``setup.py``), since every cookie passes through it twice.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable
from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ._encoding import url_b64decode, url_b64encode
from .errors import DecryptionError, InvalidMacError, IVGenerationError

__all__ = ["AES_BLOCK", "AesCtr", "Hmac", "open_payload", "open_signed", "seal"]

AES_BLOCK: Final = 16
COUNTER_MASK: Final = (1 << 128) - 1


def seal(
    name: str,
    timestamp: int,
    payload: bytes,
    mac: Hmac,
    ctr: AesCtr | None,
    random_bytes: Callable[[int], object],
) -> bytes:
    """The cookie value: ``b64(ts|b64(payload, or IV || AES-CTR(payload))|mac)`` (Go: Encode's
    steps 2-4). ``random_bytes`` gives the IV; anything but 16 bytes is an IVGenerationError."""
    if ctr is not None:
        try:
            iv = random_bytes(AES_BLOCK)
        except Exception as exc:
            raise IVGenerationError() from exc
        if not isinstance(iv, bytes) or len(iv) != AES_BLOCK:
            raise IVGenerationError()
        payload = iv + ctr.xor(iv, payload)
    signed = str(timestamp).encode() + b"|" + url_b64encode(payload)
    return url_b64encode(signed + b"|" + mac.digest(name.encode() + b"|" + signed))


def open_signed(name: str, raw: bytes, mac: Hmac) -> tuple[bytes, bytes]:
    """(date field, inner base64) of a cookie value whose MAC holds (Go: Decode's steps 2-3).

    The MAC is "the rest after the second pipe" and may itself contain pipes. Raises a
    Base64Error or InvalidMacError.
    """
    b = url_b64decode(raw)
    first = b.find(b"|")
    second = b.find(b"|", first + 1) if first >= 0 else -1
    if second < 0:
        raise InvalidMacError()
    signed = b[:second]
    if not hmac.compare_digest(b[second + 1 :], mac.digest(name.encode() + b"|" + signed)):
        raise InvalidMacError()
    return signed[:first], signed[first + 1 :]


def open_payload(inner: bytes, ctr: AesCtr | None) -> bytes:
    """The serialized value in the inner base64 (Go: Decode's steps 5-6)."""
    payload = url_b64decode(inner)
    if ctr is not None:
        # Go demands strictly more than one block: an empty plaintext cannot be decoded.
        if len(payload) <= AES_BLOCK:
            raise DecryptionError()
        payload = ctr.xor(payload[:AES_BLOCK], payload[AES_BLOCK:])
    return payload


class Hmac:
    """HMAC (RFC 2104) keyed once: the inner and outer hash states after the padded key are
    kept and copied per message, which costs well under ``hmac.HMAC.copy()``'s Python layers.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes, hash_name: str) -> None:
        inner = hashlib.new(hash_name)
        block = inner.block_size
        if len(key) > block:
            key = hashlib.new(hash_name, key).digest()
        key = key.ljust(block, b"\0")
        inner.update(key.translate(_IPAD))
        self._inner = inner
        self._outer = hashlib.new(hash_name, key.translate(_OPAD))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


_IPAD: Final = bytes(x ^ 0x36 for x in range(256))
_OPAD: Final = bytes(x ^ 0x5C for x in range(256))


class AesCtr:
    """AES-CTR as Go's ``cipher.NewCTR`` runs it: the whole 16-byte IV is one big-endian counter.

    The keystream is AES-ECB over the counter blocks. One ECB context per key, reused under a
    lock, costs a few microseconds less per cookie than a new CTR context for every value.
    """

    __slots__ = ("_ecb", "_lock")

    def __init__(self, key: bytes) -> None:
        self._ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        self._lock = threading.Lock()

    def xor(self, iv: bytes, data: bytes) -> bytes:
        n = len(data)
        if n == 0:
            return b""
        blocks = -(-n // AES_BLOCK)
        low = iv[-1]
        if low + blocks <= 256:
            # Only the last byte of the counter moves: the IV repeated, with that byte counting up.
            lanes = bytearray(iv * blocks)
            lanes[AES_BLOCK - 1 :: AES_BLOCK] = _BYTE_RAMP[low : low + blocks]
            counters: bytes | bytearray = lanes
        else:
            start = int.from_bytes(iv, "big")
            if start + blocks - 1 <= COUNTER_MASK:
                # No block wraps: the counter blocks are start*(1,1,…,1) + (0,1,…,blocks-1) as one
                # big-endian integer (no carries between 128-bit lanes).
                ones, ramp = _ramp(blocks)
                counters = (start * ones + ramp).to_bytes(blocks * AES_BLOCK, "big")
            else:
                counters = b"".join(
                    ((start + i) & COUNTER_MASK).to_bytes(AES_BLOCK, "big") for i in range(blocks)
                )
        with self._lock:
            stream = self._ecb.update(counters)
        return (int.from_bytes(data, "big") ^ int.from_bytes(stream[:n], "big")).to_bytes(n, "big")


_BYTE_RAMP: Final = bytes(range(256))
_RAMPS: Final[dict[int, tuple[int, int]]] = {}
_RAMPS_MAX: Final = 512


def _ramp(blocks: int) -> tuple[int, int]:
    """(sum of 1 << 128*j, sum of i << 128*(blocks-1-i)) for ``blocks`` 128-bit lanes, cached."""
    hit = _RAMPS.get(blocks)
    if hit is None:
        ones = int.from_bytes(b"".join((1).to_bytes(AES_BLOCK, "big") for _ in range(blocks)), "big")
        ramp = int.from_bytes(b"".join(i.to_bytes(AES_BLOCK, "big") for i in range(blocks)), "big")
        hit = (ones, ramp)
        if blocks <= _RAMPS_MAX:
            _RAMPS[blocks] = hit
    return hit
