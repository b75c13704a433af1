"""jsonview (spec/jsonview.md): the typed view reads back to the same text, for every value Go wrote."""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gob import GoMap, GoStruct, GoTime, Int8, dumps
from tests._fixtures import cases


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
