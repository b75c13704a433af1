"""A lossless JSON view of Go values: the "plain" and "typed" renderings of spec/jsonview.md.

Layering: imports ``errors``, ``values`` and ``_time`` only (the value model, not the gob codec).

Typed: every node is ``{"t": "<Go %T>", "v": ...}``; ``loads``/``from_typed`` rebuild the Go-typed
value (``Int8``, ``GoMap`` …) so that it re-encodes to the same gob bytes. Plain: for people and for
comparing values; not read back.

Zero length: a nil or empty slice or ``[]byte`` renders as an empty one in both views (``[]``,
``{"$bytes": ""}``), as spec/jsonview.md says: gob does not carry nil against empty (Go decodes
both to nil), so ``GoSlice(nil=True)``, ``GoNil("[]uint8")`` and a ``None`` in a slot of such a
type show the empty value they re-encode as. A nil map is ``{"$map": []}`` in plain but stays
``"v": null`` in typed: gob does carry that one (Go omits a nil map field and sends an empty
one), so ``[]`` and ``null`` re-encode differently. Otherwise only nil pointers and nil
interfaces are ``null``.

Extensions (fixtures/README.md, "jsonview extensions"): ``"utc": false`` on a zero-offset
``$time`` that is not Go's ``time.UTC`` (gob ``00 00``, not ``ff ff``), ``"bits"`` on a NaN
that is not Go's ``math.NaN()``, and ``"v": null`` on a slice or ``[]byte`` type for a Go nil
one where encoding/json tells it from an empty one (``null`` against ``[]``/``""``; go-harness
writes it for encoding/json inputs only): read as ``GoSlice(nil=True)``/``GoNil``, never
written here; texts without them read as before.

Text is Python's ``json.dumps(..., separators=(",", ":"), ensure_ascii=False)``; go-harness
prints the same bytes (floats as Python's ``repr``: ``17.0``, ``1e-07``).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import struct
from collections.abc import Callable
from typing import Any

from . import _time
from .errors import DecodeError
from .values import (
    BASIC_GO_TYPES,
    Complex64,
    Float32,
    GoArray,
    GoInterface,
    GoMap,
    GoNamed,
    GoNil,
    GoOpaque,
    GoPointer,
    GoSlice,
    GoStruct,
    GoTime,
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
    go_type_of,
)

__all__ = ["JSONViewError", "dumps", "from_typed", "loads", "node_text", "to_plain", "to_typed"]

_MAX_SAFE = 1 << 53

#: Deepest typed view ``loads`` reads (Python's recursion limit is the real bound).
MAX_DEPTH = 300


class JSONViewError(DecodeError):
    """A typed view that does not describe a Go value."""


# -- rendering ----------------------------------------------------------------------------------

#: The bits of Go's ``math.NaN()``: the NaN a ``{"$float": "NaN"}`` without ``"bits"`` stands for.
GO_NAN_BITS = 0x7FF8000000000001
_GO_NAN: float = struct.unpack(">d", GO_NAN_BITS.to_bytes(8, "big"))[0]


def _float_bits(x: float) -> int:
    return int.from_bytes(struct.pack(">d", x), "big")


def _float_node(x: float) -> Any:
    if math.isnan(x):
        bits = _float_bits(x)
        if bits == GO_NAN_BITS:
            return {"$float": "NaN"}
        return {"$float": "NaN", "bits": f"{bits:016x}"}
    if math.isinf(x):
        return {"$float": "+Inf" if x > 0 else "-Inf"}
    if x == 0 and math.copysign(1.0, x) < 0:
        return {"$float": "-0"}
    return float(x)


def _int_node(x: int) -> Any:
    return int(x) if abs(x) <= _MAX_SAFE else {"$int": str(int(x))}


def _str_node(s: str) -> Any:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raw = s.encode("utf-8", "surrogateescape")
        return {"$badstr": base64.b64encode(raw).decode("ascii")}
    return s


def _bytes_node(b: bytes | bytearray | memoryview) -> Any:
    return {"$bytes": base64.b64encode(bytes(b)).decode("ascii")}


def _time_node(t: GoTime) -> Any:
    if t.offset == 0:  # a zero-offset location that is not time.UTC (gob: 00 00, not ff ff)
        return {"$time": t.rfc3339nano(), "offset": 0, "utc": False}
    return {"$time": t.rfc3339nano(), "offset": t.offset or 0}


def _opaque_node(o: GoOpaque) -> Any:
    data = None if o.data is None else base64.b64encode(o.data).decode("ascii")
    return {"$opaque": data, "kind": o.kind}


def _scalar_node(value: Any) -> Any:
    """Plain rendering of a scalar (shared by both views); NotImplemented if not a scalar."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _int_node(value)
    if isinstance(value, float):
        return _float_node(value)
    if isinstance(value, complex):
        return {"$complex": [_float_node(value.real), _float_node(value.imag)]}
    if isinstance(value, str):
        return _str_node(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes_node(value)
    if isinstance(value, GoTime):
        return _time_node(value)
    if isinstance(value, GoOpaque):
        return _opaque_node(value)
    return NotImplemented


def _compact(node: Any) -> str:
    return node_text(node)


# -- zero length ------------------------------------------------------------------------------

_KIND_OF_WIRE = {"BYTES": "bytes", "SLICE": "slice", "MAP": "map"}


def _nil_kind(go_type: str | None, wire: Any = None) -> str:
    """``"bytes"``, ``"slice"`` or ``"map"`` when ``go_type`` is of that kind, else ``""`` (a
    pointer, an interface, or a named type of unknown kind).

    ``wire`` is the gob type of the slot when the value was decoded (a ``TypeSpec``, read by
    duck typing: this layer does not import gob); it tells the kind of a named type (``Counts``
    for ``main.Counts map[string]int``) that the spelling does not.
    """
    if go_type is None or go_type.startswith(("*", "interface")) or go_type == "nil":
        return ""
    if go_type == "[]uint8":
        return "bytes"
    if go_type.startswith("[]"):
        return "slice"
    if go_type.startswith("map["):
        return "map"
    return _KIND_OF_WIRE.get(getattr(getattr(wire, "kind", None), "name", ""), "")


def _nil_node(kind: str, *, typed: bool) -> Any:
    """The rendering (typed: the ``"v"``) of a nil value of ``kind`` (see ``_nil_kind``).

    A nil slice or ``[]byte`` shows as an empty one (gob writes both alike). A nil map is empty
    in plain but ``null`` in typed: Go's encoder omits a nil map field and sends an empty one
    ("the receiver might want to use the map"), so the typed view keeps them apart.
    """
    if kind == "bytes":
        return {"$bytes": ""}
    if kind == "slice":
        return []
    if kind == "map" and not typed:
        return {"$map": []}
    return None


def _wire_part(value: Any, part: str) -> Any:
    """``value.wire.<part>`` (``elem``, ``key``) of a decoded container, or None."""
    return getattr(getattr(value, "wire", None), part, None)


def _wire_fields(value: GoStruct) -> dict[str, Any]:
    """Field name → gob type of a decoded struct's fields ({} for one built in Python)."""
    fields = getattr(value.wire, "fields", None)
    try:
        return dict(fields) if fields else {}
    except (TypeError, ValueError):
        return {}


def to_plain(value: Any) -> Any:
    """The plain rendering of a value, as a JSON-ready tree."""
    return _plain(value, None, None)


def _plain(value: Any, static: str | None, wire: Any) -> Any:
    """``to_plain``; ``static``/``wire``: the Go type (and gob type) of the slot holding it."""
    if value is None or isinstance(value, GoNil):
        kind = _nil_kind(value.go_type if isinstance(value, GoNil) else static, wire)
        return _nil_node(kind, typed=False)
    if isinstance(value, (GoNamed, GoInterface, GoPointer)):
        return _plain(value.value, None, None)
    s = _scalar_node(value)
    if s is not NotImplemented:
        return s
    if isinstance(value, dict):
        kt = value.key_type if isinstance(value, GoMap) else None
        et = value.elem_type if isinstance(value, GoMap) else None
        kw, ew = _wire_part(value, "key"), _wire_part(value, "elem")
        # Keys that render alike (1 and int64(1)) are ordered by their typed text, not by wire
        # order, so Go's random map order cannot change the view.
        keyed = []
        seen: dict[bytes, int] = {}
        for k, v in value.items():
            pk = _plain(k, kt, kw)
            text = _compact(pk).encode("utf-8", "surrogatepass")
            seen[text] = seen.get(text, 0) + 1
            keyed.append((text, k, pk, v))

        def order(e: tuple[bytes, Any, Any, Any]) -> tuple[bytes, bytes]:
            if seen[e[0]] < 2:
                return e[0], b""
            return e[0], _compact(_typed(e[1], kt, kw)).encode("utf-8", "surrogatepass")

        keyed.sort(key=order)
        return {"$map": [[pk, _plain(v, et, ew)] for _, _, pk, v in keyed]}
    if isinstance(value, (list, tuple)):
        et = value.elem_type if isinstance(value, (GoSlice, GoArray)) else None
        ew = _wire_part(value, "elem")
        return [_plain(x, et, ew) for x in value]
    if isinstance(value, GoStruct):
        types, wires = value.field_types, _wire_fields(value)
        fields = {k: _plain(v, types.get(k), wires.get(k)) for k, v in value.fields.items()}
        return {"$struct": value.name, "fields": fields}
    raise TypeError(f"no plain rendering for {type(value).__name__}")


_BASIC_TYPED = BASIC_GO_TYPES | {"[]uint8"}


def to_typed(value: Any, static: str | None = None) -> Any:
    """The typed rendering of a value, as a JSON-ready tree.

    ``static`` is the Go type of the slot holding the value (a container's element type); a plain
    Python value in a ``[]int8`` renders as ``int8``.

    A nil slice or ``[]byte`` (``GoSlice(nil=True)``, ``GoNil("[]uint8")``, ``None`` in a slot
    of such a type) renders as an empty one (``[]``, ``{"$bytes": ""}``): gob does not tell them
    apart. ``null`` is a nil pointer (``{"t": "*T", "v": null}``), a nil interface
    (``{"t": "nil", "v": null}``) or a nil map, which gob does tell from an empty one.
    """
    return _typed(value, static, None)


def _typed(value: Any, static: str | None, wire: Any) -> Any:
    """``to_typed``; ``wire`` is the gob type of the slot when decoded (see ``_nil_kind``)."""
    if value is None or isinstance(value, GoNil):
        t = value.go_type if isinstance(value, GoNil) else static
        if t is None or t == "nil" or t.startswith("interface"):
            return {"t": "nil", "v": None}
        return {"t": t, "v": _nil_node(_nil_kind(t, wire), typed=True)}
    if static is not None and static.startswith("*"):
        if isinstance(value, GoStruct) and value.name.startswith("*"):
            return _typed(value, None, None)
        if isinstance(value, GoPointer):
            value = value.value
        return {"t": static, "v": _typed(value, static[1:], None)}
    if isinstance(value, GoPointer):
        return {"t": value.go_type, "v": _typed(value.value, None, None)}
    if static in _BASIC_TYPED and type(value) in (int, float, complex, str, bytes, bool):
        if static == "float32" and isinstance(value, float):
            value = Float32(value)
        elif static == "complex64" and isinstance(value, complex):
            value = Complex64(value)
        return {"t": static, "v": _scalar_node(value)}
    if isinstance(value, GoInterface):
        return _typed(value.value, None, None)
    if isinstance(value, GoNamed):
        inner = _typed(value.value, None, None)
        return {"t": value.go_type, "v": inner["v"]}
    t = go_type_of(value)
    s = _scalar_node(value)
    if s is not NotImplemented:
        return {"t": t, "v": s}
    if isinstance(value, GoStruct):
        types, wires = value.field_types, _wire_fields(value)
        fields = {k: _typed(v, types.get(k), wires.get(k)) for k, v in value.fields.items()}
        if value.name.startswith("*"):
            return {"t": value.name, "v": {"t": value.name[1:], "v": fields}}
        return {"t": t, "v": fields}
    if isinstance(value, (GoMap, GoSlice, GoArray)):
        t = _wire_named(value, t)
    if isinstance(value, dict):
        kt = value.key_type if isinstance(value, GoMap) else None
        et = value.elem_type if isinstance(value, GoMap) else None
        kw, ew = _wire_part(value, "key"), _wire_part(value, "elem")
        pairs = [[_typed(k, kt, kw), _typed(v, et, ew)] for k, v in value.items()]
        return {"t": t, "v": pairs}
    if isinstance(value, (list, tuple)):
        et = value.elem_type if isinstance(value, (GoSlice, GoArray)) else None
        ew = _wire_part(value, "elem")
        return {"t": t, "v": [_typed(x, et, ew) for x in value]}
    raise TypeError(f"no typed rendering for {type(value).__name__}")


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _wire_named(value: GoMap | GoSlice | GoArray, t: str) -> str:
    """``t``, or the wire name of a named map/slice/array type decoded without its Go type.

    gob sends ``Type.Name()`` (``Tags`` for ``main.Tags []string``) but not the package, so a
    value decoded without a registry is shown under that bare name, as structs reached through
    fields are (``Address``); the name keeps the type named when the view is read back.
    """
    wire = value.wire
    name = getattr(wire, "name", "") if wire is not None else ""
    if not name or not _IDENT.match(name) or t != getattr(wire, "go", None):
        return t
    if isinstance(value, GoMap):
        unnamed = f"map[{value.key_type}]{value.elem_type}"
    elif isinstance(value, GoSlice):
        unnamed = f"[]{value.elem_type}"
    else:
        unnamed = f"[{len(value)}]{value.elem_type}"
    return name if t == unnamed else t


# -- JSON text ----------------------------------------------------------------------------------


def node_text(node: Any, *, indent: int | None = None) -> str:
    """The JSON text of a JSON-ready tree: compact (or indented) UTF-8, as Python's json writes it.

    go-harness renders its trees byte-identically (go-harness/pyjson.go), so texts compare.
    """
    if indent is None:
        return json.dumps(node, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return json.dumps(node, indent=indent, ensure_ascii=False, allow_nan=False)


def dumps(value: Any, *, typed: bool = False, indent: int | None = None) -> str:
    """The plain (default) or typed JSON view of a Go value (spec/jsonview.md)."""
    return node_text(to_typed(value) if typed else to_plain(value), indent=indent)


# -- reading the typed view -------------------------------------------------------------------


def _bad(msg: str) -> JSONViewError:
    return JSONViewError(f"jsonview: {msg}")


def _nan(bits: Any) -> float:
    """The NaN of a ``"bits"`` member (16 hex digits of the float64); absent: Go's math.NaN()."""
    if bits is None:
        return _GO_NAN
    if not isinstance(bits, str) or not re.fullmatch(r"[0-9a-f]{16}", bits):
        raise _bad(f"bad NaN bits {bits!r}")
    x: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    if not math.isnan(x):
        raise _bad(f"NaN bits {bits!r} are not a NaN")
    return x


def _num(v: Any, what: str) -> float:
    if isinstance(v, dict) and "$float" in v:
        special = v["$float"]
        if special == "NaN":
            return _nan(v.get("bits"))
        table = {"+Inf": math.inf, "-Inf": -math.inf, "-0": -0.0}
        if special not in table:
            raise _bad(f"bad $float {special!r}")
        return table[special]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _bad(f"{what}: expected a number, got {v!r}")
    return float(v)


def _integer(v: Any, what: str) -> int:
    if isinstance(v, dict) and "$int" in v:
        try:
            return int(v["$int"])
        except (TypeError, ValueError) as exc:
            raise _bad(f"bad $int {v['$int']!r}") from exc
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise _bad(f"{what}: expected an integer, got {v!r}")
    return v


def _string(v: Any) -> str:
    if isinstance(v, str):
        return _go_string(v)
    if isinstance(v, dict) and "$badstr" in v:
        return _b64(v["$badstr"]).decode("utf-8", "surrogateescape")
    raise _bad(f"expected a string, got {v!r}")


def _go_string(s: str) -> str:
    """``s`` if it stands for Go bytes; a lone surrogate outside U+DC80..U+DCFF stands for none."""
    try:
        s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise _bad(f"string {s!r} holds a lone surrogate; invalid bytes travel as $badstr") from exc
    return s


def _b64(s: Any) -> bytes:
    if not isinstance(s, str):
        raise _bad(f"expected base64 text, got {s!r}")
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _bad(f"bad base64 {s!r}") from exc


def _bytes(v: Any) -> bytes:
    if isinstance(v, dict) and "$bytes" in v:
        return _b64(v["$bytes"])
    raise _bad(f"expected {{'$bytes': ...}}, got {v!r}")


def _complex(v: Any) -> complex:
    if isinstance(v, dict) and isinstance(v.get("$complex"), list) and len(v["$complex"]) == 2:
        re_, im = v["$complex"]
        return complex(_num(re_, "complex"), _num(im, "complex"))
    raise _bad(f"expected {{'$complex': [re, im]}}, got {v!r}")


def _time_value(v: Any) -> GoTime:
    if not isinstance(v, dict) or not isinstance(v.get("$time"), str):
        raise _bad(f"expected {{'$time': ..., 'offset': ...}}, got {v!r}")
    try:
        sec, nanos, text_off = _time.parse_rfc3339(v["$time"])
    except ValueError as exc:
        raise _bad(str(exc)) from exc
    offset = _integer(v.get("offset", text_off), "offset")
    sec += text_off - offset  # the text shows whole minutes of the zone; "offset" is exact
    # "utc" says whether the location is Go's time.UTC (gob: offset ff ff). Absent (older texts):
    # true exactly when the offset is 0, so "Z" without it reads as time.UTC (the common case).
    utc = v.get("utc", offset == 0)
    if not isinstance(utc, bool) or (utc and offset != 0):
        raise _bad(f"bad utc {utc!r} for offset {offset}")
    return GoTime(sec, nanos, None if utc else offset)


def _sized(cls: Callable[[int], Any]) -> Callable[[Any], Any]:
    def make(v: Any) -> Any:
        try:
            return cls(_integer(v, "integer"))
        except OverflowError as exc:
            raise _bad(str(exc)) from exc

    return make


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "bool": lambda v: v if isinstance(v, bool) else _raise(_bad(f"expected a bool, got {v!r}")),
    "int": lambda v: _integer(v, "int"),
    "int8": _sized(Int8),
    "int16": _sized(Int16),
    "int32": _sized(Int32),
    "int64": _sized(Int64),
    "uint": _sized(Uint),
    "uint8": _sized(Uint8),
    "uint16": _sized(Uint16),
    "uint32": _sized(Uint32),
    "uint64": _sized(Uint64),
    "uintptr": _sized(Uintptr),
    "float64": lambda v: _num(v, "float64"),
    "float32": lambda v: Float32(_num(v, "float32")),
    "complex128": _complex,
    "complex64": lambda v: Complex64(_complex(v)),
    "string": _string,
    "[]uint8": _bytes,
    "time.Time": _time_value,
}


def _raise(exc: Exception) -> Any:
    raise exc


_ARRAY = re.compile(r"\[(\d+)\](.+)\Z", re.S)


def split_map_type(t: str) -> tuple[str, str] | None:
    """``("K", "V")`` of ``"map[K]V"`` (brackets in K are matched), or None."""
    if not t.startswith("map["):
        return None
    depth = 0
    for i in range(3, len(t)):
        c = t[i]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return t[4:i], t[i + 1 :]
    return None


def _node(node: Any) -> tuple[str, Any]:
    if not isinstance(node, dict) or "t" not in node or not isinstance(node["t"], str):
        raise _bad(f"expected a typed node {{'t': ..., 'v': ...}}, got {node!r}")
    return node["t"], node.get("v")


def _is_node(x: Any) -> bool:
    return isinstance(x, dict) and isinstance(x.get("t"), str) and "v" in x


def _in_slot(node: Any, static: str) -> Any:
    """``node``, if it fits a container slot of basic Go type ``static`` (``to_typed`` writes
    such elements with the slot's type, so any other type would not read back)."""
    if static in _BASIC_TYPED and isinstance(node, dict) and node.get("t", static) != static:
        raise _bad(f"a {node['t']} node in a {static} slot")
    return node


def from_typed(node: Any) -> Any:
    """The Go-typed value of an already parsed typed node (the inverse of ``to_typed``)."""
    try:
        return _from_typed(node, _depth=0)
    except RecursionError as exc:
        raise _bad("nesting too deep") from exc


def _from_typed(node: Any, *, _depth: int = 0, _static_ptr: bool = False) -> Any:
    if _depth > MAX_DEPTH:
        raise _bad("nesting too deep")
    d = _depth + 1
    t, v = _node(node)
    if t == "nil":
        return None
    if v is None:
        if t.startswith("[]") and t != "[]uint8":
            return GoSlice(elem_type=t[2:], nil=True)
        return GoNil(t)
    scalar = _SCALARS.get(t)
    if scalar is not None:
        return scalar(v)
    if t.startswith("[]"):
        if not isinstance(v, list):
            raise _bad(f"{t}: expected a list")
        sp = t.startswith("[]*")
        items = [_from_typed(_in_slot(x, t[2:]), _depth=d, _static_ptr=sp) for x in v]
        return GoSlice(items, elem_type=t[2:])
    m = _ARRAY.match(t)
    if m:
        if not isinstance(v, list) or len(v) != int(m.group(1)):
            raise _bad(f"{t}: expected a list of {m.group(1)} elements")
        sp = m.group(2).startswith("*")
        items = [_from_typed(_in_slot(x, m.group(2)), _depth=d, _static_ptr=sp) for x in v]
        return GoArray(items, elem_type=m.group(2))
    kv = split_map_type(t)
    if kv is not None:
        return _map(v, t, kv[0], kv[1], None, d)
    if t.startswith("*") and _is_node(v):
        inner = _from_typed(v, _depth=d)
        if isinstance(inner, GoStruct):
            # "*main.T": a pointer field, element, or a type registered as a pointer travelling in
            # an interface; the view does not say which, and the name serves all three.
            inner.name = t
            return inner
        if _static_ptr:  # *int and the like: the slot's Go type says "pointer"
            return inner
        return GoPointer(inner)  # top level or in an interface: nothing else says "pointer"
    return _named(t, v, d)


def _map(v: Any, t: str, kt: str, et: str, go_type: str | None, d: int) -> GoMap:
    if not isinstance(v, list):
        raise _bad(f"{t}: expected a list of [key, value] pairs")
    out = GoMap(key_type=kt, elem_type=et, go_type=go_type)
    for pair in v:
        if not isinstance(pair, list) or len(pair) != 2:
            raise _bad(f"{t}: expected [key, value], got {pair!r}")
        key = _from_typed(_in_slot(pair[0], kt), _depth=d, _static_ptr=kt.startswith("*"))
        try:
            out[key] = _from_typed(_in_slot(pair[1], et), _depth=d, _static_ptr=et.startswith("*"))
        except TypeError as exc:
            raise _bad(f"{t}: key {pair[0]!r} cannot be a Python dict key") from exc
    return out


def _named(t: str, v: Any, d: int) -> Any:
    """A value of a named type the view does not spell out: judge by the shape of ``v``."""
    if isinstance(v, dict):
        if "$opaque" in v:
            data = v["$opaque"]
            kind = v.get("kind", "gob")
            if kind not in ("gob", "binary", "text"):
                raise _bad(f"bad opaque kind {kind!r}")
            return GoOpaque(t, None if data is None else _b64(data), kind)
        if "$bytes" in v:
            return GoNamed(t, _bytes(v))
        if "$badstr" in v:
            return GoNamed(t, _string(v))
        if "$complex" in v:
            return GoNamed(t, _complex(v))
        if "$float" in v:
            return GoNamed(t, _num(v, t))
        if "$int" in v:
            return GoNamed(t, _integer(v, t))
        if "$time" in v:
            return _time_value(v)
        fields: dict[str, Any] = {}
        types: dict[str, str] = {}
        for k, fv in v.items():
            fields[k] = _from_typed(fv, _depth=d, _static_ptr=True)
            ft = fv["t"]
            if ft != "nil":
                types[k] = ft
        return GoStruct(t, fields, field_types=types)
    if isinstance(v, list):
        if v and all(isinstance(x, list) and len(x) == 2 for x in v):
            # A named map: its key and element types are those of its entries when all agree
            # (the view does not spell a named type's underlying type out).
            kt, et = (_common_type([_node_type(p[i]) for p in v]) for i in (0, 1))
            return _map(v, t, kt, et, t, d)
        items = [_from_typed(x, _depth=d) for x in v]
        elem_types = {x["t"] for x in v}
        et = elem_types.pop() if len(elem_types) == 1 else "interface {}"
        return GoSlice(items, elem_type="interface {}" if et == "nil" else et, go_type=t)
    if isinstance(v, (bool, int, float, str)):
        return GoNamed(t, _go_string(v) if isinstance(v, str) else v)
    raise _bad(f"{t}: cannot read {v!r}")


def _node_type(pair_item: Any) -> str:
    return pair_item["t"] if isinstance(pair_item, dict) and isinstance(pair_item.get("t"), str) else ""


def _common_type(types: list[str]) -> str:
    kinds = set(types)
    if len(kinds) == 1:
        (only,) = kinds
        if only and only != "nil":
            return only
    return "interface {}"


def loads(text: str | bytes) -> Any:
    """The Go-typed value of a typed view text: ``dumps(loads(t), typed=True) == t``."""
    try:
        node = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"not JSON: {exc}") from exc
    return from_typed(node)
