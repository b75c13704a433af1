"""``GoPointer``: a ``*T`` where no slot says "pointer", built in Python, gives Go's bytes.

A pointer to a GobEncoder (``*time.Time``, ``*main.Version``) is the one pointer gob does not
flatten: it gets a definition of its own (go-harness/README.md, "Go facts the fixtures show").
Expected bytes are the fixtures' (``time:ptr*``, ``gobencoder:version.ptr*`` and their Go 1.19
twins) or, in the live tests, what the real encoding/gob writes for the same typed views.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorillacompat import gojson, jsonview
from gorillacompat.errors import GobEncodeError
from gorillacompat.gob import (
    Encoder,
    GoInterface,
    GoMap,
    GoNil,
    GoPointer,
    GoSlice,
    GoStruct,
    GoTime,
    Registry,
    dumps,
    loads,
)
from tests._fixtures import load_topic

from ._types import REGISTRY
from .test_perf_equivalence import _outcome_enc

#: 2020-01-02T03:04:05.000000006Z in time.UTC, the time of every ``ptr*`` case.
T = GoTime(1577934245, 6, None)
#: main.Version{10, 0, 1}, the version of the ``version.ptr*`` cases.
V = GoStruct("main.Version", {"Major": 10, "Minor": 0, "Patch": 1})

#: File prefix of each numbering: Go ≥ 1.21 (first user id 64), Go 1.19 (65).
NUMBERINGS = [pytest.param("", id="go1.21"), pytest.param("go119_", id="go1.19")]


def _case(prefix: str, topic: str, case_id: str) -> dict[str, Any]:
    found = [c for c in load_topic(f"gob/{prefix}{topic}.json")["cases"] if c["id"] == case_id]
    assert len(found) == 1, (prefix, topic, case_id)
    return found[0]


def _go(prefix: str, topic: str, case_id: str) -> tuple[bytes, str]:
    """(Go's bytes, type_ids) of a fixture case."""
    case = _case(prefix, topic, case_id)
    return bytes.fromhex(case["gob"]), case["type_ids"]


def test_the_python_values_are_the_fixtures() -> None:
    """T and V are the values the fixtures hold (so the bytes below are for these values)."""
    assert jsonview.from_typed(_case("", "time", "ptr")["value"]) == GoPointer(T)
    assert jsonview.from_typed(_case("", "gobencoder", "version.ptr")["value"]["v"]) == V


# -- top level ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_top_level_pointer_to_time(prefix: str) -> None:
    go, ids = _go(prefix, "time", "ptr")
    assert dumps(GoPointer(T), type_ids=ids) == go
    assert dumps(T, type_ids=ids) != go  # a time.Time is another type on the wire


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_top_level_pointer_to_registered_gob_encoder(prefix: str) -> None:
    go, ids = _go(prefix, "gobencoder", "version.ptr")
    assert dumps(GoPointer(V), registry=REGISTRY, type_ids=ids) == go
    # jsonview's form of the same view: a struct named "*main.Version" (the view cannot tell a
    # GobEncoder from a struct; the registry can).
    assert dumps(GoStruct("*main.Version", V.fields), registry=REGISTRY, type_ids=ids) == go


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_decoding_into_a_pointer_gives_the_pointer(prefix: str) -> None:
    go, ids = _go(prefix, "time", "ptr")
    got = loads(go, go_type="*time.Time")
    assert got == GoPointer(T) and got.go_type == "*time.Time"
    assert dumps(got, type_ids=ids) == go
    go, ids = _go(prefix, "gobencoder", "version.ptr")
    got = loads(go, registry=REGISTRY, go_type="*main.Version")
    assert got == GoPointer(V)
    assert dumps(got, registry=REGISTRY, type_ids=ids) == go


# -- in an interface ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", NUMBERINGS)
@pytest.mark.parametrize("registry", [None, REGISTRY], ids=["default-registry", "time-registered"])
def test_pointer_to_time_in_an_interface(prefix: str, registry: Registry | None) -> None:
    """Sent under the name time.Time was registered with (Go looks the base type up), with the
    pointer's own definition."""
    go, ids = _go(prefix, "time", "ptr.iface")
    assert dumps(GoMap({"v": GoPointer(T)}), registry=registry, type_ids=ids) == go
    assert dumps(GoMap({"v": T}), registry=registry, type_ids=ids) != go


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_pointer_to_registered_gob_encoder_in_an_interface(prefix: str) -> None:
    go, ids = _go(prefix, "gobencoder", "version.ptr.iface")
    assert dumps(GoMap({"v": GoPointer(V)}), registry=REGISTRY, type_ids=ids, strict=True) == go


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_interface_gives_back_the_registered_type(prefix: str) -> None:
    """Go's decoder makes the registered type (time.Time, not *time.Time); the wire type stays
    with the value, so it re-encodes to the same bytes."""
    go, ids = _go(prefix, "time", "ptr.iface")
    got = loads(go, registry=REGISTRY)
    assert got == GoMap({"v": T}) and isinstance(got["v"], GoTime)
    assert dumps(got, type_ids=ids) == go


def test_a_type_registered_by_pointer_travels_as_its_pointer() -> None:
    """``Register(new(time.Time))`` names it ``*time.Time``; Go then gives back a *time.Time."""
    reg = Registry()
    reg.register("*time.Time")
    data = dumps(GoMap({"v": GoPointer(T)}), registry=reg, strict=True)
    assert loads(data)["v"].name == "*time.Time"  # the interface name on the wire
    got = loads(data, registry=reg, strict=True)
    assert got == GoMap({"v": GoPointer(T)}) and got["v"].name == "*time.Time"
    assert dumps(got) == data  # the name travels with the decoded value
    assert dumps(GoMap({"v": GoPointer(T, name="*time.Time")})) == data


def test_strict_mode_needs_the_target_registered() -> None:
    with pytest.raises(GobEncodeError, match="not registered for interface: time.Time"):
        dumps(GoMap({"v": GoPointer(T)}), strict=True)


def test_a_top_level_interface_holding_a_pointer() -> None:
    """``Encode(&iface)``: the definition of *time.Time sits inside the interface value."""
    data = dumps(GoInterface(GoPointer(T)))
    got = loads(data, go_type="interface {}")
    assert got == GoInterface(T)
    assert dumps(got) == data


# -- typed slots: a struct field declared *T, an element of []*T ----------------------------------


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_struct_field_declared_pointer(prefix: str) -> None:
    go, ids = _go(prefix, "time", "ptr-field")
    for at in (T, GoPointer(T)):  # the field's declared type says "pointer"; GoPointer is fine too
        value = GoStruct("main.Expiry", {"Name": "x", "At": at})
        assert dumps(value, registry=REGISTRY, type_ids=ids) == go
        typed = GoStruct("main.Expiry", {"Name": "x", "At": at}, field_types={"At": "*time.Time"})
        assert dumps(typed, type_ids=ids) == go
    # Without a registry or field types, the GoPointer says what the field is.
    assert dumps(GoStruct("main.Expiry", {"Name": "x", "At": GoPointer(T)}), type_ids=ids) == go
    nil_go, _ = _go(prefix, "time", "ptr-field.nil")
    nil_at = GoStruct("main.Expiry", {"Name": "x", "At": None})
    assert dumps(nil_at, registry=REGISTRY, type_ids=ids) == nil_go


@pytest.mark.parametrize("prefix", NUMBERINGS)
def test_slice_of_pointers(prefix: str) -> None:
    go, ids = _go(prefix, "time", "ptr-slice")
    for item in (T, GoPointer(T)):
        assert dumps(GoSlice([item], elem_type="*time.Time"), type_ids=ids) == go
    got = loads(go, go_type="[]*time.Time")
    assert got == GoSlice([T], elem_type="*time.Time")
    assert dumps(got, type_ids=ids) == go


# -- the value itself ---------------------------------------------------------------------------


def test_jsonview_round_trip() -> None:
    node = _case("", "time", "ptr")["value"]
    assert jsonview.to_typed(GoPointer(T)) == node
    assert jsonview.from_typed(node) == GoPointer(T)
    assert jsonview.to_plain(GoPointer(T)) == jsonview.to_plain(T)
    # In a slot declared *T the pointer shows once.
    slot = jsonview.to_typed(GoSlice([GoPointer(T)], elem_type="*time.Time"))
    assert slot == jsonview.to_typed(GoSlice([T], elem_type="*time.Time"))
    assert jsonview.loads(jsonview.dumps(GoPointer(3), typed=True)) == GoPointer(3)


def test_pointers_to_anything_else_are_flattened() -> None:
    """gob sends ``*T`` as ``T`` unless T is a GobEncoder: same bytes, in and out of interfaces."""
    assert dumps(GoPointer(3)) == dumps(3)
    assert dumps(GoPointer(GoMap({"a": 1}))) == dumps(GoMap({"a": 1}))
    assert dumps(GoMap({"v": GoPointer("s")})) == dumps(GoMap({"v": "s"}))
    person = GoStruct("main.Person", {"Name": "A", "Age": 1})
    assert dumps(GoMap({"p": GoPointer(person)}), registry=REGISTRY) == dumps(
        GoMap({"p": person}), registry=REGISTRY
    )


def test_equality_and_construction() -> None:
    assert GoPointer(T) == GoPointer(GoTime(1577934245, 6, None), name="time.Time")
    assert GoPointer(T) != T and GoPointer(3) != GoPointer(3.0)
    assert hash(GoPointer(T)) == hash(GoPointer(T))
    assert GoPointer(V).go_type == "*main.Version"
    with pytest.raises(TypeError):
        GoPointer(None)
    with pytest.raises(GobEncodeError, match="nil pointer"):
        dumps(GoMap({"v": GoNil("*time.Time")}))


def test_json_marshals_the_target() -> None:
    """encoding/json writes a non-nil pointer as what it points at."""
    for x in (T, 3, "s", GoMap({"a": [1]}, key_type="string")):
        assert gojson.marshal({"k": GoPointer(x)}) == gojson.marshal({"k": x})


# -- live: the real encoding/gob writes the same bytes ---------------------------------------------

_T_NODE = {"t": "time.Time", "v": {"$time": "2020-01-02T03:04:05.000000006Z", "offset": 0}}
_P_NODE = {"t": "*time.Time", "v": _T_NODE}
_PERSON = {"t": "main.Person", "v": {"Name": {"t": "string", "v": "a"}, "Age": {"t": "int", "v": 1}}}
_EXPIRY = {"t": "main.Expiry", "v": {"Name": {"t": "string", "v": "x"}, "At": _P_NODE}}

#: Streams (one Encoder) where *time.Time's own type id is taken even when no definition is sent:
#: Go numbers it whenever it meets a *time.Time at top level or in an interface.
STREAMS = {
    "time-then-ptr": [_T_NODE, _P_NODE, _PERSON],
    "ptr-then-time": [_P_NODE, _T_NODE, _PERSON],
    "field-then-ptr": [_EXPIRY, _P_NODE, _PERSON],
    "slice-then-ptr": [{"t": "[]*time.Time", "v": [_P_NODE]}, _P_NODE, _PERSON],
    "iface-both": [{"t": "[]interface {}", "v": [_T_NODE, _P_NODE, _PERSON]}],
    "iface-ptr-first": [{"t": "[]interface {}", "v": [_P_NODE, _T_NODE, _PERSON]}],
    "top-iface": [{"t": "*interface {}", "v": _P_NODE}, _PERSON],
}


def _stream_values(nodes: list[Any]) -> list[Any]:
    values = []
    for node in nodes:
        v = jsonview.from_typed(json.loads(json.dumps(node)))
        values.append(GoInterface(v) if node["t"] == "*interface {}" else v)
    return values


@pytest.mark.live
def test_streams_match_go(harness: Any) -> None:
    requests = [{"kind": "gob-encode", "id": k, "values": v} for k, v in STREAMS.items()]
    answers = {a["id"]: a for a in harness.decode(requests)}
    for key, nodes in STREAMS.items():
        assert answers[key]["error"] is None, answers[key]
        enc = Encoder(registry=REGISTRY)
        got = b"".join(enc.encode(v) for v in _stream_values(nodes))
        assert got.hex() == answers[key]["gob"], key


@pytest.mark.parametrize("type_ids", ["go1.21", "go1.19"])
@pytest.mark.parametrize("key", sorted(STREAMS))
def test_streams_replay_like_a_fresh_encoder(key: str, type_ids: str) -> None:
    """The encoder's replayed type-sending steps give what sending afresh gives."""
    values = _stream_values(STREAMS[key])
    plain = _outcome_enc(Encoder(registry=REGISTRY, type_ids=type_ids), values, replay=False)
    for _ in range(2):  # cold, then warm
        assert _outcome_enc(Encoder(registry=REGISTRY, type_ids=type_ids), values) == plain


def test_new_structs_in_interfaces_travel_under_their_registered_name() -> None:
    """Go names an interface value after its base type's registration: a ``*T`` where ``T`` was
    registered goes as ``T`` and the other way round; a decoded struct keeps its wire name."""
    reg = Registry()
    reg.register("main.ByValue", fields={"A": "int"})
    reg.register("*main.ByPointer", fields={"A": "int"})
    for given, sent in (
        ("*main.ByValue", "main.ByValue"),
        ("main.ByValue", "main.ByValue"),
        ("main.ByPointer", "*main.ByPointer"),
        ("*main.ByPointer", "*main.ByPointer"),
    ):
        data = dumps(GoMap({"v": GoStruct(given, {"A": 1})}), registry=reg)
        framed = {n: bytes([len(n)]) + n.encode() for n in (given, sent)}  # uint(len) + name
        assert framed[sent] in data
        assert given == sent or framed[given] not in data
        back = loads(data, registry=reg)["v"]
        assert dumps(GoMap({"v": back}), registry=Registry()) == data  # wire name kept
