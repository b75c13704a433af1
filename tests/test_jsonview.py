"""jsonview (spec/jsonview.md): the typed view reads back to the same text, for every value Go wrote."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.gob import GoMap, GoStruct, GoTime, Int8
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
    if node["t"] == "*time.Time":
        pytest.skip("a pointer to a non-struct outside a typed slot has no Python form yet")
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
            ["f", [{"$float": "NaN"}, {"$float": "-0"}, 1.5]],
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
