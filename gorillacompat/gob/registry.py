"""Go's gob.Register table: interface names ↔ Go types ↔ Python classes (Go: type.go ``Register``).

Layering: imports ``errors``, ``_typedesc`` and ``values``; the codec modules import this one.

A ``Registry`` maps registered interface names (``"main.Person"``, ``"*main.Account"``,
``"[]interface {}"``) to what this library knows of the Go type (a ``TypeSpec``: struct fields and
their Go types, a named type's underlying type, a GobEncoder) and, optionally, a Python class with
conversions. Types that are only ever struct fields (``main.Address``) can be ``define``-d without
being registered. Decoding uses it to give values their exact Go types (``int8`` fields, struct
names); encoding uses it to turn Python objects into Go values.

``default_registry`` mirrors a Go program using gorilla/sessions: Go's ``registerBasics`` names plus
``[]interface {}``. ``time.Time`` is *not* registered by default (as in Go); ``GoTime`` values still
encode under their fixed name, and a non-strict decoder reads any name it does not know.

Every ``Encoder``/``Decoder`` copies the registry it is given, so registering later never changes
a codec already made.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .. import values as gv
from ..errors import GobEncodeError
from . import _typedesc as td

__all__ = ["Registry", "default_registry", "register"]

#: Go's registerBasics names, in its order (type.go).
GO_BASIC_NAMES = (
    "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 float32 float64 complex64 complex128 "
    "uintptr bool string []uint8 []int []int8 []int16 []int32 []int64 []uint []uint16 []uint32 "
    "[]uint64 []float32 []float64 []complex64 []complex128 []uintptr []bool []string"
).split()


class Entry:
    """What the registry knows of one Go type."""

    __slots__ = (
        "from_go",
        "go_name",
        "marshal",
        "python_type",
        "registered",
        "spec_source",
        "to_go",
        "unmarshal",
        "zero",
    )

    def __init__(self, go_name: str) -> None:
        self.go_name = go_name
        #: Whether the name is registered for interfaces (Go: Register); else only defined.
        self.registered = True
        #: Fields ``[(name, go type spelling)]``, an underlying type spelling, or a marshal kind.
        self.spec_source: Any = None
        self.python_type: type | None = None
        self.to_go: Callable[[Any], Any] | None = None
        self.from_go: Callable[[Any], Any] | None = None
        self.marshal: Callable[[Any], bytes] | None = None
        self.unmarshal: Callable[[bytes], Any] | None = None
        #: Makes the Go zero value (for GobEncoder fields gob omitted).
        self.zero: Callable[[], Any] | None = None


def _py_annotation_to_go(ann: Any, reg: Registry) -> str:
    """The Go type spelling of a dataclass field annotation."""
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Union or origin is types.UnionType:  # Optional[X] and X | None alike
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            inner = _py_annotation_to_go(rest[0], reg)
            return inner if inner.startswith(("[]", "map[", "interface")) else "*" + inner
        return "interface {}"
    if origin in (list, tuple) or ann in (list, tuple):
        elem = _py_annotation_to_go(args[0], reg) if args else "interface {}"
        return f"[]{elem}"
    if origin is dict or ann is dict:
        if len(args) == 2:
            return f"map[{_py_annotation_to_go(args[0], reg)}]{_py_annotation_to_go(args[1], reg)}"
        return "map[interface {}]interface {}"
    simple = {
        bool: "bool",
        int: "int",
        float: "float64",
        complex: "complex128",
        str: "string",
        bytes: "[]uint8",
        gv.GoTime: "time.Time",
    }
    if isinstance(ann, type):
        if ann in simple:
            return simple[ann]
        gt = getattr(ann, "go_type", None)
        if isinstance(gt, str):
            return gt
        entry = reg.by_python_type(ann)
        if entry is not None:
            return entry.go_name.lstrip("*")
    return "interface {}"


def _go_quote(name: str) -> str:
    """Go's ``%q`` of a type name (type names are printable ASCII in practice)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _describe(entry: Entry) -> str:
    """The type an entry stands for, for Go's duplicate-registration messages."""
    if entry.python_type is not None:
        return f"{entry.python_type.__module__}.{entry.python_type.__qualname__}"
    src = entry.spec_source
    if src is None:
        return entry.go_name
    how, data = src
    if how == "struct":
        return "struct { " + "; ".join(f"{n} {t}" for n, t in data) + " }"
    if how == "type":
        return str(data)
    return f"{entry.go_name} ({data} marshaler)"


class Registry:
    """Go's type registry (Go: ``gob.Register`` / ``gob.RegisterName``), one table per instance."""

    def __init__(self, *, basics: bool = True) -> None:
        self._by_name: dict[str, Entry] = {}
        self._by_class: dict[type, Entry] = {}
        self._specs: dict[str, td.TypeSpec] = {}
        self._snapshot: Registry | None = None
        #: Per-snapshot caches of the codecs (compiled plans); valid while the snapshot is.
        self.plans: dict[Any, Any] = {}
        if basics:
            for name in GO_BASIC_NAMES:
                self._by_name[name] = Entry(name)

    def copy(self) -> Registry:
        """An independent copy (codecs copy the registry they are given)."""
        out = Registry(basics=False)
        out._by_name = dict(self._by_name)
        out._by_class = dict(self._by_class)
        return out

    def snapshot(self) -> Registry:
        """A copy that stays as it is now, shared until this registry changes (codecs use it).

        Codecs never register on the copy they hold, so one copy serves every codec made while
        this registry is unchanged, and its caches (parsed type spellings, compiled plans) live on.
        """
        snap = self._snapshot
        if snap is None:
            snap = self.copy()
            snap._snapshot = snap
            self._snapshot = snap
        return snap

    # -- registering ------------------------------------------------------------------------

    def register(
        self,
        name: str,
        python_type: type | None = None,
        *,
        fields: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        go_type: str | None = None,
        marshal: Callable[[Any], bytes] | None = None,
        unmarshal: Callable[[bytes], Any] | None = None,
        kind: str | None = None,
        to_go: Callable[[Any], Any] | None = None,
        from_go: Callable[[Any], Any] | None = None,
        zero: Callable[[], Any] | None = None,
    ) -> None:
        """Register a Go type for interface values under ``name`` (Go: ``gob.RegisterName``).

        - a struct: ``fields={"Name": "string", "Age": "int"}`` (Go field name → Go type), or a
          dataclass as ``python_type`` (field types from ``metadata={"gob_type": ...}`` or the
          annotation; Go names from ``metadata={"gob_name": ...}`` or the capitalized name);
        - a named non-struct type: ``go_type="float64"`` / ``"[]string"`` / ``"map[string]int"``;
        - a GobEncoder/BinaryMarshaler: ``marshal``/``unmarshal`` functions and ``kind``
          (``"gob"`` default, ``"binary"``); ``unmarshal`` gets the payload bytes.

        ``zero`` makes the type's Go zero value (what a GobEncoder field gob omitted decodes to).

        ``name`` follows Go: ``"main.Person"`` for a value type, ``"*main.Account"`` when the Go
        program registered a pointer. Raises UsageError (GobEncodeError) for an empty name, for a
        second registration of the same name with another type (Go: ``gob: registering duplicate
        types for "main.Person": …``) and for one Python type under a second name (Go: ``gob:
        registering duplicate names for …``); the registry is unchanged then. Registering the same
        name with the same type again is a no-op, as in Go.
        """
        self._add(name, python_type, fields, go_type, marshal, unmarshal, kind, to_go, from_go, True)
        self._by_name[name].zero = zero

    def define(
        self,
        name: str,
        python_type: type | None = None,
        *,
        fields: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        go_type: str | None = None,
        marshal: Callable[[Any], bytes] | None = None,
        unmarshal: Callable[[bytes], Any] | None = None,
        kind: str | None = None,
        to_go: Callable[[Any], Any] | None = None,
        from_go: Callable[[Any], Any] | None = None,
        zero: Callable[[], Any] | None = None,
    ) -> None:
        """Describe a named Go type without registering it for interfaces (e.g. a field's type)."""
        self._add(name, python_type, fields, go_type, marshal, unmarshal, kind, to_go, from_go, False)
        self._by_name[name].zero = zero

    def _add(
        self,
        name: str,
        python_type: type | None,
        fields: Mapping[str, str] | Iterable[tuple[str, str]] | None,
        go_type: str | None,
        marshal: Callable[[Any], bytes] | None,
        unmarshal: Callable[[bytes], Any] | None,
        kind: str | None,
        to_go: Callable[[Any], Any] | None,
        from_go: Callable[[Any], Any] | None,
        registered: bool,
    ) -> None:
        if not name:
            raise GobEncodeError('gob: RegisterName("", ...): the empty name is reserved for nil')
        entry = Entry(name)
        entry.registered = registered
        entry.python_type = python_type
        entry.to_go = to_go
        entry.from_go = from_go
        entry.marshal = marshal
        entry.unmarshal = unmarshal
        if marshal is not None or unmarshal is not None or kind is not None:
            entry.spec_source = ("marshal", kind or "gob")
        elif go_type is not None:
            entry.spec_source = ("type", go_type)
        elif fields is not None:
            items = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
            entry.spec_source = ("struct", items)
        elif python_type is not None and dataclasses.is_dataclass(python_type):
            entry.spec_source = ("dataclass", python_type)
        # Go's RegisterName checks both directions before changing anything: a name names one
        # type, and a type has one name.
        old = self._by_name.get(name)
        if (
            old is not None
            and old.registered
            and registered
            and (old.spec_source != entry.spec_source or old.python_type is not python_type)
        ):
            raise GobEncodeError(
                f"gob: registering duplicate types for {_go_quote(name)}: "
                f"{_describe(old)} != {_describe(entry)}"
            )
        if python_type is not None:
            prev = self._by_class.get(python_type)
            if prev is not None and prev.go_name != name:
                raise GobEncodeError(
                    f"gob: registering duplicate names for {_describe(entry)}: "
                    f"{_go_quote(prev.go_name)} != {_go_quote(name)}"
                )
        self._by_name[name] = entry
        if python_type is not None:
            self._by_class[python_type] = entry
        self._specs.clear()
        self.plans = {}
        self._snapshot = None

    # -- lookups ------------------------------------------------------------------------------

    def is_registered(self, name: str) -> bool:
        """Whether ``name`` is registered for interface values (strict decoding needs this)."""
        e = self._by_name.get(name)
        return e is not None and e.registered

    def entry(self, name: str) -> Entry | None:
        return self._by_name.get(name)

    def entry_of_type(self, name: str) -> Entry | None:
        """The registration of Go type ``name``, made for ``name`` itself or else for ``*name``
        (Go: ``Register(T{})`` or ``Register(&T{})``)."""
        return self._by_name.get(name) or self._by_name.get("*" + name)

    def by_python_type(self, cls: type) -> Entry | None:
        for klass in cls.__mro__:
            e = self._by_class.get(klass)
            if e is not None:
                return e
        return None

    def find_bare(self, wire_name: str) -> Entry | None:
        """The one known named type whose bare name (``Person``) is ``wire_name``, if unique."""
        found = None
        for name, e in self._by_name.items():
            if e.spec_source is not None and td.bare_name(name) == wire_name:
                if found is not None and found.go_name.lstrip("*") != name.lstrip("*"):
                    return None
                found = e
        return found

    def spec(self, name: str) -> td.TypeSpec | None:
        """The TypeSpec of a Go type spelling, using what is registered or defined here."""
        cached = self._specs.get(name)
        if cached is not None:
            return cached
        spec = td.parse_type(name, self._named_spec)
        if spec is not None:
            self._specs[name] = spec
        return spec

    def _named_spec(self, name: str) -> td.TypeSpec | None:
        cached = self._specs.get(name)
        if cached is not None:
            return cached
        e = self.entry_of_type(name)
        if e is None or e.spec_source is None:
            return None
        go = name
        how, data = e.spec_source
        if how == "marshal":
            spec = td.marshal_spec(go, data)
            self._specs[name] = spec
            return spec
        if how == "type":
            under = td.parse_type(data, self._named_spec)
            if under is None:
                return None
            spec = td.TypeSpec(under.kind, go, td.bare_name(go))
            spec.elem, spec.key, spec.length, spec.fields = under.elem, under.key, under.length, under.fields
            if under.kind in td.PREDEFINED:
                spec.elem = under  # a named scalar keeps its underlying predeclared type
            self._specs[name] = spec
            return spec
        spec = td.struct_spec(go, [])
        self._specs[name] = spec  # before the fields: recursive types refer to themselves
        items = data if how == "struct" else self._dataclass_fields(data)
        for fname, ftype in items:
            fspec = td.parse_type(ftype, self._named_spec)
            if fspec is None:
                fspec = (
                    td.INTERFACE
                    if ftype == "interface {}"
                    else td.TypeSpec(td.Kind.STRUCT, ftype, td.bare_name(ftype))
                )
            spec.fields.append((fname, fspec))
        return spec

    def _dataclass_fields(self, cls: Any) -> list[tuple[str, str]]:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:
            hints = {}
        out = []
        for f in dataclasses.fields(cls):
            go_name = f.metadata.get("gob_name") or (f.name[:1].upper() + f.name[1:])
            go_type = f.metadata.get("gob_type") or _py_annotation_to_go(hints.get(f.name, Any), self)
            out.append((go_name, go_type))
        return out

    def dataclass_field_names(self, cls: Any) -> list[tuple[str, str]]:
        """``[(python name, Go name)]`` of a registered dataclass."""
        return [
            (f.name, f.metadata.get("gob_name") or (f.name[:1].upper() + f.name[1:]))
            for f in dataclasses.fields(cls)
        ]


#: A registry like a Go program importing gorilla/sessions: Go's basics plus ``[]interface {}``.
default_registry = Registry()
default_registry.register("[]interface {}")


def register(name: str, python_type: type | None = None, **options: Any) -> None:
    """Register on ``default_registry`` (Go: ``gob.RegisterName``); see ``Registry.register``."""
    default_registry.register(name, python_type, **options)
