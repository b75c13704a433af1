"""The codec's caches and fast paths change speed, never results.

Caches: parsed type definitions by their bytes (decoder), definition bytes and pinned-id walks per
type (encoder), registry snapshots with their parsed type spellings. Fast paths: a top-level string
or int (``dumps``), basic Python values in interfaces (both directions), replayed type-sending
steps and per-(Python type, Go kind) writers (encoder), interface hints per registry snapshot and
inline short strings in ``[]interface {}`` (decoder). Each property compares a
warm run with a cold one (caches cleared) or with the general path, byte for byte and error for
error, and the caches stay bounded under many distinct hostile type definitions.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorillacompat import jsonview
from gorillacompat.errors import GobDecodeError, GobEncodeError
from gorillacompat.gob import (
    Decoder,
    Encoder,
    GoMap,
    GoSlice,
    GoStruct,
    GoTime,
    Registry,
    default_registry,
    dumps,
    loads,
)
from gorillacompat.gob import _typedesc as td
from gorillacompat.gob import decoder as gob_decoder
from gorillacompat.gob import encoder as gob_encoder
from tests._fixtures import load_topic
from tests.strategies import go_sessions, go_times, go_values

#: The bench session (6 entries, a flash list, a time) as Go wrote it.
_SESSION = bytes.fromhex(
    next(c for c in load_topic("bench/gob.json")["cases"] if c["id"] == "session")["gob"]
)


def _clear_caches() -> None:
    gob_decoder._DEF_CACHE.clear()
    gob_decoder._DEF_LENS.clear()
    gob_encoder._DEF_BYTES.clear()
    gob_encoder._PIN_PLANS.clear()
    gob_encoder._STEPS.clear()
    gob_encoder._SESSION_PLANS.clear()
    default_registry._snapshot = None


def _outcome_loads(data: bytes, **kw: Any) -> tuple[str, Any]:
    try:
        v = loads(data, **kw)
    except GobDecodeError as exc:
        return ("error", str(exc))
    try:
        again = dumps(v)
    except GobEncodeError as exc:
        again = str(exc).encode()
    return ("ok", (jsonview.dumps(v, typed=True), again))


def _outcome_dumps(value: Any, **kw: Any) -> tuple[str, Any]:
    try:
        return ("ok", dumps(value, **kw))
    except GobEncodeError as exc:
        return ("error", str(exc))


def _slow_encode(value: Any, **kw: Any) -> bytes:
    enc = Encoder(**kw)
    enc._iface_fast = False  # the general interface path
    return enc.encode(value)


def _slow_loads(data: bytes) -> Any:
    dec = Decoder(data)
    dec._iface_fast = {}  # the general interface path
    return dec.decode()


def test_session_fixture_warm_equals_cold() -> None:
    _clear_caches()
    cold = _outcome_loads(_SESSION)
    for _ in range(3):
        assert _outcome_loads(_SESSION) == cold
    assert cold[0] == "ok" and cold[1][1] == _SESSION


@settings(max_examples=150, deadline=None)
@given(go_sessions, go_sessions)
def test_encode_same_whatever_was_cached_before(a: Any, b: Any) -> None:
    _clear_caches()
    cold_a = _outcome_dumps(a)
    _clear_caches()
    cold_b = _outcome_dumps(b)
    # Warm the caches in both orders; results never change.
    assert [_outcome_dumps(a), _outcome_dumps(b)] == [cold_a, cold_b]
    _clear_caches()
    assert [_outcome_dumps(b), _outcome_dumps(a), _outcome_dumps(b)] == [cold_b, cold_a, cold_b]
    assert [_outcome_dumps(a, type_ids="go1.19")] == [_outcome_dumps(a, type_ids="go1.19")]


@settings(max_examples=150, deadline=None)
@given(go_sessions)
def test_decode_same_warm_and_cold(value: Any) -> None:
    data = dumps(value)
    _clear_caches()
    cold = _outcome_loads(data)
    assert _outcome_loads(data) == cold
    assert cold[0] == "ok" and cold[1][1] == data


@settings(max_examples=200, deadline=None)
@given(go_values)
def test_interface_fast_paths_match_general_path(value: Any) -> None:
    m = GoMap({"k": value, 7: [value, "x", 1.5, b"b", True]})
    try:
        fast = dumps(m)
    except GobEncodeError as exc:
        try:
            _slow_encode(m)
        except GobEncodeError as exc2:
            assert str(exc2) == str(exc)
            return
        raise AssertionError("only the fast path failed") from exc
    assert _slow_encode(m) == fast
    assert jsonview.dumps(_slow_loads(fast), typed=True) == jsonview.dumps(loads(fast), typed=True)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300)
    | st.binary(max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape"))
    | st.integers(min_value=-(1 << 70), max_value=1 << 70)
    | st.booleans()
    | st.floats()
    | st.binary(max_size=300)
)
def test_top_level_and_interface_basics(value: Any) -> None:
    assert _outcome_dumps(value) == _outcome_dumps_general(value)
    for strict in (False, True):
        try:
            fast = dumps(GoMap({"v": value}), strict=strict)
        except GobEncodeError as exc:
            fast = str(exc).encode()
        try:
            slow = _slow_encode(GoMap({"v": value}), strict=strict)
        except GobEncodeError as exc:
            slow = str(exc).encode()
        assert fast == slow


def _outcome_dumps_general(value: Any) -> tuple[str, Any]:
    try:
        return ("ok", Encoder().encode(value))  # Encoder.encode has no top-level fast path
    except GobEncodeError as exc:
        return ("error", str(exc))


def test_type_ids_still_checked_on_fast_path() -> None:
    for value in ("s", 3):
        try:
            dumps(value, type_ids="go2")
        except GobEncodeError:
            continue
        raise AssertionError("bad type_ids accepted")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_corrupted_input_same_outcome_warm_and_cold(data: st.DataObject) -> None:
    raw = bytearray(_SESSION)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    b = bytes(raw[:cut])
    _clear_caches()
    cold = _outcome_loads(b)
    loads(_SESSION)  # warm: the session's definitions are cached now
    assert _outcome_loads(b) == cold
    assert _outcome_loads(b) == cold


def test_strict_registry_fast_table_follows_registry() -> None:
    reg = Registry(basics=False)
    data = dumps(GoMap({"a": "b"}))
    try:
        loads(data, registry=reg, strict=True)
    except GobDecodeError as exc:
        assert "name not registered for interface" in str(exc)
    else:
        raise AssertionError("strict decoder read an unregistered name")
    reg.register("string")
    assert loads(data, registry=reg, strict=True) == {"a": "b"}


def _struct_stream(i: int) -> bytes:
    """A stream defining a distinct one-field struct type (name of varying length) and a value."""
    name = ("T" * (1 + i % 40) + str(i)).encode()
    body = bytearray(b"\xff\x81\x03\x01\x01")  # int(-65) StructT CommonType Name
    body += bytes([len(name)]) + name + b"\x01\xff\x82\x00"  # Id 65
    body += b"\x01\x01\x01\x01X\x01\x04\x00\x00\x00"  # Field: [{X int}]
    value = b"\xff\x82\x01\x06\x00"  # int(65) {X: 3}
    return bytes([len(body)]) + bytes(body) + bytes([len(value)]) + value


def test_decoder_cache_bounded_under_many_distinct_definitions() -> None:
    _clear_caches()
    for i in range(3000):
        v = loads(_struct_stream(i))
        assert isinstance(v, GoStruct) and v.fields == {"X": 3}
        assert len(gob_decoder._DEF_CACHE) <= gob_decoder._DEF_CACHE_MAX
        assert len(gob_decoder._DEF_LENS) <= gob_decoder._DEF_LENS_MAX
    # A hostile definition whose bytes are longer than the cache keeps is parsed, never kept.
    before = dict(gob_decoder._DEF_CACHE)
    long_name = b"N" * (gob_decoder._DEF_LEN_MAX + 10)
    body = (
        b"\xff\x81\x03\x01\x01"
        + b"\xfe"
        + len(long_name).to_bytes(2, "big")
        + long_name
        + b"\x01\xff\x82\x00\x00\x00"
    )
    stream = b"\xfe" + len(body).to_bytes(2, "big") + body
    try:
        loads(stream)
    except GobDecodeError:
        pass
    assert all(len(k) <= gob_decoder._DEF_LEN_MAX for k in gob_decoder._DEF_CACHE)
    assert set(gob_decoder._DEF_CACHE) - set(before) == set()


def test_encoder_caches_bounded_under_many_distinct_types() -> None:
    _clear_caches()
    for i in range(1500):
        s = GoStruct(f"main.T{i}", {f"F{i % 50}": i, "G": [i]})
        data = dumps(GoMap({"v": s}))
        back = loads(data)
        assert dumps(back) == data
        assert len(gob_encoder._DEF_BYTES) <= gob_encoder._PLANS_MAX
        assert len(gob_encoder._PIN_PLANS) <= gob_encoder._PLANS_MAX
        assert len(gob_encoder._STEPS) <= gob_encoder._STEPS_MAX


def test_registry_snapshot_tracks_registrations() -> None:
    reg = Registry()
    snap = reg.snapshot()
    assert reg.snapshot() is snap
    reg.register("main.P", fields={"A": "int8"})
    assert reg.snapshot() is not snap
    assert not snap.is_registered("main.P")
    data = dumps(GoMap({"p": GoStruct("main.P", {"A": 1}, field_types={"A": "int8"})}), registry=reg)
    assert jsonview.dumps(loads(data, registry=reg), typed=True) == jsonview.dumps(
        loads(data, registry=reg.copy()), typed=True
    )


# -- second round: inline interface reads, top-level basics in loads, session maps in dumps,
# -- AES-CTR counter blocks -------------------------------------------------------------------


def _outcome(fn: Any, *args: Any, **kw: Any) -> tuple[str, Any]:
    try:
        v = fn(*args, **kw)
    except GobDecodeError as exc:
        return ("error", str(exc))
    return ("ok", jsonview.dumps(v, typed=True))


def _slow_decode(data: bytes, **kw: Any) -> Any:
    dec = Decoder(data, **kw)
    dec._iface_fast = {}  # neither the inline nor the table fast path
    return dec.decode()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_inline_interface_reads_match_general_path_on_corrupted_input(data: st.DataObject) -> None:
    raw = bytearray(_SESSION)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    b = bytes(raw[: data.draw(st.integers(0, len(raw)))])
    depth = data.draw(st.sampled_from([1, 2, 3, 200]))
    fast = _outcome(lambda: Decoder(b, max_depth=depth).decode())
    assert fast == _outcome(_slow_decode, b, max_depth=depth)


_basic = (
    st.text(max_size=140)
    | st.integers(min_value=-(1 << 64), max_value=1 << 64)
    | st.booleans()
    | st.floats()
    | st.binary(max_size=140)
)


@settings(max_examples=300, deadline=None)
@given(_basic, st.binary(max_size=8), st.booleans(), st.integers(0, 200))
def test_loads_top_level_basics_match_decoder(value: Any, tail: bytes, exact: bool, limit: int) -> None:
    try:
        data = dumps(value)
    except GobEncodeError:
        return
    cases = [data, data + tail, data[:-1]]
    if data[0] + len(tail) < 0x80:  # the message grown by ``tail`` (bytes inside it, after the value)
        cases.append(bytes([data[0] + len(tail)]) + data[1:] + tail)
    for b in cases:

        def general(b: bytes = b) -> Any:
            dec = Decoder(b, max_message_size=limit)
            v = dec.decode()
            if exact and dec.trailing():
                raise GobDecodeError(f"gob: {dec.trailing()} bytes after the value")
            return v

        assert _outcome(loads, b, exact=exact, max_message_size=limit) == _outcome(general)
        assert _outcome(loads, b, exact=exact) == _outcome(lambda b=b: loads(bytearray(b), exact=exact))


#: What the session fast path (``encoder._session_map``) takes as map values, and some it refuses.
_session_values = (
    _basic
    | st.none()
    | go_times
    | st.lists(_basic, max_size=4)
    | st.lists(_basic, max_size=4).map(GoSlice)
    | st.lists(_basic, max_size=3).map(lambda xs: GoSlice(xs, elem_type="string"))
    | st.lists(_basic, max_size=3).map(lambda xs: GoSlice(xs, go_type="main.Flashes"))
    | st.lists(go_times, max_size=2)
    # Times Go cannot marshal (offsets, years): the general path's error, not the fast path's.
    | st.builds(
        GoTime,
        st.integers(-(1 << 64), 1 << 64),
        st.integers(0, 999_999_999),
        st.integers(-(1 << 20), 1 << 20),
    )
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_basic, _session_values), max_size=8), st.sampled_from(["go1.21", "go1.19"]))
def test_session_map_fast_path_matches_general_encoder(items: list[Any], type_ids: str) -> None:
    try:
        m = GoMap(items)
    except TypeError:
        return
    assert _outcome_dumps(m, type_ids=type_ids) == _outcome_general(m, type_ids=type_ids)
    # Decoded maps carry wire types of their own (ids from either Go numbering).
    for src in ("go1.21", "go1.19"):
        try:
            back = loads(dumps(m, type_ids=src))
        except (GobEncodeError, GobDecodeError):
            continue
        assert _outcome_dumps(back, type_ids=type_ids) == _outcome_general(back, type_ids=type_ids)


def _outcome_general(value: Any, **kw: Any) -> tuple[str, Any]:
    try:
        return ("ok", Encoder(**kw).encode(value))
    except GobEncodeError as exc:
        return ("error", str(exc))


def test_session_map_fast_path_takes_the_bench_session() -> None:
    """The typical session (strings, an int, a bool, a time, a flash list) takes the fast path,
    fresh from the decoder or not, and gives Go's bytes; a struct value sends it to the general
    path."""
    for value in (loads(_SESSION), loads(_SESSION)):
        assert gob_encoder._session_map(value, "go1.21") == _SESSION
    with_struct = loads(_SESSION)
    with_struct["probe"] = GoStruct("main.Probe", {"A": 1})
    assert gob_encoder._session_map(with_struct, "go1.21") is None


def test_session_map_fast_path_follows_registry_changes() -> None:
    m = GoMap({"a": 1, 2: "b"})
    before = dumps(m)
    default_registry.register("main.SessionMapProbe", fields={"A": "int"})
    assert dumps(m) == before == Encoder().encode(m)
    assert dumps(m, strict=True) == Encoder(strict=True).encode(m)


@settings(max_examples=300, deadline=None)
@given(
    st.binary(min_size=16, max_size=16)
    # The last byte near 255: the counting byte carries (or just does not) within the data.
    | st.tuples(st.binary(min_size=15, max_size=15), st.integers(200, 255)).map(
        lambda t: t[0] + bytes([t[1]])
    )
    | st.integers(0, 40).map(lambda k: ((1 << 128) - 1 - k).to_bytes(16, "big")),
    st.binary(max_size=600),
)
def test_aes_ctr_counter_blocks_match_per_block_counters(iv: bytes, data: bytes) -> None:
    from gorillacompat._cookiewire import AES_BLOCK as _AES_BLOCK
    from gorillacompat._cookiewire import COUNTER_MASK as _COUNTER_MASK
    from gorillacompat._cookiewire import AesCtr as _AesCtr

    ctr = _AesCtr(bytes(range(32)))
    start = int.from_bytes(iv, "big")
    counters = b"".join(
        ((start + i) & _COUNTER_MASK).to_bytes(_AES_BLOCK, "big") for i in range(-(-len(data) // 16))
    )
    stream = ctr._ecb.update(counters)
    want = bytes(a ^ b for a, b in zip(data, stream[: len(data)], strict=True))
    assert ctr.xor(iv, data) == want


# -- third round: replayed type-sending steps, per-type value writers ------------------------------


def _outcome_enc(enc: Encoder, values: list[Any], *, replay: bool = True) -> list[tuple[str, Any]]:
    """Outcomes of encoding ``values`` in turn; ``replay=False`` sends every type from scratch
    (no _STEPS replay), the reference the replay must equal."""
    out: list[tuple[str, Any]] = []
    gob_encoder._REPLAY = replay
    try:
        for v in values:
            try:
                out.append(("ok", enc.encode(v)))
            except GobEncodeError as exc:
                out.append(("error", str(exc)))
    finally:
        gob_encoder._REPLAY = True
    return out


def _nested(value: Any) -> list[Any]:
    """The value at top level, in interfaces, and decoded back (pinned wire ids)."""
    outs: list[Any] = [value, GoMap({"a": value, "b": [value, GoMap({1: value})]})]
    for v in list(outs):
        for ids in ("go1.21", "go1.19"):
            try:
                outs.append(loads(dumps(v, type_ids=ids)))
            except (GobEncodeError, GobDecodeError):
                pass
    return outs


@settings(max_examples=150, deadline=None)
@given(st.lists(go_values, min_size=1, max_size=3), st.sampled_from(["go1.21", "go1.19"]))
def test_replayed_type_steps_match_plain_encoder(values: list[Any], type_ids: str) -> None:
    flat = [x for v in values for x in _nested(v)]
    plain = [_outcome_enc(Encoder(type_ids=type_ids), [v], replay=False) for v in flat]
    _clear_caches()
    cold = [_outcome_enc(Encoder(type_ids=type_ids), [v]) for v in flat]
    warm = [_outcome_enc(Encoder(type_ids=type_ids), [v]) for v in reversed(flat)][::-1]
    assert cold == plain == warm
    # One Encoder (one Go process) across values: later values start from a replayed state.
    assert _outcome_enc(Encoder(type_ids=type_ids), flat) == _outcome_enc(
        Encoder(type_ids=type_ids), flat, replay=False
    )
    assert _outcome_enc(Encoder(type_ids=type_ids), flat[::-1]) == _outcome_enc(
        Encoder(type_ids=type_ids), flat[::-1], replay=False
    )


def test_a_failed_value_leaves_reservations_the_next_value_respects() -> None:
    """A value refused after the walk reserved its wire ids can leave an Encoder holding
    reservations and nothing else (no replay root names such a state); the values after it give
    the same bytes as sending every type afresh, and a fresh Encoder still gives Go's."""

    # Refused before any type is sent: an unregistered Python object that carries a decoded
    # wire type (the walk reserves its ids, then the type lookup fails).
    class Unregistered:
        wire = loads(_SESSION).wire

    unregistered = Unregistered()
    enc = Encoder()
    with pytest.raises(GobEncodeError, match="not registered"):
        enc.encode(unregistered)
    assert enc._reserved and not enc._types and not enc._sent
    # Refused midway, after definitions went out.
    too_big = loads(_SESSION)
    too_big["n"] = 1 << 70
    for bad in (unregistered, too_big):
        seq = [bad, loads(_SESSION), bad, loads(_SESSION)]
        assert _outcome_enc(Encoder(), seq) == _outcome_enc(Encoder(), seq, replay=False)
    assert Encoder().encode(loads(_SESSION)) == _SESSION


def test_replayed_type_steps_on_bench_shapes() -> None:
    import json
    from pathlib import Path

    cases = json.loads((Path(__file__).resolve().parents[2] / "fixtures/bench/gob.json").read_text())["cases"]
    for case in cases:
        if "gob" not in case:
            continue
        data = bytes.fromhex(case["gob"])
        v = loads(data)
        _clear_caches()
        assert [dumps(v) for _ in range(3)] == [data] * 3
        assert _outcome_enc(Encoder(), [v], replay=False) == [("ok", data)]


def _general_enc(value: Any, **kw: Any) -> tuple[str, Any]:
    """The encoder without the (Python type, wire kind) writer table."""
    saved = dict(gob_encoder._FAST_ENC)
    gob_encoder._FAST_ENC.clear()
    gob_encoder._FAST_NUMS = False
    try:
        return _outcome_enc(Encoder(**kw), [value], replay=False)[0]
    finally:
        gob_encoder._FAST_ENC.update(saved)
        gob_encoder._FAST_NUMS = True


_field_value = (
    st.text(max_size=140)
    | st.binary(max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape"))
    | st.booleans()
    | st.binary(max_size=140)
    | st.integers(-300, 300)
    | st.integers(-(1 << 65), 1 << 65)
    | st.floats()
    | st.none()
)


@settings(max_examples=200, deadline=None)
@given(go_values, st.lists(_field_value, min_size=4, max_size=4), st.lists(_field_value, max_size=5))
def test_fast_writers_match_general_path(value: Any, fv: list[Any], items: list[Any]) -> None:
    decls = {"A": "string", "B": "bool", "C": "[]uint8", "D": "[]string", "E": "interface {}"}
    s = GoStruct("main.W", {"A": fv[0], "B": fv[1], "C": fv[2], "D": items, "E": fv[3]}, field_types=decls)
    nums = {"I": "int", "J": "int64", "K": "int8", "F": "float64", "G": "float32", "L": "[]int"}
    n = GoStruct(
        "main.N",
        {"I": fv[0], "J": fv[1], "K": fv[2], "F": fv[3], "G": fv[0], "L": items},
        field_types=nums,
    )
    both = GoMap({"s": s, "v": value, "n": n})
    for v in (value, s, n, both, GoStruct("main.V", {"X": value, "Y": fv[0]})):
        want = _general_enc(v)
        assert _outcome_enc(Encoder(), [v])[0] == want
        if want[0] == "ok":
            back = loads(want[1])
            assert _outcome_enc(Encoder(), [back])[0] == _general_enc(back)


def test_interface_hints_follow_registry_snapshots() -> None:
    reg = Registry()
    s = GoStruct("main.HintProbe", {"A": 1, "B": GoMap({"k": 2})}, field_types={"A": "int8"})
    data = dumps(GoMap({"p": s}))
    before = _outcome(loads, data, registry=reg)
    assert _outcome(loads, data, registry=reg) == before == _outcome(loads, data, registry=reg.copy())
    reg.register("main.HintProbe", fields={"A": "int8", "B": "map[string]int"})
    after = _outcome(loads, data, registry=reg)
    assert after == _outcome(loads, data, registry=reg.copy())
    assert after[0] == "ok"


@settings(max_examples=300, deadline=None)
@given(st.lists(_basic | st.none(), max_size=6), st.data())
def test_inline_slice_string_reads_match_general_path(items: list[Any], data: st.DataObject) -> None:
    try:
        raw = bytearray(dumps(GoMap({"s": items, "t": "x"})))
    except GobEncodeError:
        return
    for _ in range(data.draw(st.integers(0, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    b = bytes(raw[: data.draw(st.integers(0, len(raw)))])
    depth = data.draw(st.sampled_from([1, 2, 3, 200]))
    for strict in (False, True):
        fast = _outcome(lambda s=strict: Decoder(b, max_depth=depth, strict=s).decode())
        assert fast == _outcome(_slow_decode, b, max_depth=depth, strict=strict)


# -- fourth round (compiled codec): plain lists and dicts skip _concrete's checks -------------------

_plain_leaf = st.text(max_size=20) | st.integers(-(1 << 63), (1 << 63) - 1) | st.booleans() | st.floats()
_plain = st.recursive(
    _plain_leaf,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        | st.dictionaries(st.integers(-5, 5), inner, max_size=3)
    ),
    max_leaves=12,
)


def _declared(x: Any) -> Any:
    """The same data with every container's Go type spelled out (the general path)."""
    if type(x) is list:
        return GoSlice([_declared(v) for v in x], elem_type="interface {}")
    if type(x) is dict:
        key = "string" if all(type(k) is str for k in x) else "interface {}"
        return GoMap({k: _declared(v) for k, v in x.items()}, key_type=key, elem_type="interface {}")
    return x


@settings(max_examples=300, deadline=None)
@given(st.lists(_plain, min_size=1, max_size=4), st.sampled_from(["go1.21", "go1.19"]))
def test_plain_containers_encode_as_their_declared_types(items: list[Any], type_ids: str) -> None:
    inside = GoMap({i: v for i, v in enumerate(items)})
    for value in (items, inside, {"k": items}):
        assert _outcome_enc(Encoder(type_ids=type_ids), [value]) == _outcome_enc(
            Encoder(type_ids=type_ids), [_declared(value)]
        )


@pytest.mark.parametrize("go_type", [None, "main.Named"])
@pytest.mark.parametrize("items", [[], ["a", 1]])
@pytest.mark.parametrize("key_type", ["string", "interface {}"])
def test_decoded_containers_equal_constructed_ones(
    go_type: str | None, items: list[Any], key_type: str
) -> None:
    """The decoder's constructor-free builders fill every slot the constructors fill."""
    spec = td.slice_of(td.INTERFACE)  # any wire type: only its identity is kept
    m = gob_decoder._decoded_map(key_type, "int", go_type, spec)
    want_m = GoMap(key_type=key_type, elem_type="int", go_type=go_type)
    want_m.wire = spec
    s = gob_decoder._decoded_slice(items, "interface {}", go_type, spec)
    want_s = GoSlice(items, elem_type="interface {}", go_type=go_type, nil=not items)
    want_s.wire = spec
    for got, want in ((m, want_m), (s, want_s)):
        assert type(got) is type(want) and got == want
        for slot in type(want).__slots__:
            assert getattr(got, slot) == getattr(want, slot), slot


# -- decoders share the specs of shared definitions ----------------------------------------------


def test_decoders_share_specs_of_the_same_definitions() -> None:
    data = _SESSION
    a, b = loads(data), loads(data)
    assert a.wire is b.wire and a["_flash"].wire is b["_flash"].wire
    assert dumps(a) == dumps(b) == data
    # Another registry snapshot has its own: its specs are not these.
    assert loads(data, registry=default_registry.copy()).wire is not a.wire


@settings(max_examples=200, deadline=None)
@given(go_values, go_values, st.sampled_from(["go1.21", "go1.19"]))
def test_shared_specs_encode_like_one_decoded_value(x: Any, y: Any, type_ids: str) -> None:
    """Sharing makes two decodings of the same bytes one Go type, as one value used twice is:
    alone each re-encodes to its bytes (as a decoder that shared nothing gives), and streams of
    several decoded values read back as the same values."""
    try:
        bx, by = dumps(x, type_ids=type_ids), dumps(y, type_ids=type_ids)
    except GobEncodeError:
        return
    shared = [loads(bx), loads(by), loads(bx)]
    private = [loads(b, registry=default_registry.copy()) for b in (bx, by, bx)]
    for v, p, b in zip(shared, private, (bx, by, bx), strict=True):
        assert dumps(v, type_ids=type_ids) == dumps(p, type_ids=type_ids) == b
    enc = lambda vs: _outcome_enc(Encoder(type_ids=type_ids), vs)  # noqa: E731
    assert enc([shared[0], shared[2]]) == enc([shared[0], shared[0]])
    for order in ([0, 1], [1, 0], [0, 1, 2]):
        out = enc([shared[i] for i in order])
        if all(kind == "ok" for kind, _ in out):
            dec = Decoder(b"".join(data for _, data in out))
            back = [jsonview.dumps(dec.decode(), typed=True) for _ in order]
            assert back == [jsonview.dumps(shared[i], typed=True) for i in order]
