"""gob's primitive encodings (Go: encoding/gob encode.go / decode.go, "Encoding Details" in doc.go).

Layering: imports ``errors`` only.

::

    uint   x < 128: one byte x; else one byte -(n) as int8 (ff = 1 byte … f8 = 8 bytes), then n
           big-endian bytes, minimal
    int    zig-zag: i >= 0 → uint(i << 1); i < 0 → uint((^i) << 1 | 1)
    float  IEEE-754 float64 bits, byte-reversed, as a uint (float32 is widened first)
    string uint(len) + bytes; []byte likewise
    message  uint(len) + len bytes

The decoding side is ``Reader``: a cursor over one message's bytes. Every read checks the bytes that
remain first, and errors carry Go's texts.
"""

from __future__ import annotations

import struct
from typing import Final

from ..errors import GobDecodeError

__all__ = [
    "TOO_BIG",
    "Reader",
    "float_bits",
    "float_from_bits",
    "put_bytes",
    "put_float",
    "put_int",
    "put_uint",
    "uint_bytes",
]

#: Go's ``tooBig`` on 64-bit platforms: the largest message and slice byte size (8 GiB).
TOO_BIG: Final = 1 << 33

_UINT64_MAX: Final = (1 << 64) - 1
_SMALL: Final = [bytes([i]) for i in range(128)]


def uint_bytes(x: int) -> bytes:
    """The gob encoding of an unsigned integer (Go: ``encodeUint``)."""
    if x < 128:
        return _SMALL[x]
    n = (x.bit_length() + 7) >> 3
    return bytes([256 - n]) + x.to_bytes(n, "big")


def put_uint(buf: bytearray, x: int) -> None:
    if x < 128:
        buf.append(x)
    else:
        n = (x.bit_length() + 7) >> 3
        buf.append(256 - n)
        buf += x.to_bytes(n, "big")


def put_int(buf: bytearray, i: int) -> None:
    """Go: ``encodeInt``."""
    put_uint(buf, (i << 1) if i >= 0 else (((~i) << 1) | 1))


def float_bits(x: float) -> int:
    """The byte-reversed float64 bits gob sends for a float (Go: ``floatBits``)."""
    return int.from_bytes(struct.pack("<d", x), "big")


def float_from_bits(u: int) -> float:
    """Go: ``float64FromBits``."""
    return float(struct.unpack("<d", u.to_bytes(8, "big"))[0])


def put_float(buf: bytearray, x: float) -> None:
    put_uint(buf, float_bits(x))


def put_bytes(buf: bytearray, b: bytes | bytearray | memoryview) -> None:
    put_uint(buf, len(b))
    buf += b


class Reader:
    """A cursor over the bytes of the message being decoded (Go: ``decBuffer``)."""

    __slots__ = ("data", "end", "pos")

    def __init__(self, data: bytes = b"") -> None:
        self.data = data
        self.pos = 0
        self.end = len(data)

    def set(self, data: bytes) -> None:
        """Start reading a new message (Go: ``decBuffer.SetBytes``)."""
        self.data = data
        self.pos = 0
        self.end = len(data)

    def remaining(self) -> int:
        return self.end - self.pos

    def uint(self) -> int:
        """Go: ``decoderState.decodeUint``."""
        pos = self.pos
        if pos >= self.end:
            raise GobDecodeError("EOF")
        b = self.data[pos]
        if b < 0x80:
            self.pos = pos + 1
            return b
        n = 256 - b
        if n > 8:
            raise GobDecodeError("gob: encoded unsigned integer out of range")
        left = self.end - pos - 1
        if left < n:
            raise GobDecodeError(f"gob: invalid uint data length {n}: exceeds input size {left}")
        self.pos = pos + 1 + n
        if n == 1:  # type ids 64-255 and short lengths: no slice, no call
            return self.data[pos + 1]
        return int.from_bytes(self.data[pos + 1 : pos + 1 + n], "big")

    def sint(self) -> int:
        """Go: ``decoderState.decodeInt``."""
        u = self.uint()
        return ~(u >> 1) if u & 1 else u >> 1

    def next_int(self) -> int:
        """A signed int read the way ``Decoder.nextInt`` reads type ids (EOF texts differ)."""
        pos = self.pos
        if pos >= self.end:
            raise GobDecodeError("EOF")
        b = self.data[pos]
        if b >= 0x80:
            n = 256 - b
            if n > 8:
                raise GobDecodeError("gob: encoded unsigned integer out of range")
            if self.end - pos - 1 < n:
                raise GobDecodeError("unexpected EOF")
        return self.sint()

    def length(self, what: str) -> int:
        """A byte count that must fit in what remains (Go: ``getLength``); raises Go's text."""
        n = self.uint()
        if n > self.end - self.pos or n >= TOO_BIG:
            # Go's getLength returns 0 with ok=false, so its message always says 0.
            raise GobDecodeError(f"gob: bad {what} slice length: 0")
        return n

    def take(self, n: int) -> bytes:
        pos = self.pos
        self.pos = pos + n
        return bytes(self.data[pos : pos + n])
