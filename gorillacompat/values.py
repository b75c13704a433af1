"""Go-typed values: what a Python value cannot say about its Go type, these carry.

Layering: imports nothing from the package but ``errors``. Used by ``gob``, ``gojson``, ``jsonview``.

Plain Python values stand for Go's defaults: ``int`` is Go ``int``, ``float`` is ``float64``,
``complex`` is ``complex128``, ``str`` is ``string``, ``bytes`` is ``[]byte`` (``[]uint8``), ``bool``
is ``bool``, ``None`` is a nil interface, a ``list`` is ``[]interface {}``, a ``dict`` is
``map[string]interface {}`` when every key is a ``str`` and ``map[interface {}]interface {}``
otherwise. The sized types below subclass the Python type, so arithmetic and comparisons work as
usual, and add ``go_type`` (Go's ``%T`` spelling).

Go strings are bytes; a Go string that is not valid UTF-8 becomes a ``str`` holding lone surrogates
(``bytes.decode("utf-8", "surrogateescape")``) and is encoded back the same way, so it round trips.

Containers: ``GoMap`` (dict, keeps wire order), ``GoSlice`` (list), ``GoArray`` (tuple, fixed
length), ``GoStruct``. Each carries Go type names as strings; values decoded from gob also keep the
wire type they arrived with (``wire``), so that re-encoding reproduces Go's bytes. Plain Python
comparisons ignore the Go types (``GoSlice(["a"]) == ["a"]``); two Go-typed values compare their
types too. ``GoTime`` is ``time.Time``; ``GoOpaque`` is a GobEncoder/BinaryMarshaler payload of a type
this library does not know; ``GoNamed`` is a scalar of a named Go type (``main.Celsius``);
``GoPointer`` is a ``*T`` where no slot's type says "pointer" (top level, in an interface).

Map keys keep their Go identity: a ``GoMap`` whose key type is an interface (Go's
``map[interface {}]interface {}``, gorilla's ``session.Values``) holds ``1``, ``True``, ``1.0``
and ``Int8(1)`` as four entries, as Go does, and each is addressed by the Python value of its Go
type (``m[1]`` is the Go ``int``, ``m[Int8(1)]`` the ``int8``). ``go_key`` says what identifies a
key. A plain ``dict`` cannot hold such keys apart: build a ``GoMap`` for them.
"""

from __future__ import annotations

import struct
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, TypeVar

from . import _time

__all__ = [
    "BASIC_GO_TYPES",
    "Complex64",
    "Float32",
    "GoArray",
    "GoInterface",
    "GoMap",
    "GoNamed",
    "GoNil",
    "GoOpaque",
    "GoPointer",
    "GoSlice",
    "GoStruct",
    "GoTime",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Uint",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "Uintptr",
    "go_key",
    "go_type_of",
]


_I = TypeVar("_I", bound="_SizedInt")


class _SizedInt(int):
    """Base of the sized Go integers; range-checked on construction."""

    go_type: ClassVar[str]
    _min: ClassVar[int]
    _max: ClassVar[int]

    __slots__ = ()

    def __new__(cls: type[_I], value: int = 0) -> _I:
        v = int(value)
        if not cls._min <= v <= cls._max:
            raise OverflowError(f"{v} does not fit in Go {cls.go_type}")
        return super().__new__(cls, v)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class Int8(_SizedInt):
    """Go ``int8``."""

    __slots__ = ()
    go_type = "int8"
    _min = -(1 << 7)
    _max = (1 << 7) - 1


class Int16(_SizedInt):
    """Go ``int16``."""

    __slots__ = ()
    go_type = "int16"
    _min = -(1 << 15)
    _max = (1 << 15) - 1


class Int32(_SizedInt):
    """Go ``int32``."""

    __slots__ = ()
    go_type = "int32"
    _min = -(1 << 31)
    _max = (1 << 31) - 1


class Int64(_SizedInt):
    """Go ``int64``."""

    __slots__ = ()
    go_type = "int64"
    _min = -(1 << 63)
    _max = (1 << 63) - 1


class Uint(_SizedInt):
    """Go ``uint``."""

    __slots__ = ()
    go_type = "uint"
    _min = 0
    _max = (1 << 64) - 1


class Uint8(_SizedInt):
    """Go ``uint8``."""

    __slots__ = ()
    go_type = "uint8"
    _min = 0
    _max = (1 << 8) - 1


class Uint16(_SizedInt):
    """Go ``uint16``."""

    __slots__ = ()
    go_type = "uint16"
    _min = 0
    _max = (1 << 16) - 1


class Uint32(_SizedInt):
    """Go ``uint32``."""

    __slots__ = ()
    go_type = "uint32"
    _min = 0
    _max = (1 << 32) - 1


class Uint64(_SizedInt):
    """Go ``uint64``."""

    __slots__ = ()
    go_type = "uint64"
    _min = 0
    _max = (1 << 64) - 1


class Uintptr(_SizedInt):
    """Go ``uintptr``."""

    __slots__ = ()
    go_type = "uintptr"
    _min = 0
    _max = (1 << 64) - 1


def _to_float32(x: float) -> float:
    try:
        return float(struct.unpack("<f", struct.pack("<f", x))[0])
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


class Float32(float):
    """Go ``float32``: the value is rounded to the nearest float32 on construction."""

    __slots__ = ()
    go_type: ClassVar[str] = "float32"

    def __new__(cls, value: float = 0.0) -> Float32:
        return super().__new__(cls, _to_float32(float(value)))

    def __repr__(self) -> str:
        return f"Float32({float(self)!r})"


class Complex64(complex):
    """Go ``complex64``: both parts rounded to float32 on construction."""

    __slots__ = ()
    go_type: ClassVar[str] = "complex64"

    def __new__(cls, real: complex | float = 0.0, imag: float = 0.0) -> Complex64:
        if isinstance(real, complex):
            re_, im = real.real, (real.imag + imag if imag else real.imag)
        else:
            re_, im = float(real), float(imag)
        # Keeps -0.0 parts (complex addition would turn them into +0.0).
        return super().__new__(cls, _to_float32(re_), _to_float32(im))

    def __repr__(self) -> str:
        return f"Complex64({complex(self)!r})"


# -- containers -------------------------------------------------------------------------------


class _Keyed:
    """A map key stored under its Go identity (``go_key``), for keys Python's ``==`` would merge."""

    __slots__ = ("_hash", "ident", "key")

    def __init__(self, key: Any) -> None:
        self.key = key
        self.ident = go_key(key)
        self._hash = hash(self.ident)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return type(other) is _Keyed and bool(self.ident == other.ident)

    def __repr__(self) -> str:
        return repr(self.key)


def _unkey(k: Any) -> Any:
    return k.key if type(k) is _Keyed else k


class GoMap(dict[Any, Any]):
    """A Go map; iteration order is the order entries were added (for decoded maps: wire order).

    ``key_type``/``elem_type`` are Go type spellings (``"string"``, ``"interface {}"``);
    ``go_type`` defaults to ``map[K]V`` and can name a named map type (``"main.Roles"``).

    Keys keep their Go identity. Where the key type is an interface (``session.Values`` is a
    ``map[interface {}]interface {}``), an array, a struct or a named type, two keys are one
    entry only when Go's ``==`` says so: ``m[1]`` (Go ``int``), ``m[True]`` (``bool``),
    ``m[1.0]`` (``float64``), ``m[Int8(1)]`` and ``m["1"]`` are five entries, each addressed by
    the Python value of its Go type (``go_key``). Where the key type is a basic type
    (``map[int64]string``), every key has that one Go type and the map behaves as a ``dict``
    (``m[5]`` finds ``Int64(5)``). ``len``, iteration, ``in``, ``del`` and ``==`` count every Go
    entry. ``dict(m)`` gives a plain dict, which merges such keys again.
    """

    __slots__ = ("_go_type", "_keyed", "_typed", "elem_type", "_key_type", "wire")

    def __init__(
        self,
        data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        *,
        key_type: str = "interface {}",
        elem_type: str = "interface {}",
        go_type: str | None = None,
    ) -> None:
        super().__init__()
        self._key_type = key_type
        #: Whether keys are stored under their Go identity (see the class docstring).
        self._typed = key_type not in BASIC_GO_TYPES
        #: How many stored keys are ``_Keyed`` (0: the dict's own fast paths serve every read).
        self._keyed = 0
        self.elem_type = elem_type
        self._go_type = go_type
        #: The wire type this map was decoded with (internal; keeps type ids and names).
        self.wire: Any = None
        if data:
            self.update(data)

    # -- key identity ----------------------------------------------------------------------

    @property
    def key_type(self) -> str:
        """Go's spelling of the key type (``"interface {}"``)."""
        return self._key_type

    @key_type.setter
    def key_type(self, value: str) -> None:
        typed = value not in BASIC_GO_TYPES
        self._key_type = value
        if typed != self._typed:  # re-key what is stored under the other rule
            items = list(self.items())
            dict.clear(self)
            self._typed, self._keyed = typed, 0
            for k, v in items:
                self[k] = v

    def _slot(self, key: Any) -> Any:
        """The dict key an entry is stored under."""
        if not self._typed:
            return key
        t = type(key)
        if t is str or t is int:
            return key
        return _Keyed(key)

    # -- reads -------------------------------------------------------------------------------

    def __getitem__(self, key: Any) -> Any:
        try:
            return dict.__getitem__(self, self._slot(key))
        except KeyError:
            raise KeyError(key) from None

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, self._slot(key), default)

    def __contains__(self, key: object) -> bool:
        try:
            return dict.__contains__(self, self._slot(key))
        except TypeError:  # unhashable: not a key, as with dict
            return False

    def __iter__(self) -> Iterator[Any]:
        if not self._keyed:
            return dict.__iter__(self)
        return map(_unkey, dict.__iter__(self))

    def __reversed__(self) -> Iterator[Any]:
        return map(_unkey, dict.__reversed__(self))

    def keys(self) -> KeysView[Any]:  # type: ignore[override]
        return dict.keys(self) if not self._keyed else _KeysView(self)

    def items(self) -> ItemsView[Any, Any]:  # type: ignore[override]
        return dict.items(self) if not self._keyed else _ItemsView(self)

    # -- writes ------------------------------------------------------------------------------

    def __setitem__(self, key: Any, value: Any) -> None:
        slot = self._slot(key)
        if type(slot) is _Keyed and not dict.__contains__(self, slot):
            self._keyed += 1
        dict.__setitem__(self, slot, value)

    def __delitem__(self, key: Any) -> None:
        slot = self._slot(key)
        try:
            dict.__delitem__(self, slot)
        except KeyError:
            raise KeyError(key) from None
        if type(slot) is _Keyed:
            self._keyed -= 1

    _MISSING: ClassVar[Any] = object()

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        slot = self._slot(key)
        try:
            value = dict.pop(self, slot)
        except KeyError:
            if default is GoMap._MISSING:
                raise KeyError(key) from None
            return default
        if type(slot) is _Keyed:
            self._keyed -= 1
        return value

    def popitem(self) -> tuple[Any, Any]:
        slot, value = dict.popitem(self)
        if type(slot) is _Keyed:
            self._keyed -= 1
            return slot.key, value
        return slot, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
            return default
        return self[key]

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        if isinstance(other, Mapping):
            pairs: Iterable[tuple[Any, Any]] = other.items()
        elif hasattr(other, "keys"):
            pairs = [(k, other[k]) for k in other.keys()]
        else:
            pairs = other
        for k, v in pairs:
            self[k] = v
        for k, v in kwargs.items():
            self[k] = v

    def clear(self) -> None:
        dict.clear(self)
        self._keyed = 0

    def __ior__(self, other: Any) -> GoMap:
        self.update(other)
        return self

    def __or__(self, other: Any) -> GoMap:
        if not isinstance(other, Mapping):
            return NotImplemented
        out = self.copy()
        out.update(other)
        return out

    def __ror__(self, other: Any) -> GoMap:
        if not isinstance(other, Mapping):
            return NotImplemented
        out = GoMap(other, key_type=self._key_type, elem_type=self.elem_type, go_type=self._go_type)
        out.update(self)
        return out

    # -- whole map ---------------------------------------------------------------------------

    @property
    def go_type(self) -> str:
        """Go's ``%T`` of the map (``map[interface {}]interface {}``)."""
        return self._go_type or f"map[{self._key_type}]{self.elem_type}"

    @go_type.setter
    def go_type(self, value: str | None) -> None:
        self._go_type = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GoMap):
            if other.go_type != self.go_type:
                return False
            if other._typed == self._typed:  # both stored alike: compare the storage
                return dict.__eq__(self, other)
        elif not isinstance(other, Mapping):
            return NotImplemented
        if len(self) != len(other):
            return False
        try:
            slots = {self._slot(k): v for k, v in other.items()}
        except TypeError:
            return False
        return len(slots) == len(self) and dict.__eq__(self, slots)

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None

    def __repr__(self) -> str:
        body = ", ".join(f"{k!r}: {v!r}" for k, v in self.items())
        return f"GoMap({{{body}}}, go_type={self.go_type!r})"

    def copy(self) -> GoMap:
        out: GoMap = GoMap.__new__(GoMap)
        dict.update(out, dict.items(self))  # the stored keys as they are
        out._key_type = self._key_type
        out._typed = self._typed
        out._keyed = self._keyed
        out.elem_type = self.elem_type
        out._go_type = self._go_type
        out.wire = self.wire
        return out

    def __reduce__(self) -> Any:
        return (_rebuild_map, (self._key_type, self.elem_type, self._go_type, self.wire, list(self.items())))


def _rebuild_map(key_type: str, elem_type: str, go_type: str | None, wire: Any, items: Any) -> GoMap:
    out = GoMap(items, key_type=key_type, elem_type=elem_type, go_type=go_type)
    out.wire = wire
    return out


class _KeysView(KeysView[Any]):
    """``keys()`` of a map holding keys stored under their Go identity; reversible, as dict's."""

    _mapping: GoMap

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self._mapping)


class _ItemsView(ItemsView[Any, Any]):
    """``items()`` of a map holding keys stored under their Go identity: one pass over storage."""

    _mapping: GoMap

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        for k, v in dict.items(self._mapping):
            yield _unkey(k), v

    def __reversed__(self) -> Iterator[tuple[Any, Any]]:
        for k, v in reversed(dict.items(self._mapping)):
            yield _unkey(k), v


class GoSlice(list[Any]):
    """A Go slice with its element type (``GoSlice(["a"], elem_type="string")`` is ``[]string``)."""

    __slots__ = ("_go_type", "elem_type", "nil", "wire")

    def __init__(
        self,
        items: Iterable[Any] = (),
        *,
        elem_type: str = "interface {}",
        go_type: str | None = None,
        nil: bool = False,
    ) -> None:
        super().__init__(items)
        self.elem_type = elem_type
        self._go_type = go_type
        #: A Go nil slice (what Go's decoder leaves for a zero-length slice); only while empty.
        self.nil = nil
        self.wire: Any = None

    @property
    def go_type(self) -> str:
        """Go's ``%T`` of the slice (``[]string``)."""
        return self._go_type or f"[]{self.elem_type}"

    @go_type.setter
    def go_type(self, value: str | None) -> None:
        self._go_type = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GoSlice) and other.go_type != self.go_type:
            return False
        return list.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"GoSlice({list.__repr__(self)}, go_type={self.go_type!r})"


class GoArray(tuple[Any, ...]):
    """A Go array: fixed length, immutable (so it can be a map key, as in Go)."""

    # Built-in variable-size types cannot have non-empty __slots__; attributes live in __dict__.

    def __new__(
        cls, items: Iterable[Any] = (), *, elem_type: str = "interface {}", go_type: str | None = None
    ) -> GoArray:
        return super().__new__(cls, items)

    def __init__(
        self, items: Iterable[Any] = (), *, elem_type: str = "interface {}", go_type: str | None = None
    ) -> None:
        self.elem_type = elem_type
        self._go_type = go_type
        self.wire: Any = None

    @property
    def go_type(self) -> str:
        """Go's ``%T`` of the array (``[3]int``)."""
        return self._go_type or f"[{len(self)}]{self.elem_type}"

    @go_type.setter
    def go_type(self, value: str | None) -> None:
        self._go_type = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GoArray) and other.go_type != self.go_type:
            return False
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __repr__(self) -> str:
        return f"GoArray({list(self)!r}, go_type={self.go_type!r})"


class GoStruct:
    """A Go struct value: a type name and its exported fields in declaration order.

    ``name`` is the registered interface name when the value travels in an interface
    (``"main.Person"``, ``"*main.Account"`` for a type registered as a pointer), else the bare
    type name gob carries (``"Address"``). ``field_types`` optionally gives each field's Go type
    spelling; without it a field's type is taken from its value (``str`` → ``string``, ``None`` →
    ``interface {}``). Decoded structs keep their wire type, which is what re-encoding uses.
    """

    __slots__ = ("absent", "field_types", "fields", "name", "wire")

    def __init__(
        self,
        name: str,
        fields: Mapping[str, Any] | Iterable[tuple[str, Any]] = (),
        *,
        field_types: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.fields: dict[str, Any] = dict(fields)
        self.field_types: dict[str, str] = dict(field_types or {})
        self.wire: Any = None
        #: Fields that were not on the wire (internal): name -> the zero value filled in.
        self.absent: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.fields[key] = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoStruct):
            return NotImplemented
        return self.name == other.name and self.fields == other.fields

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.fields.items())))

    def __repr__(self) -> str:
        return f"GoStruct({self.name!r}, {self.fields!r})"


class GoNamed:
    """A scalar of a named Go type, e.g. ``type Celsius float64`` registered as ``main.Celsius``.

    ``value`` is the plain or sized value (``36.6``, ``Int8(3)``, ``"admin"``, ``b"..."``).
    """

    __slots__ = ("go_type", "value")

    def __init__(self, go_type: str, value: Any) -> None:
        self.go_type = go_type
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoNamed):
            return NotImplemented
        return self.go_type == other.go_type and _same(self.value, other.value)

    def __hash__(self) -> int:
        return hash((self.go_type, self.value))

    def __repr__(self) -> str:
        return f"GoNamed({self.go_type!r}, {self.value!r})"


class GoInterface:
    """A top-level interface value (Go: ``enc.Encode(&v)`` with ``v interface{}``).

    gob writes such a value with the interface type id 8 instead of the concrete type's id; this
    wrapper keeps that. Elsewhere interfaces need no wrapper: a slot's static type says so.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoInterface):
            return NotImplemented
        return bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(("GoInterface", self.value))

    def __repr__(self) -> str:
        return f"GoInterface({self.value!r})"


class GoNil:
    """A nil value of a known Go type (``[]uint8``, ``map[string]int``, ``*main.User``).

    Where the slot's type is known (a struct field, a container element) ``None`` is enough; this
    keeps the type where it is not (top level, inside an interface). Falsy, empty, and equal to
    ``None``-like GoNil of the same type.
    """

    __slots__ = ("go_type",)

    def __init__(self, go_type: str) -> None:
        self.go_type = go_type

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoNil):
            return NotImplemented
        return self.go_type == other.go_type

    def __hash__(self) -> int:
        return hash(("GoNil", self.go_type))

    def __repr__(self) -> str:
        return f"GoNil({self.go_type!r})"


class GoPointer:
    """A non-nil Go pointer ``*T`` to ``value``, where no slot's type says "pointer".

    gob flattens pointers except one to a GobEncoder/BinaryMarshaler (``*time.Time``,
    ``*main.Version``): that gets a wire type of its own, so ``GoPointer(t)`` and ``t`` differ at
    top level and in an interface. In a struct field or element declared ``*T`` the plain value
    is enough (a GoPointer is accepted there too); a decoded struct holds one where only a pointer
    explains the wire (a zero ``time.Time`` that Go sent, which it omits unless it is ``*T``).
    ``name`` is the interface name it travels under; None: what Go sends, the name registered for
    ``T`` (``"*T"`` if ``*T`` was registered, else ``"T"``). Equality ignores ``name``, as Go's
    ``%T`` does.
    """

    __slots__ = ("name", "value")

    def __init__(self, value: Any, *, name: str | None = None) -> None:
        if value is None:
            raise TypeError("GoPointer needs a value; a nil pointer is GoNil('*T')")
        self.value = value
        self.name = name

    @property
    def go_type(self) -> str:
        """Go's ``%T`` of the pointer (``*time.Time``)."""
        return "*" + go_type_of(self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoPointer):
            return NotImplemented
        return _kind_of(self.value) == _kind_of(other.value) and bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(("GoPointer", self.value))

    def __repr__(self) -> str:
        extra = "" if self.name is None else f", name={self.name!r}"
        return f"GoPointer({self.value!r}{extra})"


#: GobEncoder / BinaryMarshaler / TextMarshaler, as gob's wireType fields 4, 5, 6 name them.
MARSHAL_KINDS = ("gob", "binary", "text")


class GoOpaque:
    """A GobEncoder/BinaryMarshaler/TextMarshaler value of a type this library does not know.

    ``go_type`` is its name (the registered interface name, or the bare wire name for a struct
    field); ``kind`` is ``"gob"``, ``"binary"`` or ``"text"``; ``data`` the marshalled bytes, or
    ``None`` for the type's zero value inside a struct (gob omits it, so the bytes are unknown).
    ``wire_name`` is the CommonType name gob sends (default: ``go_type`` without package).
    """

    __slots__ = ("data", "go_type", "kind", "wire", "wire_name")

    def __init__(
        self, go_type: str, data: bytes | None, kind: str = "gob", *, wire_name: str | None = None
    ) -> None:
        if kind not in MARSHAL_KINDS:
            raise ValueError(f"kind must be one of {MARSHAL_KINDS}, not {kind!r}")
        self.go_type = go_type
        self.data = None if data is None else bytes(data)
        self.kind = kind
        self.wire_name = wire_name
        self.wire: Any = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoOpaque):
            return NotImplemented
        return (self.go_type, self.kind, self.data) == (other.go_type, other.kind, other.data)

    def __hash__(self) -> int:
        return hash((self.go_type, self.kind, self.data))

    def __repr__(self) -> str:
        return f"GoOpaque({self.go_type!r}, {self.data!r}, {self.kind!r})"


def _kind_of(value: Any) -> Any:
    """Go's ``%T`` of a value, or its Python class where it has none (a registered class)."""
    try:
        return go_type_of(value)
    except TypeError:
        return type(value)


def _same(a: Any, b: Any) -> bool:
    """Equality that also tells NaN from NaN-with-other-bits apart the way Go's bytes would."""
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack(">d", a) == struct.pack(">d", b)
    return bool(a == b)


# -- time -------------------------------------------------------------------------------------


class GoTime:
    """Go ``time.Time`` as gob carries it: an instant plus a zone offset.

    ``unix_seconds`` and ``nanos`` (0 ≤ nanos < 10⁹) give the instant. ``offset`` is ``None`` for
    Go's ``time.UTC`` location (gob writes offset ``ff ff``) or the zone's seconds east of UTC
    (``0`` is a zero-offset ``time.Local`` or ``FixedZone``, written ``00 00``). Monotonic readings
    and zone names are not carried by gob. Immutable.
    """

    __slots__ = ("_payload", "nanos", "offset", "unix_seconds", "wire")

    unix_seconds: int
    nanos: int
    offset: int | None
    _payload: bytes | None
    #: The wire type a decoded time came with (internal; keeps type ids and names).
    wire: Any

    def __init__(self, unix_seconds: int, nanos: int = 0, offset: int | None = None) -> None:
        if not 0 <= nanos < 1_000_000_000:
            extra, nanos = divmod(nanos, 1_000_000_000)
            unix_seconds += extra
        object.__setattr__(self, "unix_seconds", int(unix_seconds))
        object.__setattr__(self, "nanos", int(nanos))
        object.__setattr__(self, "offset", None if offset is None else int(offset))
        object.__setattr__(self, "_payload", None)
        object.__setattr__(self, "wire", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("GoTime is immutable")

    @classmethod
    def _from_payload(cls, data: bytes, wire: Any = None) -> GoTime:
        """The time of a MarshalBinary payload, remembering the bytes (and the wire type it came
        with) for an exact re-encode. Fills the slots directly: decoders make many of these."""
        sec, nsec, offset = _time.unmarshal_time(data)
        _set = object.__setattr__
        if 0 <= nsec < 1_000_000_000:
            t = object.__new__(cls)
            _set(t, "unix_seconds", sec)
            _set(t, "nanos", nsec)
            _set(t, "offset", offset)
        else:  # a hostile payload's nanoseconds: normalised as the constructor does
            t = cls(sec, nsec, offset)
        _set(t, "_payload", bytes(data))
        _set(t, "wire", wire)
        return t

    def marshal_binary(self) -> bytes:
        """Go: ``Time.MarshalBinary`` (also what ``GobEncode`` returns)."""
        if self._payload is not None:
            return self._payload
        return _time.marshal_time(self.unix_seconds, self.nanos, self.offset)

    def is_zero(self) -> bool:
        """Go: ``Time.IsZero`` for a UTC time — January 1, year 1, 00:00:00 UTC."""
        return self.unix_seconds == -_time.UNIX_TO_YEAR1 and self.nanos == 0 and self.offset is None

    def rfc3339nano(self) -> str:
        """Go: ``t.Format(time.RFC3339Nano)`` (``Z`` whenever the offset is 0)."""
        return _time.rfc3339nano(self.unix_seconds, self.nanos, self.offset)

    def to_datetime(self) -> datetime:
        """An aware datetime (microseconds; nanoseconds are truncated). Raises for years past 9999."""
        tz = timezone.utc if self.offset is None else timezone(timedelta(seconds=self.offset))
        epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
        return (epoch + timedelta(seconds=self.unix_seconds, microseconds=self.nanos // 1000)).astimezone(tz)

    @classmethod
    def from_datetime(cls, dt: datetime, *, nanos: int | None = None) -> GoTime:
        """The GoTime of an aware datetime; ``timezone.utc`` / zoneinfo ``UTC`` map to ``time.UTC``.

        ``nanos`` overrides the sub-second part (datetime only has microseconds).
        """
        off = dt.utcoffset()
        if off is None:
            raise ValueError("a naive datetime has no Go location; attach a tzinfo")
        epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
        delta = dt - epoch
        seconds = delta.days * 86400 + delta.seconds
        ns = delta.microseconds * 1000 if nanos is None else nanos
        key = getattr(dt.tzinfo, "key", None)
        utc = dt.tzinfo is timezone.utc or key in ("UTC", "Etc/UTC")
        return cls(seconds, ns, None if utc else int(off.total_seconds()))

    @classmethod
    def now(cls, *, utc: bool = True) -> GoTime:
        """The current time; ``utc=False`` gives the local offset (like Go's ``time.Now()``)."""
        import time as _pytime

        ns = _pytime.time_ns()
        sec, nsec = divmod(ns, 1_000_000_000)
        if utc:
            return cls(sec, nsec, None)
        local = datetime.fromtimestamp(sec).astimezone().utcoffset()
        return cls(sec, nsec, int(local.total_seconds()) if local is not None else 0)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoTime):
            return NotImplemented
        return (self.unix_seconds, self.nanos, self.offset) == (
            other.unix_seconds,
            other.nanos,
            other.offset,
        )

    def __hash__(self) -> int:
        return hash((self.unix_seconds, self.nanos, self.offset))

    def __repr__(self) -> str:
        return f"GoTime({self.unix_seconds}, {self.nanos}, {self.offset!r})"


# -- Go identity of a map key ----------------------------------------------------------------


#: Go's predeclared scalar types (``%T`` spellings). As map key types: one Go type per map, whose
#: values Python's ``==`` tells apart exactly as Go's does (``Int64(5)`` and ``5`` are one key);
#: every other key type (``interface {}``, arrays, structs, named types) keeps each key's Go identity.
BASIC_GO_TYPES: frozenset[str] = frozenset(
    (
        "bool",
        "string",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "float32",
        "float64",
        "complex64",
        "complex128",
    )
)


def go_key(value: Any) -> Any:
    """What Go's ``==`` compares of a map key: its Go type and value, as a hashable object.

    A ``str`` (Go ``string``) and an ``int`` (Go ``int``) stand for themselves; every other
    key becomes a tuple naming its Go type, so ``1``, ``True``, ``1.0``, ``Int8(1)`` and
    ``Float32(1.0)`` are five keys, as in Go. Raises TypeError for an unhashable value.
    """
    t = type(value)
    if t is str or t is int:
        return value
    if t is bool:
        return ("bool", value)
    if t is float:
        return ("float64", value)
    if t is complex:
        return ("complex128", value)
    gt = getattr(t, "go_type", None)
    if isinstance(gt, str):  # sized numbers: Int8 … Uint64, Float32, Complex64
        return (gt, value)
    if value is None:
        return None
    if isinstance(value, GoNamed):
        return ("named", value.go_type, go_key(value.value))
    if isinstance(value, GoArray):
        return ("array", value.go_type, tuple([go_key(x) for x in value]))
    if isinstance(value, GoStruct):
        return ("struct", value.name, tuple([(f, go_key(x)) for f, x in value.fields.items()]))
    if isinstance(value, GoTime):
        return ("time", value.unix_seconds, value.nanos, value.offset)
    if isinstance(value, GoNil):
        return ("nil", value.go_type)
    if isinstance(value, GoPointer):
        return ("pointer", go_key(value.value))
    if isinstance(value, GoInterface):
        return ("interface", go_key(value.value))
    if isinstance(value, GoOpaque):
        return ("opaque", value.go_type, value.kind, value.data)
    hash(value)  # a registered class, bytes…: Python's own equality, or TypeError
    return ("python", t, value)


# -- Go type of a value -------------------------------------------------------------------------


def go_type_of(value: object) -> str:
    """Go's ``%T`` for a value under this module's model (``"nil"`` for None).

    Raises TypeError for Python values that have no Go counterpart.
    """
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    gt = getattr(type(value), "go_type", None)
    if isinstance(gt, str):  # sized numbers (class attribute)
        return gt
    if isinstance(value, (GoMap, GoSlice, GoArray, GoNamed, GoOpaque, GoNil, GoPointer)):
        return value.go_type
    if isinstance(value, GoStruct):
        return value.name
    if isinstance(value, GoTime):
        return "time.Time"
    if isinstance(value, GoInterface):
        return "interface {}"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "[]uint8"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        if all(isinstance(k, str) and not isinstance(k, GoNamed) for k in value):
            return "map[string]interface {}"
        return "map[interface {}]interface {}"
    raise TypeError(f"no Go type for Python {type(value).__name__}")
