"""Issue 13: map keys keep their Go identity (1, true, 1.0, int64(1) … are distinct Go keys).

Expected bytes and values are Go's: the ``iface.go-identity.*`` cases of fixtures/gob/maps.json,
and live answers of the real encoding/gob (go-harness) for maps Python builds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorillacompat import gob, jsonview
from gorillacompat.values import (
    Complex64,
    Float32,
    GoArray,
    GoMap,
    GoNamed,
    GoStruct,
    Int8,
    Int64,
    Uint,
    Uint8,
    go_key,
)
from tests._fixtures import canonical_typed, cases


def _identity_case(c: dict[str, Any]) -> bool:
    return str(c["id"]).startswith("iface.go-identity.")


IDENTITY = cases("gob/maps.json", where=_identity_case)


def _case(case_id: str) -> dict[str, Any]:
    [case] = [p.values[0] for p in IDENTITY if p.values[0]["id"] == case_id]
    return case


def test_issue_13_the_table_is_in_the_fixtures() -> None:
    assert len(IDENTITY) >= 7


@pytest.mark.parametrize("case", IDENTITY)
def test_issue_13_every_go_entry_survives(case: dict[str, Any]) -> None:
    data = bytes.fromhex(case["gob"])
    m = gob.loads(data)
    assert isinstance(m, GoMap)
    assert len(m) == len(case["value"]["v"])
    assert len(list(m)) == len(set(map(go_key, m))) == len(m)
    view = json.loads(jsonview.dumps(m, typed=True))
    assert canonical_typed(view) == canonical_typed(case["value"])
    assert gob.dumps(m) == data
    assert gob.dumps(m.copy()) == data


@pytest.mark.parametrize("case", IDENTITY)
def test_issue_13_a_map_built_in_python_gives_go_bytes(case: dict[str, Any]) -> None:
    """The same keys and values, put into a fresh GoMap in Go's order: Go's bytes."""
    decoded = gob.loads(bytes.fromhex(case["gob"]))
    fresh = GoMap()
    for k, v in decoded.items():
        fresh[k] = v
    assert fresh.wire is None
    assert gob.dumps(fresh) == bytes.fromhex(case["gob"])


def test_issue_13_python_literals_address_the_go_types_go_gives_them() -> None:
    m = gob.loads(bytes.fromhex(_case("iface.go-identity.one")["gob"]))
    assert m["user"] == "ann"
    assert m[1] == "one"
    assert m[True] == "yes"
    assert m[1.0] == "float one"
    assert m[Int64(1)] == "int64 one"
    assert Int8(1) not in m and Uint(1) not in m and 2 not in m
    assert m.get(Float32(1.0)) is None
    with pytest.raises(KeyError):
        m[Int8(1)]
    same = gob.loads(bytes.fromhex(_case("iface.go-identity.one")["gob"]))
    assert m == same
    del m[True]
    assert len(m) == 4 and True not in m and m[1] == "one"
    assert m != same
    assert len(dict(same)) == 2  # a plain dict merges Go's keys again: what the class avoids


def test_issue_13_widths_and_zeros() -> None:
    widths = gob.loads(bytes.fromhex(_case("iface.go-identity.widths")["gob"]))
    assert {widths[1], widths[Int8(1)], widths[Uint(1)], widths[Int64(1)], widths[Uint8(1)]} == {
        "int",
        "int8",
        "uint",
        "int64",
        "uint8",
    }
    zeros = gob.loads(bytes.fromhex(_case("iface.go-identity.zeros")["gob"]))
    assert (zeros[0], zeros[False], zeros[0.0], zeros[""], zeros[Uint(0)]) == (
        "int",
        "bool",
        "float",
        "string",
        "uint",
    )
    assert zeros[-0.0] == "float"  # Go: -0.0 == 0.0 as a key too
    floats = gob.loads(bytes.fromhex(_case("iface.go-identity.floats")["gob"]))
    assert (floats[Float32(1.5)], floats[1.5]) == ("f32", "f64")
    cplx = gob.loads(bytes.fromhex(_case("iface.go-identity.complex")["gob"]))
    assert (cplx[complex(2, 0)], cplx[2.0], cplx[2]) == ("c128", "f64", "int")
    assert Complex64(2) not in cplx
    named = gob.loads(bytes.fromhex(_case("iface.go-identity.named")["gob"]))
    assert named[GoNamed("main.Celsius", 1.5)] == "celsius" and named[1.5] == "f64"


def test_issue_13_mapping_protocol_counts_every_entry() -> None:
    m = GoMap()
    m.update([(1, "int"), (True, "bool"), (1.0, "float64")])
    m.setdefault(Int8(1), "int8")
    assert m.setdefault(True, "other") == "bool"
    assert len(m) == len(m.keys()) == len(m.items()) == len(m.values()) == 4
    assert list(m) == [1, True, 1.0, Int8(1)]
    assert [type(k) for k in m.keys()] == [int, bool, float, Int8]
    assert list(m.items())[1] == (True, "bool") and type(list(m.items())[1][0]) is bool
    assert list(reversed(m))[0] == Int8(1)
    assert list(reversed(m.keys())) == list(reversed(m)) and list(reversed(m.items()))[-1] == (1, "int")
    assert m.pop(1.0) == "float64" and 1.0 not in m and 1 in m and len(m) == 3
    assert m.pop(1.0, "gone") == "gone"
    assert (m | {"x": 1})["x"] == 1 and len(m | {"x": 1}) == 4
    n = m.copy()
    n |= {False: 0}
    assert len(n) == 4 and len(m) == 3
    k, v = n.popitem()
    assert k is False and v == 0
    merged = dict([(1, "a"), (True, "b")])  # a dict merges them before GoMap sees them
    assert len(GoMap(merged)) == 1
    assert GoMap([(1, "a"), (True, "b")]) == GoMap([(1, "a"), (True, "b")])
    assert GoMap([(1, "a"), (True, "b")]) != GoMap([(True, "a"), (1, "b")])
    m.clear()
    assert len(m) == 0 and list(m) == []
    assert repr(GoMap([(1, "a"), (True, "b")])) == (
        "GoMap({1: 'a', True: 'b'}, go_type='map[interface {}]interface {}')"
    )


def test_issue_13_composite_keys_compare_their_elements_as_go_does() -> None:
    a = GoArray([1, True], elem_type="interface {}")
    b = GoArray([True, 1], elem_type="interface {}")
    s1 = GoStruct("main.K", {"A": 1})
    s2 = GoStruct("main.K", {"A": 1.0})
    m = GoMap([(a, "a"), (b, "b"), (s1, "s1"), (s2, "s2")])
    assert len(m) == 4 and m[a] == "a" and m[b] == "b" and m[s2] == "s2"


def test_issue_13_basic_key_types_behave_as_a_dict() -> None:
    """One Go type per key (``map[int64]string``): a plain int finds the Int64 key."""
    m = GoMap({Int64(5): "five"}, key_type="int64", elem_type="string")
    assert m[5] == "five" and Int64(5) in m and m == {5: "five"}
    decoded = gob.loads(gob.dumps(m))  # gob sends int64 as "int": Go decodes map[int]string
    assert decoded.key_type == "int" and decoded[5] == "five" and decoded[Int64(5)] == "five"
    m.key_type = "interface {}"  # the rule follows the key type
    assert 5 not in m and m[Int64(5)] == "five"


def test_issue_13_pickle_and_copy_keep_entries() -> None:
    import copy
    import pickle

    m = GoMap([(1, "int"), (True, "bool"), (1.0, "float")])
    for other in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert other == m and len(other) == 3 and list(other) == list(m)


@pytest.mark.live
def test_issue_13_go_reads_python_maps_equal_to_its_own(harness: Any) -> None:
    """Go decodes what Python wrote into map[interface{}]interface{} and shows the same value."""
    maps = [
        GoMap([("user", "ann"), (1, "one"), (True, "yes"), (1.0, "float one"), (Int64(1), "int64 one")]),
        GoMap([(1, "int"), (Int8(1), "int8"), (Uint(1), "uint"), (Int64(1), "int64"), (Uint8(1), "uint8")]),
        GoMap([(0, "int"), (False, "bool"), (0.0, "float"), ("", "string"), (Uint(0), "uint")]),
        GoMap([(Float32(1.5), "f32"), (1.5, "f64")]),
        GoMap([(complex(2, 0), "c128"), (2.0, "f64"), (2, "int"), (Complex64(2), "c64")]),
    ]
    requests = [
        {"kind": "gob", "id": i, "gob": gob.dumps(m).hex(), "dest": "interface-map"}
        for i, m in enumerate(maps)
    ]
    for m, answer in zip(maps, harness.decode(requests), strict=True):
        assert answer.get("error") is None, answer
        ours = canonical_typed(json.loads(jsonview.dumps(m, typed=True)))
        assert canonical_typed(answer["value"]) == ours
        # Plain: keys that render alike (1, int64(1)) in one order on both sides, whatever the
        # wire or Go's map order.
        assert json.loads(jsonview.dumps(m)) == answer["plain"]
        assert jsonview.dumps(GoMap(list(reversed(m.items())))) == jsonview.dumps(m)
        again = gob.loads(bytes.fromhex(answer["gob"]))
        assert again == m and len(again) == len(m)
