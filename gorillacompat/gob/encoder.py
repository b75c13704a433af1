"""The gob encoder (Go: encoding/gob encoder.go, encode.go, type.go), byte-exact with Go.

Layering: imports ``errors`` and the gob modules below it; never the decoder.

What one ``encode(value)`` writes (gob.md §1, §4–§7):

1. Type ids: each Encoder is a fresh Go *process*: new types get ids from 64 (``"go1.21"``) or 65
   (``"go1.19"``) in Go's building order — a struct before its fields, a map after its key and
   element, a slice/array after its element. Types decoded from gob keep the ids they came with.
2. Type definitions the stream has not carried yet, pre-order, one message each; CommonType names
   follow Go's rules (own name at top level and in interfaces, the type string for unnamed struct
   field types, nothing for map keys/elements and array elements, the element's own name in slices).
3. ``int(id)`` and the value: a struct directly, anything else as a singleton (``00`` + value).

Interface values (Go: encodeInterface) are where the bytes get subtle: the name goes into the
current buffer; each new type definition is appended to that buffer and the buffer is then flushed,
as ``uint(len) + bytes``, to the writer on top of a stack — the output at top level (a message that
ends mid-value), or the enclosing interface's buffer when nested; then ``int(id)``, and the value,
encoded into a fresh buffer with this buffer pushed as the writer, follows as ``uint(len) + bytes``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Mapping
from typing import IO, Any, Final

from .._time import TimeFormatError
from ..errors import GobEncodeError
from ..values import (
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
    go_type_of,
)
from . import _typedesc as td
from ._wire import TOO_BIG, float_bits, put_bytes, put_float, put_int, put_uint, uint_bytes
from .registry import Registry, default_registry

__all__ = ["Encoder", "dumps"]

_INT_RANGE: Final = {
    "int": (-(1 << 63), (1 << 63) - 1),
    "int8": (-(1 << 7), (1 << 7) - 1),
    "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": (-(1 << 31), (1 << 31) - 1),
    "int64": (-(1 << 63), (1 << 63) - 1),
    "uint": (0, (1 << 64) - 1),
    "uint8": (0, 255),
    "uint16": (0, (1 << 16) - 1),
    "uint32": (0, (1 << 32) - 1),
    "uint64": (0, (1 << 64) - 1),
    "uintptr": (0, (1 << 64) - 1),
}

_WIRE_DELTA: Final = {td.Kind.ARRAY: 1, td.Kind.SLICE: 2, td.Kind.STRUCT: 3, td.Kind.MAP: 4}
_MARSHAL_DELTA: Final = {"gob": 5, "binary": 6, "text": 7}
_PREDEFINED_ID: Final = {
    td.Kind.BOOL: 1,
    td.Kind.INT: 2,
    td.Kind.UINT: 3,
    td.Kind.FLOAT: 4,
    td.Kind.BYTES: 5,
    td.Kind.STRING: 6,
    td.Kind.COMPLEX: 7,
    td.Kind.INTERFACE: 8,
}


_FIRST_ID: Final[dict[str, int]] = {"go1.21": 64, "go1.19": 65}

#: Interface values of these Python types need no type definition: their bytes are a fixed
#: prefix ``uint(len(name)) name int(id)`` then ``uint(len(data)) data`` (gob.md §7.4).
_IFACE_STR: Final = b"\x06string\x0c"
_IFACE_INT: Final = b"\x03int\x04"
_IFACE_BOOL_TRUE: Final = b"\x04bool\x02\x02\x00\x01"
_IFACE_BOOL_FALSE: Final = b"\x04bool\x02\x02\x00\x00"
_IFACE_FLOAT: Final = b"\x07float64\x08"
_IFACE_BYTES: Final = b"\x07[]uint8\x0a"
#: uint(n + 2) + 00 + uint(n), by n < 126: a short counted value's byte count, singleton 00 and
#: length (one byte each); after ``_IFACE_STR``, a short string's interface head.
_COUNTED_HEADS: Final = [bytes([n + 2, 0, n]) for n in range(126)]
_IFACE_STR_HEADS: Final = [_IFACE_STR + head for head in _COUNTED_HEADS]
#: Ints whose zig-zag form is one byte, and the one-byte count + singleton 00 of short values.
_IFACE_SMALL_INTS: Final = [_IFACE_INT + bytes([2, 0, u]) for u in range(128)]
_COUNT_00: Final = [bytes([n, 0]) for n in range(128)]
_FAST_IFACE_NAMES: Final = ("string", "int", "bool", "float64", "[]uint8")
_INT64_MIN: Final = -(1 << 63)
_INT64_MAX: Final = (1 << 63) - 1


def first_id(type_ids: str | int) -> int:
    """The first user type id of a Go version: 65 up to Go 1.20, 64 from Go 1.21."""
    if isinstance(type_ids, int):
        return type_ids
    known = _FIRST_ID.get(type_ids) if type(type_ids) is str else None
    if known is not None:
        return known
    m = re.fullmatch(r"go1\.(\d+)(?:\.\d+)?", type_ids)
    if not m:
        raise GobEncodeError(f"type_ids must look like 'go1.21' or 'go1.19', not {type_ids!r}")
    first = 65 if int(m.group(1)) <= 20 else 64
    if len(_FIRST_ID) < 64:
        _FIRST_ID[type_ids] = first
    return first


def _pins_of(spec: td.TypeSpec) -> list[tuple[int, Any]]:
    """(wire id, type key) of every pinned type reachable from ``spec``, in the encoder's walk order."""
    out: list[tuple[int, Any]] = []
    seen: set[int] = set()
    todo = [spec]
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen.add(id(s))
        if s.wire_id is not None:
            out.append((s.wire_id, ("pin", s.group, s.wire_id)))
        todo.extend(x for x in (s.elem, s.key) if x is not None)
        todo.extend(f for _, f in s.fields)
    return out


#: Compiled per-spec data, keyed by ``id(spec)`` and holding the spec itself (a hit needs the very
#: same object). Bounded: they start over when full.
_PLANS_MAX: Final = 256
_PIN_PLANS: Final[dict[int, tuple[td.TypeSpec, list[tuple[int, Any]]]]] = {}
#: Definition bytes by (spec, CommonType name, CommonType id, id, ids of the parts).
_DEF_BYTES: Final[dict[tuple[Any, ...], tuple[td.TypeSpec, bytes]]] = {}

#: Sending one type (Go: sendTypeDescriptor + the id), by (state token, spec). An Encoder that
#: started fresh has a type state (ids, sent types, reservations) fixed by its first id, its
#: reservations and the specs it has sent so far, in order. A token names such a state: a root
#: (_ROOTS, keyed by the first id and the wire types reserved, in order) holds a token and the
#: reservations, and every entry names the state after its step with a token of its own, so
#: (token, spec) spells the whole history (specs by identity, held by the key; specs never
#: change once built; tokens are never reused). An entry holds the first definition message (it
#: may join a pending interface name), the rest as framed messages, the id, the type state after
#: the step, shared with the Encoders that replay it (they copy it before changing it), and its
#: token. Bounded: starts over when full.
_STEPS_MAX: Final = 512
_STEPS: Final[dict[tuple[int, td.TypeSpec], tuple[Any, ...]]] = {}
_ROOTS: Final[dict[tuple[Any, ...], tuple[int, dict[int, Any]]]] = {}
_TOKENS: Final = itertools.count(1)


class _Info:
    """Go's typeInfo: the id and CommonType name a type got when the process built it."""

    __slots__ = ("common_id", "id", "name", "spec")

    def __init__(self, spec: td.TypeSpec, name: str) -> None:
        self.spec = spec
        self.name = name
        self.id = 0
        self.common_id: int | None = None


class Encoder:
    """Writes gob values (Go: ``gob.NewEncoder``); remembers sent types across values like Go.

    ``encode(value)`` returns the bytes of that value (definitions included) and also writes them
    to ``stream`` when one was given. ``strict=True`` refuses, as Go does, interface values whose
    name is not registered (``gob: type not registered for interface: main.Foo``). One Encoder
    also stands for one Go process: type ids keep counting across its values.
    """

    def __init__(
        self,
        stream: IO[bytes] | None = None,
        *,
        registry: Registry | None = None,
        type_ids: str | int = "go1.21",
        strict: bool = False,
    ) -> None:
        self._stream = stream
        self._strict = strict
        self._reg = (registry if registry is not None else default_registry).snapshot()
        self._next = first_id(type_ids)
        self._types: dict[Any, _Info] = {}
        self._id_owner: dict[int, Any] = {}
        self._reserved: dict[int, Any] = {}
        self._sent: set[int] = set()
        self._writers: list[bytearray] = []
        self._derived: dict[str, td.TypeSpec] = {}
        #: The _STEPS token of the type state (None: not tracked), and whether the type state
        #: dicts are shared with a _STEPS entry (copy before changing them).
        self._token: int | None = None
        self._shared = False
        #: Whether basic Python values in interfaces may take the fixed-prefix path (strict mode
        #: needs their names registered, as Go does).
        self._iface_fast = not strict or all(self._reg.is_registered(n) for n in _FAST_IFACE_NAMES)

    # -- public -----------------------------------------------------------------------------

    def encode(self, value: Any) -> bytes:
        """Encode one value (Go: ``Encoder.Encode``); raises GobEncodeError as Go would."""
        try:
            out = self._encode(value)
        except RecursionError as exc:
            raise GobEncodeError("gob: value nested too deeply to encode") from exc
        except TimeFormatError as exc:
            raise GobEncodeError(f"gob: {exc}") from exc
        except UnicodeEncodeError as exc:
            # A lone surrogate outside U+DC80..U+DCFF stands for no Go bytes.
            bad = exc.object[exc.start : exc.end]
            raise GobEncodeError(f"gob: string is not Go text: {exc.reason} at {bad!r}") from exc
        if self._stream is not None:
            self._stream.write(out)
        return out

    def _encode(self, value: Any) -> bytes:
        if value is None:
            raise GobEncodeError("gob: cannot encode nil value")
        self._derived = {}
        if self._shared:
            self._unshare()
        wires = self._wires(value)
        self._token = None
        if not self._types and not self._sent and not self._id_owner and not self._reserved:
            # A fresh type state: its reservations follow from the first id and the wire types
            # reserved, in order, so those name the root (and keep its reservations).
            root = (self._next, *wires)
            hit = _ROOTS.get(root)
            if hit is None:
                self._reserve(wires)
                hit = (next(_TOKENS), self._reserved)
                if len(_ROOTS) >= _STEPS_MAX:
                    _ROOTS.clear()
                _ROOTS[root] = hit
            else:
                self._reserved = hit[1]
            self._shared = True
            self._token = hit[0]
        else:
            self._reserve(wires)
        out = bytearray()
        self._writers = [out]
        msg = bytearray()
        _, spec, val = self._concrete(value)
        spec = td.sent(spec)
        if spec.kind is td.Kind.STRUCT and not spec.fields:
            raise GobEncodeError(f"gob: type {spec.go} has no exported fields")
        put_int(msg, self._send_and_id(out, msg, spec))
        self._enc_top(msg, val, spec)
        if len(msg) >= TOO_BIG:
            raise GobEncodeError("gob: encoder: message too big")
        put_uint(out, len(msg))
        out += msg
        return bytes(out)

    # -- type ids (Go: type.go) ----------------------------------------------------------------

    def _key(self, spec: td.TypeSpec) -> Any:
        if spec.wire_id is not None:
            return ("pin", spec.group, spec.wire_id)
        return ("go", spec.go)

    def _wires(self, value: Any) -> list[td.TypeSpec]:
        """The wire types decoded values in ``value`` carry, each once, in walk order."""
        wires: list[td.TypeSpec] = []
        seen_specs: set[int] = set()
        stack: list[Any] = [] if _is_leaf(value) else [value]  # only non-leaves are pushed
        seen_values: set[int] = set()
        while stack:
            v = stack.pop()
            if id(v) in seen_values:
                continue
            seen_values.add(id(v))
            w = getattr(v, "wire", None)
            if w is not None and id(w) not in seen_specs and isinstance(w, td.TypeSpec):
                seen_specs.add(id(w))
                wires.append(w)
            if isinstance(v, dict):
                for k, x in v.items():
                    if not _is_leaf(k):
                        stack.append(k)
                    if not _is_leaf(x):
                        stack.append(x)
            elif isinstance(v, (list, tuple)):
                for x in v:
                    if not _is_leaf(x):
                        stack.append(x)
            elif isinstance(v, GoStruct):
                for x in v.fields.values():
                    if not _is_leaf(x):
                        stack.append(x)
            elif isinstance(v, (GoNamed, GoPointer)):
                if not _is_leaf(v.value):
                    stack.append(v.value)
        return wires

    def _reserve(self, wires: list[td.TypeSpec]) -> None:
        """Let the wire ids of decoded types keep their numbers (if still free)."""
        owner, reserved = self._id_owner, self._reserved
        for spec in wires:
            cached = _PIN_PLANS.get(id(spec))
            if cached is None or cached[0] is not spec:
                cached = (spec, _pins_of(spec))
                if len(_PIN_PLANS) >= _PLANS_MAX:
                    _PIN_PLANS.clear()
                _PIN_PLANS[id(spec)] = cached
            for wid, key in cached[1]:
                if wid not in owner and wid not in reserved:
                    reserved[wid] = key

    def _alloc(self, key: Any, spec: td.TypeSpec) -> int:
        if spec.wire_id is not None and self._reserved.get(spec.wire_id) == key:
            tid = spec.wire_id
            del self._reserved[tid]
        else:
            while self._next in self._id_owner or self._next in self._reserved:
                self._next += 1
            tid = self._next
            self._next += 1
        self._id_owner[tid] = key
        return tid

    def _build(self, spec: td.TypeSpec, name: str) -> _Info:
        """Go: getBaseType(name, rt) — build (and number) the type and everything it contains."""
        if spec.kind is td.Kind.PTR:
            spec = td.base(spec)
        pre = _PREDEF_INFO.get(spec.kind)
        if pre is not None:
            return pre
        wid = spec.wire_id
        key = ("go", spec.go) if wid is None else ("pin", spec.group, wid)  # self._key(spec)
        known = self._types.get(key)
        if known is not None:
            return known
        if spec.wire_id is None and spec.go:
            alias = self._types.get(("alias", spec.go))
            if alias is not None:
                return alias
        info = _Info(spec, spec.wire_name if spec.wire_name is not None else name)
        info.common_id = spec.common_id
        self._types[key] = info
        if spec.wire_id is not None and ("alias", spec.go) not in self._types:
            self._types[("alias", spec.go)] = info
        k = spec.kind
        if k is td.Kind.MARSHAL:
            info.id = self._alloc(key, spec)
        elif k is td.Kind.STRUCT:
            info.id = self._alloc(key, spec)
            for _, fspec in spec.fields:
                fb = td.base(fspec)
                fi = self._build(fspec, fb.name or fb.go)
                if fi.id == 0:
                    fi.id = self._alloc(self._key(fb), fb)
        elif k is td.Kind.MAP:
            assert spec.key is not None and spec.elem is not None
            self._build(spec.key, "")
            self._build(spec.elem, "")
            if info.id == 0:
                info.id = self._alloc(key, spec)
        elif k is td.Kind.SLICE:
            assert spec.elem is not None
            self._build(spec.elem, "" if spec.elem.kind is td.Kind.PTR else spec.elem.name)
            if info.id == 0:
                info.id = self._alloc(key, spec)
        elif k is td.Kind.ARRAY:
            assert spec.elem is not None
            self._build(spec.elem, "")
            if info.id == 0:
                info.id = self._alloc(key, spec)
        else:  # pragma: no cover
            raise GobEncodeError(f"gob: cannot encode type {spec.go}")
        return info

    def _type_id(self, spec: td.TypeSpec) -> int:
        spec = td.base(spec)
        return self._build(spec, spec.name).id

    def _definition(self, info: _Info) -> bytes:
        """The wireType encoding of a built type (Go: encoding ``info.wire``), cached by its inputs."""
        spec = info.spec
        k = spec.kind
        parts: tuple[int, ...]
        if k is td.Kind.ARRAY or k is td.Kind.SLICE:
            assert spec.elem is not None
            parts = (self._build(spec.elem, "").id,)
        elif k is td.Kind.MAP:
            assert spec.key is not None and spec.elem is not None
            parts = (self._build(spec.key, "").id, self._build(spec.elem, "").id)
        elif k is td.Kind.STRUCT:
            parts = tuple([self._build(f, "").id for _, f in spec.fields])
        else:
            parts = ()
        key = (id(spec), info.name, info.common_id, info.id, parts)
        hit = _DEF_BYTES.get(key)
        if hit is not None and hit[0] is spec:
            return hit[1]
        out = self._definition_bytes(info)
        if len(_DEF_BYTES) >= _PLANS_MAX:
            _DEF_BYTES.clear()
        _DEF_BYTES[key] = (spec, out)
        return out

    def _definition_bytes(self, info: _Info) -> bytes:
        spec = info.spec
        b = bytearray()
        if spec.kind is td.Kind.MARSHAL:
            put_uint(b, _MARSHAL_DELTA[spec.marshal or "gob"])
        else:
            put_uint(b, _WIRE_DELTA[spec.kind])
        # CommonType (field 0, always sent): Name (omitted if ""), Id.
        b.append(1)
        if info.name:
            b.append(1)
            put_bytes(b, info.name.encode("utf-8", "surrogateescape"))
            b.append(1)
        else:
            b.append(2)
        put_int(b, info.common_id if info.common_id is not None else info.id)
        b.append(0)
        k = spec.kind
        if k is td.Kind.ARRAY:
            assert spec.elem is not None
            b.append(1)
            put_int(b, self._build(spec.elem, "").id)
            if spec.length:
                b.append(1)
                put_int(b, spec.length)
        elif k is td.Kind.SLICE:
            assert spec.elem is not None
            b.append(1)
            put_int(b, self._build(spec.elem, "").id)
        elif k is td.Kind.MAP:
            assert spec.key is not None and spec.elem is not None
            b.append(1)
            put_int(b, self._build(spec.key, "").id)
            b.append(1)
            put_int(b, self._build(spec.elem, "").id)
        elif k is td.Kind.STRUCT and spec.fields:
            b.append(1)
            put_uint(b, len(spec.fields))
            for fname, fspec in spec.fields:
                fid = self._build(fspec, "").id
                if fname:
                    b.append(1)
                    put_bytes(b, fname.encode("utf-8", "surrogateescape"))
                    if fid:
                        b.append(1)
                        put_int(b, fid)
                elif fid:
                    b.append(2)
                    put_int(b, fid)
                b.append(0)
        b.append(0)  # end of the inner type
        b.append(0)  # end of wireType
        return bytes(b)

    # -- sending definitions (Go: encoder.go) ----------------------------------------------------

    def _unshare(self) -> None:
        self._types = dict(self._types)
        self._id_owner = dict(self._id_owner)
        self._reserved = dict(self._reserved)
        self._sent = set(self._sent)
        self._shared = False

    def _send_and_id(self, w: bytearray, buf: bytearray, spec: td.TypeSpec) -> int:
        """Send ``spec``'s definitions (the first one joins what ``buf`` holds), return its id.

        Replays a _STEPS entry when this very state sent this very spec before.
        """
        spec = td.sent(spec)
        token = self._token
        if token is None or not _REPLAY or spec.kind in td.PREDEFINED:
            if self._shared:
                self._unshare()
            self._send_type_descriptor(w, buf, spec)
            return self._type_id(spec)
        key = (token, spec)
        step = _STEPS.get(key)
        if step is None:
            if self._shared:
                self._unshare()
            first, rest, tid = self._step(spec)
            step = (
                first,
                rest,
                tid,
                self._types,
                self._id_owner,
                self._reserved,
                self._sent,
                self._next,
                next(_TOKENS),
            )
            if len(_STEPS) >= _STEPS_MAX:
                _STEPS.clear()
            _STEPS[key] = step
        else:
            first, rest, tid = step[0], step[1], step[2]
            self._types, self._id_owner, self._reserved, self._sent, self._next = step[3:8]
        self._shared = True
        self._token = step[8]
        if first is not None:
            buf += first
            put_uint(w, len(buf))
            w += buf
            buf.clear()
            w += rest
        return tid

    def _step(self, spec: td.TypeSpec) -> tuple[bytes | None, bytes, int]:
        """Send ``spec``'s definitions into a recording: (the first definition, unframed, to join
        the message in progress, or None; the further messages, framed; the id)."""
        rec_w = bytearray()
        self._send_type_descriptor(rec_w, bytearray(), spec)
        tid = self._type_id(spec)
        if not rec_w:
            return None, b"", tid
        n, head = _uint_at(rec_w)
        return bytes(rec_w[head : head + n]), bytes(rec_w[head + n :]), tid

    def _send_type_descriptor(self, w: bytearray, buf: bytearray, spec: td.TypeSpec) -> None:
        b = td.base(spec)
        if b.kind in td.PREDEFINED:
            return
        self._build(b, b.name)
        if spec.kind is td.Kind.PTR and b.kind is td.Kind.MARSHAL and b.wire_id is None:
            # Go numbers *T's own type here even when T's definition went out before
            # (encoder.go sendTypeDescriptor: getTypeInfo of the user type).
            self._ptr_info(b)
        self._send_type(w, buf, spec)

    def _ptr_info(self, spec: td.TypeSpec) -> _Info:
        """The second type Go builds for ``*T`` of a GobEncoder ``T`` (type.go buildTypeInfo:
        ``getType(rt.Name(), ut, ut.user)``): no name, an id of its own."""
        key = ("ptr", self._key(spec))
        pinfo = self._types.get(key)
        if pinfo is None:
            pinfo = _Info(spec, "")
            pinfo.id = self._alloc(key, td.TypeSpec(td.Kind.PTR, "*" + spec.go))
            self._types[key] = pinfo
        return pinfo

    def _send_type(self, w: bytearray, buf: bytearray, spec: td.TypeSpec) -> None:
        if spec.kind in _PREDEF_INFO:
            return
        ptr_to_marshaler = spec.kind is td.Kind.PTR and td.base(spec).kind is td.Kind.MARSHAL
        spec = td.base(spec)
        if spec.kind in td.PREDEFINED:
            return
        info = self._build(spec, spec.name)
        if info.id in self._sent:
            return
        put_int(buf, -info.id)
        if ptr_to_marshaler and spec.wire_id is None:
            # Go builds a second type for *T of a GobEncoder T: same wire id, but a CommonType
            # without a name and with an id of its own, numbered when it is sent.
            ghost = _Info(spec, "")
            ghost.id = info.id
            ghost.common_id = self._ptr_info(spec).id
            buf += self._definition(ghost)
        else:
            buf += self._definition(info)
        put_uint(w, len(buf))
        w += buf
        buf.clear()
        self._sent.add(info.id)
        k = spec.kind
        if k is td.Kind.STRUCT:
            for _, fspec in spec.fields:
                self._send_type(w, buf, fspec)
        elif k is td.Kind.ARRAY or k is td.Kind.SLICE:
            assert spec.elem is not None
            self._send_type(w, buf, spec.elem)
        elif k is td.Kind.MAP:
            assert spec.key is not None and spec.elem is not None
            self._send_type(w, buf, spec.key)
            self._send_type(w, buf, spec.elem)

    # -- Go types of Python values ---------------------------------------------------------------

    def _concrete(self, value: Any) -> tuple[str, td.TypeSpec, Any]:
        """(registered name, static type, Go value) of a value put into an interface."""
        t = type(value)
        if t is list:  # what the general path below gives plain lists and dicts, without its checks
            return "[]interface {}", _PLAIN_SLICE, value
        if t is dict:
            name = go_type_of(value)
            return name, _PLAIN_STR_MAP if name == "map[string]interface {}" else _PLAIN_IFACE_MAP, value
        if isinstance(value, GoStruct):
            ts = self._spec_of(value)
            if ts.kind is td.Kind.PTR:  # "*main.Version": a GobEncoder held by pointer
                return self._pointer(None, value.name[1:], ts, value)
            # A decoded struct keeps the name it came with; a new one takes its registration's.
            return (value.name if value.wire is not None else self._registered_name(value.name)), ts, value
        if isinstance(value, GoPointer):
            target, ts, val = self._concrete(value.value)
            return self._pointer(value.name, target, ts, val)
        if isinstance(value, (GoMap, GoSlice, GoArray, GoOpaque, GoNamed)):
            return value.go_type, self._spec_of(value), value
        if isinstance(value, GoTime):
            return "time.Time", value.wire or td.TIME, value
        if isinstance(value, GoInterface):
            return "interface {}", td.INTERFACE, value.value
        if isinstance(value, GoNil):
            spec = self._reg.spec(value.go_type.lstrip("*"))
            if spec is None:
                raise GobEncodeError(f"gob: cannot tell what Go type {value.go_type!r} is; register it")
            if value.go_type.startswith("*"):
                raise GobEncodeError(
                    f"gob: cannot encode nil pointer of type {value.go_type} inside interface"
                )
            return value.go_type, spec, None
        try:
            name = go_type_of(value)
        except TypeError:
            entry = self._reg.by_python_type(type(value))
            if entry is None:
                raise GobEncodeError(
                    f"gob: type not registered for interface: {type(value).__module__}.{type(value).__name__}"
                ) from None
            return entry.go_name, self._entry_spec(entry), value
        return name, self._spec_of(value), value

    def _pointer(
        self, name: str | None, target: str, spec: td.TypeSpec, val: Any
    ) -> tuple[str, td.TypeSpec, Any]:
        """A pointer at top level or in an interface: ``_concrete`` of ``*target``.

        Go names it after its target's registration (encodeInterface looks the base type up):
        ``*T`` if ``*T`` was registered, else ``T``. Only a pointer to a GobEncoder keeps its
        pointer type (its own definition); any other pointer is sent as its target.
        """
        if name is None:
            name = self._registered_name(target)
        b = td.base(spec)
        return name, (_ptr_of(b) if b.kind is td.Kind.MARSHAL else spec), val

    def _registered_name(self, go: str) -> str:
        """The name a value of Go type ``go`` travels under in an interface: Go looks up the
        registration of the base type, so ``T`` and ``*T`` share whichever of them was registered
        (``go`` itself when it is, or when neither is)."""
        reg = self._reg
        if reg.is_registered(go):
            return go
        base = go.lstrip("*")
        for name in (base, "*" + base):
            if name != go and reg.is_registered(name):
                return name
        return go

    def _entry_spec(self, entry: Any) -> td.TypeSpec:
        spec = self._reg.spec(entry.go_name.lstrip("*"))
        if spec is None:
            raise GobEncodeError(f"gob: no Go type known for {entry.go_name}")
        return spec

    def _spec_of(self, value: Any) -> td.TypeSpec:
        """The Go type of a value judged by the value itself."""
        w = getattr(value, "wire", None)
        if isinstance(w, td.TypeSpec):
            return w
        if isinstance(value, GoStruct):
            ts = self._struct_spec(value)
            if ts.kind is td.Kind.MARSHAL and value.name[:1] == "*":
                return _ptr_of(ts)  # a GobEncoder held by pointer (jsonview: "*main.Version")
            return ts
        if isinstance(value, GoPointer):
            return _ptr_of(self._spec_of(value.value))
        if isinstance(value, GoNil):
            spec = self._reg.spec(value.go_type)
            if spec is None:
                raise GobEncodeError(f"gob: cannot tell what Go type {value.go_type!r} is; register it")
            return spec
        if isinstance(value, GoNamed):
            known = self._reg.spec(value.go_type)
            if known is not None and known.kind in td.PREDEFINED:
                return known
            return self._spec_of(value.value)
        if isinstance(value, GoTime):
            return td.TIME
        if isinstance(value, GoOpaque):
            known = self._reg.spec(value.go_type.lstrip("*"))
            if known is not None and known.kind is td.Kind.MARSHAL:
                return known
            return td.marshal_spec(value.go_type.lstrip("*"), value.kind, name=value.wire_name)
        if isinstance(value, (GoMap, GoSlice, GoArray)):
            marshaled = self._known(value.go_type, td.Kind.MARSHAL)
            if marshaled is not None:
                return marshaled
        if isinstance(value, GoMap):
            known = self._known(value.go_type, td.Kind.MAP)
            if known is not None:
                return known
            k = self._resolve(value.key_type, list(value.keys()))
            e = self._resolve(value.elem_type, list(value.values()))
            named = value.go_type != f"map[{value.key_type}]{value.elem_type}"
            return td.map_of(k, e, go=value.go_type, name=td.bare_name(value.go_type) if named else "")
        if isinstance(value, GoSlice):
            known = self._known(value.go_type, td.Kind.SLICE)
            if known is None:
                known = self._known(value.go_type, td.Kind.BYTES)
            if known is not None:
                return known
            e = self._resolve(value.elem_type, list(value))
            named = value.go_type != f"[]{value.elem_type}"
            return td.slice_of(
                e, go=value.go_type if named else None, name=td.bare_name(value.go_type) if named else ""
            )
        if isinstance(value, GoArray):
            known = self._known(value.go_type, td.Kind.ARRAY)
            if known is not None:
                return known
            e = self._resolve(value.elem_type, list(value))
            named = value.go_type != f"[{len(value)}]{value.elem_type}"
            return td.array_of(
                e, len(value), go=value.go_type, name=td.bare_name(value.go_type) if named else ""
            )
        if isinstance(value, bool):
            return td.BOOL
        try:
            name = go_type_of(value)
        except TypeError:
            entry = self._reg.by_python_type(type(value))
            if entry is None:
                raise GobEncodeError(f"gob: cannot encode Python {type(value).__name__}") from None
            return self._entry_spec(entry)
        basic = td.BASIC.get(name)
        if basic is not None:
            return basic
        if name == "[]uint8":
            return td.BYTES
        if name == "[]interface {}":
            return _PLAIN_SLICE
        if name == "map[string]interface {}":
            return _PLAIN_STR_MAP
        return _PLAIN_IFACE_MAP

    def _known(self, go: str, kind: td.Kind) -> td.TypeSpec | None:
        spec = self._reg.spec(go)
        if spec is not None and spec.kind is kind:
            return spec
        return None

    def _struct_spec(self, value: GoStruct) -> td.TypeSpec:
        go = value.name.lstrip("*")
        known = self._reg.spec(go)
        if known is not None and (known.kind is not td.Kind.STRUCT or known.fields):
            return known
        derived = self._derived.get(go)
        if derived is not None:
            return derived
        spec = td.struct_spec(go, [])
        self._derived[go] = spec
        for fname, fv in value.fields.items():
            spec.fields.append((fname, self._resolve(value.field_types.get(fname), [fv])))
        return spec

    def _resolve(self, type_str: str | None, samples: list[Any]) -> td.TypeSpec:
        """A declared Go type spelling, completed from sample values where it names unknown types."""
        if type_str is not None:
            if type_str.lstrip("*") in self._derived:
                return self._derived[type_str.lstrip("*")]
            spec = self._reg.spec(type_str)
            if spec is not None and not (spec.kind is td.Kind.STRUCT and not spec.fields):
                return spec
        for s in samples:
            if s is not None:
                spec = self._spec_of(s)
                if type_str is not None and type_str.startswith("*"):
                    return td.ptr_to(spec)
                return spec
        if type_str is None or type_str == "interface {}":
            return td.INTERFACE
        raise GobEncodeError(
            f"gob: cannot tell what Go type {type_str!r} is; register it (Registry.register/define)"
        )

    # -- values (Go: encode.go) ----------------------------------------------------------------

    def _enc_top(self, buf: bytearray, value: Any, spec: td.TypeSpec) -> None:
        """Go: Encoder.encode — a struct directly, anything else as a singleton."""
        spec = td.base(spec)
        if spec.kind is td.Kind.STRUCT:
            self._enc_struct(buf, value, spec)
        else:
            buf.append(0)
            self._enc(buf, value, spec)

    def _enc(self, buf: bytearray, value: Any, spec: td.TypeSpec) -> None:
        k = spec.kind
        t = type(value)
        w = _FAST_ENC.get((t, k))
        if w is not None:
            w(buf, value)
            return
        # Go int/int64 and float64 from exact Python values: the general path's bytes, unchecked
        # but for the range (out of range: the general path raises).
        if not _FAST_NUMS:
            pass
        elif t is int and k is td.Kind.INT and (spec.go == "int" or spec.go == "int64"):
            if _INT64_MIN <= value <= _INT64_MAX:
                put_int(buf, value)
                return
        elif t is float and k is td.Kind.FLOAT and spec.go == "float64":
            put_float(buf, value)
            return
        if k is td.Kind.PTR:
            if value is None:
                raise GobEncodeError(f"gob: encodeReflectValue: nil element ({spec.go})")
            self._enc(buf, value.value if isinstance(value, GoPointer) else value, td.base(spec))
            return
        if k is td.Kind.INTERFACE:
            self._enc_interface(buf, value)
            return
        while isinstance(value, GoNamed):
            value = value.value
        if isinstance(value, GoNil):
            value = None
        if k is td.Kind.STRING:
            if not isinstance(value, str):
                raise _mismatch(value, spec)
            put_bytes(buf, value.encode("utf-8", "surrogateescape"))
        elif k is td.Kind.INT or k is td.Kind.UINT:
            if not isinstance(value, int):
                raise _mismatch(value, spec)
            under = spec.go if spec.go in _INT_RANGE else (spec.elem.go if spec.elem else spec.go)
            lo, hi = _INT_RANGE.get(under, _INT_RANGE["int64" if k is td.Kind.INT else "uint64"])
            v = int(value)
            if not lo <= v <= hi:
                raise GobEncodeError(f"gob: {v} does not fit in Go {under}")
            if k is td.Kind.INT:
                put_int(buf, v)
            else:
                put_uint(buf, v)
        elif k is td.Kind.BOOL:
            if not isinstance(value, bool):
                raise _mismatch(value, spec)
            buf.append(1 if value else 0)
        elif k is td.Kind.FLOAT:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise _mismatch(value, spec)
            f = float(value)
            under = spec.go if spec.go in td.BASIC else (spec.elem.go if spec.elem else spec.go)
            if under == "float32" and not isinstance(value, Float32):
                f = float(Float32(f))
            put_float(buf, f)
        elif k is td.Kind.BYTES:
            if value is None:
                buf.append(0)
                return
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise _mismatch(value, spec)
            put_bytes(buf, bytes(value))
        elif k is td.Kind.COMPLEX:
            if not isinstance(value, (int, float, complex)) or isinstance(value, bool):
                raise _mismatch(value, spec)
            c = complex(value)
            under = spec.go if spec.go in td.BASIC else (spec.elem.go if spec.elem else spec.go)
            if under == "complex64" and not isinstance(value, Complex64):
                c = complex(Complex64(c))
            put_float(buf, c.real)
            put_float(buf, c.imag)
        elif k is td.Kind.STRUCT:
            if value is None:
                raise GobEncodeError(f"gob: encodeArray: nil element ({spec.go})")
            self._enc_struct(buf, value, spec)
        elif k is td.Kind.SLICE or k is td.Kind.ARRAY:
            items = [] if value is None else value
            if not isinstance(items, (list, tuple)):
                raise _mismatch(value, spec)
            if k is td.Kind.ARRAY and len(items) != spec.length:
                raise GobEncodeError(f"gob: array {spec.go} needs {spec.length} elements, got {len(items)}")
            assert spec.elem is not None
            put_uint(buf, len(items))
            elem = spec.elem
            if elem.kind is td.Kind.INTERFACE:
                # A direct method call: the compiled build turns it into a C call (a method
                # kept in a local is called through Python).
                for x in items:
                    self._enc_interface(buf, x)
            else:
                ek = elem.kind
                fast = _FAST_ENC
                for x in items:
                    w = fast.get((type(x), ek))
                    if w is not None:
                        w(buf, x)
                    else:
                        self._enc(buf, x, elem)
        elif k is td.Kind.MAP:
            m = {} if value is None else value
            if not isinstance(m, dict) and not isinstance(m, Mapping):  # dict first: no ABC check
                raise _mismatch(value, spec)
            assert spec.key is not None and spec.elem is not None
            put_uint(buf, len(m))
            kspec, espec = spec.key, spec.elem
            if kspec.kind is td.Kind.INTERFACE and espec.kind is td.Kind.INTERFACE:
                for key, x in m.items():
                    self._enc_interface(buf, key)
                    self._enc_interface(buf, x)
            else:
                for key, x in m.items():
                    self._enc(buf, key, kspec)
                    self._enc(buf, x, espec)
        elif k is td.Kind.MARSHAL:
            put_bytes(buf, self._marshal(value, spec))
        else:  # pragma: no cover
            raise GobEncodeError(f"gob: cannot encode {spec.go}")

    def _marshal(self, value: Any, spec: td.TypeSpec) -> bytes:
        if type(value) is GoPointer and spec.kind is not td.Kind.PTR:  # a *T in a field: T's bytes
            value = value.value
        if isinstance(value, GoTime):
            return value.marshal_binary()
        if isinstance(value, GoOpaque):
            if value.data is None:
                raise GobEncodeError(f"gob: {value.go_type}: zero value with unknown payload")
            return value.data
        entry = self._reg.entry_of_type(spec.go)
        if entry is None and not isinstance(value, (GoStruct, dict)):
            entry = self._reg.by_python_type(type(value))
        if entry is not None and entry.marshal is not None:
            try:
                return bytes(entry.marshal(value))
            except Exception as exc:
                raise GobEncodeError(f"gob: {spec.go}: {exc}") from exc
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        raise GobEncodeError(f"gob: no marshal function for {spec.go}; register one")

    def _fields_of(self, value: Any, spec: td.TypeSpec) -> Mapping[str, Any]:
        if isinstance(value, GoStruct):
            return value.fields
        if isinstance(value, Mapping):
            return value
        entry = self._reg.by_python_type(type(value))
        if entry is not None and entry.to_go is not None:
            got = entry.to_go(value)
            return got.fields if isinstance(got, GoStruct) else got
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self._reg.dataclass_field_names(type(value))
            return {g: getattr(value, py) for py, g in names}
        raise _mismatch(value, spec)

    def _enc_struct(self, buf: bytearray, value: Any, spec: td.TypeSpec) -> None:
        """Go: encodeStruct — present fields as (delta, value), zero fields omitted, then 00."""
        fields = self._fields_of(value, spec)
        prev = -1
        fast = _FAST_ENC
        for i, (fname, fspec) in enumerate(spec.fields):
            fv = fields.get(fname)
            w = fast.get((type(fv), fspec.kind))
            if w is not None:
                if fv:  # zero (omitted) exactly when empty or False for these types
                    put_uint(buf, i - prev)
                    prev = i
                    w(buf, fv)
                continue
            if _is_zero(fv, fspec):
                continue
            put_uint(buf, i - prev)
            prev = i
            self._enc(buf, fv, fspec)
        buf.append(0)

    def _enc_interface(self, buf: bytearray, value: Any) -> None:
        """Go: encodeInterface (see the module docstring for the flush rule)."""
        if value is None:
            buf.append(0)
            return
        t = type(value)
        if self._iface_fast and (t is str or t is int or t is bool or t is float or t is bytes):
            piece = _iface_bytes(value, t)
            if piece is not None:
                buf += piece
                return
        name, spec, val = self._concrete(value)
        spec = td.sent(spec)
        if spec.kind is td.Kind.STRUCT and not spec.fields:
            raise GobEncodeError(f"gob: type {spec.go} has no exported fields")
        if self._strict and not self._reg.is_registered(name):
            raise GobEncodeError(f"gob: type not registered for interface: {name}")
        raw = name.encode("utf-8", "surrogateescape")
        put_uint(buf, len(raw))
        buf += raw
        put_int(buf, self._send_and_id(self._writers[-1], buf, spec))
        self._writers.append(buf)
        data = bytearray()
        self._enc_top(data, val, spec)
        self._writers.pop()
        put_uint(buf, len(data))
        buf += data


def _put_str(buf: bytearray, value: str) -> None:
    b = value.encode("utf-8", "surrogateescape")
    n = len(b)
    if n < 0x80:
        buf.append(n)
    else:
        put_uint(buf, n)
    buf += b


def _put_bool(buf: bytearray, value: bool) -> None:
    buf.append(1 if value else 0)


def _put_exact_bytes(buf: bytearray, value: bytes) -> None:
    put_bytes(buf, value)


#: Writers of exact Python values in Go types of their own kind, by (Python type, wire kind):
#: what ``Encoder._enc``'s general path writes for them, without its checks (no range or
#: float32 rounding depends on these kinds). Struct fields use them with the zero test
#: ``not value``, which is ``_is_zero``'s for these pairs.
_FAST_ENC: Final[dict[tuple[type, td.Kind], Callable[[bytearray, Any], None]]] = {
    (str, td.Kind.STRING): _put_str,
    (bool, td.Kind.BOOL): _put_bool,
    (bytes, td.Kind.BYTES): _put_exact_bytes,
}

#: Whether ``Encoder._enc`` writes exact ints in Go int/int64 and floats in float64 directly.
_FAST_NUMS = True

#: Whether ``Encoder._send_and_id`` replays _STEPS entries (tests compare against sending afresh).
_REPLAY = True

#: The Go types of plain Python lists and dicts, built once: the type-sending replay (_STEPS)
#: recognises a type by its TypeSpec object.
_PLAIN_SLICE: Final = td.slice_of(td.INTERFACE)
_PLAIN_STR_MAP: Final = td.map_of(td.STRING, td.INTERFACE)
_PLAIN_IFACE_MAP: Final = td.map_of(td.INTERFACE, td.INTERFACE)


def _is_leaf(v: Any) -> bool:
    """A value ``Encoder._wires`` never looks into: None and scalars, sized numbers (``Uint64``,
    ``Float32``, ``Complex64``) included, have no wire type of their own."""
    t = type(v)
    if t is str or t is int or t is bool or t is float or t is bytes or v is None:
        return True
    return isinstance(v, int) or isinstance(v, float) or isinstance(v, complex)


def _uint_at(b: bytearray) -> tuple[int, int]:
    """(value, byte count) of the uint at the start of ``b`` (as put_uint wrote it)."""
    c = b[0]
    if c < 0x80:
        return c, 1
    n = 256 - c
    return int.from_bytes(b[1 : 1 + n], "big"), 1 + n


#: ``*T`` of a spec, one object per spec (the _STEPS cache keys on identity), by ``id(spec)``.
_PTRS: Final[dict[int, tuple[td.TypeSpec, td.TypeSpec]]] = {}


def _ptr_of(spec: td.TypeSpec) -> td.TypeSpec:
    hit = _PTRS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    ptr = td.ptr_to(spec)
    if len(_PTRS) >= _PLANS_MAX:
        _PTRS.clear()
    _PTRS[id(spec)] = (spec, ptr)
    return ptr


def _predef_info(kind: td.Kind) -> _Info:
    info = _Info(td.DEFAULT_BY_ID[_PREDEFINED_ID[kind]], "")
    info.id = _PREDEFINED_ID[kind]
    return info


#: The (shared, never changed) build result of each predeclared kind.
_PREDEF_INFO: Final = {k: _predef_info(k) for k in _PREDEFINED_ID}


#: Interface encodings of short strings: session keys and many values recur from request to
#: request. Bounded: starts over when full.
_STR_PIECES: Final[dict[str, bytes]] = {}
_STR_PIECES_MAX: Final = 1024
_STR_PIECE_MAX: Final = 64


def _iface_bytes(value: Any, t: type) -> bytes | None:
    """A basic Python value in an interface (name, id, count, 00, value), from its fixed
    prefix; None: take the general path (an int outside int64)."""
    if t is str:
        hit = _STR_PIECES.get(value)
        if hit is not None:
            return hit
        b: bytes = value.encode("utf-8", "surrogateescape")
        n = len(b)
        if n >= 126:
            return _iface_counted(_IFACE_STR, b)
        piece = _IFACE_STR_HEADS[n] + b  # 00 + one-byte length + bytes < 128: a one-byte count
        if n <= _STR_PIECE_MAX:
            if len(_STR_PIECES) >= _STR_PIECES_MAX:
                _STR_PIECES.clear()
            _STR_PIECES[value] = piece
        return piece
    if t is int:
        if not _INT64_MIN <= value <= _INT64_MAX:
            return None
        u: int = (value << 1) if value >= 0 else (((~value) << 1) | 1)
        if u < 128:
            return _IFACE_SMALL_INTS[u]
        return _iface_uint(_IFACE_INT, u)
    if t is bool:
        return _IFACE_BOOL_TRUE if value else _IFACE_BOOL_FALSE
    if t is float:
        return _iface_uint(_IFACE_FLOAT, float_bits(value))
    return _iface_counted(_IFACE_BYTES, value)


def _iface_uint(prefix: bytes, u: int) -> bytes:
    """``prefix`` (name and id), the value's byte count, the singleton 00, then ``uint(u)``."""
    head = uint_bytes(u)
    return prefix + _COUNT_00[1 + len(head)] + head  # at most 10: one byte


def _iface_counted(prefix: bytes, b: bytes) -> bytes:
    """``prefix``, the value's byte count, the singleton 00, then ``uint(len(b))`` and ``b``."""
    head = uint_bytes(len(b))
    return b"".join((prefix, uint_bytes(1 + len(head) + len(b)), b"\x00", head, b))


def _is_zero(v: Any, spec: td.TypeSpec) -> bool:
    """Go's zero test for struct fields (encode.go: the per-kind ops, isZero)."""
    t = type(v)
    k = spec.kind
    # Exact basic Python values in fields of their own kind: what the general test below gives.
    if t is str and k is td.Kind.STRING:
        return not v
    if t is int and (k is td.Kind.INT or k is td.Kind.UINT):
        return bool(v == 0)
    if t is bool and k is td.Kind.BOOL:
        return v is False
    if t is float and k is td.Kind.FLOAT:
        return bool(v == 0)
    if v is None:
        return True
    if isinstance(v, GoNil):  # a typed nil in an interface field makes the interface non-nil
        return k is not td.Kind.INTERFACE
    b = td.base(spec)
    k = b.kind
    if k is td.Kind.MARSHAL and (spec.kind is td.Kind.PTR or isinstance(v, GoPointer)):
        return False  # Go sends a non-nil pointer to a GobEncoder even when it points at a zero value
    while isinstance(v, (GoNamed, GoPointer)):
        v = v.value
    if k is td.Kind.ARRAY or k is td.Kind.STRUCT or k is td.Kind.MAP or k is td.Kind.INTERFACE:
        return False
    if k is td.Kind.MARSHAL:
        if isinstance(v, GoTime):
            return v.is_zero()
        if isinstance(v, GoOpaque):
            return v.data is None
        return _reflect_zero(v)
    if k is td.Kind.BOOL:
        return v is False
    if k is td.Kind.STRING or k is td.Kind.BYTES or k is td.Kind.SLICE:
        try:
            return len(v) == 0
        except TypeError:
            return False
    try:
        return bool(v == 0)
    except TypeError:
        return False


def _reflect_zero(v: Any) -> bool:
    """Go's ``reflect.Value.IsZero`` of a GobEncoder's value (how Go decides to omit it)."""
    while isinstance(v, GoNamed):
        v = v.value
    if v is None or isinstance(v, GoNil):
        return True
    if isinstance(v, GoTime):
        return v.is_zero()
    if isinstance(v, GoOpaque):
        return v.data is None
    if isinstance(v, GoStruct):
        return all(_reflect_zero(x) for x in v.fields.values())
    if isinstance(v, tuple):
        return all(_reflect_zero(x) for x in v)
    if isinstance(v, (list, dict, str, bytes, bytearray)):
        return len(v) == 0
    if isinstance(v, (bool, int, float, complex)):
        return v == 0 and not (isinstance(v, float) and str(v) == "-0.0")
    return False


def _mismatch(value: Any, spec: td.TypeSpec) -> GobEncodeError:
    return GobEncodeError(f"gob: cannot encode Python {type(value).__name__} {value!r:.60} as Go {spec.go}")


def dumps(
    value: Any, *, registry: Registry | None = None, type_ids: str | int = "go1.21", strict: bool = False
) -> bytes:
    """The gob bytes of one value as a fresh Go process writes them (Go: ``gob.NewEncoder(w).Encode(v)``).

    ``type_ids="go1.21"`` numbers new types from 64 (Go 1.21 and later), ``"go1.19"`` from 65
    (Go 1.19/1.20). Values decoded by ``loads`` re-encode to the bytes they were decoded from.
    Raises GobEncodeError for values Go would refuse.
    """
    t = type(value)
    if (t is str or t is int) and not isinstance(type_ids, int):
        first_id(type_ids)  # still refuses a bad ``type_ids``
    if t is str:  # a top-level string (Redis session IDs): no definitions, ``0c 00`` + string
        try:
            b: bytes = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return Encoder(registry=registry, type_ids=type_ids, strict=strict).encode(value)
        body = b"\x0c\x00" + uint_bytes(len(b)) + b
        return uint_bytes(len(body)) + body
    if t is int and _INT64_MIN <= value <= _INT64_MAX:
        body = b"\x04\x00" + uint_bytes((value << 1) if value >= 0 else (((~value) << 1) | 1))
        return uint_bytes(len(body)) + body
    if t is GoMap and registry is None and not strict:
        out = _session_map(value, type_ids)
        if out is not None:
            return out
    return Encoder(registry=registry, type_ids=type_ids, strict=strict).encode(value)


_IFACE_MAP: Final = "map[interface {}]interface {}"
_IFACE_SLICE: Final = "[]interface {}"
#: Plans of ``_session_map``, by (map wire type or None, type_ids, registry snapshot, the
#: Python type and wire type of each non-basic value in order). A plan is None (take the general
#: path) or (the map's definitions, ``int(id)`` of the map, one entry per
#: non-basic value: (its name, first definition message or None, further messages, ``int(id)``)).
#: Bounded: starts over when full.
_SESSION_PLANS: Final[dict[tuple[Any, ...], Any]] = {}
_SESSION_PLANS_MAX: Final = 256


def _is_basic(t: type) -> bool:
    return t is str or t is int or t is bool or t is float or t is bytes


def _session_map(value: GoMap, type_ids: str | int) -> bytes | None:
    """A session map written without the general walk; None: take the general path.

    The map is a ``map[interface {}]interface {}`` whose keys are basic Python values
    (str/int/bool/float/bytes) and whose values are basic values, ``GoTime``s and
    ``[]interface {}`` slices (flashes) of basic values. Every type such a map sends, and every
    id it gets, follows from the map's wire type and the (Python type, wire type) of its
    non-basic values in order, so the general encoder's type-sending for that sequence is
    recorded once as a plan and the values are written around it.
    """
    if value._go_type is not None and value._go_type != _IFACE_MAP:
        return None
    if value.key_type != "interface {}" or value.elem_type != "interface {}":
        return None
    events: list[Any] = []  # the Python type and wire type of each non-basic value
    for k, v in value.items():  # the cheapest refusal first: a session holding anything else
        if not _is_basic(type(k)):
            return None
        t = type(v)
        if _is_basic(t):
            continue
        if t is GoTime:
            events.append(t)
            events.append(v.wire)
        elif t is GoSlice:
            if v.elem_type != "interface {}" or (v._go_type is not None and v._go_type != _IFACE_SLICE):
                return None
            for x in v:
                if not _is_basic(type(x)):
                    return None
            events.append(t)
            events.append(v.wire)
        elif t is list:
            for x in v:
                if not _is_basic(type(x)):
                    return None
            events.append(t)
        else:
            return None
    snap = default_registry._snapshot
    if snap is None:
        snap = default_registry.snapshot()
    # Types by identity (the key holds them): decoders share the specs of shared definitions.
    key = (value.wire, type_ids, snap, tuple(events))
    plan = _SESSION_PLANS.get(key, False)
    if plan is False:
        plan = _session_plan(value, type_ids, snap)
        if len(_SESSION_PLANS) >= _SESSION_PLANS_MAX:
            _SESSION_PLANS.clear()
        _SESSION_PLANS[key] = plan
    if plan is None:
        return None
    steps: list[tuple[bytes, bytes | None, bytes, bytes]] = plan[2]
    # Pieces joined once at the end: list appends and bytes joins are C calls when compiled.
    out: list[bytes] = [plan[0]]
    count = uint_bytes(len(value))
    msg: list[bytes] = [plan[1], b"\x00", count]
    size = len(plan[1]) + 1 + len(count)
    i = 0
    try:
        for k, v in value.items():
            n = _add_iface(msg, k)
            if n < 0:
                return None
            size += n
            t = type(v)
            if _is_basic(t):
                n = _add_iface(msg, v)
                if n < 0:
                    return None
                size += n
                continue
            name, first, rest, tid = steps[i]
            i += 1
            msg.append(name)
            size += len(name)
            if first is not None:  # the first definition ends the message so far (gob.md §6)
                msg.append(first)
                out.append(uint_bytes(size + len(first)))
                out.extend(msg)
                out.append(rest)
                msg = []
                size = 0
            # The value: tid, its byte count, then the singleton 00 and the value.
            if t is GoTime:
                payload = v._payload  # the bytes it was decoded from, if any
                if payload is None:
                    payload = v.marshal_binary()
                n = len(payload)  # 15 or 16 bytes (Go's time encoding versions 1 and 2)
                if n >= 126:
                    return None
                msg.append(tid)
                msg.append(_COUNTED_HEADS[n])
                msg.append(payload)
                size += len(tid) + 3 + n
                continue
            head = uint_bytes(len(v))
            data = [b"\x00", head]
            n = 1 + len(head)
            for x in v:
                m = _add_iface(data, x)
                if m < 0:
                    return None
                n += m
            count = uint_bytes(n)
            msg.append(tid)
            msg.append(count)
            msg.extend(data)
            size += len(tid) + len(count) + n
    except (UnicodeEncodeError, TimeFormatError):
        return None  # the general path raises what Go would
    if size >= TOO_BIG:
        return None
    out.append(uint_bytes(size))
    out.extend(msg)
    return b"".join(out)


def _add_iface(parts: list[bytes], value: Any) -> int:
    """Append a basic value's interface encoding to ``parts``: its size, or -1 (general path)."""
    piece = _iface_bytes(value, type(value))
    if piece is None:
        return -1
    parts.append(piece)
    return len(piece)


def _session_plan(value: GoMap, type_ids: str | int, snap: Registry) -> Any:
    """What a fresh general Encoder sends for ``value``'s types (see ``_session_map``), or None."""
    enc = Encoder(type_ids=type_ids)
    if enc._reg is not snap:
        return None
    enc._reserve(enc._wires(value))
    out = bytearray()
    enc._writers = [out]
    _, spec, _ = enc._concrete(value)
    spec = td.sent(spec)
    if not _holds_interfaces(spec, td.Kind.MAP):
        return None
    map_id = bytearray()
    put_int(map_id, enc._send_and_id(out, bytearray(), spec))
    steps: list[tuple[bytes, bytes | None, bytes, bytes]] = []
    for v in value.values():
        t = type(v)
        if _is_basic(t):
            continue
        name, espec, _ = enc._concrete(v)
        espec = td.sent(espec)
        ok = espec.kind is td.Kind.MARSHAL if t is GoTime else _holds_interfaces(espec, td.Kind.SLICE)
        if not ok:
            return None
        first, rest, tid = enc._step(espec)
        head = bytearray()  # what _enc_interface writes before the definitions: the name
        put_bytes(head, name.encode("utf-8", "surrogateescape"))
        tid_bytes = bytearray()
        put_int(tid_bytes, tid)
        steps.append((bytes(head), first, rest, bytes(tid_bytes)))
    return (bytes(out), bytes(map_id), steps)


def _holds_interfaces(spec: td.TypeSpec, kind: td.Kind) -> bool:
    """Whether ``spec`` is a ``kind`` (map or slice) whose keys and elements are interfaces."""
    parts = (spec.key, spec.elem) if kind is td.Kind.MAP else (spec.elem,)
    return spec.kind is kind and all(p is not None and p.kind is td.Kind.INTERFACE for p in parts)
