"""Marshal's fast path for the common session shapes (``_encode.marshal`` tries it first).

``fast_marshal`` returns exactly the bytes the exact encoder (``_encode._Encoder``) writes, or
``None`` when the value holds anything this path does not take on; the caller then runs the exact
encoder, which also raises Go's errors. It is recursive string building with CPython's C string
escaper, for profiles whose ``\\b``/``\\f`` are short (Go 1.22+). Why its bytes are the exact ones:

- Taken on: ``None``, ``bool``, exact ``int`` and the sized ints (``int.__repr__``, the decimal the
  exact encoder writes), ``float`` (below), ``Float32`` (``format_float``, as the exact encoder),
  ``str``, ``bytes``/``bytearray``/``GoSlice`` of ``uint8`` (base64), ``list``/``tuple``/``GoSlice``/
  ``GoArray``, ``dict``/``GoMap`` whose keys are all exact ``str`` (a ``GoMap`` only with a key type
  the profile accepts), ``GoNil`` (``null``), ``GoInterface``/``GoNamed``/``GoPointer`` (their
  value). Subclasses and every other type go the exact way, and so does nesting deeper than
  ``MAX_DEPTH`` (a cycle included: the exact encoder then names it).
- ``float``: a non-integral float with ``1e-4 <= |f|`` is written as ``repr`` writes it (``repr``
  uses fixed notation for decimal exponents -4..15, Go's ES6 rule for 1e-6..1e21, and both take the
  shortest round-trip digits; every float from 2**52 on is integral); an integral float below 2**53
  in size other than ``-0.0`` as the int it equals (its shortest digits are all of its digits);
  anything else through ``format_float`` itself. Its errors (NaN, ±Inf) go the exact way.
- ``str``: ``json.encoder.encode_basestring`` escapes ``"`` ``\\`` and ``\\b \\f \\n \\r \\t`` short and
  the other controls as lowercase ``\\u00xx``, and copies everything else, as Go 1.22+ does; so
  ``<``, ``>``, ``&``, U+2028 and U+2029 appear in the text only raw and only inside strings, and one
  pass over the finished text escapes them as Go does. A surrogate (an invalid Go byte) makes the
  final UTF-8 encode fail: that value goes the exact way.
- Map members are sorted by key code points: UTF-8 byte order, for text without surrogates.
"""

from __future__ import annotations

import base64
import json.encoder
import math
from typing import TYPE_CHECKING, Any, Final

from ..values import (
    Float32,
    GoArray,
    GoInterface,
    GoMap,
    GoNamed,
    GoNil,
    GoPointer,
    GoSlice,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
)
from ._strconv import format_float

if TYPE_CHECKING:
    from ._encode import _Profile

__all__ = ["MAX_DEPTH", "fast_marshal"]

#: Containers nested deeper than this go the exact (iterative, cycle-naming) way.
MAX_DEPTH: Final = 64

#: Map key types the classic encoder refuses (as ``_encode._CLASSIC_BAD_KEYS``).
_CLASSIC_BAD_KEYS: Final = frozenset(
    {"interface {}", "any", "bool", "float32", "float64", "complex64", "complex128"}
)
_INTS: Final = frozenset({int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr})
_NONE: Final = type(None)
_STR: Final = frozenset({str})
_TWO53: Final = 9007199254740992.0
_HTML: Final = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}
_quote: Final = json.encoder.encode_basestring
_int_text: Final = int.__repr__
_float_repr: Final = float.__repr__


class _StepAsideError(Exception):
    """The value holds something only the exact encoder writes (or refuses) correctly."""


def fast_marshal(value: object, profile: _Profile) -> bytes | None:
    """The exact encoder's bytes for ``value``, or ``None`` when this path does not take it on.

    Only for a profile with short ``\\b``/``\\f`` (``profile.short_bf``).
    """
    try:
        text = _object(value, 1, profile) if type(value) is dict else _value(value, 0, profile)
        out = text.encode("utf-8")  # fails on a surrogate: bytes that are not UTF-8 in Go
    except Exception:  # _StepAsideError, Go's errors (NaN), a surrogate, keys that do not sort, ...
        return None
    if (
        "<" in text
        or ">" in text
        or "&" in text
        or (not out.isascii() and ("\u2028" in text or "\u2029" in text))
    ):
        out = text.translate(_HTML).encode("utf-8")
    return out


def _float(f: float) -> str:
    """Go's float64 text (``format_float(f, 64)``), the common cases without its digit work."""
    if f.is_integer():
        if -_TWO53 < f < _TWO53 and (f or math.copysign(1.0, f) > 0):  # -0.0 is "-0"
            return "%d" % f  # noqa: UP031 (the fastest exact integer text of a float)
    elif 1e-4 <= f < _TWO53 or -_TWO53 < f <= -1e-4:  # not ±Inf (not integral either), nor NaN
        return _float_repr(f)
    return format_float(f, 64)


def _value(x: Any, depth: int, prof: _Profile) -> str:
    """The JSON text of any value this path takes on; ``_StepAsideError`` for the rest."""
    t = type(x)
    if t is str:
        return _quote(x)
    if t is bool:
        return "true" if x else "false"
    if t is float:
        return _float(x)
    if t is _NONE or t is GoNil:
        return "null"
    if t in _INTS:
        return _int_text(x)
    if depth >= MAX_DEPTH:
        raise _StepAsideError
    if t is dict or (t is GoMap and (prof.v2_keys or x.key_type not in _CLASSIC_BAD_KEYS)):
        return _object(x, depth + 1, prof)
    if t is list or t is tuple or t is GoArray or (t is GoSlice and x.elem_type != "uint8"):
        return _array(x, depth + 1, prof)
    if t is bytes or t is bytearray or t is GoSlice:  # this GoSlice is a []uint8
        return '"' + base64.b64encode(bytes(x)).decode("ascii") + '"'
    if t is Float32:
        return format_float(float(x), 32, tie_up=prof.f32_tie_up)
    if t is GoInterface or t is GoNamed or t is GoPointer:
        return _value(x.value, depth + 1, prof)
    raise _StepAsideError


def _object(m: dict[Any, Any], depth: int, prof: _Profile) -> str:
    members = []
    for k in sorted(m):  # keys that do not sort raise: this path is then left too
        if type(k) is not str:
            raise _StepAsideError
        x = m[k]
        t = type(x)
        if t is str:
            members.append(f"{_quote(k)}:{_quote(x)}")
        elif t is bool:
            members.append(f"{_quote(k)}:true" if x else f"{_quote(k)}:false")
        elif t is float:
            members.append(f"{_quote(k)}:{_float(x)}")
        elif t is _NONE:
            members.append(f"{_quote(k)}:null")
        elif t in _INTS:
            members.append(f"{_quote(k)}:{_int_text(x)}")
        else:
            members.append(f"{_quote(k)}:{_value(x, depth, prof)}")
    return "{" + ",".join(members) + "}"


def _array(a: list[Any] | tuple[Any, ...], depth: int, prof: _Profile) -> str:
    items = []
    for x in a:
        t = type(x)
        if t is str:
            items.append(_quote(x))
        elif t is bool:
            items.append("true" if x else "false")
        elif t is float:
            items.append(_float(x))
        elif t is _NONE:
            items.append("null")
        elif t in _INTS:
            items.append(_int_text(x))
        else:
            items.append(_value(x, depth, prof))
    return "[" + ",".join(items) + "]"
