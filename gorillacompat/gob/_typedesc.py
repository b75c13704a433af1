"""Go types as gob sees them: kinds, predefined ids, and Go type spellings.

Layering: imports ``errors`` only.

A ``TypeSpec`` is the static Go type of a value slot: what the encoder needs to write type
definitions (gob.md §5) and what the decoder learned from them. Predefined ids
(Go: type.go ``bootstrapType``)::

    1 bool  2 int  3 uint  4 float  5 []byte  6 string  7 complex  8 interface
    16..24 wireType and its parts (never in user streams); user types from 64 (Go ≥ 1.21) or 65.

Specs decoded from a stream are *pinned*: they keep the wire id, CommonType name and CommonType id
they arrived with, so re-encoding writes the same definitions.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable

__all__ = [
    "BASIC",
    "BYTES",
    "INTERFACE",
    "TIME",
    "Kind",
    "TypeSpec",
    "array_of",
    "base",
    "map_of",
    "marshal_spec",
    "parse_type",
    "ptr_to",
    "sent",
    "slice_of",
    "struct_spec",
]


class Kind(enum.IntEnum):
    """What gob distinguishes; the first eight equal their predefined type ids."""

    BOOL = 1
    INT = 2
    UINT = 3
    FLOAT = 4
    BYTES = 5
    STRING = 6
    COMPLEX = 7
    INTERFACE = 8
    ARRAY = 20
    SLICE = 21
    STRUCT = 22
    MAP = 23
    MARSHAL = 24
    PTR = 25


#: Kinds that never get a type definition (predefined ids).
PREDEFINED = frozenset(
    [Kind.BOOL, Kind.INT, Kind.UINT, Kind.FLOAT, Kind.BYTES, Kind.STRING, Kind.COMPLEX, Kind.INTERFACE]
)


class TypeSpec:
    """A Go type: kind, ``%T`` spelling (``go``), ``Type.Name()`` (``name``) and its parts."""

    __slots__ = (
        "common_id",
        "decl",
        "elem",
        "fields",
        "go",
        "group",
        "key",
        "kind",
        "length",
        "marshal",
        "name",
        "wire_id",
        "wire_name",
    )

    def __init__(
        self,
        kind: Kind,
        go: str,
        name: str = "",
        *,
        elem: TypeSpec | None = None,
        key: TypeSpec | None = None,
        length: int = 0,
        fields: list[tuple[str, TypeSpec]] | None = None,
        marshal: str = "",
    ) -> None:
        self.kind = kind
        self.go = go
        self.name = name
        self.elem = elem
        self.key = key
        self.length = length
        self.fields: list[tuple[str, TypeSpec]] = fields if fields is not None else []
        #: "gob", "binary" or "text" for Kind.MARSHAL.
        self.marshal = marshal
        #: Pinned by the decoder: the type id, CommonType name and CommonType id on the wire.
        self.wire_id: int | None = None
        self.wire_name: str | None = None
        self.common_id: int | None = None
        #: Pinned specs of the same definitions share a group (an identity token): a pin is
        #: (group, wire id).
        self.group: object | None = None
        #: Decoder only: the registered struct type a wire struct was read into, if any.
        self.decl: TypeSpec | None = None

    def __repr__(self) -> str:
        pin = f", wire_id={self.wire_id}" if self.wire_id is not None else ""
        return f"TypeSpec({self.kind.name}, {self.go!r}{pin})"

    def field(self, name: str) -> TypeSpec | None:
        for fname, spec in self.fields:
            if fname == name:
                return spec
        return None


def base(spec: TypeSpec) -> TypeSpec:
    """The type with pointers stripped (gob flattens pointers)."""
    seen = 0
    while spec.kind is Kind.PTR and spec.elem is not None and seen < 64:
        spec = spec.elem
        seen += 1
    return spec


def sent(spec: TypeSpec) -> TypeSpec:
    """The type gob sends for ``spec``: ``base``, but a pointer to a GobEncoder stays (gob gives
    ``*T`` a definition of its own, type.go buildTypeInfo)."""
    b = base(spec)
    if spec.kind is Kind.PTR and b.kind is Kind.MARSHAL:
        return spec
    return b


def _basic(kind: Kind, go: str) -> TypeSpec:
    return TypeSpec(kind, go, go)


BOOL = _basic(Kind.BOOL, "bool")
INT = _basic(Kind.INT, "int")
UINT = _basic(Kind.UINT, "uint")
FLOAT64 = _basic(Kind.FLOAT, "float64")
COMPLEX128 = _basic(Kind.COMPLEX, "complex128")
STRING = _basic(Kind.STRING, "string")
BYTES = TypeSpec(Kind.BYTES, "[]uint8", "")
INTERFACE = TypeSpec(Kind.INTERFACE, "interface {}", "")
#: time.Time: a GobEncoder whose CommonType name is "Time".
TIME = TypeSpec(Kind.MARSHAL, "time.Time", "Time", marshal="gob")

#: Go's predeclared types (and the aliases byte, rune) by name.
BASIC: dict[str, TypeSpec] = {
    "bool": BOOL,
    "int": INT,
    "int8": _basic(Kind.INT, "int8"),
    "int16": _basic(Kind.INT, "int16"),
    "int32": _basic(Kind.INT, "int32"),
    "int64": _basic(Kind.INT, "int64"),
    "uint": UINT,
    "uint8": _basic(Kind.UINT, "uint8"),
    "uint16": _basic(Kind.UINT, "uint16"),
    "uint32": _basic(Kind.UINT, "uint32"),
    "uint64": _basic(Kind.UINT, "uint64"),
    "uintptr": _basic(Kind.UINT, "uintptr"),
    "float32": _basic(Kind.FLOAT, "float32"),
    "float64": FLOAT64,
    "complex64": _basic(Kind.COMPLEX, "complex64"),
    "complex128": COMPLEX128,
    "string": STRING,
}
BASIC["byte"] = BASIC["uint8"]
BASIC["rune"] = BASIC["int32"]

#: Default Go type of each predefined id when nothing more is known.
DEFAULT_BY_ID: dict[int, TypeSpec] = {
    1: BOOL,
    2: INT,
    3: UINT,
    4: FLOAT64,
    5: BYTES,
    6: STRING,
    7: COMPLEX128,
    8: INTERFACE,
}


def slice_of(elem: TypeSpec, *, go: str | None = None, name: str = "") -> TypeSpec:
    """``[]elem``; a slice of a uint8-kind element is gob's predefined ``[]byte``."""
    if base(elem).kind is Kind.UINT and base(elem).go in ("uint8", "byte") and go is None:
        return BYTES
    return TypeSpec(Kind.SLICE, go or f"[]{elem.go}", name, elem=elem)


def array_of(elem: TypeSpec, length: int, *, go: str | None = None, name: str = "") -> TypeSpec:
    return TypeSpec(Kind.ARRAY, go or f"[{length}]{elem.go}", name, elem=elem, length=length)


def map_of(key: TypeSpec, elem: TypeSpec, *, go: str | None = None, name: str = "") -> TypeSpec:
    return TypeSpec(Kind.MAP, go or f"map[{key.go}]{elem.go}", name, key=key, elem=elem)


def ptr_to(elem: TypeSpec) -> TypeSpec:
    return TypeSpec(Kind.PTR, f"*{elem.go}", "", elem=elem)


def struct_spec(go: str, fields: list[tuple[str, TypeSpec]], *, name: str | None = None) -> TypeSpec:
    """A named struct type; ``name`` (Type.Name()) defaults to ``go`` without its package."""
    return TypeSpec(Kind.STRUCT, go, bare_name(go) if name is None else name, fields=fields)


def marshal_spec(go: str, kind: str = "gob", *, name: str | None = None) -> TypeSpec:
    return TypeSpec(Kind.MARSHAL, go, bare_name(go) if name is None else name, marshal=kind)


def bare_name(go: str) -> str:
    """``Type.Name()`` of a named type's spelling: ``github.com/x/models.User`` → ``User``."""
    go = go.lstrip("*")
    if go.startswith(("[", "map[", "interface", "struct", "func", "chan")):
        return ""
    return go.rsplit(".", 1)[-1]


_NAME = re.compile(r"[A-Za-z0-9_./\-]+")


def parse_type(text: str, lookup: Callable[[str], TypeSpec | None] | None = None) -> TypeSpec | None:
    """The TypeSpec of a Go type spelling (``%T`` / registered name), or None if unknown.

    Named types other than predeclared ones and ``time.Time`` are resolved with ``lookup``.
    """
    try:
        spec, rest = _parse(text, lookup, 0)
    except (ValueError, RecursionError):
        return None
    if rest or spec is None:
        return None
    return spec


def _parse(s: str, lookup: Callable[[str], TypeSpec | None] | None, depth: int) -> tuple[TypeSpec, str]:
    if depth > 100:
        raise ValueError("type too deep")
    if s.startswith("interface {}"):
        return INTERFACE, s[len("interface {}") :]
    if s.startswith("*"):
        e, rest = _parse(s[1:], lookup, depth + 1)
        return ptr_to(e), rest
    if s.startswith("[]"):
        e, rest = _parse(s[2:], lookup, depth + 1)
        return slice_of(e), rest
    if s.startswith("map["):
        k, rest = _parse(s[4:], lookup, depth + 1)
        if not rest.startswith("]"):
            raise ValueError(s)
        v, rest = _parse(rest[1:], lookup, depth + 1)
        return map_of(k, v), rest
    if s.startswith("["):
        j = s.find("]")
        if j < 0 or not s[1:j].isdigit():
            raise ValueError(s)
        e, rest = _parse(s[j + 1 :], lookup, depth + 1)
        return array_of(e, int(s[1:j])), rest
    m = _NAME.match(s)
    if not m:
        raise ValueError(s)
    name = m.group(0)
    rest = s[m.end() :]
    spec = BASIC.get(name)
    if spec is None and lookup is not None:
        spec = lookup(name)
    if spec is None and name == "time.Time":
        spec = TIME
    if spec is None:
        raise ValueError(name)
    return spec, rest
