"""Bad bytes give GobDecodeError and nothing else (style principle 6), with Go's texts where the
wire alone decides; truncations, corruptions, random bytes, deep nesting and huge claimed lengths.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat.errors import GobDecodeError
from gorillacompat.gob import Decoder, dumps, loads
from gorillacompat.gob._wire import put_int, put_uint
from tests._fixtures import cases

from ._types import REGISTRY


def _single_value(c: dict[str, Any]) -> bool:
    return isinstance(c.get("gob"), str) and c.get("error") is None and isinstance(c.get("go_type"), str)


SINGLE = cases("gob/*.json", where=lambda c: _single_value(c) and c.get("op", "encode") == "encode")
DECODE_ERRORS = cases("gob/*.json", where=lambda c: c.get("op") == "decode" and c.get("error") is not None)
TOLERATED = cases("gob/*.json", where=lambda c: c.get("op") == "decode" and c.get("error") is None)

#: Go errors decided by the bytes alone (not by the Go destination type): ours must be the same text.
WIRE_ERRORS = re.compile(
    r"^(EOF|unexpected EOF|invalid message length|extra data in buffer"
    r"|gob: (encoded unsigned integer out of range|invalid uint data length .*|duplicate type received"
    r"|decode: corrupted data: non-zero delta for singleton|bad data: field numbers out of bounds"
    r"|bad string slice length: 0|bad \[\]uint8 slice length: 0|name too long .*"
    r"|invalid type name length .*|name not registered for interface: .*"
    r"|\w+ slice too big: .*|decoding \w* ?array or slice: length exceeds input size .*)"
    r"|Time\.UnmarshalBinary: .*|main\.Version: bad payload .*|main\.IPv4: want 4 bytes)$"
)


def _loads(data: bytes, **kw: Any) -> Any:
    return loads(data, registry=REGISTRY, **kw)


@pytest.mark.parametrize("case", DECODE_ERRORS)
def test_go_decode_errors(case: dict[str, Any]) -> None:
    """Every stream Go's decoder rejects is rejected or decoded, never crashes us; where the
    rejection does not depend on Go's destination type, with Go's exact text."""
    data = bytes.fromhex(case["gob"])
    dest = case.get("dest")
    go_type = None if dest in (None, "interface-map", "auto") else dest
    if not WIRE_ERRORS.match(case["error"]):
        try:
            _loads(data, strict=True)
        except GobDecodeError:
            pass
        return
    with pytest.raises(GobDecodeError) as info:
        _loads(data, strict=True, go_type=go_type)
    assert str(info.value) == case["error"]


@pytest.mark.parametrize("case", TOLERATED)
def test_go_tolerated_streams_decode(case: dict[str, Any]) -> None:
    """What Go's decoder accepts (non-minimal uints, bool 2, ignored lengths, trailing bytes) we
    accept; for generic destinations re-encoding gives what Go re-encodes."""
    data = bytes.fromhex(case["gob"])
    value = _loads(data)
    if case.get("dest") == "interface-map" and case.get("reencoded") and "duplicate" not in case["id"]:
        assert dumps(value, registry=REGISTRY) == bytes.fromhex(case["reencoded"])


@pytest.mark.parametrize("case", SINGLE)
def test_every_strict_prefix_fails(case: dict[str, Any]) -> None:
    """A single Decode reads whole messages, so no strict prefix of one value's stream decodes."""
    data = bytes.fromhex(case["gob"])
    for n in range(len(data)):
        with pytest.raises(GobDecodeError):
            _loads(data[:n])


@pytest.mark.parametrize("case", SINGLE)
def test_single_byte_corruptions(case: dict[str, Any]) -> None:
    data = bytes.fromhex(case["gob"])
    if len(data) > 300:
        data = data[:300]
    for i in range(len(data)):
        for x in (0x00, 0x7F, 0x80, 0xFF, data[i] ^ 0x01):
            bad = data[:i] + bytes([x]) + data[i + 1 :]
            try:
                _loads(bad)
            except GobDecodeError:
                pass


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    try:
        _loads(data)
    except GobDecodeError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_random_tail_after_session_prefix(tail: bytes) -> None:
    head = bytes.fromhex("0d7f040102ff8000011001100000")  # map[interface {}]interface {} as type 64
    try:
        _loads(head + tail)
    except GobDecodeError:
        pass


def _nested_ifaces(depth: int) -> bytes:
    """[]interface{}{[]interface{}{...{"x"}}} nested ``depth`` deep, as gob frames it."""
    name = b"[]interface {}"
    inner = bytearray(b"\x00\x01")  # singleton, slice of 1
    inner += b"\x06string\x0c\x05\x00\x03abc"[:0] + b"\x06string\x0c\x04\x00\x02ab"
    for _ in range(depth):
        value = bytearray(b"\x00\x01")
        put_uint(value, len(name))
        value += name
        put_int(value, 65)
        put_uint(value, len(inner))
        value += inner
        inner = value
    msg = bytearray()
    put_int(msg, 65)
    msg += inner
    definition = bytes.fromhex("ff81020102ff8200011000 00".replace(" ", ""))
    out = bytearray()
    put_uint(out, len(definition))
    out += definition
    put_uint(out, len(msg))
    out += msg
    return bytes(out)


def test_moderate_nesting_decodes() -> None:
    v = _loads(_nested_ifaces(20))
    for _ in range(20):
        v = v[0]
    assert v == ["ab"]


def test_deep_nesting_is_rejected_fast() -> None:
    data = _nested_ifaces(10_000)
    start = time.perf_counter()
    with pytest.raises(GobDecodeError, match="max_depth"):
        _loads(data)
    assert time.perf_counter() - start < 2


def test_max_depth_is_a_parameter() -> None:
    data = _nested_ifaces(50)
    _loads(data, max_depth=120)
    with pytest.raises(GobDecodeError):
        _loads(data, max_depth=10)


@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("f84000000000000000010203"),  # message length 2^62
        bytes.fromhex("f8000000017fffffff00"),  # message length ~6 GiB, nothing there
        bytes.fromhex("0e0c00f87fffffffffffffff616263"),  # string length 2^63-1
        bytes.fromhex("0b7f020102ff8000010400000bff8000fa0100000000"),  # []int of 2^40
        bytes.fromhex("0d7f040102ff80000110011000000aff8000fa0100000000"),  # map of 2^40 entries
    ],
)
def test_huge_claimed_lengths_fail_fast(data: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(GobDecodeError):
        _loads(data)
    assert time.perf_counter() - start < 1


def test_max_message_size_and_elements() -> None:
    data = dumps(["x"] * 100)
    with pytest.raises(GobDecodeError, match="max_message_size"):
        loads(data, max_message_size=50)
    with pytest.raises(GobDecodeError, match="max_elements"):
        loads(data, max_elements=10)
    assert len(loads(data, max_elements=100)) == 100


def test_stream_of_values_and_clean_end() -> None:
    data = dumps(1) + dumps("a") + dumps(["b"])
    assert list(Decoder(data)) == [1, "a", ["b"]]
    dec = Decoder(data[:4])
    assert dec.decode() == 1
    with pytest.raises(GobDecodeError, match="^EOF$"):
        dec.decode()


def test_stream_from_a_file() -> None:
    import io

    data = dumps(1) + dumps({"a": ["b"]})
    assert [int(v) if isinstance(v, int) else dict(v) for v in Decoder(io.BytesIO(data))] == [1, {"a": ["b"]}]
    with pytest.raises(GobDecodeError, match="unexpected EOF"):
        list(Decoder(io.BytesIO(data[:-1])))
