"""The parts of Go's strconv that encoding/json output depends on.

``format_float`` is ``floatEncoder.encode``: ``strconv.AppendFloat(f, 'f' or 'e', -1, bits)`` with
the ES6 cut-offs; ``go_quote`` is ``strconv.Quote``, which Go's error texts use.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

from ..errors import JSONEncodeError
from ..values import Float32

__all__ = ["format_float", "go_quote"]

_F32_1E_6 = float(Float32(1e-6))
_F32_1E21 = float(Float32(1e21))


def format_float(f: float, bits: int, *, tie_up: bool = False) -> str:
    """Go's ``floatEncoder.encode`` for a float64 (``bits=64``) or float32 value (``bits=32``).

    1. NaN and ±Inf are Go's ``unsupported value`` errors.
    2. Exponent form iff ``|f|`` is non-zero and below 1e-6 or at least 1e21 (for float32 the
       bounds are float32 too).
    3. Shortest digits that read back as the same value of that size.
    4. ``e-07`` is written ``e-7``; positive exponents keep ``+`` and two digits.
    """
    if math.isnan(f) or math.isinf(f):
        text = "NaN" if math.isnan(f) else ("+Inf" if f > 0 else "-Inf")
        raise JSONEncodeError(f"json: unsupported value: {text}")
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    a = abs(f)
    if a == 0:
        return sign + "0"
    small, big = (1e-6, 1e21) if bits == 64 else (_F32_1E_6, _F32_1E21)
    digits, point = _f64_digits(a) if bits == 64 else _f32_digits(a, tie_up)
    if a < small or a >= big:  # exponent form; Go trims "e-07" to "e-7"
        e = point - 1
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e-{-e}" if e < 0 else f"{sign}{mant}e+{e:02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _f64_digits(a: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``a > 0`` (from ``repr``) and ``point``: a = 0.DIGITS × 10**point."""
    mant, _, exp = repr(a).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + int(exp or 0) - (len(whole) + len(frac) - len(digits))
    return digits.rstrip("0"), point


def _f32_digits(a: float, tie_up: bool) -> tuple[str, int]:
    """As ``_f64_digits`` for a float32 ``a > 0``: the fewest digits that read back as the same
    float32, the nearer of the two candidates when both do, ties to even (Go's ``ftoa``). With
    ``tie_up``, a tie at a power of two rounds up, as Go 1.26's Dragonbox does (it tests the float64
    tie exponent, -77, where float32 needs -35); only 2**-12 is affected."""
    bits = struct.unpack("<I", struct.pack("<f", a))[0]
    tie_up = tie_up and bits & 0x7FFFFF == 0 and bits >> 23 > 0
    x = Fraction(a)
    below = Fraction(struct.unpack("<f", struct.pack("<I", bits - 1))[0])
    above = 2 * x - below if bits == 0x7F7FFFFF else Fraction(_f32_from_bits(bits + 1))
    lo, hi, inclusive = (x + below) / 2, (x + above) / 2, bits % 2 == 0

    def inside(c: Fraction) -> bool:
        return lo < c < hi or (inclusive and (c == lo or c == hi))

    p = math.floor(math.log10(a))  # 10**p <= x < 10**(p+1), corrected exactly below
    while Fraction(10) ** p > x:
        p -= 1
    while Fraction(10) ** (p + 1) <= x:
        p += 1
    for d in range(1, 18):
        unit = Fraction(10) ** (p - d + 1)
        c = math.floor(x / unit)
        down, up = inside(c * unit), inside((c + 1) * unit)
        if down and up:
            diff = (x - c * unit) - ((c + 1) * unit - x)
            c += 1 if diff > 0 or (diff == 0 and (c % 2 == 1 or tie_up)) else 0
        elif up:
            c += 1
        elif not down:
            continue
        text = str(c)
        return text.rstrip("0"), p - d + 1 + len(text)
    raise AssertionError("unreachable: 9 digits always identify a float32")  # pragma: no cover


def _f32_from_bits(bits: int) -> float:
    return float(struct.unpack("<f", struct.pack("<I", bits))[0])


_GO_SHORT = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` (surrogateescape surrogates are the invalid bytes it writes as ``\\x``)."""
    out = ['"']
    for c in text:
        n = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif c in _GO_SHORT:
            out.append(_GO_SHORT[c])
        elif 0xDC80 <= n <= 0xDCFF or n < 0x20 or n == 0x7F:
            out.append(f"\\x{n & 0xFF:02x}")
        elif c.isprintable():  # Go's IsPrint: letters, marks, numbers, punctuation, symbols, space
            out.append(c)
        else:
            out.append(f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}")
    return "".join(out) + '"'
