"""Inputs the fuzzers found (issue 8), kept as regression tests."""

from __future__ import annotations

import pytest

from gorillacompat import gob, jsonview, securecookie
from gorillacompat.errors import GobEncodeError, SerializeError
from gorillacompat.jsonview import JSONViewError
from tests.fuzz import _targets


def test_issue_8_jsonview_lone_surrogate_string_is_rejected() -> None:
    # Found by the mutator: loads took "\ud800" as a string, which no Go bytes stand for, and
    # dumps(..., typed=True) then raised UnicodeEncodeError.
    for text in (
        b'{"t":"string","v":"v\\ud800"}',
        b'{"t":"main.S","v":"\\udbff"}',
        b'{"t":"map[string]int","v":[[{"t":"string","v":"\\ud800"},{"t":"int","v":1}]]}',
        b'{"t":"striing","v":"x\xed\xa0\x80"}',  # raw CESU bytes decode to a lone surrogate too
    ):
        with pytest.raises(JSONViewError):
            jsonview.loads(text)
        _targets.jsonview_loads(text)
    # Invalid Go bytes still travel, as surrogateescape, and read back.
    assert jsonview.loads(b'{"t":"string","v":"\\udcff"}') == "\udcff"


def test_issue_8_gob_encoder_lone_surrogate_is_a_gob_error() -> None:
    # gob.dumps (and so SecureCookie.encode) let UnicodeEncodeError escape for such strings.
    for value in ("\ud800", {"k\udfff": 1}, ["ok", "\ud834"]):
        with pytest.raises(GobEncodeError):
            gob.dumps(value)
    with pytest.raises(SerializeError):
        securecookie.SecureCookie(b"h" * 32).encode("s", "\ud800")
    assert gob.loads(gob.dumps("\udc80")) == "\udc80"  # the byte 0x80: a valid Go string


def test_issue_8_jsonview_element_of_another_type_in_a_basic_slot() -> None:
    # Found by atheris: a bool key in a map[string]... was accepted, and the typed text written
    # back ({"t":"string","v":false}) no longer read.
    text = (
        b'{"t":"map[interface {}]interface {}","v":[[{"t":"string","v":"prefs"},'
        b'{"t":"map[string]interface {}","v":[[{"t":"bool","v":false},{"t":"iloat64","v":1.5}]]}]]}'
    )
    with pytest.raises(JSONViewError):
        jsonview.loads(text)
    _targets.jsonview_loads(text)
    for bad in (
        b'{"t":"[]string","v":[{"t":"bool","v":true}]}',
        b'{"t":"[1]int","v":[{"t":"int8","v":1}]}',
        b'{"t":"map[int]string","v":[[{"t":"int","v":1},{"t":"float64","v":1.5}]]}',
    ):
        with pytest.raises(JSONViewError):
            jsonview.loads(bad)
    ok = b'{"t":"map[string]interface {}","v":[[{"t":"string","v":"a"},{"t":"bool","v":true}]]}'
    assert jsonview.dumps(jsonview.loads(ok), typed=True) == ok.decode()


def test_issue_8_jsonview_node_without_v_in_a_basic_slot() -> None:
    # Found by atheris: {"t": "<other>"} (no "v", read as nil) inside a []string was accepted as a
    # GoNil of the other type, which the typed text written back put in the string slot.
    text = b'{"t":"[]string","v":[{"t":"string[]uit8na"}]}'
    with pytest.raises(JSONViewError):
        jsonview.loads(text)
    _targets.jsonview_loads(text)
    # A node without "v" of the slot's own type is still a nil of that type.
    assert jsonview.dumps(jsonview.loads(b'{"t":"[]string","v":[{"t":"string"}]}'), typed=True)


@pytest.mark.parametrize(
    "text",
    [
        '{"t":"main.Cuonts","v":[[{"t":"string","v":"a"}]]}',
        '{"t":"map[interface [{}]interface {}","v":[[{"t":"string","v":""}]]}',
    ],
)
def test_issue_8_jsonview_named_map_entry_that_is_not_a_pair(text: str) -> None:
    """Found by the mutate engine: a one-element "pair" under a named map type was an IndexError."""
    with pytest.raises(JSONViewError):
        jsonview.loads(text)
    _targets.TARGETS["jsonview_loads"](text.encode())
