"""gojson's Marshal fast path (``_fast.fast_marshal``) against the exact encoder (``_Encoder``).

The fast path must give byte-identical output, or step aside (``None``) so that the exact encoder
writes the bytes or raises Go's error. Checked on generated values that mix the common session
shapes with everything tricky (surrogates, controls, ``<>&``, U+2028/2029, floats at every
magnitude, big and sized ints, Go wrapper types, deep nesting, cycles), on Go's own fixture cases,
and on the benchmark session value, which the fast path must take on.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat import gojson, jsonview
from gorillacompat.errors import JSONEncodeError
from gorillacompat.gojson._encode import PROFILES, _Encoder
from gorillacompat.gojson._fast import MAX_DEPTH, fast_marshal
from gorillacompat.values import (
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
    Int64,
    Uint8,
    Uint64,
)
from tests._fixtures import FIXTURES, cases
from tests.test_gojson import PROFILE, go_value

FAST_PROFILES = [name for name, prof in PROFILES.items() if prof.short_bf]


def exact(value: Any, profile: str = "go1.22") -> bytes | str:
    """The exact encoder's bytes, or the type and text of the error it raises."""
    try:
        return _Encoder(PROFILES[profile]).run(value)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def public(value: Any, profile: str = "go1.22") -> bytes | str:
    try:
        return gojson.marshal(value, profile=profile)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def check(value: Any, profile: str = "go1.22", *, taken: bool | None = None) -> bytes | None:
    """Fast path == exact encoder (or steps aside); marshal/encode == exact encoder."""
    want = exact(value, profile)
    got = fast_marshal(value, PROFILES[profile])
    if got is not None:
        assert got == want, (value, profile)
    if isinstance(want, str):
        assert got is None
    if taken is not None:
        assert (got is not None) == taken, (value, profile, got, want)
    assert public(value, profile) == want
    if isinstance(want, bytes):
        assert gojson.encode(value, profile=profile) == want + b"\n"
    return got


# -- strategies -----------------------------------------------------------------------------------

TRICKY_CHARS = "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f\"\\/<>&'\u2028\u2029\u00e9\u00a0\ufffd\U0001f600"
#: Text a Go string can hold that is valid UTF-8, heavy on what needs escaping.
easy_text = st.text(st.sampled_from(TRICKY_CHARS) | st.characters(blacklist_categories=("Cs",)), max_size=10)
#: Any Go string: invalid bytes as surrogateescape surrogates, and other lone surrogates too.
any_text = (
    easy_text
    | st.binary(max_size=10).map(lambda b: b.decode("utf-8", "surrogateescape"))
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from("a<\n"), max_size=6)
)
SPECIAL_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 1.5, 0.1, 1e-4, -1e-4, 9.99e-5, 1e-5, 1e-6, 9.99e-7, 1e-7, 2.5e-7, 5e-324,
    2.5e-300, 1e20, 1e21, -1e21, 1.23456789e21, 1e100, 1.7976931348623157e308, 2.0**52 + 0.5, 2.0**53,
    -(2.0**53), 2.0**53 - 1, 2.0**53 + 2, 12345678901234567890.0, 1700000000.0, 1234567.0, 1e16, 1e15 + 0.3,
]  # fmt: skip
#: Finite floats of every magnitude, with the layout boundaries.
easy_floats = st.sampled_from(SPECIAL_FLOATS) | st.floats(allow_nan=False, allow_infinity=False)
easy_ints = st.integers(-(2**70), 2**70) | st.sampled_from(
    [Int8(-5), Int64(-(2**63)), Uint8(255), Uint64(2**64 - 1)]
)

#: What the fast path must take on (JSON-decoded sessions are made of these).
easy_scalars = st.none() | st.booleans() | easy_ints | easy_floats | easy_text


def _easy_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(inner, max_size=5)
        | st.dictionaries(easy_text, inner, max_size=5)
        | st.lists(inner, max_size=4).map(lambda xs: GoSlice(xs))
        | st.dictionaries(easy_text, inner, max_size=4).map(
            lambda d: GoMap(d, key_type="string", elem_type="interface {}")
        )
    )


easy_values = st.recursive(easy_scalars, _easy_containers, max_leaves=16)

times = st.builds(GoTime, st.integers(-(10**11), 10**11), st.integers(0, 999_999_999), st.none())
tricky_scalars = (
    easy_scalars
    | any_text
    | st.sampled_from([math.nan, math.inf, -math.inf, GoNil("[]string"), GoNil("map[string]int"), 1j])
    | st.floats(width=32, allow_nan=False).map(Float32)
    | st.sampled_from([Float32(2.0**-12), Float32(0.1), Float32(-0.0)])
    | st.binary(max_size=8)
    | st.binary(max_size=8).map(bytearray)
    | st.integers(4300, 4400).map(lambda n: -(10**n))  # beyond Python's int-to-str limit
    | times
)
KEY_TYPES = ["string", "interface {}", "int", "bool", "float64", "main.Name"]


def _tricky_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = any_text | st.integers(-100, 100) | st.booleans() | st.floats(allow_nan=False) | st.none()
    return (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(any_text, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=4)
        | st.builds(
            lambda xs, t: GoSlice(xs, elem_type=t),
            st.lists(inner, max_size=4),
            st.sampled_from(["interface {}", "string"]),
        )
        | st.builds(lambda xs: GoSlice(xs, elem_type="uint8"), st.lists(st.integers(0, 255), max_size=5))
        | st.lists(inner, max_size=4).map(lambda xs: GoArray(xs, elem_type="uint8"))
        | st.builds(
            lambda d, kt: GoMap(d, key_type=kt, elem_type="interface {}"),
            st.dictionaries(any_text | st.integers(-9, 9), inner, max_size=4),
            st.sampled_from(KEY_TYPES),
        )
        | inner.map(GoInterface)
        | st.builds(GoNamed, st.sampled_from(["main.Name", "main.Roles"]), inner)
        | st.builds(GoStruct, st.just("main.T"), st.dictionaries(st.sampled_from(["A", "B", "c"]), inner))
    )


tricky_values = st.recursive(tricky_scalars, _tricky_containers, max_leaves=16)


# -- properties -----------------------------------------------------------------------------------


@settings(max_examples=400)
@given(easy_values, st.sampled_from(FAST_PROFILES))
def test_the_fast_path_takes_on_the_easy_shapes_and_matches(value: Any, profile: str) -> None:
    check(value, profile, taken=True)


@settings(max_examples=600)
@given(tricky_values, st.sampled_from(list(PROFILES)))
def test_the_fast_path_matches_or_steps_aside_on_anything(value: Any, profile: str) -> None:
    if PROFILES[profile].short_bf:
        check(value, profile)
    else:  # go1.21 writes \u0008 and \u000c: the fast path is not tried
        assert public(value, profile) == exact(value, profile)


@given(st.lists(easy_floats | st.floats(), max_size=6))
def test_floats_of_every_magnitude(values: list[float]) -> None:
    check(values, taken=all(math.isfinite(f) for f in values))
    for f in values:
        check({"f": f}, taken=math.isfinite(f))


@given(st.dictionaries(easy_text, st.integers(), max_size=8))
def test_keys_sort_by_utf8_bytes(value: dict[str, int]) -> None:
    out = check(value, taken=True)
    assert out is not None
    assert list(json.loads(out)) == sorted(value, key=lambda k: k.encode("utf-8"))


@given(any_text)
def test_strings_with_invalid_bytes_step_aside(text: str) -> None:
    has_surrogate = any("\ud800" <= c <= "\udfff" for c in text)
    for value in (text, [text], {text: 1}, {"k": text}):
        check(value, taken=not has_surrogate)


# -- fixtures and examples ---------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("json/marshal.json"))
def test_go_fixture_cases_through_the_fast_path(case: dict[str, Any]) -> None:
    value = go_value(case["value"])
    got = fast_marshal(value, PROFILES[PROFILE])
    if case["error"] is not None:
        assert got is None
        with pytest.raises(JSONEncodeError, match="^" + re.escape(case["error"])):
            gojson.marshal(value, profile=PROFILE)
    elif got is not None:
        assert got == bytes.fromhex(case["marshal"])
    for profile in FAST_PROFILES:
        check(value, profile)


def test_the_bench_session_value_is_taken_on() -> None:
    doc = json.loads((FIXTURES / "bench" / "session_json.json").read_text())
    value = jsonview.from_typed(doc["value"])
    want = doc["serialized"].encode("utf-8")
    assert fast_marshal(value, PROFILES["go1.22"]) == want[:-1]
    assert gojson.encode(value) == want
    assert exact(value) == want[:-1]
    assert gojson.decode_first(want) == json.loads(want)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ({"foo": "<b>&", "n": 1.0, "z": None}, b'{"foo":"\\u003cb\\u003e\\u0026","n":1,"z":null}'),
        ({"b": [], "a": {}, "t": True, "s": "x\u00e9\x7f"}, b'{"a":{},"b":[],"s":"x\xc3\xa9\x7f","t":true}'),
        ("\b\f\n\r\t\x00\x1f\u2028\u2029", b'"\\b\\f\\n\\r\\t\\u0000\\u001f\\u2028\\u2029"'),
        ({"": 6, "B": 3, "a": 2, "aa": 5, "b": 1, "z\u2028": 7, "\u00e9": 4}, None),
        ([0.0, -0.0, 0.00001, 1e-7, 1e20, 1e21, 5e-324, 12345678901234567890.0], None),
        (
            [Int64(-9007199254740993), Uint64(18446744073709551615), Int8(-5)],
            b"[-9007199254740993,18446744073709551615,-5]",
        ),
        ([b"hi?>", bytearray(), GoSlice([1], elem_type="uint8"), GoArray([1, 2], elem_type="uint8")], None),
        (GoMap({"a": GoInterface(GoNamed("main.N", 1.5))}, key_type="string"), b'{"a":1.5}'),
        ([GoNil("[]string"), Float32(0.1), Float32(2.0**-12)], None),
    ],
)  # fmt: skip
def test_examples(value: Any, want: bytes | None) -> None:
    for profile in FAST_PROFILES:
        check(value, profile, taken=True)
    if want is not None:
        assert gojson.marshal(value) == want


@pytest.mark.parametrize(
    "value",
    [
        {"\udcff": 1},  # invalid UTF-8 key
        ["a\udc80b"],
        "\ud83d\ude00",  # a surrogate pair as two code points is WTF-8 in Go: invalid
        {1: "a", 2: "b"},  # int keys sort as text in Go
        {"a": 1, 2: 3},  # keys that do not sort
        {True: 1},
        {1.5: 1},
        GoMap({"a": 1}, key_type="interface {}"),
        [math.nan],
        {"x": math.inf},
        [GoTime(0, 0, None)],
        GoStruct("main.T", {"A": 1}),
        [1j],
        GoNamed("main.C", 1j),
        [Float32(math.inf)],
        object(),
        type("S", (str,), {})("sub"),  # a str subclass: the exact encoder decides
        {type("S", (str,), {})("key"): 1},
    ],
)
def test_what_steps_aside(value: Any) -> None:
    check(value, taken=False)


def test_ints_beyond_pythons_int_to_str_limit() -> None:
    limited = hasattr(sys, "get_int_max_str_digits") and sys.get_int_max_str_digits() != 0
    check({"x": [10**5000]}, taken=not limited)


def test_v2_profile_takes_string_keyed_interface_maps() -> None:
    value = GoMap({"b": 1, "a": [True]}, key_type="interface {}")
    check(value, "go1.27", taken=True)
    check(value, "go1.22", taken=False)


def test_deep_nesting_and_cycles_step_aside() -> None:
    shallow: Any = "x"
    for _ in range(MAX_DEPTH):
        shallow = [shallow]
    check(shallow, taken=True)
    check([shallow], taken=False)
    check({"a": shallow}, taken=False)
    deep: Any = {}
    for _ in range(10_000):
        deep = {"k": [deep]}
    check(deep, taken=False)
    loop: list[Any] = []
    loop.append(loop)
    check(loop, taken=False)
    mapping: dict[str, Any] = {}
    mapping["self"] = GoInterface(mapping)
    check(mapping, taken=False)


def test_the_go121_profile_never_takes_the_fast_path() -> None:
    assert gojson.marshal("\b\f", profile="go1.21") == b'"\\u0008\\u000c"'
    assert gojson.marshal("\b\f") == b'"\\b\\f"'
