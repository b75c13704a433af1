"""The gob decoder (Go: encoding/gob decoder.go, decode.go), total on bad input.

Layering: imports ``errors`` and the gob modules below it (``_wire``, ``_typedesc``, ``values``,
``registry``, ``_time``); never the encoder.

Strategy: a stream is messages ``uint(n) + n bytes``. One ``decode()`` is Go's ``Decode``: read type
definitions (``int(-id) wireType``) until a message starts with a non-negative id, then the value.
Values are decoded by their *wire* type, without a Go destination; the registry and the interface
names give them their exact Go types where the wire cannot (``int8`` vs ``int``). Every decoded
container keeps the wire type it came with (``.wire``), so the encoder can write the same bytes.

Go's framing quirk (gob.md §1.1): when a type definition is met while decoding an interface value,
a message may end right after it (the rest of the value is in the next message), or, inside an
enclosing interface, be followed by a chunk length that is skipped. Interface value lengths are read
and ignored, as Go does.

Limits (keyword-only): ``max_depth`` (nesting of containers and interfaces; Go has none and relies on
its growable stack), ``max_message_size`` (Go: ``tooBig``, 8 GiB), ``max_elements`` (total elements
of one value; default unlimited, as every element costs at least one input byte). Nothing is
allocated from a claimed length before the bytes are there. Errors are ``GobDecodeError`` with Go's
text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from .._time import TimeFormatError
from ..errors import GobDecodeError
from ..values import (
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
from . import _typedesc as td
from ._wire import TOO_BIG, Reader, float_from_bits
from .registry import Entry, Registry, default_registry

__all__ = ["DEFAULT_MAX_DEPTH", "Decoder", "loads"]

#: Default nesting limit (each container and each interface value is one level); deeper values
#: raise GobDecodeError instead of exhausting Python's stack.
DEFAULT_MAX_DEPTH = 200

_FIRST_USER_ID = 64
_MAX_NAME = 1024
_CHUNK = 1 << 20

_SIZED_INT: dict[str, Callable[[int], Any]] = {
    "int8": Int8,
    "int16": Int16,
    "int32": Int32,
    "int64": Int64,
    "uint": Uint,
    "uint8": Uint8,
    "uint16": Uint16,
    "uint32": Uint32,
    "uint64": Uint64,
    "uintptr": Uintptr,
}

_FLOAT32_MAX = 3.4028234663852886e38

#: Go's element sizes (for "slice too big"), by Go type or kind name.
_GO_SIZE = {
    "bool": 1,
    "int8": 1,
    "uint8": 1,
    "int16": 2,
    "uint16": 2,
    "int32": 4,
    "uint32": 4,
    "float32": 4,
    "int": 8,
    "int64": 8,
    "uint": 8,
    "uint64": 8,
    "uintptr": 8,
    "float64": 8,
    "complex64": 8,
    "complex128": 16,
    "string": 16,
    "INTERFACE": 16,
    "SLICE": 24,
    "BYTES": 24,
    "MAP": 8,
    "PTR": 8,
}
#: Element types with a decode helper in Go (dec_helpers.go), whose errors name the type.
_HELPERS = frozenset(
    "bool complex64 complex128 float32 float64 int int16 int32 int64 int8 string uint uint16 uint32 "
    "uint64 uintptr".split()
)

# wireType fields: ArrayT SliceT StructT MapT GobEncoderT BinaryMarshalerT TextMarshalerT
_WIRE_KIND = {0: td.Kind.ARRAY, 1: td.Kind.SLICE, 2: td.Kind.STRUCT, 3: td.Kind.MAP}
_MARSHAL_KIND = {4: "gob", 5: "binary", 6: "text"}
# Go checks a wireType's parts in this order (decode.go compileDec/decIgnoreOpFor).
_PRECEDENCE = (0, 3, 1, 2, 4, 5, 6)

# Parsed type definitions by their exact bytes (the wireType after ``int(-id)``), shared by all
# decoders. Only definitions that ended at their own ``00`` terminator are kept, so the same bytes
# always parse the same way whatever follows them; a hit is therefore exactly what parsing would
# give. Bounded: hostile streams with many distinct definitions only make it start over.
_DEF_CACHE: dict[bytes, _Wire] = {}
_DEF_LENS: list[int] = []
_DEF_CACHE_MAX = 512
_DEF_LEN_MAX = 512
_DEF_LENS_MAX = 24


class _Wire:
    """One received type definition."""

    __slots__ = ("cached", "common_id", "elem", "fields", "key", "kind", "length", "marshal", "name", "refs")

    def __init__(self) -> None:
        #: Whether _DEF_CACHE holds it (then every decoder sees this object for these bytes), and
        #: then the ids of the types it refers to that are not predefined.
        self.cached = False
        self.refs: tuple[int, ...] = ()
        self.kind: td.Kind | None = None
        self.name = ""
        self.common_id = 0
        self.elem = 0
        self.key = 0
        self.length = 0
        self.fields: list[tuple[str, int]] = []
        self.marshal = ""


def _int32(x: int) -> int:
    """Go's conversion of an int64 to typeId (int32): wraps."""
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


def _str(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


class Decoder:
    """Reads gob values from bytes or a binary file (Go: ``gob.NewDecoder``).

    ``decode()`` returns the next value; iterating yields values until the input ends cleanly.
    Type definitions are remembered across values, as in Go.
    """

    def __init__(
        self,
        source: bytes | bytearray | memoryview | IO[bytes],
        *,
        registry: Registry | None = None,
        strict: bool = False,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_message_size: int = TOO_BIG,
        max_elements: int | None = None,
    ) -> None:
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._data: bytes | None = bytes(source)
            self._file: IO[bytes] | None = None
        else:
            self._data = None
            self._file = source
        self._src_pos = 0
        self._reg = (registry if registry is not None else default_registry).snapshot()
        self._strict = strict
        self._max_depth = max_depth
        self._max_message = min(max_message_size, TOO_BIG)
        self._max_elements = max_elements
        self._types: dict[int, _Wire] = {}
        self._group = object()
        self._specs: dict[tuple[int, int], td.TypeSpec] = {}
        self._shared = _shared_specs(self._reg)
        self._fresh: list[tuple[Any, td.TypeSpec]] = []
        self._r = Reader()
        self._depth = 0
        self._elements = 0
        self._hints_keep: list[td.TypeSpec] = []  # keeps id()-keyed hints alive
        self._clean_end = False
        self._ftypes: dict[int, dict[str, str]] = {}
        self._iface_fast = _fast_iface_table(self._reg, strict)

    # -- framing --------------------------------------------------------------------------

    def _read_source(self, n: int) -> bytes:
        if self._data is not None:
            out = self._data[self._src_pos : self._src_pos + n]
            self._src_pos += len(out)
            return out
        assert self._file is not None
        parts = []
        left = n
        while left > 0:
            try:
                chunk = self._file.read(min(left, _CHUNK))
            except (OSError, ValueError) as exc:
                raise GobDecodeError(f"gob: read error: {exc}") from exc
            if not chunk:
                break
            parts.append(bytes(chunk))
            left -= len(chunk)
        return b"".join(parts)

    def _recv_message(self) -> bool:
        """Read the next message into the buffer; False at a clean end of input (Go: recvMessage)."""
        first = self._read_source(1)
        if not first:
            return False
        b = first[0]
        if b < 0x80:
            n = b
        else:
            width = 256 - b
            if width > 8:
                raise GobDecodeError("gob: encoded unsigned integer out of range")
            raw = self._read_source(width)
            if len(raw) < width:
                raise GobDecodeError("unexpected EOF")
            n = int.from_bytes(raw, "big")
        if n >= TOO_BIG:
            raise GobDecodeError("invalid message length")
        if n > self._max_message:
            raise GobDecodeError(
                f"invalid message length: {n} bytes exceeds max_message_size={self._max_message}"
            )
        data = self._read_source(n)
        if len(data) < n:
            raise GobDecodeError("unexpected EOF")
        self._r.set(data)
        return True

    def _type_sequence(self, in_interface: bool) -> int:
        """Type definitions up to the next value's type id (Go: decodeTypeSequence)."""
        first = True
        r = self._r
        while True:
            if r.pos >= r.end and not self._recv_message():
                if first and not in_interface:
                    self._clean_end = True
                raise GobDecodeError("EOF" if first else "unexpected EOF")
            tid = _int32(r.next_int())
            if tid >= 0:
                return tid
            self._recv_type(_int32(-tid))
            if r.pos < r.end:
                if not in_interface:
                    raise GobDecodeError("extra data in buffer")
                r.uint()
            first = False

    # -- type definitions -------------------------------------------------------------------

    def _fields(self, nfields: int) -> Iterator[int]:
        """Field numbers of a struct encoding (Go: decodeStruct's loop)."""
        r = self._r
        fieldnum = -1
        while r.pos < r.end:
            delta = r.uint()
            if delta >= 1 << 63:
                raise GobDecodeError("gob: decode: corrupted data: negative delta")
            if delta == 0:
                return
            if fieldnum >= nfields - delta:
                raise GobDecodeError("gob: bad data: field numbers out of bounds")
            fieldnum += delta
            yield fieldnum

    def _type_id_field(self, name: str) -> int:
        v = self._r.sint()
        if not -(1 << 31) <= v < (1 << 31):
            raise GobDecodeError(f'value for "{name}" out of range')
        return v

    def _common(self, w: _Wire) -> None:
        for f in self._fields(2):
            if f == 0:
                w.name = _str(self._r.take(self._r.length("string")))
            else:
                w.common_id = self._type_id_field("Id")

    def _recv_type(self, tid: int) -> None:
        if tid < _FIRST_USER_ID or tid in self._types:
            raise GobDecodeError("gob: duplicate type received")
        r = self._r
        data, start = r.data, r.pos
        for n in _DEF_LENS:
            hit = _DEF_CACHE.get(data[start : start + n])
            if hit is not None:
                r.pos = start + n
                self._types[tid] = hit
                return
        parts: dict[int, _Wire] = {}
        terminated = False
        fieldnum = -1
        while r.pos < r.end:  # Go: decodeStruct's loop over wireType's fields
            delta = r.uint()
            if delta >= 1 << 63:
                raise GobDecodeError("gob: decode: corrupted data: negative delta")
            if delta == 0:
                terminated = True
                break
            if fieldnum >= 7 - delta:
                raise GobDecodeError("gob: bad data: field numbers out of bounds")
            fieldnum += delta
            f = fieldnum
            w = _Wire()
            parts[f] = w
            if f in _MARSHAL_KIND:
                w.kind = td.Kind.MARSHAL
                w.marshal = _MARSHAL_KIND[f]
                for _ in self._fields(1):
                    self._common(w)
                continue
            w.kind = _WIRE_KIND[f]
            nf = {0: 3, 1: 2, 2: 2, 3: 3}[f]
            for g in self._fields(nf):
                if g == 0:
                    self._common(w)
                elif f == 2:  # structType.Field []fieldType
                    self._field_list(w)
                elif f == 3 and g == 1:
                    w.key = self._type_id_field("Key")
                elif g == 1 or f == 3:
                    w.elem = self._type_id_field("Elem")
                else:  # arrayType.Len
                    w.length = self._r.sint()
        chosen = _Wire()
        for f in _PRECEDENCE:
            if f in parts:
                chosen = parts[f]
                break
        self._types[tid] = chosen
        size = r.pos - start
        if terminated and size <= _DEF_LEN_MAX:
            if len(_DEF_CACHE) >= _DEF_CACHE_MAX:
                _DEF_CACHE.clear()
                _DEF_LENS.clear()
            if size not in _DEF_LENS:
                if len(_DEF_LENS) >= _DEF_LENS_MAX:
                    return
                _DEF_LENS.append(size)
            chosen.cached = True
            chosen.refs = _refs(chosen)
            _DEF_CACHE[bytes(data[start : r.pos])] = chosen

    def _field_list(self, w: _Wire) -> None:
        r = self._r
        n = r.uint()
        if n >= TOO_BIG:
            raise GobDecodeError(f"gob: *gob.fieldType slice too big: {n} elements of 8 bytes")
        for _ in range(n):
            if r.pos >= r.end:
                raise GobDecodeError(
                    f"gob: decoding array or slice: length exceeds input size ({n} elements)"
                )
            name, fid = "", 0
            for g in self._fields(2):
                if g == 0:
                    name = _str(r.take(r.length("string")))
                else:
                    fid = self._type_id_field("Id")
            w.fields.append((name, fid))

    # -- wire types as TypeSpecs --------------------------------------------------------------

    def _wire(self, tid: int) -> _Wire:
        w = self._types.get(tid)
        if w is None or w.kind is None:
            if w is None and tid not in td.DEFAULT_BY_ID:
                raise GobDecodeError("gob: unknown type id or corrupted data")
            raise GobDecodeError(f"gob: bad data: undefined type {tid}")
        return w

    def _spec(self, tid: int, hint: td.TypeSpec | None, depth: int = 0) -> td.TypeSpec:
        """The pinned TypeSpec of wire type ``tid``, named after ``hint`` where compatible.

        Specs built from definitions every decoder shares are shared too (``_shared_specs``): a
        decoded value then carries the same spec objects as the last one, and the encoder's
        replay of type sending (keyed on spec identity) applies to it. They are published only
        when the outermost build succeeded, so no decoder sees a half-built one.
        """
        if depth > 0:
            return self._build_spec(tid, hint, depth)
        try:
            spec = self._build_spec(tid, hint, 0)
        except BaseException:
            self._fresh.clear()
            raise
        if self._fresh:
            shared = self._shared
            if len(shared) + len(self._fresh) > _SHARED_MAX:
                shared.clear()
            for skey, built in self._fresh:
                shared[skey] = built
            self._fresh.clear()
        return spec

    def _closure(self, tid: int) -> tuple[tuple[int, _Wire], ...] | None:
        """The (id, definition) pairs ``tid`` reaches, in a fixed order; None (share nothing) when
        one is missing or not from _DEF_CACHE, or when there are so many that a build could meet
        ``max_depth``."""
        w = self._types.get(tid)
        if w is None or not w.cached:
            return None
        if not w.refs:  # the usual case: nothing but predefined types inside
            return ((tid, w),)
        out: list[tuple[int, _Wire]] = []
        seen: set[int] = set()
        stack = [tid]
        limit = min(_CLOSURE_MAX, self._max_depth)
        while stack:
            t = stack.pop()
            if t in seen:
                continue
            w = self._types.get(t)
            if w is None or not w.cached or len(seen) >= limit:
                return None
            seen.add(t)
            out.append((t, w))
            stack.extend(w.refs)
        return tuple(out)

    def _build_spec(self, tid: int, hint: td.TypeSpec | None, depth: int) -> td.TypeSpec:
        if tid in td.DEFAULT_BY_ID:
            default = td.DEFAULT_BY_ID[tid]
            if hint is not None and hint.kind is default.kind:
                return hint
            return default
        key = (tid, id(hint))
        cached = self._specs.get(key)
        if cached is not None:
            return cached
        if depth > self._max_depth:
            raise GobDecodeError(f"gob: type nested deeper than max_depth={self._max_depth}")
        w = self._wire(tid)
        closure = self._closure(tid)
        group: object = self._group
        if closure is not None:
            skey = (tid, hint, closure)
            hit = self._shared.get(skey)
            if hit is not None:
                self._specs[key] = hit
                if hint is not None:
                    self._hints_keep.append(hint)
                return hit
            group = _shared_group(self._reg, closure)
        h = _compatible(hint, w)
        spec = td.TypeSpec(w.kind or td.Kind.STRUCT, "", w.name, length=w.length, marshal=w.marshal)
        spec.wire_id, spec.wire_name, spec.common_id, spec.group = tid, w.name, w.common_id, group
        self._specs[key] = spec
        if closure is not None:
            self._fresh.append((skey, spec))
        if h is not None:
            self._hints_keep.append(h)
        d = depth + 1
        if w.kind is td.Kind.STRUCT:
            spec.decl = h
            for fname, fid in w.fields:
                fh = h.field(fname) if h is not None else None
                spec.fields.append((fname, self._static(fid, fh, d)))
            spec.go = h.go if h is not None else (w.name or f"struct#{tid}")
            spec.name = h.name if h is not None else w.name
        elif w.kind is td.Kind.MARSHAL:
            spec.go = h.go if h is not None else ("time.Time" if _is_time(w) else w.name or f"type#{tid}")
            spec.name = h.name if h is not None else w.name
        else:
            spec.elem = self._static(w.elem, h.elem if h is not None else None, d)
            if w.kind is td.Kind.MAP:
                spec.key = self._static(w.key, h.key if h is not None else None, d)
            if h is not None:
                spec.go, spec.name = h.go, h.name
            else:
                spec.go = _structural(spec, tid)
        return spec

    def _static(self, tid: int, hint: td.TypeSpec | None, depth: int) -> td.TypeSpec:
        """``_spec`` for a slot whose Go type may be a pointer (kept, for the Go type's spelling)."""
        if hint is None or hint.kind is not td.Kind.PTR:
            return self._spec(tid, hint, depth)
        inner = self._spec(tid, td.base(hint), depth)
        if inner.kind is not td.base(hint).kind:
            return inner
        key = (tid, id(hint))
        cached = self._specs.get(key)
        if cached is None:
            cached = td.TypeSpec(td.Kind.PTR, hint.go, "", elem=inner)
            self._specs[key] = cached
        return cached

    # -- values -----------------------------------------------------------------------------

    def decode(self, go_type: str | None = None) -> Any:
        """The next value of the stream (Go: ``Decoder.Decode``); raises GobDecodeError("EOF") at the end.

        ``go_type`` names the Go type decoded into (``"int8"``, ``"main.Person"``), which gob
        cannot carry for a top-level value; without it the wire's default types are used.
        """
        self._r.set(b"")  # Go drops what is left of the previous message
        self._depth = 0
        self._elements = 0
        try:
            tid = self._type_sequence(False)
            return self._top(tid, go_type)
        except RecursionError as exc:
            raise GobDecodeError("gob: value nested too deeply for Python's stack") from exc
        except TimeFormatError as exc:
            raise GobDecodeError(str(exc)) from exc

    def __iter__(self) -> Iterator[Any]:
        """The values up to a clean end of input (Go: Decode until io.EOF)."""
        while True:
            if self._at_clean_end():
                return
            self._clean_end = False
            try:
                value = self.decode()
            except GobDecodeError:
                if self._clean_end:
                    return
                raise
            yield value

    def _at_clean_end(self) -> bool:
        if self._data is not None:
            return self._src_pos >= len(self._data)
        assert self._file is not None
        peek = getattr(self._file, "peek", None)
        if peek is not None:
            try:
                return not peek(1)
            except (OSError, ValueError):
                return False
        return False

    def trailing(self) -> int:
        """Bytes left unread after the last value (in its message and, for bytes input, after it)."""
        rest = self._r.end - self._r.pos
        if self._data is not None:
            rest += len(self._data) - self._src_pos
        return rest

    def _top(self, tid: int, go_type: str | None) -> Any:
        hint = None
        if go_type is not None:
            hint = self._reg.spec(go_type)
            if hint is not None:
                self._hints_keep.append(hint)
                hint = td.base(hint)
        elif tid >= _FIRST_USER_ID:
            w = self._wire(tid)
            if w.kind in (td.Kind.STRUCT, td.Kind.MARSHAL) and w.name:
                entry = self._reg.find_bare(w.name)
                if entry is not None:
                    hint = self._reg.spec(entry.go_name.lstrip("*"))
        elif tid not in td.DEFAULT_BY_ID:
            raise GobDecodeError("gob: unknown type id or corrupted data")
        spec = self._spec(tid, hint)
        if spec.kind is td.Kind.STRUCT:
            v = self._struct(spec)
            if go_type is not None and go_type.startswith("*") and isinstance(v, GoStruct):
                v.name = go_type
            return v
        if self._r.uint() != 0:
            raise GobDecodeError("gob: decode: corrupted data: non-zero delta for singleton")
        v = self._value(spec)
        if v is None and spec.kind is td.Kind.BYTES:
            v = GoNil(spec.go)
        if spec.kind is td.Kind.INTERFACE:
            return GoInterface(v)
        if go_type is not None and go_type.startswith("*"):
            return GoPointer(v)  # decoded into *T: nothing else says pointer (structs: the name)
        return v

    def _enter(self) -> None:
        self._depth += 1
        if self._depth > self._max_depth:
            raise GobDecodeError(f"gob: value nested deeper than max_depth={self._max_depth}")

    def _count(self, n: int) -> None:
        if self._max_elements is not None:
            self._elements += n
            if self._elements > self._max_elements:
                raise GobDecodeError(f"gob: more than max_elements={self._max_elements} elements")

    def _value(self, spec: td.TypeSpec) -> Any:
        """One value of static type ``spec`` (no singleton prefix)."""
        r = self._r
        k = spec.kind
        if k is td.Kind.STRING:
            s = _str(r.take(r.length("string")))
            return s if spec.go == "string" else GoNamed(spec.go, s)
        if k is td.Kind.INT:
            return self._int(spec, r.sint())
        if k is td.Kind.INTERFACE:
            return self._interface()
        if k is td.Kind.BOOL:
            flag = r.uint() != 0
            return flag if spec.go == "bool" else GoNamed(spec.go, flag)
        if k is td.Kind.UINT:
            return self._int(spec, r.uint())
        if k is td.Kind.FLOAT:
            return self._float(spec, float_from_bits(r.uint()))
        if k is td.Kind.BYTES:
            b = r.take(r.length("[]uint8"))
            if not b:
                return None  # Go leaves a nil []byte for a zero length
            return b if spec.go == "[]uint8" else GoNamed(spec.go, b)
        if k is td.Kind.COMPLEX:
            re_ = float_from_bits(r.uint())
            im = float_from_bits(r.uint())
            under = spec.elem.go if spec.elem is not None and spec.go not in td.BASIC else spec.go
            c: Any = Complex64(re_, im) if under == "complex64" else complex(re_, im)
            return c if spec.go in td.BASIC else GoNamed(spec.go, c)
        if k is td.Kind.STRUCT:
            return self._struct(spec)
        if k is td.Kind.SLICE:
            return self._slice(spec)
        if k is td.Kind.MAP:
            return self._map(spec)
        if k is td.Kind.ARRAY:
            return self._array(spec)
        if k is td.Kind.MARSHAL:
            return self._marshaled(spec, spec.go)
        if k is td.Kind.PTR:
            base = td.base(spec)
            v = self._value(base)
            if v is None and base.kind is td.Kind.BYTES:  # sent, so the pointer was not nil
                return b"" if base.go == "[]uint8" else GoNamed(base.go, b"")
            return v
        raise GobDecodeError("gob: unknown type id or corrupted data")  # pragma: no cover

    def _int(self, spec: td.TypeSpec, v: int) -> Any:
        go = spec.go
        under = go if go in td.BASIC else (spec.elem.go if spec.elem is not None else go)
        cls = _SIZED_INT.get(under)
        if cls is not None:
            if spec.kind is td.Kind.INT and v >= 1 << 63:
                v -= 1 << 64
            try:
                out: Any = cls(v)
            except OverflowError as exc:
                raise GobDecodeError(f'value for "{under}" out of range') from exc
        elif spec.kind is td.Kind.UINT:
            out = Uint(v)
        else:
            out = v
        return out if go in td.BASIC else GoNamed(go, out)

    def _float(self, spec: td.TypeSpec, f: float) -> Any:
        go = spec.go
        under = go if go in td.BASIC else (spec.elem.go if spec.elem is not None else go)
        out: Any = f
        if under == "float32":
            if _FLOAT32_MAX < abs(f) < float("inf"):
                raise GobDecodeError('value for "float32" out of range')
            out = Float32(f)
        return out if go in td.BASIC else GoNamed(go, out)

    def _struct(self, spec: td.TypeSpec) -> Any:
        self._enter()
        fields = spec.fields
        got: dict[str, Any] = {}
        for f in self._fields(len(fields)):
            fname, fspec = fields[f]
            got[fname] = self._value(fspec)
        out = GoStruct(spec.go)
        out.wire = spec
        out.field_types = ftypes = self._field_types(spec)
        for fname, fspec in fields:
            if fname in got:
                v = got[fname]
                if type(v) is GoTime and fspec.kind is td.Kind.MARSHAL and v.is_zero():
                    # Go omits a zero time.Time field: one that was sent is a *time.Time.
                    v = GoPointer(v)
                out.fields[fname] = v
            elif ftypes[fname].startswith("*") or fspec.kind is td.Kind.ARRAY:
                # A nil pointer: Go sends every array field that is there, zero or not.
                out.fields[fname] = None
            else:
                out.fields[fname] = self._zero(fspec)
        self._depth -= 1
        return self._python(spec.go, out)

    def _field_types(self, spec: td.TypeSpec) -> dict[str, str]:
        cached = self._ftypes.get(id(spec))
        if cached is None:
            hint = spec.decl
            cached = {}
            for fname, fspec in spec.fields:
                h = hint.field(fname) if hint is not None else None
                cached[fname] = h.go if h is not None else fspec.go
            self._ftypes[id(spec)] = cached
        return dict(cached)

    def _python(self, go: str, v: GoStruct) -> Any:
        entry = _entry_of(self._reg, go)
        if entry is None or entry.python_type is None:
            return v
        try:
            if entry.from_go is not None:
                return entry.from_go(v)
            names = self._reg.dataclass_field_names(entry.python_type)
            return entry.python_type(**{py: v.fields[g] for py, g in names if g in v.fields})
        except Exception as exc:
            raise GobDecodeError(f"gob: cannot build {entry.python_type.__name__}: {exc}") from exc

    def _zero(self, spec: td.TypeSpec) -> Any:
        """The value of a struct field that was not sent (Go's zero value)."""
        k = spec.kind
        if k is td.Kind.STRUCT or k is td.Kind.MAP or k is td.Kind.INTERFACE or k is td.Kind.PTR:
            return None  # not sent: a nil pointer, nil map or nil interface
        if k is td.Kind.SLICE:
            out = GoSlice(elem_type=spec.elem.go if spec.elem else "interface {}", nil=True)
            if spec.elem is not None and spec.go != f"[]{spec.elem.go}":
                out.go_type = spec.go
            out.wire = spec
            return out
        if k is td.Kind.ARRAY:
            if spec.length > self._r.end or spec.length < 0 or spec.elem is None:
                raise GobDecodeError("gob: bad data: array field with impossible length not sent")
            self._enter()
            arr = GoArray(
                [self._zero(spec.elem) for _ in range(spec.length)],
                elem_type=spec.elem.go,
                go_type=None if spec.go == f"[{spec.length}]{spec.elem.go}" else spec.go,
            )
            self._depth -= 1
            arr.wire = spec
            return arr
        if k is td.Kind.MARSHAL:
            entry = self._reg.entry(spec.go)
            if entry is not None and entry.zero is not None:
                return entry.zero()
            if spec.go == "time.Time":
                return GoTime(-62135596800, 0, None)
            o = GoOpaque(spec.go, None, spec.marshal or "gob", wire_name=spec.wire_name)
            o.wire = spec
            return o
        zeros: dict[td.Kind, Any] = {
            td.Kind.BOOL: False,
            td.Kind.INT: 0,
            td.Kind.UINT: 0,
            td.Kind.FLOAT: 0.0,
            td.Kind.COMPLEX: 0j,
            td.Kind.STRING: "",
            td.Kind.BYTES: b"",
        }
        z = zeros[k]
        if k is td.Kind.INT or k is td.Kind.UINT:
            return self._int(spec, 0)
        if k is td.Kind.FLOAT:
            return self._float(spec, 0.0)
        if k is td.Kind.COMPLEX:
            under = spec.go if spec.go in td.BASIC else (spec.elem.go if spec.elem else "")
            c = Complex64(0) if under == "complex64" else 0j
            return c if spec.go in td.BASIC else GoNamed(spec.go, c)
        if k is td.Kind.BYTES:
            return None
        return z if spec.go in td.BASIC else GoNamed(spec.go, z)

    def _slice(self, spec: td.TypeSpec) -> Any:
        assert spec.elem is not None
        r = self._r
        elem = spec.elem
        n = r.uint()
        size = _GO_SIZE.get(elem.go if elem.go in _GO_SIZE else elem.kind.name, 0)
        if n >= 1 << 63 or (size and n * size > TOO_BIG):
            raise GobDecodeError(f"gob: {elem.go} slice too big: {n} elements of {size} bytes")
        self._enter()
        self._count(n)
        items = []
        helper = elem.go if elem.go in _HELPERS else ""
        iface = elem.kind is td.Kind.INTERFACE
        # Short strings in interfaces read inline: exactly _interface's inline fast path.
        inline = iface and self._iface_fast.get(b"string") == 0x0C
        deep = self._depth >= self._max_depth
        for _ in range(n):
            if inline and not deep:
                data, pos, end = r.data, r.pos, r.end
                p = pos + 7
                if (
                    p + 3 < end
                    and data.startswith(b"\x06string\x0c", pos)
                    and data[p + 1] < 0x80
                    and data[p + 2] == 0
                ):
                    b = data[p + 3]
                    q = p + 4 + b
                    if b < 0x80 and q <= end:
                        r.pos = q
                        items.append(data[p + 4 : q].decode("utf-8", "surrogateescape"))
                        continue
            if r.pos >= r.end:
                what = f"decoding {helper} array or slice" if helper else "decoding array or slice"
                raise GobDecodeError(f"gob: {what}: length exceeds input size ({n} elements)")
            items.append(self._interface() if iface else self._value(elem))
        self._depth -= 1
        return _decoded_slice(items, elem.go, None if spec.go == f"[]{elem.go}" else spec.go, spec)

    def _array(self, spec: td.TypeSpec) -> Any:
        assert spec.elem is not None
        r = self._r
        n = r.uint()
        if n != spec.length:
            raise GobDecodeError("gob: length mismatch in decodeArray")
        self._enter()
        self._count(n)
        items = []
        for _ in range(n):
            if r.pos >= r.end:
                raise GobDecodeError(
                    f"gob: decoding array or slice: length exceeds input size ({n} elements)"
                )
            items.append(self._value(spec.elem))
        self._depth -= 1
        out = GoArray(
            items,
            elem_type=spec.elem.go,
            go_type=None if spec.go == f"[{n}]{spec.elem.go}" else spec.go,
        )
        out.wire = spec
        return out

    def _map(self, spec: td.TypeSpec) -> Any:
        assert spec.elem is not None and spec.key is not None
        r = self._r
        n = r.uint()
        self._enter()
        self._count(n)
        go = spec.go
        out = _decoded_map(
            spec.key.go, spec.elem.go, None if go == f"map[{spec.key.go}]{spec.elem.go}" else go, spec
        )
        kspec, espec = spec.key, spec.elem
        if kspec.kind is td.Kind.INTERFACE and espec.kind is td.Kind.INTERFACE:
            for _ in range(n):  # what _value does for both, without its dispatch
                if r.pos >= r.end:
                    raise GobDecodeError("EOF")
                k = self._interface()
                v = self._interface()
                try:
                    _put(out, k, v)
                except TypeError as exc:
                    raise GobDecodeError(
                        f"gob: map key of type {kspec.go} is not hashable in Python"
                    ) from exc
            self._depth -= 1
            return out
        for _ in range(n):
            if r.pos >= r.end:
                raise GobDecodeError("EOF")  # what Go's next read reports
            k = self._value(kspec)
            v = self._value(espec)
            try:
                _put(out, k, v)
            except TypeError as exc:
                raise GobDecodeError(f"gob: map key of type {kspec.go} is not hashable in Python") from exc
        self._depth -= 1
        return out

    def _marshaled(self, spec: td.TypeSpec, go: str) -> Any:
        r = self._r
        n = r.uint()
        if n > r.end - r.pos or n >= TOO_BIG:
            if n >= (1 << 63) or n >= TOO_BIG:
                raise GobDecodeError("gob: GobDecoder: length too large for buffer")
            raise GobDecodeError(
                f"gob: GobDecoder: invalid data length {n}: exceeds input size {r.end - r.pos}"
            )
        data = r.take(n)
        entry = _entry_of(self._reg, go)
        if entry is not None and entry.unmarshal is not None:
            try:
                got = entry.unmarshal(data)
            except Exception as exc:
                raise GobDecodeError(str(exc)) from exc
            if isinstance(got, (GoStruct, GoMap, GoSlice, GoArray)) and got.wire is None:
                got.wire = spec  # re-encodes with the same definition
            return got
        if go == "time.Time" and spec.marshal == "gob":
            try:
                return GoTime._from_payload(data, spec)
            except TimeFormatError as exc:
                if self._strict:
                    raise GobDecodeError(str(exc)) from exc
        o = GoOpaque(go, data, spec.marshal or "gob", wire_name=spec.wire_name)
        o.wire = spec
        return o

    def _interface(self) -> Any:
        """Go: decodeInterface, with a generic destination."""
        r = self._r
        # Inline fast path: a predeclared basic type whose name, ignored byte count, singleton
        # delta and value all sit inside the message in their short forms. Anything else (and
        # every error) takes the general path below from the same position.
        data, pos, end = r.data, r.pos, r.end
        if pos < end:
            nr = data[pos]
            p = pos + 1 + nr
            if 0 < nr < 0x80 and p + 3 < end and self._depth < self._max_depth:
                fast = self._iface_fast.get(data[pos + 1 : p])
                if fast is not None and data[p] == fast and data[p + 1] < 0x80 and data[p + 2] == 0:
                    p += 3
                    b = data[p]
                    if fast == 0x0C or fast == 0x0A:  # string, []uint8: uint(len) + bytes
                        if b < 0x80 and p + 1 + b <= end:
                            r.pos = p + 1 + b
                            if fast == 0x0C:
                                return data[p + 1 : p + 1 + b].decode("utf-8", "surrogateescape")
                            return bytes(data[p + 1 : p + 1 + b]) if b else GoNil("[]uint8")
                    elif b < 0x80:
                        r.pos = p + 1
                        if fast == 0x04:
                            return ~(b >> 1) if b & 1 else b >> 1
                        if fast == 0x02:
                            return b != 0
                        return float_from_bits(b)
                    elif b > 0xF7 and p + 257 - b <= end:
                        q = p + 257 - b
                        u = int.from_bytes(data[p + 1 : q], "big")
                        if fast == 0x04:
                            r.pos = q
                            return ~(u >> 1) if u & 1 else u >> 1
                        if fast == 0x08:
                            r.pos = q
                            return float_from_bits(u)
        nr = r.uint()
        if nr > 1 << 31:
            raise GobDecodeError(f"gob: invalid type name length {nr}")
        if nr > r.end - r.pos:
            raise GobDecodeError(f"gob: invalid type name length {nr}: exceeds input size")
        raw = r.take(nr)
        if not raw:
            return None
        fast = self._iface_fast.get(raw)
        if fast is not None and r.pos < r.end and r.data[r.pos] == fast:
            # A predeclared type (no definitions can follow): int(id), the ignored byte count,
            # the singleton 00, then the value, exactly as the general path reads them.
            r.pos += 1
            r.uint()
            self._enter()
            if r.uint() != 0:
                raise GobDecodeError("gob: decode: corrupted data: non-zero delta for singleton")
            v: Any
            if fast == 0x0C:
                v = _str(r.take(r.length("string")))
            elif fast == 0x04:
                u = r.uint()
                v = ~(u >> 1) if u & 1 else u >> 1
            elif fast == 0x02:
                v = r.uint() != 0
            elif fast == 0x08:
                v = float_from_bits(r.uint())
            else:
                raw_b = r.take(r.length("[]uint8"))
                v = raw_b if raw_b else GoNil("[]uint8")
            self._depth -= 1
            return v
        name = _str(raw)
        if len(raw) > _MAX_NAME:
            raise GobDecodeError(f"gob: name too long ({len(raw)} bytes): {_go_q20(raw)}...")
        if self._strict and not self._reg.is_registered(name):
            raise GobDecodeError(f"gob: name not registered for interface: {_go_q(raw)}")
        cid = self._type_sequence(True)
        r.uint()  # the value's byte count: read and ignored, as in Go
        hint = _iface_hint(self._reg, name)
        self._enter()
        if cid not in td.DEFAULT_BY_ID and cid >= 0:
            self._wire(cid)
        spec = self._spec(cid, hint)
        if spec.kind is td.Kind.STRUCT:
            v = self._struct_named(spec, name)
        else:
            if r.uint() != 0:
                raise GobDecodeError("gob: decode: corrupted data: non-zero delta for singleton")
            v = self._named(name, spec)
        self._depth -= 1
        return v

    def _struct_named(self, spec: td.TypeSpec, name: str) -> Any:
        v = self._struct(spec)
        if isinstance(v, GoStruct):
            v.name = name
        return v

    def _named(self, name: str, spec: td.TypeSpec) -> Any:
        """The concrete value of an interface, under its registered name."""
        if name.startswith("*"):  # registered by pointer (Go: Register(&T{})): Go gives back a *T
            return GoPointer(self._named(name[1:], spec), name=name)
        if spec.kind is td.Kind.MARSHAL:
            v = self._marshaled(spec, name)
            if isinstance(v, GoOpaque):
                v.go_type = name
            return v
        v = self._value(spec)
        if v is None:
            return GoNil(name)
        if isinstance(v, (GoMap, GoSlice, GoArray)):
            if v.go_type != name:
                v.go_type = name
            return v
        if isinstance(v, GoNamed):
            v.go_type = name
            return v
        if isinstance(v, GoStruct):  # pragma: no cover - structs take the struct path
            v.name = name
            return v
        if go_type_of(v) == name:
            return v
        return GoNamed(name, v)


def _put(out: GoMap, k: Any, v: Any) -> None:
    """``out[k] = v``, straight into the dict where GoMap stores the key as itself (``_slot``)."""
    kt = type(k)
    if kt is str or kt is int or not out._typed:
        dict.__setitem__(out, k, v)
    else:
        out[k] = v


def _decoded_map(key_type: str, elem_type: str, go_type: str | None, wire: td.TypeSpec) -> GoMap:
    """``GoMap(key_type=…, elem_type=…, go_type=…)`` with its wire type, without the constructor's
    call overhead (a decoder makes one per map; tests check both give the same object)."""
    out: GoMap = GoMap.__new__(GoMap)
    out._key_type = key_type
    out._typed = key_type not in BASIC_GO_TYPES
    out._keyed = 0
    out.elem_type = elem_type
    out._go_type = go_type
    out.wire = wire
    return out


def _decoded_slice(items: list[Any], elem_type: str, go_type: str | None, wire: td.TypeSpec) -> GoSlice:
    """``GoSlice(items, elem_type=…, go_type=…, nil=not items)`` with its wire type, as above."""
    out: GoSlice = GoSlice.__new__(GoSlice)
    out.extend(items)
    out.elem_type = elem_type
    out._go_type = go_type
    out.nil = not items
    out.wire = wire
    return out


#: Interface names of predeclared types whose value needs no registry lookup, with the one byte
#: ``int(id)`` that must follow the name for the fast path to apply.
_FAST_IFACE = {b"string": 0x0C, b"int": 0x04, b"bool": 0x02, b"float64": 0x08, b"[]uint8": 0x0A}


_HINTS_MAX = 256


def _iface_hint(reg: Registry, name: str) -> td.TypeSpec | None:
    """``td.base(reg.spec(name))`` (None too), kept per registry snapshot: a snapshot never
    changes, so neither does the answer, and names the registry does not know skip the parse."""
    hints: dict[str, td.TypeSpec | None] = _plan_table(reg, "dec_iface_hints")
    if name in hints:
        return hints[name]
    hint = reg.spec(name)
    if hint is not None:
        hint = td.base(hint)
    _remember(hints, name, hint, _HINTS_MAX)
    return hint


def _plan_table(reg: Registry, name: str) -> dict[Any, Any]:
    """The decoder's table ``name`` among a registry snapshot's caches (made when first asked)."""
    table: dict[Any, Any] | None = reg.plans.get(name)
    if table is None:
        table = reg.plans[name] = {}
    return table


def _remember(table: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """``table[key] = value``, starting the table over when it holds ``limit`` entries."""
    if len(table) >= limit:
        table.clear()
    table[key] = value


def _refs(w: _Wire) -> tuple[int, ...]:
    """The ids of the types a definition refers to, predefined ones left out."""
    if w.kind is td.Kind.STRUCT:
        ids = [fid for _, fid in w.fields]
    elif w.kind is td.Kind.MAP:
        ids = [w.key, w.elem]
    elif w.kind is td.Kind.MARSHAL or w.kind is None:
        ids = []
    else:
        ids = [w.elem]
    return tuple(i for i in ids if i not in td.DEFAULT_BY_ID)


_SHARED_MAX = 512
_CLOSURE_MAX = 64


def _shared_specs(reg: Registry) -> dict[Any, td.TypeSpec]:
    """Pinned specs by (id, hint, the definitions it reaches), shared by the decoders of one
    registry snapshot (the hints are its objects). Bounded: starts over when full."""
    shared: dict[Any, td.TypeSpec] = _plan_table(reg, "dec_shared_specs")
    return shared


class _Group:
    """The pin group of a set of reached definitions: equal exactly when the definitions are the
    same objects, so no cache eviction can give one definition two groups (a value whose specs
    disagreed on a group would lose its wire ids on re-encoding)."""

    def __init__(self, closure: tuple[tuple[int, _Wire], ...]) -> None:
        self.closure = closure
        self.hash = hash(closure)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Group) and (self is other or self.closure == other.closure)


def _shared_group(reg: Registry, closure: tuple[tuple[int, _Wire], ...]) -> object:
    """One group per set of reached definitions: a pin (group, id) names exactly one definition,
    so values decoded from different streams share a type only where their definitions agree.
    Kept per registry snapshot only to hand out one object (faster key comparisons)."""
    groups: dict[Any, _Group] = _plan_table(reg, "dec_shared_groups")
    group = groups.get(closure)
    if group is None:
        group = _Group(closure)
        _remember(groups, closure, group, _SHARED_MAX)
    return group


def _entry_of(reg: Registry, go: str) -> Entry | None:
    """``reg.entry_of_type(go)``, kept per registry snapshot like the hints."""
    entries: dict[str, Entry | None] = _plan_table(reg, "dec_entries")
    if go in entries:
        return entries[go]
    entry = reg.entry_of_type(go)
    _remember(entries, go, entry, _HINTS_MAX)
    return entry


def _fast_iface_table(reg: Registry, strict: bool) -> dict[bytes, int]:
    if not strict:
        return _FAST_IFACE
    table: dict[bytes, int] | None = reg.plans.get("dec_iface_strict")
    if table is None:
        table = {k: v for k, v in _FAST_IFACE.items() if reg.is_registered(k.decode())}
        reg.plans["dec_iface_strict"] = table
    return table


def _compatible(hint: td.TypeSpec | None, w: _Wire) -> td.TypeSpec | None:
    if hint is None:
        return None
    hint = td.base(hint)
    if hint.kind is not w.kind:
        return None
    if w.kind is td.Kind.ARRAY and hint.length != w.length:
        return None
    return hint


def _is_time(w: _Wire) -> bool:
    return w.marshal == "gob" and w.name == "Time"


def _structural(spec: td.TypeSpec, tid: int) -> str:
    e = spec.elem.go if spec.elem is not None else "?"
    if spec.kind is td.Kind.SLICE:
        return f"[]{e}"
    if spec.kind is td.Kind.ARRAY:
        return f"[{spec.length}]{e}"
    k = spec.key.go if spec.key is not None else "?"
    return f"map[{k}]{e}"


def _go_q(raw: bytes) -> str:
    """Go's %q of a byte string (close enough for error texts)."""
    out = ['"']
    for ch in raw.decode("utf-8", "replace"):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    out.append('"')
    return "".join(out)


def _go_q20(raw: bytes) -> str:
    return _go_q(raw[:20])


_SLOW: Any = object()


def _loads_basic(data: bytes, max_message_size: int) -> Any:
    """A top-level string or int in one short message (Redis session IDs), read directly.

    Returns ``(value, end of the value)``, or ``_SLOW`` for anything else (including every error),
    which then takes the Decoder: the result is the one the Decoder gives. Bytes after the value,
    in its message or after it, are what ``Decoder.trailing`` counts.
    """
    n = len(data)
    if n < 4:
        return _SLOW
    m = data[0]
    if m < 3 or m >= 0x80 or m >= n or m > max_message_size or data[2] != 0:
        return _SLOW
    tid = data[1]
    b = data[3]
    if tid == 0x0C:  # string: uint(len) + bytes, inside the message
        if b < 0x80 and 3 + b <= m:
            return data[4 : 4 + b].decode("utf-8", "surrogateescape"), 4 + b
    elif tid == 0x04:  # int: zig-zag uint
        if b < 0x80:
            return (~(b >> 1) if b & 1 else b >> 1), 4
        w = 256 - b
        if w <= 8 and 3 + w <= m:
            u = int.from_bytes(data[4 : 4 + w], "big")
            return (~(u >> 1) if u & 1 else u >> 1), 4 + w
    return _SLOW


def loads(
    data: bytes | bytearray | memoryview,
    *,
    registry: Registry | None = None,
    strict: bool = False,
    exact: bool = False,
    go_type: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_message_size: int = TOO_BIG,
    max_elements: int | None = None,
) -> Any:
    """The first gob value in ``data`` (Go: ``gob.NewDecoder(r).Decode(&v)``).

    Like Go's single ``Decode`` call, bytes after the first value are ignored; ``exact=True``
    rejects them. ``go_type`` is the Go type decoded into, for what gob does not carry at top
    level (``"int8"`` vs ``"int"``, ``"main.Person"``). ``strict=True`` rejects interface names
    not in the registry, as Go does.
    Raises GobDecodeError (with Go's message) on any bad input.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"gob.loads needs bytes, not {type(data).__name__}")
    if go_type is None and type(data) is bytes:
        got = _loads_basic(data, max_message_size)
        if got is not _SLOW:
            if exact and len(data) > got[1]:
                raise GobDecodeError(f"gob: {len(data) - got[1]} bytes after the value")
            return got[0]
    dec = Decoder(
        data,
        registry=registry,
        strict=strict,
        max_depth=max_depth,
        max_message_size=max_message_size,
        max_elements=max_elements,
    )
    value = dec.decode(go_type)
    if exact and dec.trailing():
        raise GobDecodeError(f"gob: {dec.trailing()} bytes after the value")
    return value
