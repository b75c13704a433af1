"""Hypothesis strategies shared by the test suites (style principle 13)."""

from __future__ import annotations

from hypothesis import strategies as st

#: Text Go and Python agree on: no lone surrogates (Python-only) in generated strings.
go_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)

#: Values a Go ``interface{}`` holds after ``json.Unmarshal``: nil, bool, float64, string, slices, maps.
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | go_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(go_text, inner, max_size=5),
    max_leaves=20,
)

#: A JSON session: Go's ``map[string]interface{}``.
json_sessions = st.dictionaries(go_text, json_values, max_size=8)


# -- Go-typed values for the gob codec ---------------------------------------------------------

from gorillacompat.gob import (  # noqa: E402
    Complex64,
    Float32,
    GoArray,
    GoMap,
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

_SIZED = [Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr]

#: Any Go string: valid UTF-8 text or arbitrary bytes held with surrogateescape.
go_strings = go_text | st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape"))

#: Go scalars as this library models them (plain Python for Go's defaults).
go_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    *[st.integers(min_value=c._min, max_value=c._max).map(c) for c in _SIZED],
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(width=32).map(Float32),
    st.complex_numbers(allow_nan=False),
    st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=1e30).map(Complex64),
    go_strings,
    st.binary(min_size=1, max_size=20),
)

#: time.Time values that round trip in Go too: UTC, or a fixed offset that is whole minutes (not
#: -1 minute, which Go refuses) or positive (Go reads a negative sub-minute part back wrongly).
go_times = st.builds(
    GoTime,
    st.integers(min_value=-62135596800, max_value=253402300799),
    st.integers(min_value=0, max_value=999_999_999),
    st.none()
    | st.integers(min_value=-50_000, max_value=50_000).filter(
        lambda o: (o % 60 == 0 or o > 0) and not -120 < o <= -60
    ),
)


def _typed_slices(elem: st.SearchStrategy, elem_type: str) -> st.SearchStrategy:
    return st.lists(elem, max_size=4).map(lambda xs: GoSlice(xs, elem_type=elem_type, nil=not xs))


#: Values that can sit in an interface: scalars, times, typed slices/maps/arrays, structs.
go_values = st.recursive(
    go_scalars | go_times | st.none(),
    lambda inner: st.one_of(
        _typed_slices(inner, "interface {}"),
        _typed_slices(go_strings, "string"),
        _typed_slices(st.integers(-(1 << 63), (1 << 63) - 1), "int"),
        st.dictionaries(go_text, inner, max_size=4).map(
            lambda d: GoMap(d, key_type="string", elem_type="interface {}")
        ),
        st.lists(st.integers(0, 255).map(Uint8), min_size=3, max_size=3).map(
            lambda xs: GoArray(xs, elem_type="uint8")
        ),
        st.builds(
            lambda name, n, tags: GoStruct(
                "main.Rec",
                {"Name": name, "N": n, "Tags": GoSlice(tags, elem_type="string", nil=not tags)},
                field_types={"Name": "string", "N": "int", "Tags": "[]string"},
            ),
            go_text,
            st.integers(-1000, 1000),
            st.lists(go_text, max_size=3),
        ),
    ),
    max_leaves=12,
)

#: Comparable Go scalars (map keys), often ones Python's == merges: 1, True, 1.0, Int8(1), "1".
#: No NaN: a NaN key is never found again, in Go as in Python.
go_keys = st.one_of(
    go_text,
    go_strings,
    st.sampled_from([0, 1, True, False, 0.0, 1.0, -0.0, 1.5, complex(1, 0), "", "1"]),
    st.integers(-3, 3).flatmap(lambda n: st.sampled_from([c(n) for c in _SIZED if c._min <= n])),
    st.sampled_from([Float32(1.0), Float32(1.5), Complex64(1)]),
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
    st.floats(allow_nan=False),
)

#: A gorilla session's Values: map[interface {}]interface {}, keys of every comparable Go scalar.
go_sessions = st.lists(st.tuples(go_keys, go_values), max_size=6).map(GoMap)
