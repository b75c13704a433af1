"""Marshal: Go values to the bytes ``json.Marshal`` writes (Go: encoding/json encode.go).

Iterative (a stack of pending work), so nesting depth is not limited; per-type rules sit in one
table keyed by type (``_HANDLERS``), found through the value's MRO.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from ..errors import JSONEncodeError
from ..values import (
    Float32,
    GoInterface,
    GoNamed,
    GoNil,
    GoOpaque,
    GoPointer,
    GoSlice,
    GoStruct,
    GoTime,
)
from ._fast import fast_marshal
from ._strconv import format_float, go_quote

__all__ = ["PROFILES", "encode", "marshal"]


@dataclass(frozen=True)
class _Profile:
    short_bf: bool  #: ``\b``/``\f`` as short escapes (Go 1.22+) rather than ``\u0008``/``\u000c``
    bad_utf8: str  #: what one invalid UTF-8 byte becomes
    v2_keys: bool  #: Go 1.27's v2-backed map keys: checked per key, not per key type
    f32_tie_up: bool  #: Go 1.26's float32 Dragonbox: a tie at a power of two rounds up (2**-12)


#: Go releases whose encoder output differs. "go1.22" is the classic encoder of Go 1.22 to 1.25;
#: "go1.26" differs from it only for float32 ±2**-12 (``0.00024414063``, not ``...062``).
PROFILES: dict[str, _Profile] = {
    "go1.21": _Profile(short_bf=False, bad_utf8="\\ufffd", v2_keys=False, f32_tie_up=False),
    "go1.22": _Profile(short_bf=True, bad_utf8="\\ufffd", v2_keys=False, f32_tie_up=False),
    "go1.26": _Profile(short_bf=True, bad_utf8="\\ufffd", v2_keys=False, f32_tie_up=True),
    "go1.27": _Profile(short_bf=True, bad_utf8="\ufffd", v2_keys=True, f32_tie_up=True),
}


def marshal(value: object, *, profile: str = "go1.22") -> bytes:
    """The bytes Go's ``json.Marshal(value)`` returns (HTML escaping on, no newline).

    Go: ``json.Marshal``. Raises JSONEncodeError with Go's text (``json: unsupported type: ...``,
    ``json: unsupported value: NaN``) for what Go refuses, or for an unknown ``profile``.
    """
    prof = PROFILES.get(profile) or _unknown_profile(profile)
    if prof.short_bf:  # the fast path writes \b and \f short (Go 1.22+)
        out = fast_marshal(value, prof)
        if out is not None:
            return out
    return _Encoder(prof).run(value)


def encode(value: object, *, profile: str = "go1.22") -> bytes:
    """``marshal`` plus the ``\\n`` that Go's ``json.NewEncoder(w).Encode(value)`` writes.

    Go: ``json.Encoder.Encode`` (what ``securecookie.JSONEncoder`` uses).
    """
    prof = PROFILES.get(profile) or _unknown_profile(profile)
    if prof.short_bf:
        out = fast_marshal(value, prof)
        if out is not None:
            return out + b"\n"
    return _Encoder(prof).run(value) + b"\n"


def _unknown_profile(profile: str) -> NoReturn:
    raise JSONEncodeError(f"gojson: unknown profile {profile!r}", hint=f"use one of {', '.join(PROFILES)}")


# -- the encoder -------------------------------------------------------------------------------

_Handler = Callable[["_Encoder", Any], None]


class _Encoder:
    """One Marshal call. Iterative (a stack of pending work), so nesting depth is not limited.

    ``todo`` holds values still to write and ``_Pending`` markers: bytes to emit between them, the
    JSON pointer token of the value that follows, and the container a closing bracket leaves.
    """

    def __init__(self, profile: _Profile) -> None:
        self.profile = profile
        self.out = bytearray()
        self.todo: list[object] = []
        self.active: set[int] = set()  # containers being written, for Go's cycle error
        self.path: list[str] = []  # JSON pointer tokens down to the value being written
        self.table = _escape_table(profile)

    def run(self, value: object) -> bytes:
        todo = self.todo
        todo.append(value)
        while todo:
            item = todo.pop()
            if type(item) is _Pending:
                self.out += item.data
                if item.token is not None:
                    self.path[-1] = item.token
                if item.leave:
                    self.active.discard(item.leave)
                    self.path.pop()
            else:
                _handler_for(item)(self, item)
        return bytes(self.out)

    def enter(self, container: object, go_type: str, opening: bytes, closing: bytes) -> None:
        ident = id(container)
        if ident in self.active:
            raise JSONEncodeError(f"json: unsupported value: encountered a cycle via {go_type}")
        self.active.add(ident)
        self.path.append("0")
        self.out += opening
        self.todo.append(_Pending(closing, ident))

    def members(self, items: list[tuple[str, object]]) -> None:
        """Queue ``"name":value`` pairs after an ``enter``."""
        for n in range(len(items) - 1, -1, -1):
            name, val = items[n]
            head = self.quote(name) + b":"
            self.todo.append(val)
            self.todo.append(_Pending(head if n == 0 else b"," + head, 0, name))

    def pointer(self) -> str:
        """RFC 6901 pointer of the value being written (Go 1.27 errors name it)."""
        tokens = (_SURROGATE.sub("\ufffd", t).replace("~", "~0").replace("/", "~1") for t in self.path)
        return "".join("/" + t for t in tokens)

    def quote(self, text: str) -> bytes:
        """Go's ``encodeState.string``: walk the Go bytes of ``text`` and escape."""
        if not text.isascii() and _SURROGATE.search(text):  # bytes that are not UTF-8 in Go
            text = _go_bytes(text).decode("utf-8", "surrogateescape")
        if _NEEDS_ESCAPE.search(text):
            text = text.translate(self.table)
        return b'"' + text.encode("utf-8") + b'"'


class _Pending:
    __slots__ = ("data", "leave", "token")

    def __init__(self, data: bytes, leave: int, token: str | None = None) -> None:
        self.data = data
        self.leave = leave
        self.token = token


def _go_bytes(text: str) -> bytes:
    """The Go string a Python str stands for (surrogateescape; other lone surrogates as WTF-8)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return b"".join(
            c.encode("utf-8", "surrogateescape" if "\udc80" <= c <= "\udcff" else "surrogatepass")
            for c in text
        )


_SURROGATE = re.compile("[\ud800-\udfff]")
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029\udc80-\udcff]')


@functools.cache
def _escape_table(profile: _Profile) -> dict[int, str]:
    """``str.translate`` table of ``encodeState.string`` (surrogates are invalid bytes)."""
    table = {c: f"\\u{c:04x}" for c in range(0x20)}
    table.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x5C: "\\\\"})
    if profile.short_bf:
        table.update({0x08: "\\b", 0x0C: "\\f"})
    for c in "<>&\u2028\u2029":
        table[ord(c)] = f"\\u{ord(c):04x}"
    table.update({c: profile.bad_utf8 for c in range(0xDC80, 0xDD00)})
    return table


def _enc_none(enc: _Encoder, _v: None | GoNil) -> None:
    """nil interface, and nil slice, map, pointer or ``[]byte`` (``GoNil``): ``null``."""
    enc.out += b"null"


def _enc_interface(enc: _Encoder, v: GoInterface) -> None:
    """An interface writes its dynamic value."""
    enc.todo.append(v.value)


def _enc_pointer(enc: _Encoder, v: GoPointer) -> None:
    """A non-nil pointer writes what it points at."""
    enc.todo.append(v.value)


def _enc_bool(enc: _Encoder, v: bool) -> None:
    enc.out += b"true" if v else b"false"


def _enc_int(enc: _Encoder, v: int) -> None:
    try:
        enc.out += str(int(v)).encode("ascii")
    except ValueError:  # beyond Python's int-to-str digit limit; no Go integer is that long
        raise JSONEncodeError("json: unsupported value: integer too large") from None


def _enc_float(enc: _Encoder, v: float) -> None:
    enc.out += format_float(float(v), 64).encode("ascii")


def _enc_float32(enc: _Encoder, v: float) -> None:
    enc.out += format_float(float(v), 32, tie_up=enc.profile.f32_tie_up).encode("ascii")


def _enc_complex(_enc: _Encoder, v: complex) -> None:
    raise JSONEncodeError(f"json: unsupported type: {getattr(v, 'go_type', 'complex128')}")


def _enc_str(enc: _Encoder, v: str) -> None:
    enc.out += enc.quote(v)


def _enc_bytes(enc: _Encoder, v: bytes) -> None:
    enc.out += b'"' + base64.b64encode(v) + b'"'


def _enc_list(enc: _Encoder, v: list[object] | tuple[object, ...]) -> None:
    if not v:
        enc.out += b"[]"
        return
    enc.enter(v, getattr(v, "go_type", "[]interface {}"), b"[", b"]")
    todo = enc.todo
    for n in range(len(v) - 1, 0, -1):
        todo.append(v[n])
        todo.append(_Pending(b",", 0, str(n)))
    todo.append(v[0])


def _enc_slice(enc: _Encoder, v: GoSlice) -> None:
    """A ``[]uint8`` is base64 like ``bytes``; Go arrays (``GoArray``) stay arrays of numbers."""
    if v.elem_type == "uint8":
        _enc_bytes(enc, bytes(v))
    else:
        _enc_list(enc, v)


def _enc_map(enc: _Encoder, m: Mapping[Any, Any]) -> None:
    """Go: ``mapEncoder``: string and integer keys, sorted by their bytes; other key types refused.

    A plain dict stands for ``map[string]...`` or ``map[int]...`` by its keys; a ``GoMap`` says its
    key type. Go 1.27 checks each key instead of the key type (json.md §7).
    """
    key_type = getattr(m, "key_type", None)
    type_text = getattr(m, "go_type", "map[interface {}]interface {}")
    v2 = enc.profile.v2_keys
    if not v2 and key_type in _CLASSIC_BAD_KEYS:
        raise JSONEncodeError(f"json: unsupported type: {type_text}")
    items = [(_map_key(enc, k, key_type, type_text), val) for k, val in m.items()]
    if not items:
        enc.out += b"{}"
        return
    items.sort(key=lambda kv: kv[0])
    enc.enter(m, getattr(m, "go_type", "map[string]interface {}"), b"{", b"}")
    enc.members([(k.decode("utf-8", "surrogateescape"), val) for k, val in items])


_CLASSIC_BAD_KEYS = frozenset(
    {"interface {}", "any", "bool", "float32", "float64", "complex64", "complex128"}
)


def _map_key(enc: _Encoder, key: object, key_type: str | None, type_text: str) -> bytes:
    """The raw bytes a key is written (and sorted) as."""
    if isinstance(key, GoNamed):  # a named string or integer type keys like its underlying type
        key = key.value
    if key_type in ("float32", "float64") and isinstance(key, float):  # Go 1.27 only
        return format_float(key, 32 if key_type == "float32" else 64, tie_up=enc.profile.f32_tie_up).encode()
    if isinstance(key, str):
        return _go_bytes(key)
    if isinstance(key, int) and not isinstance(key, bool):
        return str(int(key)).encode("ascii")
    if not enc.profile.v2_keys:
        raise JSONEncodeError(f"json: unsupported type: {type_text}")
    if key_type in ("complex64", "complex128"):
        raise JSONEncodeError(f"json: unsupported type: {key_type}")
    if isinstance(key, complex):
        raise JSONEncodeError(f"json: unsupported type: {getattr(key, 'go_type', 'complex128')}")
    # Go 1.27: jsontext's SyntacticError, offset just after the "{", pointer to the map.
    where = enc.pointer()
    where = f" within {go_quote(where)}" if where else ""
    raise JSONEncodeError(
        "json: unsupported value: jsontext: object member name must be a string"
        f"{where} after offset {len(enc.out) + 1}"
    )


def _enc_time(enc: _Encoder, v: GoTime) -> None:
    """Go: ``Time.MarshalJSON``, which refuses what RFC 3339 cannot say (appendStrictRFC3339)."""
    text = v.rfc3339nano()
    why = ""
    if text[4:5] != "-":
        why = "year outside of range [0,9999]"
    elif not text.endswith("Z") and (text[-6:-5].isdigit() or not "00" <= text[-5:-3] <= "23"):
        why = "timezone hour outside of range [0,23]"
    if why:
        raise JSONEncodeError(f"json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: {why}")
    enc.out += enc.quote(text)


def _enc_struct(enc: _Encoder, v: GoStruct) -> None:
    """Exported fields in declaration order (Go: ``structEncoder``; no tags travel with a GoStruct)."""
    fields = [(name, val) for name, val in v.fields.items() if name[:1].isupper()]
    if not fields:
        enc.out += b"{}"
        return
    enc.enter(v, v.name, b"{", b"}")
    enc.members(fields)


def _enc_named(enc: _Encoder, v: GoNamed) -> None:
    """A named type encodes as its underlying value (we cannot see its MarshalJSON, if any)."""
    handler = _handler_for(v.value)
    if handler is _enc_complex:
        raise JSONEncodeError(f"json: unsupported type: {v.go_type}")
    handler(enc, v.value)


def _enc_opaque(enc: _Encoder, v: GoOpaque) -> None:
    """A TextMarshaler's text becomes a JSON string (Go, when the type has no MarshalJSON).

    What a gob/binary marshaler would print in JSON is not knowable here, so that is refused with a
    message of ours in Go's shape.
    """
    if v.kind != "text" or v.data is None:
        raise JSONEncodeError(
            f"json: unsupported type: {v.go_type}",
            hint="gorillacompat only knows this value's gob/binary form, not its JSON",
        )
    enc.out += enc.quote(v.data.decode("utf-8", "surrogateescape"))


#: Per-type rules, found by walking the value's MRO (so ``bool`` wins over ``int``,
#: ``Float32`` over ``float``, ``GoMap`` reaches ``dict``).
_HANDLERS: dict[type, _Handler] = {
    type(None): _enc_none,
    GoNil: _enc_none,
    GoInterface: _enc_interface,
    bool: _enc_bool,
    int: _enc_int,
    float: _enc_float,
    Float32: _enc_float32,
    complex: _enc_complex,
    str: _enc_str,
    bytes: _enc_bytes,
    bytearray: _enc_bytes,
    list: _enc_list,
    tuple: _enc_list,
    GoSlice: _enc_slice,
    dict: _enc_map,
    GoTime: _enc_time,
    GoStruct: _enc_struct,
    GoNamed: _enc_named,
    GoOpaque: _enc_opaque,
    GoPointer: _enc_pointer,
}


def _handler_for(value: object) -> _Handler:
    handler = _HANDLERS.get(type(value))
    if handler is not None:
        return handler
    for cls in type(value).__mro__:
        handler = _HANDLERS.get(cls)
        if handler is not None:
            return handler
    if isinstance(value, Mapping):
        return _enc_map
    go_type = getattr(value, "go_type", None)
    raise JSONEncodeError(f"json: unsupported type: {go_type or type(value).__name__}")
