"""Marshal's fast path: common session shapes through CPython's C JSON encoder.

``fast_marshal`` returns the bytes ``_encode._Encoder`` would write, or ``None`` when the value
holds anything it does not take on (the caller then runs the exact encoder, which also raises
Go's errors). Why the C encoder's output equals Go's for what gets through (json.md §1-§4):

- Taken on: ``None``, ``bool``, ``int`` and the sized ints (decimal), ``str`` without surrogates,
  ``float`` as below, ``bytes``/``bytearray``/``GoSlice[uint8]`` (base64 text), ``list``/``tuple``/
  ``GoSlice``/``GoArray``, ``dict`` and ``GoMap`` whose keys are all exact ``str`` (a ``GoMap`` only
  with a key type the profile accepts), ``GoNil`` (``null``), ``GoInterface``/``GoNamed``
  (their value), nested at most ``MAX_DEPTH`` containers deep (so no cycle gets through).
- Floats: Go's ES6 layout is ``repr``'s for a non-integral float with ``1e-4 <= |f|`` (``repr``
  writes fixed notation for decimal exponents -4..15, and every float from 2**52 on is
  integral); an integral float below 2**53 in size is written as the int it equals (its shortest
  digits are all its digits). Anything else (``-0.0``, tiny, huge, NaN, ±Inf) goes the exact way.
- Strings: ``encode_basestring`` escapes ``"``, ``\\``, ``\\b \\f \\n \\r \\t`` short and other
  controls as lowercase ``\\u00xx``, as Go 1.22+ does; ``<``, ``>``, ``&``, U+2028 and U+2029 can only
  occur raw inside strings in its output, so one replace pass over the whole text escapes them.
  A surrogate (an invalid Go byte) makes the final UTF-8 encode fail, which means: go the exact way.
- Keys: sorted by code point, which is UTF-8 byte order for text without surrogates.
"""

from __future__ import annotations

import base64
import json
import json.encoder
import math
from typing import Any, Final

from ..gob.values import (
    GoArray,
    GoInterface,
    GoMap,
    GoNamed,
    GoNil,
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

__all__ = ["MAX_DEPTH", "fast_marshal"]

#: Containers nested deeper than this go the exact (iterative, cycle-checking) way.
MAX_DEPTH: Final = 64

#: Types the C encoder writes exactly as Go does, as they are (str: when free of surrogates).
_LEAF: Final = frozenset(
    {str, bool, type(None), int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr}
)
#: Map key types the classic encoder refuses (mirrors ``_encode._CLASSIC_BAD_KEYS``).
_CLASSIC_BAD_KEYS: Final = frozenset(
    {"interface {}", "any", "bool", "float32", "float64", "complex64", "complex128"}
)
_TWO53: Final = 9007199254740992.0
_HTML: Final = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


class _Fallback(Exception):
    """The value holds something only the exact encoder writes correctly."""


def _refuse(_o: object) -> object:
    raise _Fallback


def _c_encoder() -> Any:
    """``"".join(enc(value, 0))`` is ``json.dumps(value, ...)`` with Go's separators and sorting."""
    make = json.encoder.c_make_encoder
    if make is not None:
        return make(None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, False)
    encoder = json.JSONEncoder(  # no C accelerator: the same text, more slowly
        ensure_ascii=False,
        check_circular=False,
        allow_nan=False,
        sort_keys=True,
        separators=(",", ":"),
        default=_refuse,
    )
    return lambda value, _level: (encoder.encode(value),)


_ENC: Final = _c_encoder()


def fast_marshal(value: object, v2_keys: bool) -> bytes | None:
    """What the exact encoder writes for ``value`` under a profile with short ``\\b``/``\\f``, or
    ``None`` when this path does not take it on. ``v2_keys``: the profile's ``v2_keys``."""
    try:
        text = "".join(_ENC(_prep(value, 0, v2_keys), 0))
        out = text.encode("utf-8")  # fails on a surrogate: bytes that are not UTF-8 in Go
    except (_Fallback, ValueError, TypeError, RecursionError):
        return None
    if b"<" in out or b">" in out or b"&" in out or b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:
        out = text.translate(_HTML).encode("utf-8")
    return out


def _float(f: float) -> object:
    if -_TWO53 < f < _TWO53:
        i = int(f)
        if i == f:
            if i == 0 and math.copysign(1.0, f) < 0:
                raise _Fallback  # Go writes -0
            return i
        if f >= 1e-4 or f <= -1e-4:
            return f
    raise _Fallback


def _prep(v: Any, depth: int, v2: bool) -> object:
    """``v`` with floats made C-encoder-safe, or ``_Fallback`` raised."""
    t = type(v)
    if t in _LEAF:
        return v
    if t is float:
        return _float(v)
    if t is dict or (t is GoMap and (v2 or v.key_type not in _CLASSIC_BAD_KEYS)):
        if depth >= MAX_DEPTH:
            raise _Fallback
        out: dict[str, object] = {}
        for k, x in v.items():
            if type(k) is not str:
                raise _Fallback
            tx = type(x)
            if tx in _LEAF:
                out[k] = x
            elif tx is float:
                out[k] = _float(x)
            else:
                out[k] = _prep(x, depth + 1, v2)
        return out
    if t is list or t is tuple or t is GoArray or (t is GoSlice and v.elem_type != "uint8"):
        if depth >= MAX_DEPTH:
            raise _Fallback
        if _LEAF.issuperset(map(type, v)):
            return v
        items: list[object] = []
        for x in v:
            tx = type(x)
            if tx in _LEAF:
                items.append(x)
            elif tx is float:
                items.append(_float(x))
            else:
                items.append(_prep(x, depth + 1, v2))
        return items
    if t is bytes or t is bytearray or t is GoSlice:  # GoSlice here: []uint8
        return base64.b64encode(bytes(v)).decode("ascii")
    if t is GoNil:
        return None
    if t is GoInterface or t is GoNamed:
        if depth >= MAX_DEPTH:
            raise _Fallback
        return _prep(v.value, depth + 1, v2)
    raise _Fallback
