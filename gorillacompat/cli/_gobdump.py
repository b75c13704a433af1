"""An annotated listing of a gob stream: messages, lengths, type definitions, field numbers, values.

Layering: the ``cli`` layer, but pure: imports ``errors`` only, no click. It re-reads the wire on its
own (a listing needs every byte's position, which the decoder does not keep) and follows Go's
decoder (encoding/gob decoder.go ``decodeTypeSequence``, decode.go) step for step::

    stream   message*                  message = uint(n) + n bytes
    message  int(-id) wireType          a type definition, or
             int(id) value              a value: structs as fields, anything else "00" + value
    value in an interface:  uint(len) name, [type definitions], int(id), uint(len), value

A type definition met inside an interface may end the message (the value goes on in the next
one) or be followed by a skipped chunk count (gob.md §1.1); both are shown. Every byte of the
input is covered by exactly one line, so the listing doubles as a check of the framing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from .._time import TimeFormatError, rfc3339nano, unmarshal_time
from ..errors import GobDecodeError
from ..gob._wire import float_from_bits

__all__ = ["DumpResult", "Line", "dump", "format_lines"]

#: Go's predefined type ids (encoding/gob type.go).
PREDEFINED = {
    1: "bool",
    2: "int",
    3: "uint",
    4: "float64",
    5: "[]uint8",
    6: "string",
    7: "complex128",
    8: "interface {}",
    16: "gob.wireType",
    17: "gob.arrayType",
    18: "gob.CommonType",
    19: "gob.sliceType",
    20: "gob.structType",
    21: "gob.fieldType",
    22: "[]*gob.fieldType",
    23: "gob.mapType",
}
_WIRE_PARTS = ("ArrayT", "SliceT", "StructT", "MapT", "GobEncoderT", "BinaryMarshalerT", "TextMarshalerT")
#: Fields of each wireType part, in field-number order: (name, how to read it).
_PART_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ArrayT": (("CommonType", "common"), ("Elem", "id"), ("Len", "int")),
    "SliceT": (("CommonType", "common"), ("Elem", "id")),
    "StructT": (("CommonType", "common"), ("Field", "fields")),
    "MapT": (("CommonType", "common"), ("Key", "id"), ("Elem", "id")),
    "GobEncoderT": (("CommonType", "common"),),
    "BinaryMarshalerT": (("CommonType", "common"),),
    "TextMarshalerT": (("CommonType", "common"),),
}
_MAX_DEPTH = 100


@dataclass
class Line:
    """One listing line: the bytes at ``offset`` and what they mean."""

    offset: int
    data: bytes
    depth: int
    note: str

    def to_json(self) -> dict[str, object]:
        return {"offset": self.offset, "hex": self.data.hex(), "depth": self.depth, "note": self.note}


@dataclass
class DumpResult:
    lines: list[Line]
    #: Go-style text of the first problem, or None when the stream was read to its end.
    error: str | None = None
    error_offset: int | None = None
    #: Names of the concrete types met in interface values, in order of first appearance.
    interface_names: list[str] = field(default_factory=list)
    values: int = 0


@dataclass
class _Def:
    part: str = ""
    name: str = ""
    common_id: int = 0
    elem: int = 0
    key: int = 0
    length: int = 0
    fields: list[tuple[str, int]] = field(default_factory=list)


class _Dumper:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.msg_end = 0
        self.msg_no = 0
        self.types: dict[int, _Def] = {}
        self.lines: list[Line] = []
        self.names: list[str] = []
        self.values = 0
        self.id_span = (0, 0)

    # -- primitives (bounded by the current message) ------------------------------------------

    def _need(self, n: int, what: str) -> None:
        left = self.msg_end - self.pos
        if n > left:
            raise GobDecodeError(f"{what}: expected {n} bytes, got {left} (end of message)")

    def _uint(self, what: str = "uint") -> int:
        self._need(1, what)
        b = self.data[self.pos]
        if b < 0x80:
            self.pos += 1
            return b
        n = 256 - b
        if n > 8:
            raise GobDecodeError("gob: encoded unsigned integer out of range")
        self._need(1 + n, what)
        v = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + n], "big")
        self.pos += 1 + n
        return v

    def _int(self, what: str = "int") -> int:
        u = self._uint(what)
        return ~(u >> 1) if u & 1 else u >> 1

    def _take(self, n: int, what: str) -> bytes:
        self._need(n, what)
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def _emit(self, start: int, depth: int, note: str) -> None:
        self.lines.append(Line(start, self.data[start : self.pos], depth, note))

    # -- framing --------------------------------------------------------------------------------

    def _message(self, depth: int, note: str = "") -> None:
        start = self.pos
        self.msg_end = len(self.data)  # the length prefix is read from the stream
        n = self._uint("message length")
        if n > len(self.data) - self.pos:
            raise GobDecodeError(f"message length {n}: expected {n} bytes, got {len(self.data) - self.pos}")
        self.msg_no += 1
        self.msg_end = self.pos + n
        self._emit(start, depth, f"message {self.msg_no}, {n} bytes{note}")

    def _type_sequence(self, depth: int, in_interface: bool) -> int:
        """Go: decodeTypeSequence. Returns the id of the value that follows."""
        while True:
            if self.pos >= self.msg_end:
                if self.pos >= len(self.data):
                    raise GobDecodeError("unexpected EOF")
                self._message(depth, " (continues the value)" if in_interface else "")
            start = self.pos
            tid = self._int("type id")
            self.id_span = (start, self.pos)
            if tid >= 0:
                return tid
            self._emit(start, depth, f"type definition: id {-tid}")
            self._type_def(-tid, depth + 1)
            if self.pos < self.msg_end:
                if not in_interface:
                    raise GobDecodeError("extra data in buffer")
                start = self.pos
                n = self._uint("chunk count")
                self._emit(start, depth, f"chunk count {n} (skipped, as Go does)")

    # -- type definitions -----------------------------------------------------------------------

    def _struct_fields(self, nfields: int, depth: int, end_note: str) -> Iterator[tuple[int, int]]:
        """Yield (field number, start) for each field delta; emits the closing 00."""
        fieldnum = -1
        while True:
            start = self.pos
            delta = self._uint("field delta")
            if delta == 0:
                self._emit(start, depth, end_note)
                return
            if fieldnum + delta >= nfields:
                raise GobDecodeError("gob: bad data: field numbers out of bounds")
            fieldnum += delta
            yield fieldnum, start

    def _type_def(self, tid: int, depth: int) -> None:
        if tid < 64 or tid in self.types:
            raise GobDecodeError("gob: duplicate type received")
        d = _Def()
        for f, start in self._struct_fields(len(_WIRE_PARTS), depth, "end of wireType"):
            part = _WIRE_PARTS[f]
            if not d.part:
                d.part = part
            self._emit(start, depth, f"field {f}: {part}")
            fields = _PART_FIELDS[part]
            for g, gstart in self._struct_fields(len(fields), depth + 1, f"end of {part}"):
                fname, how = fields[g]
                if how == "common":
                    self._emit(gstart, depth + 1, f"field {g}: CommonType")
                    for h, hstart in self._struct_fields(2, depth + 2, "end of CommonType"):
                        if h == 0:
                            n = self._uint("name length")
                            d.name = self._take(n, "name").decode("utf-8", "replace")
                            self._emit(hstart, depth + 2, f"field 0: Name {json.dumps(d.name)}")
                        else:
                            d.common_id = self._int()
                            self._emit(hstart, depth + 2, f"field 1: Id {d.common_id}")
                elif how == "id":
                    v = self._int()
                    if fname == "Key":
                        d.key = v
                    else:
                        d.elem = v
                    self._emit(gstart, depth + 1, f"field {g}: {fname} {v} ({self.type_name(v)})")
                elif how == "int":
                    d.length = self._int()
                    self._emit(gstart, depth + 1, f"field {g}: Len {d.length}")
                else:
                    n = self._uint("field count")
                    self._emit(gstart, depth + 1, f"field {g}: Field, {n} fields")
                    for _ in range(n):
                        name, fid = "", 0
                        fstart = self.pos
                        for h, _hs in self._struct_fields(2, depth + 2, "end of fieldType"):
                            if h == 0:
                                name = self._take(self._uint("name length"), "name").decode(
                                    "utf-8", "replace"
                                )
                            else:
                                fid = self._int()
                        d.fields.append((name, fid))
                        self.lines.pop()  # fold the fieldType's "end" line into one line
                        self._emit(
                            fstart,
                            depth + 2,
                            f"field {len(d.fields) - 1}: {name} id {fid} ({self.type_name(fid)})",
                        )
        if not d.part:
            raise GobDecodeError(f"gob: bad data: empty definition of type {tid}")
        self.types[tid] = d
        self.lines.append(Line(self.pos, b"", depth, f"=> type {tid} is {self.type_name(tid)}"))

    def type_name(self, tid: int, _seen: frozenset[int] = frozenset()) -> str:
        if tid in PREDEFINED:
            return PREDEFINED[tid]
        d = self.types.get(tid)
        if d is None:
            return f"type {tid} (not defined yet)"
        if tid in _seen:
            return d.name or f"type {tid}"
        seen = _seen | {tid}
        if d.part == "SliceT":
            return f"[]{self.type_name(d.elem, seen)}"
        if d.part == "ArrayT":
            return f"[{d.length}]{self.type_name(d.elem, seen)}"
        if d.part == "MapT":
            return f"map[{self.type_name(d.key, seen)}]{self.type_name(d.elem, seen)}"
        if d.part == "StructT":
            return f"struct {d.name}"
        return f"{d.name} ({d.part[:-1]})"

    # -- values ---------------------------------------------------------------------------------

    def _def(self, tid: int) -> _Def:
        d = self.types.get(tid)
        if d is None:
            raise GobDecodeError(f"gob: bad data: undefined type {tid}")
        return d

    def _top(self, tid: int) -> None:
        self.values += 1
        self._emit_id(tid, 1, "value")
        if tid > 8 and self._def(tid).part == "StructT":
            self._struct(tid, self._def(tid), 2, "")
            return
        self._singleton(2)
        self._value(tid, 2, "")

    def _emit_id(self, tid: int, depth: int, what: str) -> None:
        """The line of the type id ``_type_sequence`` just read."""
        start, end = self.id_span
        self.lines.append(
            Line(start, self.data[start:end], depth, f"{what} of type {tid} ({self.type_name(tid)})")
        )

    def _singleton(self, depth: int) -> None:
        start = self.pos
        if self._uint("singleton delta") != 0:
            raise GobDecodeError("gob: decode: corrupted data: non-zero delta for singleton")
        self._emit(start, depth, "singleton (delta 0)")

    def _value(self, tid: int, depth: int, label: str) -> None:
        if depth > _MAX_DEPTH:
            raise GobDecodeError(f"gob: value nested deeper than {_MAX_DEPTH}")
        start = self.pos
        if tid == 1:
            self._emit(start, depth, f"{label}bool {'true' if self._uint() else 'false'}")
        elif tid == 2:
            self._emit(start, depth, f"{label}int {self._int()}")
        elif tid == 3:
            self._emit(start, depth, f"{label}uint {self._uint()}")
        elif tid == 4:
            self._emit(start, depth, f"{label}float {float_from_bits(self._uint())!r}")
        elif tid == 7:
            re_, im = float_from_bits(self._uint()), float_from_bits(self._uint())
            self._emit(start, depth, f"{label}complex ({re_!r}{im:+}i)")
        elif tid == 5:
            b = self._take(self._uint("bytes length"), "bytes")
            self._emit(start, depth, f"{label}[]uint8, {len(b)} bytes: {_short_hex(b)}")
        elif tid == 6:
            s = self._take(self._uint("string length"), "string")
            self._emit(start, depth, f"{label}string {_quote(s)}")
        elif tid == 8:
            self._interface(depth, label)
        else:
            self._user_value(tid, self._def(tid), depth, label)

    def _user_value(self, tid: int, d: _Def, depth: int, label: str) -> None:
        start = self.pos
        name = self.type_name(tid)
        if d.part == "StructT":
            self._struct(tid, d, depth, label)
        elif d.part in ("SliceT", "ArrayT"):
            n = self._uint("count")
            if n > self.msg_end - self.pos:
                raise GobDecodeError(
                    f"gob: {name}: {n} elements exceed the {self.msg_end - self.pos} bytes left"
                )
            self._emit(start, depth, f"{label}{name}, {n} element{'s' * (n != 1)}")
            for i in range(n):
                self._value(d.elem, depth + 1, f"[{i}] ")
        elif d.part == "MapT":
            n = self._uint("count")
            if n > self.msg_end - self.pos:
                raise GobDecodeError(
                    f"gob: {name}: {n} entries exceed the {self.msg_end - self.pos} bytes left"
                )
            self._emit(start, depth, f"{label}{name}, {n} entr{'y' if n == 1 else 'ies'}")
            for _ in range(n):
                self._value(d.key, depth + 1, "key: ")
                self._value(d.elem, depth + 1, "value: ")
        else:
            payload = self._take(self._uint("marshaled length"), "marshaled data")
            extra = _time_text(payload) if d.name == "Time" and d.part == "GobEncoderT" else ""
            self._emit(
                start,
                depth,
                f"{label}{d.name} {d.part[:-1]} payload, {len(payload)} bytes: {_short_hex(payload)}{extra}",
            )

    def _struct(self, tid: int, d: _Def, depth: int, label: str) -> None:
        self.lines.append(Line(self.pos, b"", depth, f"{label}struct {d.name} (type {tid})"))
        for f, start in self._struct_fields(len(d.fields), depth + 1, f"end of struct {d.name}"):
            fname, fid = d.fields[f]
            self._emit(start, depth + 1, f"field {f}: {fname}")
            self._value(fid, depth + 2, "")

    def _interface(self, depth: int, label: str) -> None:
        start = self.pos
        n = self._uint("name length")
        if n > 1024:
            raise GobDecodeError(f"gob: invalid type name length {n}")
        name = self._take(n, "type name").decode("utf-8", "replace")
        if not name:
            self._emit(start, depth, f"{label}interface: nil")
            return
        if name not in self.names:
            self.names.append(name)
        self._emit(start, depth, f"{label}interface holding {json.dumps(name)}")
        tid = self._type_sequence(depth + 1, True)
        self._emit_id(tid, depth + 1, "concrete value")
        start = self.pos
        length = self._uint("value length")
        self._emit(start, depth + 1, f"value length {length} (read and ignored, as Go does)")
        if tid > 8 and self._def(tid).part == "StructT":
            self._struct(tid, self._def(tid), depth + 1, "")
            return
        self._singleton(depth + 1)
        self._value(tid, depth + 1, "")

    # -- driver ---------------------------------------------------------------------------------

    def run(self) -> None:
        while self.pos < len(self.data):
            tid = self._type_sequence(0, False)
            self._top(tid)
            if self.pos < self.msg_end:
                start = self.pos
                self.pos = self.msg_end
                self._emit(start, 1, f"{self.msg_end - start} bytes left in the message (ignored by Go)")


def dump(data: bytes) -> DumpResult:
    """The annotated listing of every message of ``data``; stops at the first problem."""
    d = _Dumper(bytes(data))
    error: str | None = None
    error_offset: int | None = None
    try:
        d.run()
    except GobDecodeError as exc:
        error, error_offset = str(exc), d.pos
    except (IndexError, ValueError, OverflowError, RecursionError) as exc:  # pragma: no cover
        error, error_offset = f"gob: corrupted data ({type(exc).__name__})", d.pos
    return DumpResult(d.lines, error, error_offset, d.names, d.values)


def format_lines(lines: list[Line], *, width: int = 8) -> str:
    """The text listing: ``offset  hex bytes  note``, indented by depth."""
    out = []
    for ln in lines:
        shown = ln.data[:width].hex(" ")
        if len(ln.data) > width:
            shown += f" …+{len(ln.data) - width}"
        out.append(f"{ln.offset:06x}  {shown:<{width * 3 + 5}} {'  ' * ln.depth}{ln.note}")
    return "\n".join(out)


def _quote(b: bytes, limit: int = 80) -> str:
    s = json.dumps(b.decode("utf-8", "backslashreplace"), ensure_ascii=False)
    return s if len(s) <= limit else s[: limit - 2] + '…"' + f" ({len(b)} bytes)"


def _short_hex(b: bytes, limit: int = 32) -> str:
    return b[:limit].hex() + ("…" if len(b) > limit else "")


def _time_text(p: bytes) -> str:
    """time.Time's MarshalBinary layout, read as the library reads it, shown as RFC 3339."""
    try:
        sec, nsec, offset = unmarshal_time(p)
    except (TimeFormatError, ValueError):
        return ""
    return f" (time.Time {rfc3339nano(sec, nsec, offset)})"
