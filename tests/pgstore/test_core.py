"""The pure rules of pgstore (no database): IDs, expiry, rows, cookies, limits."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest

from gorillacompat.errors import DecodeError, EncodedValueTooLongError, MultiError
from gorillacompat.pgstore import CorruptRowError, ExpiresOnTypeError, PGStoreConfigError
from gorillacompat.pgstore._core import Delete, PGStoreRules, Write, expires_on
from gorillacompat.securecookie import SecureCookie
from gorillacompat.sessions.options import Options
from gorillacompat.sessions.session import Session
from gorillacompat.values import GoTime

from .conftest import KEYS

NOW = 1_700_000_000


def utc(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, timezone.utc)


def rules(**kw: object) -> PGStoreRules:
    args: dict[str, object] = {
        "max_length": 4096,
        "clock": lambda: NOW,
        "random_bytes": lambda n: b"\x07" * n,
    }
    args.update(kw)
    return PGStoreRules(tuple(KEYS), Options(path="/", max_age=86400 * 30), **args)  # type: ignore[arg-type]


def session(r: PGStoreRules, **values: object) -> Session:
    s = Session("session", None, options=r.options.copy(), is_new=True)
    s.values.update(values)
    return s


def test_new_id_is_trimmed_std_base32_of_32_random_bytes() -> None:
    # Go: strings.TrimRight(base32.StdEncoding.EncodeToString(GenerateRandomKey(32)), "=")
    r = rules()
    s = session(r, a=1)
    plan, _ = r.plan_save(s)
    assert isinstance(plan, Write)
    assert s.id == base64.b32encode(b"\x07" * 32).decode().rstrip("=")
    assert len(s.id) == 52 and plan.key == s.id.encode()


def test_expires_on_rule() -> None:
    floor = utc(NOW + 60)
    assert expires_on({}, NOW, 60) == floor
    assert expires_on({"expires_on": None}, NOW, 60) == floor
    later = GoTime(NOW + 3600)
    assert expires_on({"expires_on": later}, NOW, 60) == utc(NOW + 3600)
    assert expires_on({"expires_on": GoTime(NOW + 1)}, NOW, 60) == floor  # earlier → now + MaxAge
    assert expires_on({"expires_on": utc(NOW + 120)}, NOW, 60) == utc(NOW + 120)
    assert expires_on({}, NOW, 0) == utc(NOW)  # MaxAge 0: expired at once, for cleanup


def test_expires_on_that_is_not_a_time_raises_where_go_panics() -> None:
    with pytest.raises(ExpiresOnTypeError, match='"expires_on" is a str'):
        expires_on({"expires_on": "tomorrow"}, NOW, 60)
    with pytest.raises(ExpiresOnTypeError):
        expires_on({"expires_on": datetime(2030, 1, 1)}, NOW, 60)  # naive: no instant


def test_write_plan_row_and_cookie() -> None:
    r = rules()
    created = GoTime(NOW - 500)
    s = session(r, user="ann", created_on=created)
    plan, header = r.plan_save(s)
    assert isinstance(plan, Write)
    assert plan.created_on == utc(NOW - 500) and plan.modified_on == utc(NOW)
    assert plan.expires_on == utc(NOW + 86400 * 30)
    codec = SecureCookie(*KEYS, clock=lambda: NOW)
    assert dict(codec.decode("session", plan.data.decode())) == {"user": "ann", "created_on": created}
    value = header.split(";")[0].split("=", 1)[1]
    assert codec.decode("session", value) == s.id
    assert header.endswith("; Path=/; Expires=Thu, 14 Dec 2023 22:13:20 GMT; Max-Age=2592000")
    assert plan.update_params() == (plan.data, plan.modified_on, plan.expires_on, plan.key)
    assert plan.insert_params()[0] == plan.key


def test_created_on_that_is_not_a_time_is_now_as_in_go() -> None:
    r = rules()
    plan, _ = r.plan_save(session(r, created_on="yesterday"))
    assert isinstance(plan, Write) and plan.created_on == utc(NOW)


def test_negative_max_age_plans_a_delete_and_an_empty_cookie() -> None:
    r = rules()
    s = session(r, a=1)
    s.id = "ABC"
    s.options.max_age = -1
    plan, header = r.plan_save(s)
    assert plan == Delete("ABC") and not s.values
    assert header == "session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"
    plan2, header2 = r.delete_plan(session(r))
    assert plan2 == Delete("") and header2 == header


def test_max_length_applies_to_data_and_is_settable() -> None:
    r = rules(max_length=100)
    s = session(r, v="x" * 200)
    with pytest.raises(MultiError, match="securecookie: the value is too long") as info:
        r.plan_save(s)
    assert isinstance(info.value.errors[0], EncodedValueTooLongError)
    r.max_length = 0  # Go: MaxLength(0) = no limit
    assert r.max_length == 0 and all(c.max_length == 0 for c in r.codecs)
    r.plan_save(s)
    with pytest.raises(PGStoreConfigError):
        r.max_length = -1


def test_max_age_setter_keeps_codecs_in_step() -> None:
    r = rules()
    r.max_age = 60
    assert r.options.max_age == 60 and all(c.max_age == 60 for c in r.codecs)


def test_config_errors() -> None:
    with pytest.raises(PGStoreConfigError, match="at least one key pair"):
        PGStoreRules((), Options(), max_length=4096, clock=None, random_bytes=None)
    with pytest.raises(PGStoreConfigError, match="negative"):
        rules(max_length=-1)


def test_load_outcomes() -> None:
    r = rules()
    s = session(r, a=1)
    plan, header = r.plan_save(s)
    assert isinstance(plan, Write)
    cookies = {"session": header.split(";")[0].split("=", 1)[1]}
    # no row: fresh, keeps the cookie's ID, no error (Go: sql.ErrNoRows → nil)
    fresh = session(r)
    assert r.begin_load(fresh, cookies) == s.id.encode()
    r.finish_load(fresh, None)
    assert fresh.is_new and fresh.id == s.id and fresh.error is None
    # the row: loaded
    loaded = session(r)
    r.begin_load(loaded, cookies)
    r.finish_load(loaded, plan.data)
    assert not loaded.is_new and dict(loaded.values) == {"a": 1}
    # corrupt rows: fresh session, typed error
    for bad, cls in ((b"\xff\xfe", CorruptRowError), (b"not|a|cookie", DecodeError), (12, CorruptRowError)):
        broken = session(r)
        r.begin_load(broken, cookies)
        r.finish_load(broken, bad)
        assert broken.is_new and not broken.values and isinstance(broken.error, cls)
    # a foreign cookie: no key to select
    foreign = session(r)
    assert r.begin_load(foreign, {"session": "garbage"}) is None and foreign.error is not None
    assert r.begin_load(session(r), {}) is None
