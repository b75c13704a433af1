"""Properties of gojson, and a live differential run against Go's encoding/json (go-harness).

Round trip: ``unmarshal(marshal(v))`` is the value a Go reader gets (ints and floats as float64,
float32 at float32 precision, ``[]byte`` as base64 text, invalid UTF-8 bytes as U+FFFD, times as
RFC 3339 text, int keys as decimal text). Totality: any bytes give a value or JSONDecodeError.
"""

from __future__ import annotations

import base64
import json
import math
import os
import random
import re
import struct
import subprocess
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorillacompat import gojson, jsonview
from gorillacompat.errors import JSONDecodeError, JSONEncodeError
from gorillacompat.gojson._decode import Parser
from gorillacompat.values import (
    Complex64,
    Float32,
    GoArray,
    GoInterface,
    GoMap,
    GoNamed,
    GoNil,
    GoSlice,
    GoStruct,
    GoTime,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
)
from tests._fixtures import canonical_typed
from tests.conftest import HARNESS_DIR, Harness

# -- strategies -----------------------------------------------------------------------------------

SIZED = [Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr]

sized_ints = st.sampled_from(SIZED).flatmap(lambda cls: st.integers(cls._min, cls._max).map(cls))
ints = st.integers(-(2**63), 2**63 - 1) | sized_ints
floats = st.floats(allow_nan=False, allow_infinity=False)
floats32 = st.floats(width=32, allow_nan=False, allow_infinity=False).map(Float32)
valid_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
#: A Go string may hold any bytes; invalid ones travel as surrogateescape surrogates.
go_strings = valid_text | st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape"))
times = st.builds(
    GoTime,
    st.integers(-62135596800 + 86400, 253402300799 - 86400),  # years 1 to 9999 in any zone
    st.integers(0, 999_999_999),
    st.none() | st.integers(-1439, 1439).map(lambda m: m * 60),
)
field_names = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,6}", fullmatch=True)
scalars = st.none() | st.booleans() | ints | floats | floats32 | go_strings | st.binary(max_size=12)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.lists(inner, max_size=4).map(GoSlice)
        | st.lists(inner, max_size=4).map(GoArray)
        | st.dictionaries(valid_text, inner, max_size=4)
        | st.dictionaries(st.integers(-(2**63), 2**63 - 1), inner, max_size=4)
        | st.builds(GoStruct, st.just("main.T"), st.dictionaries(field_names, inner, max_size=3))
    )


go_values = st.recursive(scalars | times, _containers, max_leaves=12)


# -- what a Go reader gets --------------------------------------------------------------------

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _go_string(s: str) -> str:
    """A Go string as json.Unmarshal returns it: each invalid UTF-8 byte becomes U+FFFD."""
    raw = s.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")
    return _ESCAPED_BYTE.sub("\ufffd", raw)


def _same_float(a: Any, b: float) -> bool:
    return isinstance(a, float) and struct.pack(">d", a) == struct.pack(">d", b)


def check_read_back(got: Any, sent: Any) -> None:
    """Assert ``got`` is what Go's Unmarshal into interface{} yields for the JSON of ``sent``."""
    if sent is None or isinstance(sent, bool):
        assert got is sent
    elif isinstance(sent, int):
        assert _same_float(got, float(sent)), (got, sent)
    elif isinstance(sent, Float32):
        assert isinstance(got, float) and struct.pack(">f", got) == struct.pack(">f", sent)
        assert math.copysign(1, got) == math.copysign(1, sent)
    elif isinstance(sent, float):
        assert _same_float(got, sent), (got, sent)
    elif isinstance(sent, str):
        assert got == _go_string(sent)
    elif isinstance(sent, bytes):
        assert got == base64.b64encode(sent).decode("ascii")
    elif isinstance(sent, GoTime):
        assert got == sent.rfc3339nano()
    elif isinstance(sent, (list, tuple)):
        assert isinstance(got, list) and len(got) == len(sent)
        for g, s in zip(got, sent, strict=True):
            check_read_back(g, s)
    else:
        fields = sent.fields if isinstance(sent, GoStruct) else sent
        assert isinstance(got, dict) and len(got) == len(fields)
        for key, value in fields.items():
            check_read_back(got[str(key) if isinstance(key, int) else key], value)


@given(go_values)
def test_unmarshal_of_marshal_is_what_go_reads(value: Any) -> None:
    check_read_back(gojson.unmarshal(gojson.marshal(value)), value)
    check_read_back(gojson.decode_first(gojson.encode(value) + b"trailing"), value)


@given(go_values)
def test_output_is_strict_utf8_json_without_raw_html_or_line_separators(value: Any) -> None:
    out = gojson.marshal(value)
    text = out.decode("utf-8")  # valid UTF-8 even when the strings were not
    assert not set(text) & set("<>&\u2028\u2029\n")
    json.loads(text)  # a second, independent parser accepts it


@given(st.dictionaries(go_strings, st.integers(0, 9), max_size=8))
def test_map_output_does_not_depend_on_insertion_order(value: dict[str, int]) -> None:
    backwards = dict(reversed(list(value.items())))
    assert gojson.marshal(backwards) == gojson.marshal(value)


@given(floats32)
def test_float32_digits_read_back_as_the_same_float32(value: Float32) -> None:
    for profile in gojson.PROFILES:
        out = gojson.marshal(value, profile=profile)
        assert Float32(float(out)) == value
        digits = re.sub(rb"e.*|[-.]", b"", out).strip(b"0")
        assert len(digits) <= 9


# -- any bytes ------------------------------------------------------------------------------------

TOKENS = [
    b"[", b"]", b"{", b"}", b":", b",", b'"', b"\\", b"u", b"d8", b"dc", b"00", b"0", b"1", b"9",
    b"-", b"+", b".", b"e", b"E", b" ", b"\n", b"true", b"fals", b"null", b"tr", b"\xff", b"\xc3",
    b"\xe2\x82", b"\xed\xa0\x80", b"\x00", b"\x1f", b"\x7f", b'"a"', b"1e400", b"\\ud800", b"NaN",
]  # fmt: skip
jsonish = st.lists(st.sampled_from(TOKENS), max_size=24).map(b"".join) | st.binary(max_size=40)


def _outcome(decode: Any, data: bytes) -> Any:
    try:
        return ("value", typed(decode(data)))
    except JSONDecodeError as exc:
        return ("error", str(exc))


def typed(value: Any) -> Any:
    return canonical_typed(jsonview.to_typed(value))


@given(jsonish)
def test_any_bytes_give_a_value_or_a_decode_error(data: bytes) -> None:
    _outcome(gojson.unmarshal, data)
    _outcome(gojson.decode_first, data)


@given(jsonish)
def test_fast_path_and_go_scanner_agree(data: bytes) -> None:
    """Python's C decoder is used only where it gives Go's answer; the scanner is the reference."""
    for stream, decode in ((False, gojson.unmarshal), (True, gojson.decode_first)):
        try:
            want = ("value", typed(Parser(data, stream=stream).parse()))
        except JSONDecodeError as exc:
            want = ("error", str(exc))
        if stream and not data.strip(b" \t\r\n"):
            continue  # "EOF" is decided before either path runs
        assert _outcome(decode, data) == want


@given(_containers(go_values), jsonish)
def test_decoder_ignores_what_follows_an_object_or_array(value: Any, tail: bytes) -> None:
    data = gojson.marshal(value)
    assert typed(gojson.decode_first(data + tail)) == typed(gojson.unmarshal(data))


# -- live: the real encoding/json --------------------------------------------------------------


def _random_floats(rng: random.Random, n: int) -> list[Any]:
    out: list[Any] = []
    for _ in range(n):
        bits64 = rng.getrandbits(64)
        out.append(struct.unpack("<d", struct.pack("<Q", bits64))[0])
        bits32 = rng.getrandbits(32)
        out.append(Float32(struct.unpack("<f", struct.pack("<I", bits32))[0]))
    for exp in range(256):  # every float32 power of two: the asymmetric-interval case
        out.append(Float32(struct.unpack("<f", struct.pack("<I", exp << 23))[0]))
    for exp in range(2047):
        out.append(struct.unpack("<d", struct.pack("<Q", exp << 52))[0])
    return out


def _marshal_answer(value: Any, profile: str) -> tuple[str | None, str | None]:
    try:
        return gojson.marshal(value, profile=profile).hex(), None
    except JSONEncodeError as exc:
        return None, str(exc)


def _harness_profile(harness: Harness) -> str:
    """The profile of the Go that built the harness (``go version`` names it), else the fixtures'."""
    from tests.test_gojson import PROFILE, profile_for

    try:
        out = subprocess.run(
            ["go", "version", str(harness.binary)], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return PROFILE
    m = re.search(r"go1\.\d+(\.\d+)?", out)
    return profile_for(m.group(0)) if m else PROFILE


@pytest.mark.live
def test_live_marshal_agrees_with_go(harness: Harness) -> None:
    rng = random.Random(20240229)
    values: list[Any] = _random_floats(rng, 1500)
    values += [rng.randbytes(rng.randint(0, 12)).decode("utf-8", "surrogateescape") for _ in range(800)]
    values += [{rng.randbytes(3).decode("utf-8", "surrogateescape"): i for i in range(3)} for _ in range(50)]
    values += [  # registered in go-harness/types.go
        GoStruct("main.Person", {"Name": "Ann <&>", "Age": 40}),
        GoStruct(
            "*main.Account",
            {
                "ID": Uint64(2**64 - 1),
                "Email": "a@example.com",
                "Roles": GoSlice(["admin"], elem_type="string"),
                "Balance": -0.0,
                "Verified": True,
                "Created": GoTime(1700000000, 123456789, 3600),
            },
        ),
        GoNamed("main.Celsius", 36.6),
        GoSlice(["a", "b"], elem_type="string", go_type="main.Tags"),
        GoMap({"b": 1, "a": 2}, key_type="string", elem_type="int", go_type="main.Counts"),
        GoInterface(GoMap({"x": GoNil("[]uint8"), "y": GoNil("map[string]int")})),
    ]
    requests = [
        {"kind": "json_marshal", "id": str(i), "value": jsonview.to_typed(v)} for i, v in enumerate(values)
    ]
    profile = _harness_profile(harness)
    mismatches = []
    for value, answer in zip(values, harness.decode(requests), strict=True):
        assert "harness_error" not in answer, answer
        got = _marshal_answer(value, profile)
        if got != (answer["marshal"], answer["error"]):
            mismatches.append((value, got, answer))
    assert not mismatches[:5]


@pytest.mark.live
def test_live_unmarshal_agrees_with_go(harness: Harness) -> None:
    rng = random.Random(1)
    inputs = [b"".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 16))) for _ in range(1500)]
    inputs += [rng.randbytes(rng.randint(0, 24)) for _ in range(300)]
    requests = [
        {"kind": "json_unmarshal", "id": f"{i}-{mode}", "input": data.hex(), "decoder": mode}
        for i, data in enumerate(inputs)
        for mode in ("unmarshal", "decoder")
    ]
    mismatches = []
    for request, answer in zip(requests, harness.decode(requests), strict=True):
        assert "harness_error" not in answer, answer
        decode = gojson.decode_first if request["decoder"] == "decoder" else gojson.unmarshal
        got = _outcome(decode, bytes.fromhex(request["input"]))
        want = ("error", answer["error"]) if answer["error"] else ("value", canonical_typed(answer["value"]))
        if got != want:
            mismatches.append((request, got, want))
    assert not mismatches[:5]


@pytest.fixture(scope="module")
def harness_jsonv2(harness: Harness, tmp_path_factory: pytest.TempPathFactory) -> Harness:
    """go-harness built with GOEXPERIMENT=jsonv2: the v2-backed encoding/json that Go 1.27 builds
    by default (json.md §7), available as an experiment since Go 1.25."""
    binary = tmp_path_factory.mktemp("jsonv2") / "go-harness"
    try:
        proc = subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=HARNESS_DIR,
            env={**os.environ, "GOEXPERIMENT": "jsonv2"},
            capture_output=True,
            timeout=600,
            check=False,
        )
    except OSError:
        pytest.skip("no Go toolchain to build the jsonv2 harness")
    if proc.returncode != 0:
        pytest.skip(f"this Go cannot build with GOEXPERIMENT=jsonv2: {proc.stderr.decode()[-300:]}")
    return Harness(binary)


@pytest.mark.live
def test_live_go127_profile_agrees_with_jsonv2(harness_jsonv2: Harness) -> None:
    rng = random.Random(127)
    bad = [b.decode("utf-8", "surrogateescape") for b in (b"a\xffb", b"\xe2\x82", b"\xed\xa0\x80", b"ok")]
    values: list[Any] = [
        rng.randbytes(rng.randint(0, 8)).decode("utf-8", "surrogateescape") for _ in range(300)
    ]
    values += [
        GoMap({"a": 1, 2: "b", -3: None}),
        GoMap({Uint64(2**64 - 1): 1, Int8(-1): 2}),
        GoMap({}, key_type="bool", elem_type="int"),
        GoMap({1.5: 1, 1e21: 2, 1e-7: 3}, key_type="float64", elem_type="int"),
        GoMap({Float32(0.1): 1, Float32(2**-12): 2}, key_type="float32", elem_type="int"),
        GoMap({True: 1}, key_type="bool", elem_type="int"),
        GoMap({1j: 1}, key_type="complex128", elem_type="int"),
        GoMap({Complex64(1): 1}),
        GoMap({float("nan"): 1}, key_type="float64", elem_type="int"),
    ]
    for key in ("k", "a/b~c", "\u2028é", *bad):  # member-name errors name the map's JSON pointer
        for inner in (GoMap({2.5: 1}), GoMap({None: 1}), GoMap({False: 1})):
            values += [GoMap({key: inner}), [1, {key: [inner]}], {"x": 1, key: {"y": inner}}]
    requests = [
        {"kind": "json_marshal", "id": str(i), "value": jsonview.to_typed(v)} for i, v in enumerate(values)
    ]
    mismatches = []
    for value, answer in zip(values, harness_jsonv2.decode(requests), strict=True):
        assert "harness_error" not in answer, answer
        got = _marshal_answer(value, "go1.27")
        if got != (answer["marshal"], answer["error"]):
            mismatches.append((value, got, answer))
    assert not mismatches[:5]
