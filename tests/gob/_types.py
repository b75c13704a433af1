"""The Go types of go-harness/types.go, described for the Python registry.

The fixtures are written by a Go program that registered these types; a Python program reading
its gob data describes them the same way (Registry.register / define).
"""

from __future__ import annotations

from gorillacompat.gob import GoArray, GoStruct, Registry, Uint8

__all__ = ["REGISTRY"]


REGISTRY = Registry()
REG = REGISTRY
REG.register("[]interface {}")
REG.register("main.Person", fields={"Name": "string", "Age": "int"})
REG.register(
    "*main.Account",
    fields={
        "ID": "uint64",
        "Email": "string",
        "Roles": "[]string",
        "Balance": "float64",
        "Verified": "bool",
        "Created": "time.Time",
    },
)
REG.define("main.Address", fields={"Street": "string", "City": "string", "Zip": "string"})
REG.register(
    "main.Rich",
    fields=[
        (n, t)
        for n, t in [
            ("B", "bool"),
            ("I", "int"),
            ("I8", "int8"),
            ("I16", "int16"),
            ("I32", "int32"),
            ("I64", "int64"),
            ("U", "uint"),
            ("U8", "uint8"),
            ("U16", "uint16"),
            ("U32", "uint32"),
            ("U64", "uint64"),
            ("Uptr", "uintptr"),
            ("F32", "float32"),
            ("F64", "float64"),
            ("C64", "complex64"),
            ("C128", "complex128"),
            ("S", "string"),
            ("Bytes", "[]uint8"),
            ("Arr", "[3]int"),
            ("ByteArr", "[4]uint8"),
            ("Strs", "[]string"),
            ("Nested", "[][]int"),
            ("M", "map[string]int"),
            ("MI", "map[int]string"),
            ("Addr", "main.Address"),
            ("AddrPtr", "*main.Address"),
            ("IntPtr", "*int"),
            ("Iface", "interface {}"),
            ("T", "time.Time"),
            ("Tags", "main.Tags"),
            ("Temp", "main.Celsius"),
        ]
    ],
)
REG.register("main.Node", fields={"Name": "string", "Value": "int", "Children": "[]*main.Node"})
REG.register("main.List", fields={"Val": "int", "Next": "*main.List"})
REG.register(
    "main.Employee", fields={"Person": "main.Person", "Title": "string", "Manager": "*main.Employee"}
)
REG.register("main.Celsius", go_type="float64")
REG.register("main.Tags", go_type="[]string")
REG.register("main.Counts", go_type="map[string]int")


def _version_decode(b: bytes) -> GoStruct:
    """main.Version.GobDecode: "<major>.<minor>.<patch>", empty for the zero Version."""
    if not b:
        return GoStruct("main.Version", {"Major": 0, "Minor": 0, "Patch": 0})
    try:
        a, c, d = (int(x) for x in b.decode().split("."))
    except ValueError:
        text = b.decode(errors="replace")
        raise ValueError(f'main.Version: bad payload "{text}"') from None
    return GoStruct("main.Version", {"Major": a, "Minor": c, "Patch": d})


def _version_encode(v: GoStruct) -> bytes:
    f = v.fields
    if not (f["Major"] or f["Minor"] or f["Patch"]):
        return b""
    return f"{f['Major']}.{f['Minor']}.{f['Patch']}".encode()


def _ipv4_decode(b: bytes) -> GoArray:
    """main.IPv4.UnmarshalBinary: exactly the 4 bytes."""
    if len(b) != 4:
        raise ValueError("main.IPv4: want 4 bytes")
    return GoArray([Uint8(x) for x in b], elem_type="uint8", go_type="main.IPv4")


REG.register(
    "main.Version",
    marshal=_version_encode,
    unmarshal=_version_decode,
    kind="gob",
    zero=lambda: _version_decode(b""),
)
REG.register(
    "main.IPv4",
    marshal=bytes,
    unmarshal=_ipv4_decode,
    kind="binary",
    zero=lambda: _ipv4_decode(bytes(4)),
)
REG.register("main.Color", fields={"R": "uint8", "G": "uint8", "B": "uint8"})
REG.register(
    "main.Holder",
    fields={
        "Name": "string",
        "V": "main.Version",
        "PV": "*main.Version",
        "IP": "main.IPv4",
        "C": "main.Color",
        "T": "time.Time",
    },
)
REG.register("main.Expiry", fields={"Name": "string", "At": "*time.Time"})
REG.register("time.Time")
for n in ("map[interface {}]interface {}", "map[string]interface {}", "map[string]string", "map[string]int"):
    REG.register(n)
