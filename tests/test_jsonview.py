"""jsonview (spec/jsonview.md): the typed view reads back to the same text, for every value Go wrote."""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gob import Decoder, Encoder, GoMap, GoNil, GoSlice, GoStruct, GoTime, Int8, dumps, loads
from tests._fixtures import cases, load_topic
from tests.gob._types import REGISTRY


def _typed_nodes(node: Any) -> list[Any]:
    return node if isinstance(node, list) else [node]


VALUES = [
    pytest.param(v, id=f"{p.id}#{i}")
    for p in cases("gob/*.json", where=lambda c: isinstance(c.get("value"), (dict, list)))
    for i, v in enumerate(_typed_nodes(p.values[0]["value"]))
    if isinstance(v, dict) and "$unsupported" not in json.dumps(v)  # chan/func: no Python form
]


@pytest.mark.parametrize("node", VALUES)
def test_typed_view_reads_back(node: Any) -> None:
    text = jsonview.node_text(node)
    assert jsonview.dumps(jsonview.loads(text), typed=True) == text
    assert jsonview.dumps(jsonview.from_typed(node), typed=True) == text


def test_plain_view() -> None:
    value = GoMap(
        {
            "user": GoStruct("main.Person", {"Name": "Ann", "Age": 40}),
            "last_seen": GoTime(1709214330, 123456789, None),
            "b": b"\x01",
            "i": Int8(-1),
            "big": 2**60,
            "f": [float("nan"), -0.0, 1.5],
        }
    )
    assert json.loads(jsonview.dumps(value)) == {
        "$map": [
            ["b", {"$bytes": "AQ=="}],
            ["big", {"$int": "1152921504606846976"}],
            ["f", [{"$float": "NaN", "bits": "7ff8000000000000"}, {"$float": "-0"}, 1.5]],
            ["i", -1],
            ["last_seen", {"$time": "2024-02-29T13:45:30.123456789Z", "offset": 0}],
            ["user", {"$struct": "main.Person", "fields": {"Name": "Ann", "Age": 40}}],
        ]
    }


def test_bad_views_raise_decode_errors() -> None:
    for text in [
        '{"t":"int8","v":300}',
        '{"t":"[]int","v":3}',
        "[",
        '{"v":1}',
        '{"t":"[]uint8","v":{"$bytes":"%"}}',
    ]:
        with pytest.raises(jsonview.JSONViewError):
            jsonview.loads(text)
    with pytest.raises(jsonview.JSONViewError):
        jsonview.loads("[" * 100_000)


def _bits(x: float) -> str:
    return struct.pack(">d", x).hex()


def test_nan_bits_extension() -> None:
    """{"$float": "NaN"} is Go's math.NaN() (7ff8000000000001); other NaNs add "bits"."""
    go_nan = jsonview.loads('{"t":"float64","v":{"$float":"NaN"}}')
    assert math.isnan(go_nan) and _bits(go_nan) == "7ff8000000000001"
    assert jsonview.dumps(go_nan, typed=True) == '{"t":"float64","v":{"$float":"NaN"}}'
    assert dumps(go_nan).hex() == "0b0800f8010000000000f87f"  # float64(math.NaN()) as Go writes it
    for bits in ("7ff8000000000000", "fff8000000000000", "7ff0000000000001", "7ff4000000000000"):
        text = '{"t":"float64","v":{"$float":"NaN","bits":"' + bits + '"}}'
        x = jsonview.loads(text)
        assert _bits(x) == bits and jsonview.dumps(x, typed=True) == text
    for bad in ('"3ff0000000000000"', '"7FF8000000000000"', '"7ff8"', "1"):
        with pytest.raises(jsonview.JSONViewError):
            jsonview.loads('{"t":"float64","v":{"$float":"NaN","bits":' + bad + "}}")


def test_time_utc_extension() -> None:
    """A zero offset is time.UTC (gob ff ff) unless "utc": false says another location (00 00)."""
    utc = jsonview.loads('{"t":"time.Time","v":{"$time":"2022-02-02T02:02:02Z","offset":0}}')
    assert utc.offset is None and utc.marshal_binary()[-2:] == b"\xff\xff"
    text = '{"t":"time.Time","v":{"$time":"2022-02-02T02:02:02Z","offset":0,"utc":false}}'
    local = jsonview.loads(text)
    assert local.offset == 0 and local.marshal_binary()[-2:] == b"\x00\x00"
    assert jsonview.dumps(local, typed=True) == text
    assert jsonview.dumps(GoTime(0, 0, 0)) == '{"$time":"1970-01-01T00:00:00Z","offset":0,"utc":false}'
    assert jsonview.dumps(GoTime(0, 0, 3600)) == '{"$time":"1970-01-01T01:00:00+01:00","offset":3600}'
    for bad in ('"offset":3600,"utc":true', '"offset":0,"utc":0'):
        with pytest.raises(jsonview.JSONViewError):
            jsonview.loads('{"t":"time.Time","v":{"$time":"1970-01-01T01:00:00+01:00",' + bad + "}}")


# -- issue 13: zero length renders as empty --------------------------------------------------------

#: Go type → how a zero-length value of it renders after gob: (typed "v", plain). A nil slice or
#: []byte shows as an empty one; Go decodes a map at top level or in an interface to an empty one.
EMPTY: dict[str, tuple[Any, Any]] = {
    "[]string": ([], []),
    "[]interface {}": ([], []),
    "[]uint8": ({"$bytes": ""}, {"$bytes": ""}),
    "map[string]string": ([], {"$map": []}),
}

#: Go's gob bytes (fixtures/gob) for a nil and an empty value: (topic, case id, Go type). Each
#: case has an ``.iface`` twin holding the value in a map[interface {}]interface {} under "v".
GO_ZERO = [
    ("strings", "bytes.nil", "[]uint8"),
    ("strings", "bytes.empty", "[]uint8"),
    ("slices_arrays", "strings.nil", "[]string"),
    ("slices_arrays", "ifaces.empty", "[]interface {}"),
    ("maps", "string-string.nil", "map[string]string"),
    ("maps", "string-string.empty", "map[string]string"),
]


def _go_bytes(topic: str, case_id: str) -> bytes:
    [case] = [c for c in load_topic(f"gob/{topic}.json")["cases"] if c["id"] == case_id]
    return bytes.fromhex(case["gob"])


def _views(value: Any) -> tuple[Any, Any]:
    """The typed and the plain view of ``value``, as parsed JSON."""
    return json.loads(jsonview.dumps(value, typed=True)), json.loads(jsonview.dumps(value))


def _in_iface(typed: Any, plain: Any) -> tuple[Any, Any]:
    """The views of ``map[interface {}]interface {}{"v": value}``, from those of the value."""
    iface = {"t": "map[interface {}]interface {}", "v": [[{"t": "string", "v": "v"}, typed]]}
    return iface, {"$map": [["v", plain]]}


@pytest.mark.parametrize("in_iface", [False, True], ids=["top", "iface"])
@pytest.mark.parametrize(("topic", "case_id", "go_type"), GO_ZERO, ids=[c[1] for c in GO_ZERO])
def test_issue_13_zero_length_from_go_bytes(topic: str, case_id: str, go_type: str, in_iface: bool) -> None:
    """What Go wrote for a nil or an empty slice, []byte or map (the same bytes there: gob does
    not carry nil vs empty) renders as an empty one in both views, at top level and in an
    interface; the typed view reads back to a value that re-encodes to Go's bytes."""
    data = _go_bytes(topic, case_id + (".iface" if in_iface else ""))
    typed_v, plain = EMPTY[go_type]
    want_typed: Any = {"t": go_type, "v": typed_v}
    want_plain: Any = plain
    if in_iface:
        want_typed, want_plain = _in_iface(want_typed, plain)
    value = loads(data)
    text = jsonview.dumps(value, typed=True)
    assert json.loads(text) == want_typed
    assert json.loads(jsonview.dumps(value)) == want_plain
    back = jsonview.loads(text)
    assert jsonview.dumps(back, typed=True) == text
    assert dumps(back) == data


def test_issue_13_zero_length_struct_fields_from_go_bytes() -> None:
    """Zero-length fields of a Go struct (not sent; Go leaves them nil): a slice or []byte shows
    as an empty one, a nil map as {"$map": []} in plain and null in typed (gob would send an
    empty map field, so the typed view keeps them apart), a nil pointer and interface as null."""
    data = _go_bytes("structs", "rich.zero")
    rich = Decoder(data, registry=REGISTRY).decode("main.Rich")
    text = jsonview.dumps(rich, typed=True)
    typed = json.loads(text)["v"]
    plain = json.loads(jsonview.dumps(rich))["fields"]
    for field, go_type, typed_v, plain_v in [
        ("Bytes", "[]uint8", {"$bytes": ""}, {"$bytes": ""}),
        ("Strs", "[]string", [], []),
        ("Nested", "[][]int", [], []),
        ("Tags", "main.Tags", [], []),
        ("M", "map[string]int", None, {"$map": []}),
        ("MI", "map[int]string", None, {"$map": []}),
    ]:
        assert typed[field] == {"t": go_type, "v": typed_v}, field
        assert plain[field] == plain_v, field
    assert typed["AddrPtr"]["v"] is None and plain["AddrPtr"] is None
    assert typed["Iface"] == {"t": "nil", "v": None} and plain["Iface"] is None
    assert Encoder(registry=REGISTRY).encode(jsonview.loads(text)) == data


SLICE_FIELDS = {"S": "[]string", "I": "[]interface {}", "B": "[]uint8"}


def _slice_struct(nil: bool) -> GoStruct:
    fields: dict[str, Any] = {
        "S": GoSlice(elem_type="string", nil=nil),
        "I": GoSlice(nil=nil),
        "B": GoNil("[]uint8") if nil else b"",
        "N": 1,
    }
    return GoStruct("main.Zero", fields, field_types={**SLICE_FIELDS, "N": "int"})


@pytest.mark.parametrize("nil", [True, False], ids=["nil", "empty"])
def test_issue_13_nil_and_empty_slices_render_alike(nil: bool) -> None:
    """A nil and an empty []string, []interface {} and []uint8 render alike in both views, before
    and after gob (which writes them identically), as fields, at top level and in an interface."""
    value = _slice_struct(nil)
    typed_fields = {f: {"t": t, "v": EMPTY[t][0]} for f, t in SLICE_FIELDS.items()}
    plain_fields = {f: EMPTY[t][1] for f, t in SLICE_FIELDS.items()}
    data = dumps(value)
    assert data == dumps(_slice_struct(not nil))
    # decoded without a registry, the struct shows under its wire name
    for v, name in ((value, "main.Zero"), (loads(data), "Zero")):
        assert _views(v) == (
            {"t": name, "v": {**typed_fields, "N": {"t": "int", "v": 1}}},
            {"$struct": name, "fields": {**plain_fields, "N": 1}},
        )
    for field, go_type in SLICE_FIELDS.items():
        typed_v, plain = EMPTY[go_type]
        top = value.fields[field]
        iface = GoMap({"v": top}, key_type="interface {}", elem_type="interface {}")
        for got in (top, loads(dumps(top))):
            assert _views(got) == ({"t": go_type, "v": typed_v}, plain)
        for got in (iface, loads(dumps(iface))):
            assert _views(got) == _in_iface({"t": go_type, "v": typed_v}, plain)


def test_issue_13_nil_map_fields_stay_apart_in_typed() -> None:
    """gob carries nil vs empty for a map field: Go omits a nil one and sends an empty one, which
    decodes non-nil (fixture rich.negzero: empty M, nil MI). So the typed view keeps them apart
    (null vs []) and reads back to Go's bytes; plain shows both as {"$map": []}."""
    data = _go_bytes("structs", "rich.negzero")
    rich = Decoder(data, registry=REGISTRY).decode("main.Rich")
    typed, plain = _views(rich)
    assert typed["v"]["M"] == {"t": "map[string]int", "v": []}
    assert typed["v"]["MI"] == {"t": "map[int]string", "v": None}
    assert plain["fields"]["M"] == plain["fields"]["MI"] == {"$map": []}
    assert Encoder(registry=REGISTRY).encode(jsonview.loads(jsonview.node_text(typed))) == data
    built = [
        GoStruct("main.Zero", {"M": m, "N": 1}, field_types={"M": "map[string]int", "N": "int"})
        for m in (GoNil("map[string]int"), GoMap(key_type="string", elem_type="int"))
    ]
    nil_data, empty_data = (dumps(v) for v in built)
    assert nil_data != empty_data
    for data, want in ((nil_data, None), (empty_data, [])):
        typed, plain = _views(loads(data))
        assert typed["v"]["M"] == {"t": "map[string]int", "v": want}
        assert plain["fields"]["M"] == {"$map": []}
        assert dumps(jsonview.loads(jsonview.node_text(typed))) == data


def test_issue_13_nil_slots_by_type() -> None:
    """A None in a slot of slice or []byte type (a container element, a map value) renders as
    the empty value; a nil pointer, nil interface or nil map stays null in typed."""
    assert jsonview.to_typed(GoNil("*main.Person")) == {"t": "*main.Person", "v": None}
    assert jsonview.to_plain(GoNil("*main.Person")) is None
    assert jsonview.to_typed(None) == {"t": "nil", "v": None}
    assert jsonview.to_plain(None) is None
    assert jsonview.to_typed(GoNil("map[string]int")) == {"t": "map[string]int", "v": None}
    assert jsonview.to_plain(GoNil("map[string]int")) == {"$map": []}
    elems = GoSlice([None, b"x"], elem_type="[]uint8")
    assert jsonview.to_typed(elems)["v"][0] == {"t": "[]uint8", "v": {"$bytes": ""}}
    assert jsonview.to_plain(elems) == [{"$bytes": ""}, {"$bytes": "eA=="}]
    values = GoMap({"a": None}, key_type="string", elem_type="[]string")
    assert jsonview.to_typed(values)["v"] == [[{"t": "string", "v": "a"}, {"t": "[]string", "v": []}]]
    assert jsonview.to_plain(values) == {"$map": [["a", []]]}
    ptrs = GoMap({"a": None}, key_type="string", elem_type="*int")
    assert jsonview.to_typed(ptrs)["v"] == [[{"t": "string", "v": "a"}, {"t": "*int", "v": None}]]
    assert jsonview.to_plain(ptrs) == {"$map": [["a", None]]}


@pytest.mark.parametrize("go_type", ["[]string", "[]interface {}", "[]uint8"])
def test_issue_13_null_slice_texts_still_read(go_type: str) -> None:
    """``"v": null`` on a slice or []byte type (go-harness's extension for encoding/json inputs,
    and what older texts said for a nil one) still reads, as a value that renders, and
    re-encodes, as the empty one."""
    empty = jsonview.loads(jsonview.node_text({"t": go_type, "v": EMPTY[go_type][0]}))
    legacy = jsonview.loads(jsonview.node_text({"t": go_type, "v": None}))
    assert jsonview.dumps(legacy, typed=True) == jsonview.dumps(empty, typed=True)
    assert jsonview.dumps(legacy) == jsonview.dumps(empty)
    assert dumps(legacy) == dumps(empty)
