"""The pure rules of gorilla-sessions-memcache (no server): keys, TTL, plans, values per method."""

from __future__ import annotations

import pytest

from gorillacompat.errors import GobDecodeError, MultiError
from gorillacompat.memcache import (
    DEFAULT_MAX_AGE,
    CorruptValueError,
    ItemTooLargeError,
    JSONKeyError,
    MalformedKeyError,
    MemcacheStoreConfigError,
)
from gorillacompat.memcache._core import (
    MAX_RELATIVE_EXPTIME,
    Delete,
    MemcacheRules,
    Write,
    default_options,
    exptime,
    memcache_key,
    parse_address,
)
from gorillacompat.sessions.options import Options
from gorillacompat.sessions.session import Session

from .conftest import KEYS

NOW = 1_700_000_000


def rules(method: str = "securecookie", **kw: object) -> MemcacheRules:
    args: dict[str, object] = {
        "key_prefix": "", "store_method": method, "max_length": 4096, "max_item_size": 1024 * 1024,
        "clock": lambda: NOW, "random_bytes": lambda n: b"\x01" * n,
    }  # fmt: skip
    args.update(kw)
    return MemcacheRules(tuple(KEYS), default_options(), **args)  # type: ignore[arg-type]


def session(r: MemcacheRules, max_age: int | None = None) -> Session:
    sess = r._fresh("session")
    if max_age is not None:
        sess.options.max_age = max_age
    return sess


def test_go_defaults() -> None:
    opts = default_options()
    assert (opts.path, opts.max_age, opts.http_only, opts.secure, opts.same_site) == (
        "/",
        2592000,
        False,
        False,
        None,
    )
    r = rules()
    assert r.max_length == 4096 and all(c.max_age == DEFAULT_MAX_AGE for c in r.codecs)


def test_codecs_keep_30_days_whatever_the_options() -> None:
    r = MemcacheRules(
        tuple(KEYS), Options(max_age=60), key_prefix="", store_method="gob", max_length=4096,
        max_item_size=0, clock=None, random_bytes=None,
    )  # fmt: skip
    assert r.options.max_age == 60 and [c.max_age for c in r.codecs] == [DEFAULT_MAX_AGE]


@pytest.mark.parametrize(
    ("max_age", "want"),
    [(0, 0), (1, 1), (MAX_RELATIVE_EXPTIME, MAX_RELATIVE_EXPTIME),
     (MAX_RELATIVE_EXPTIME + 1, NOW + MAX_RELATIVE_EXPTIME + 1), (2**40, 2**31 - 1)],
)  # fmt: skip
def test_exptime(max_age: int, want: int) -> None:
    assert exptime(max_age, NOW) == want


def test_keys_follow_gomemcache_legal_key() -> None:
    assert memcache_key("app:", "ID") == b"app:ID"
    assert memcache_key("ünï:", "x") == "ünï:x".encode()  # bytes >= 0x80 are legal in Go
    assert len(memcache_key("p" * 198, "x" * 52)) == 250
    for prefix in ("p" * 199, "a b", "a\x7f", "a\x00", "tab\t"):
        with pytest.raises(MalformedKeyError) as info:
            memcache_key(prefix, "x" * 52)
        assert str(info.value) == "malformed: key is too long or contains invalid characters"


@pytest.mark.parametrize(
    ("text", "want"),
    [("127.0.0.1:11311", ("127.0.0.1", 11311)), ("cache", ("cache", 11211)),
     ("[::1]:5", ("::1", 5)), ("[::1]", ("::1", 11211)), ("::1", ("::1", 11211))],
)  # fmt: skip
def test_parse_address(text: str, want: tuple[str, int]) -> None:
    assert parse_address(text) == want


@pytest.mark.parametrize("text", ["", "host:0", "host:x", "host:70000"])
def test_parse_address_refuses(text: str) -> None:
    with pytest.raises(MemcacheStoreConfigError):
        parse_address(text)


def test_config_errors() -> None:
    with pytest.raises(MemcacheStoreConfigError, match="^Unknown StoreMethod: xml"):
        rules("xml")
    with pytest.raises(MemcacheStoreConfigError):
        MemcacheRules((), default_options(), key_prefix="", store_method="gob", max_length=0,
                      max_item_size=0, clock=None, random_bytes=None)  # fmt: skip
    with pytest.raises(MemcacheStoreConfigError):
        rules(max_length=-1)
    r = rules()
    with pytest.raises(MemcacheStoreConfigError):
        r.max_length = -1
    r.max_length = 10
    assert [c.max_length for c in r.codecs] == [10]


def test_plan_save_new_session() -> None:
    r = rules(key_prefix="p:")
    sess = session(r)
    sess.values["a"] = 1
    plan, header = r.plan_save(sess)
    assert isinstance(plan, Write)
    assert sess.id == "AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQ"  # base32 of 32 x 0x01
    assert plan.key == b"p:" + sess.id.encode() and plan.exptime == DEFAULT_MAX_AGE
    assert header.startswith("session=") and "Max-Age=2592000" in header
    assert r._decode_values("session", plan.value.decode()) == {"a": 1}


def test_plan_delete() -> None:
    r = rules()
    sess = session(r, max_age=-1)
    sess.values["a"] = 1
    plan, header = r.plan_save(sess)
    assert plan is None and not sess.values  # no ID: nothing to delete
    assert header.startswith("session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0")
    sess.id = "X"
    plan, _ = r.delete_plan(sess)
    assert plan == Delete(b"X") and sess.options.max_age == -1


def test_item_too_large_is_refused_before_sending() -> None:
    r = rules("gob", max_item_size=1000)
    sess = session(r)
    sess.values["v"] = "x" * 2000
    with pytest.raises(ItemTooLargeError) as info:
        r.plan_save(sess)
    assert info.value.limit == 1000 and info.value.size > 2000
    sess.values["v"] = "x" * 800
    assert isinstance(r.plan_save(sess)[0], Write)


def test_json_key_error_has_gsm_text() -> None:
    r = rules("json")
    sess = session(r)
    sess.values[2.5] = "x"
    with pytest.raises(JSONKeyError) as info:
        r.plan_save(sess)
    assert str(info.value) == "Non-string key value, cannot jsonize: 2.5"


@pytest.mark.parametrize("method", ["securecookie", "gob", "json"])
def test_values_round_trip_per_method(method: str) -> None:
    r = rules(method)
    sess = session(r)
    sess.values.update({"a": "b", "c": [1.5]})
    plan, _ = r.plan_save(sess)
    assert isinstance(plan, Write)
    back = session(r)
    r.finish_load(back, plan.value)
    assert back.error is None and not back.is_new and back.values == {"a": "b", "c": [1.5]}


@pytest.mark.parametrize(
    ("method", "data", "error"),
    [("securecookie", b"\xff", CorruptValueError), ("securecookie", b"abc", MultiError),
     ("gob", b"\x01", GobDecodeError), ("json", b"[1]", Exception), ("json", b"{", Exception)],
)  # fmt: skip
def test_bad_values_set_session_error(method: str, data: bytes, error: type[Exception]) -> None:
    r = rules(method)
    sess = session(r)
    sess.id = "ID"
    r.finish_load(sess, data)
    assert sess.is_new and isinstance(sess.error, error) and sess.error.is_decode() and not sess.values


def test_gob_item_that_is_not_the_session_map_is_refused() -> None:
    from gorillacompat import gob

    r = rules("gob")
    sess = session(r)
    r.finish_load(sess, bytes(gob.dumps("just a string")))
    assert isinstance(sess.error, GobDecodeError) and sess.is_new


def test_miss_keeps_id_and_no_error() -> None:
    r = rules()
    sess = session(r)
    cookie = r._encode("session", "SOMEID")
    assert r.begin_load(sess, {"session": cookie}) == b"SOMEID"
    r.finish_load(sess, None)
    assert sess.is_new and sess.error is None and sess.id == "SOMEID"


def test_cookie_with_an_id_that_makes_an_illegal_key() -> None:
    r = rules()
    sess = session(r)
    assert r.begin_load(sess, {"session": r._encode("session", "has space")}) is None
    assert isinstance(sess.error, MalformedKeyError) and sess.is_new
