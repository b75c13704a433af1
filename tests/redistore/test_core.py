"""The pure rules of redistore (no Redis): IDs, TTLs, deletion by compat, limits, serializers."""

from __future__ import annotations

import re

import pytest

from gorillacompat import gob
from gorillacompat.errors import DecodeError, GorillaError, UsageError
from gorillacompat.redistore import (
    GobSerializer,
    InvalidExpireError,
    JSONKeyError,
    JSONSerializer,
    ValueTooBigError,
    new_session_id,
)
from gorillacompat.redistore._core import Delete, RediStoreRules, Write
from gorillacompat.redistore._serializers import _go_g
from gorillacompat.redistore.rbcervilla import RbcRules
from gorillacompat.securecookie import codecs_from_pairs
from gorillacompat.sessions.options import Options
from gorillacompat.sessions.session import Session

from .conftest import KEYS

B32 = re.compile(r"[A-Z2-7]+")


def rules(**kw: object) -> RediStoreRules:
    args: dict[str, object] = {"serializer": GobSerializer(), "random_bytes": lambda n: bytes(n)}
    args.update(kw)
    return RediStoreRules(codecs_from_pairs(*KEYS), **args)  # type: ignore[arg-type]


def session(max_age: int, sid: str = "", **values: object) -> Session:
    s = Session("session", options=Options(max_age=max_age), id=sid)
    s.values.update(values)
    return s


def test_id_is_52_chars_of_std_base32() -> None:
    sid = new_session_id(lambda n: b"\xff" * n)
    assert len(sid) == 52 and B32.fullmatch(sid)
    assert new_session_id(bytes) == "A" * 52


@pytest.mark.parametrize(
    ("compat", "max_age", "expected"),
    [
        ("v2", -1, None), ("v2", 0, 1200), ("v2", 1, 1), ("v2", 3600, 3600),
        ("v1", -1, None), ("v1", 0, None), ("v1", 1, 1), ("v1", 3600, 3600),
    ],
)  # fmt: skip
def test_ttl_rule_by_compat(compat: str, max_age: int, expected: int | None) -> None:
    r = rules(compat=compat)
    plan = r.plan_save(session(max_age, a=1))
    if expected is None:
        assert plan == Delete("session_")  # Go: DEL even with an empty ID
    else:
        assert isinstance(plan, Write) and plan.ttl == expected and plan.command == "SETEX"
        assert plan.key == "session_" + "A" * 52


def test_setex_zero_is_never_planned() -> None:
    r = rules(default_max_age=0)
    with pytest.raises(InvalidExpireError) as info:
        r.plan_save(session(0))
    assert str(info.value) == "ERR invalid expire time in 'setex' command"
    assert isinstance(info.value, UsageError)


def test_max_length_is_inclusive_on_serialized_bytes() -> None:
    payload = GobSerializer().dumps(gob.GoMap({"k": "x" * 100}))
    ok = rules(max_length=len(payload))
    assert isinstance(ok.plan_save(session(60, k="x" * 100)), Write)
    too_small = rules(max_length=len(payload) - 1)
    with pytest.raises(ValueTooBigError) as info:
        too_small.plan_save(session(60, k="x" * 100))
    assert str(info.value) == "SessionStore: the value to store is too big"
    assert rules(max_length=0).plan_save(session(60, k="x" * 100000))


def test_bad_settings_are_usage_errors() -> None:
    for kw in ({"compat": "v3"}, {"max_length": -1}, {"default_max_age": -1}):
        with pytest.raises(UsageError):
            rules(**kw)


def test_merge_keeps_existing_values() -> None:
    r = rules()
    s = session(60, keep=1, over="old")
    r.merge(s, GobSerializer().dumps({"over": "new", "added": True}))
    assert dict(s.values) == {"keep": 1, "over": "new", "added": True}
    assert s.is_new is False


def test_garbage_value_sets_error_and_stays_new() -> None:
    r = rules()
    s = session(60)
    s.is_new = True
    r.finish_load(s, b"\x00garbage")
    assert s.is_new and isinstance(s.error, DecodeError)


def test_json_serializer_go_texts() -> None:
    j = JSONSerializer()
    assert j.dumps({"b": 1, "a": "<x>"}) == b'{"a":"\\u003cx\\u003e","b":1}'
    with pytest.raises(JSONKeyError) as info:
        j.dumps({1: "x"})
    assert str(info.value) == "non-string key value, cannot serialize session to JSON: 1"
    assert str(pytest.raises(JSONKeyError, JSONSerializer(compat="v1.4.0").dumps, {2.5: 1}).value) == (
        "Non-string key value, cannot serialize session to JSON: 2.5"
    )
    assert j.loads(b'{"n": 1}') == {"n": 1.0}
    assert j.loads(b"null") == {}
    with pytest.raises(DecodeError, match=r"cannot unmarshal array into Go value of type map"):
        j.loads(b"[1]")
    with pytest.raises(GorillaError):
        j.loads(b'{"a":1} x')


@pytest.mark.parametrize(
    ("f", "text"),
    [(1.0, "1"), (1234567.0, "1.234567e+06"), (100000.0, "100000"), (1e-5, "1e-05"),
     (0.0001, "0.0001"), (-2.5, "-2.5"), (1e21, "1e+21"), (0.000123, "0.000123")],
)  # fmt: skip
def test_go_percent_v_float(f: float, text: str) -> None:
    assert _go_g(f) == text


def test_rbc_rules() -> None:
    r = RbcRules(serializer=GobSerializer(), random_bytes=lambda n: b"\x01" * n)
    s = session(60, a=1)
    plan = r.plan_save(s)
    assert isinstance(plan, Write) and plan.command == "SET" and plan.ttl == 60
    assert len(s.id) == 103 and plan.key == "session:" + s.id
    assert r.saved_cookie(s, 0).startswith(f"session={s.id};")
    assert r.plan_save(session(0, "X")) == Delete("session:X")
