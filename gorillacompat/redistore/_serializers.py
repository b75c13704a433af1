"""Session serializers of boj/redistore: what goes into the Redis value.

Layering: imports ``errors``, ``gob``, ``gojson`` and this package's ``_errors``; no I/O.

Go: ``redistore.SessionSerializer`` (``Serialize(*Session) ([]byte, error)`` /
``Deserialize([]byte, *Session) error``). Here a serializer turns the session *values* into bytes
(``dumps``) and bytes into a mapping (``loads``); the store merges that mapping into
``session.values`` as Go's ``Deserialize`` does (existing keys not in the record stay).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from .. import gob, gojson
from ..errors import GobDecodeError, JSONDecodeError
from ._errors import JSONKeyError

__all__ = ["GobSerializer", "JSONSerializer", "SessionSerializer"]


@runtime_checkable
class SessionSerializer(Protocol):
    """What a Redis store needs to turn session values into a Redis value and back.

    Go: ``redistore.SessionSerializer``. ``dumps`` raises a ``GorillaError`` for values it cannot
    carry; ``loads`` raises a ``DecodeError`` for bytes it cannot read.
    """

    def dumps(self, values: Mapping[Any, Any]) -> bytes: ...

    def loads(self, data: bytes) -> Mapping[Any, Any]: ...


class GobSerializer:
    """encoding/gob of ``map[interface {}]interface {}`` (Go: ``redistore.GobSerializer``).

    The bytes are those of one fresh ``gob.NewEncoder(buf).Encode(session.Values)``; ``type_ids``
    picks the Go release numbering (``"go1.21"``: first user id 64; ``"go1.19"``: 65). Errors are
    the gob codec's own (Go returns them unwrapped, unlike securecookie).
    """

    def __init__(self, *, registry: Any = None, type_ids: str = "go1.21") -> None:
        self.registry = registry
        self.type_ids = type_ids

    def dumps(self, values: Mapping[Any, Any]) -> bytes:
        m = values if isinstance(values, gob.GoMap) and _is_iface_map(values) else gob.GoMap(values)
        return bytes(gob.dumps(m, registry=self.registry, type_ids=self.type_ids))

    def loads(self, data: bytes) -> Mapping[Any, Any]:
        # Go: dec.Decode(&session.Values) into a map[interface{}]interface{}; trailing bytes ignored.
        value = gob.loads(data, registry=self.registry)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise GobDecodeError(
                f"gob: decoding into local type *map[interface {{}}]interface {{}}, "
                f"received remote type {_gob_type_name(value)}"
            )
        return value

    def __repr__(self) -> str:
        return f"GobSerializer(type_ids={self.type_ids!r})"


class JSONSerializer:
    """``json.Marshal`` of the values as ``map[string]interface{}`` (Go: ``redistore.JSONSerializer``).

    Keys must be strings (Go's error text otherwise); output has sorted keys, HTML escaping and no
    trailing newline. Loading gives Go's ``json.Unmarshal`` types (numbers are floats). Go also
    prints its errors to stdout; we do not. ``compat="v1.4.0"`` reproduces the capitalized error text
    of redistore before v1.4.1.
    """

    def __init__(self, *, profile: str = "go1.22", compat: str = "") -> None:
        self.profile = profile
        self.compat = compat

    def dumps(self, values: Mapping[Any, Any]) -> bytes:
        out: dict[str, Any] = {}
        for k, v in values.items():
            if not isinstance(k, str):
                raise JSONKeyError(_go_v(k), capitalized=self.compat == "v1.4.0")
            out[k] = v
        return bytes(gojson.marshal(out, profile=self.profile))

    def loads(self, data: bytes) -> Mapping[Any, Any]:
        value = gojson.unmarshal(data)
        if value is None:  # JSON null leaves Go's map nil: nothing to merge
            return {}
        if not isinstance(value, dict):
            raise JSONDecodeError(
                f"json: cannot unmarshal {_json_kind(value)} into Go value of type map[string]interface {{}}"
            )
        return value

    def __repr__(self) -> str:
        return f"JSONSerializer(profile={self.profile!r})"


def _is_iface_map(m: gob.GoMap) -> bool:
    return m.go_type == "map[interface {}]interface {}"


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array"


def _gob_type_name(value: object) -> str:
    go_type = getattr(value, "go_type", None)
    if isinstance(go_type, str):
        return go_type
    return {bool: "bool", int: "int", float: "float64", str: "string", bytes: "[]uint8"}.get(
        type(value), type(value).__name__
    )


def _go_v(value: object) -> str:
    """Go's ``%v`` for the common key types (ints, floats, bools, nil, bytes)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _go_g(value)
    if isinstance(value, (bytes, bytearray)):
        return "[" + " ".join(str(b) for b in value) + "]"
    return str(value)


def _go_g(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``, which is what ``%v`` prints for a float64."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    sign = "-" if f < 0 else ""
    mant, _, exp_text = f"{abs(f)!r}".partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + (int(exp_text) if exp_text else 0)  # decimal point position in digits
    if whole == "0":
        lead = len(frac) - len(frac.lstrip("0"))
        point = -lead + (int(exp_text) if exp_text else 0)
    digits = digits.rstrip("0") or "0"
    exp = point - 1
    if exp < -4 or exp >= 6:  # shortest: Go decides with precision 6
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"
