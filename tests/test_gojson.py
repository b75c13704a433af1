"""gojson against Go's encoding/json: every expected byte and error text comes from fixtures/json.

Marshal cases check ``marshal`` and ``encode`` (Encoder.Encode: the same bytes plus ``\\n``);
unmarshal cases check ``unmarshal`` (json.Unmarshal) or ``decode_first`` (Decoder.Decode) by the
case's ``decoder``. The profiles Go has no fixture for are checked against the go1.22+ fixture bytes
through the rewrite json.md states (\\b/\\f for go1.21, raw U+FFFD for go1.27).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from gorillacompat import gojson, jsonview
from gorillacompat.errors import JSONDecodeError, JSONEncodeError
from gorillacompat.values import GoMap
from tests._fixtures import canonical_typed, cases, load_topic

MARSHAL = cases("json/marshal.json")
UNMARSHAL = cases("json/unmarshal.json")
MARSHAL_OK = cases("json/marshal.json", where=lambda c: c["error"] is None)
STRINGS = cases("json/marshal.json", where=lambda c: c["error"] is None and c["value"]["t"] == "string")


def profile_for(go_version: str) -> str:
    """The gojson profile that reproduces a Go release (``go1.26.8`` → ``go1.26``)."""
    minor = int(go_version.removeprefix("go").split(".")[1])
    if minor <= 21:
        return "go1.21"
    if minor <= 25:
        return "go1.22"
    return "go1.26" if minor == 26 else "go1.27"


PROFILE = profile_for(load_topic("json/marshal.json")["go_version"])


class _Unsupported:
    """A Go value with no Python counterpart (a chan, a func): only its type is known."""

    def __init__(self, go_type: str) -> None:
        self.go_type = go_type


def go_value(node: Any) -> Any:
    """The Python value of a typed jsonview node, as gojson takes it.

    ``{"$unsupported": T}`` (a chan, a func), which jsonview does not read, becomes a stand-in
    that has only ``go_type``. A typed nil (``{"t": "[]interface {}", "v": null}``) becomes
    ``None``: jsonview reads a nil ``[]interface {}`` as an empty slice, which JSON tells apart.
    """
    if isinstance(node, dict) and isinstance(node.get("v"), dict) and "$unsupported" in node["v"]:
        return _Unsupported(node["v"]["$unsupported"])
    return jsonview.from_typed(_typed_nils(node))


def _typed_nils(node: Any) -> Any:
    if isinstance(node, list):
        return [_typed_nils(x) for x in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"t", "v"} and node["v"] is None:
        return {"t": "nil", "v": None}
    return {k: _typed_nils(v) for k, v in node.items()}


def typed(value: Any) -> Any:
    """The canonical typed view of a decoded value, comparable with a fixture's ``value``."""
    return canonical_typed(jsonview.to_typed(value))


def decoder_of(case: dict[str, Any]) -> Any:
    return gojson.decode_first if case["decoder"] == "decoder" else gojson.unmarshal


# -- Go's vectors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", MARSHAL)
def test_marshal_matches_go(case: dict[str, Any]) -> None:
    value = go_value(case["value"])
    if case["error"] is not None:
        with pytest.raises(JSONEncodeError) as exc:
            gojson.marshal(value, profile=PROFILE)
        assert str(exc.value) == case["error"]
        with pytest.raises(JSONEncodeError):
            gojson.encode(value, profile=PROFILE)
        return
    assert gojson.marshal(value, profile=PROFILE) == bytes.fromhex(case["marshal"])
    assert gojson.encode(value, profile=PROFILE) == bytes.fromhex(case["encoder"])


@pytest.mark.parametrize("case", UNMARSHAL)
def test_unmarshal_matches_go(case: dict[str, Any]) -> None:
    data = bytes.fromhex(case["input"])
    if case["error"] is not None:
        with pytest.raises(JSONDecodeError) as exc:
            decoder_of(case)(data)
        assert str(exc.value) == case["error"]
    else:
        assert typed(decoder_of(case)(data)) == canonical_typed(case["value"])


@pytest.mark.parametrize("case", MARSHAL_OK)
def test_go_output_reads_back_and_rewrites_stably(case: dict[str, Any]) -> None:
    """What Go wrote reads back; writing that and reading it again changes nothing more."""
    go_bytes = bytes.fromhex(case["marshal"])
    value = gojson.unmarshal(go_bytes)
    assert typed(gojson.decode_first(bytes.fromhex(case["encoder"]))) == typed(value)
    again = gojson.marshal(value)
    assert typed(gojson.unmarshal(again)) == typed(value)
    assert gojson.marshal(gojson.unmarshal(again)) == again


def _inputs() -> list[Any]:
    out = [pytest.param(bytes.fromhex(c.values[0]["input"]), id=c.id) for c in UNMARSHAL]
    out += [pytest.param(bytes.fromhex(c.values[0]["marshal"]), id=c.id) for c in MARSHAL_OK]
    return out


@pytest.mark.parametrize("data", _inputs())
def test_prefixes_and_corruptions_raise_only_decode_errors(data: bytes) -> None:
    """Each strict prefix and each single-byte corruption of a vector: a value or JSONDecodeError.

    A strict prefix of a complete object or array is cut inside it, so it never decodes.
    """
    container = data.lstrip(b" \t\r\n")[:1] in (b"{", b"[") and _decodes(data)
    end = len(data.rstrip(b" \t\r\n"))
    positions = range(0, len(data), max(1, len(data) // 256))  # every byte of short vectors
    for n in positions:
        for decode in (gojson.unmarshal, gojson.decode_first):
            try:
                decode(data[:n])
            except JSONDecodeError:
                pass
            else:
                assert not container or n >= end, f"prefix {data[:n]!r} of a container decoded"
    for i in positions:
        for byte in (0x00, 0x22, 0x5C, 0x7B, 0x5D, 0xFF, data[i] ^ 0x20):
            bad = data[:i] + bytes([byte]) + data[i + 1 :]
            for decode in (gojson.unmarshal, gojson.decode_first):
                try:
                    decode(bad)
                except JSONDecodeError:
                    pass


def _decodes(data: bytes) -> bool:
    try:
        gojson.unmarshal(data)
    except JSONDecodeError:
        return False
    return True


# -- profiles without their own Go vectors ----------------------------------------------------


_ESCAPE = re.compile(rb"\\(u[0-9a-fA-F]{4}|.)", re.S)


def _rewrite_escapes(data: bytes, table: dict[bytes, bytes]) -> bytes:
    """Replace whole escape sequences of JSON text (``\\\\b`` stays an escaped backslash + b)."""
    return _ESCAPE.sub(lambda m: table.get(m.group(0), m.group(0)), data)


@pytest.mark.parametrize("case", STRINGS)
def test_go121_writes_backspace_and_formfeed_long(case: dict[str, Any]) -> None:
    """json.md version map: up to Go 1.21, \\b and \\f are \\u0008 and \\u000c."""
    want = _rewrite_escapes(bytes.fromhex(case["marshal"]), {b"\\b": b"\\u0008", b"\\f": b"\\u000c"})
    assert gojson.marshal(go_value(case["value"]), profile="go1.21") == want


@pytest.mark.parametrize("case", STRINGS)
def test_go127_writes_invalid_utf8_as_raw_replacement(case: dict[str, Any]) -> None:
    """json.md §7: the v2-backed encoder writes U+FFFD itself, not the escape."""
    want = _rewrite_escapes(bytes.fromhex(case["marshal"]), {b"\\ufffd": "\ufffd".encode()})
    assert gojson.marshal(go_value(case["value"]), profile="go1.27") == want


def test_go127_accepts_interface_keyed_maps_of_strings_and_integers() -> None:
    """json.md §7: classic Go refuses map[interface {}]..., Go 1.27 checks each key instead."""
    (case,) = [c.values[0] for c in MARSHAL if c.id.endswith(":map-interface-keys")]
    value = go_value(case["value"])
    assert isinstance(value, GoMap) and value.key_type == "interface {}"
    assert gojson.marshal(value, profile="go1.27") == gojson.marshal(dict(value))
    mixed = GoMap({1: "a", "b": 2, -3: None})
    assert gojson.marshal(mixed, profile="go1.27") == gojson.marshal({"1": "a", "b": 2, "-3": None})
    for bad in (GoMap({1.5: "a"}), GoMap({True: "a"}), GoMap({None: "a"}), [GoMap({"a": 1, 2.5: 1})]):
        with pytest.raises(JSONEncodeError):
            gojson.marshal(bad, profile="go1.27")


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(JSONEncodeError) as exc:
        gojson.marshal(1, profile="go1.99")
    assert exc.value.is_usage()


# -- limits -----------------------------------------------------------------------------------


def test_deep_nesting_writes_without_recursion() -> None:
    value: list[Any] = []
    for _ in range(100_000):
        value = [value]
    out = gojson.marshal(value)
    assert len(out) == 200_002 and out.strip(b"[]") == b""


def test_deep_nesting_reads_to_gos_limit_and_no_further() -> None:
    """Go's scanner allows 10000 nested arrays/objects; deeper input is a syntax error."""
    ok = b"[" * 10_000 + b"]" * 10_000
    assert gojson.unmarshal(ok) is not None
    assert gojson.decode_first(b'{"a":' * 9_999 + b"1" + b"}" * 9_999) is not None
    for data in (b"[" * 10_001 + b"]" * 10_001, b"[" * 100_000):
        with pytest.raises(JSONDecodeError):
            gojson.unmarshal(data)
        with pytest.raises(JSONDecodeError):
            gojson.decode_first(data)


def test_a_cycle_is_an_error_not_a_hang() -> None:
    loop: list[Any] = []
    loop.append(loop)
    mapping: dict[str, Any] = {}
    mapping["self"] = [mapping]
    for value in (loop, mapping):
        with pytest.raises(JSONEncodeError):
            gojson.marshal(value)


def test_values_go_cannot_hold_are_refused() -> None:
    for value in (object(), {1.5: 1}, {True: 1}, {(1, 2): 1}, {1, 2}):
        with pytest.raises(JSONEncodeError):
            gojson.marshal(value)
