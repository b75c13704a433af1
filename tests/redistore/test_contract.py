"""One store contract, run against RedisStore and AsyncRedisStore (and the rbcervilla flavour).

The async store is driven through a small adapter so each test is written once.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import redis

from gorillacompat.errors import DecodeError, GorillaError
from gorillacompat.gob import GoSlice
from gorillacompat.redistore import (
    AsyncRbcRedisStore,
    AsyncRedisStore,
    InvalidExpireError,
    JSONSerializer,
    RbcRedisStore,
    RedisConnectionError,
    RedisResponseError,
    RedisStore,
    RedisStoreConfigError,
    ValueTooBigError,
)
from gorillacompat.sessions.cookie import parse_cookie_header
from gorillacompat.sessions.session import InvalidCookieNameError, Session

from .conftest import KEYS, RedisProc

_prefixes = itertools.count()


class SyncAdapter:
    """The store API with sync calls, whichever store is underneath."""

    def __init__(self, store: Any, loop: asyncio.AbstractEventLoop | None) -> None:
        self.store = store
        self.loop = loop

    def _run(self, value: Any) -> Any:
        return self.loop.run_until_complete(value) if self.loop is not None else value

    def new(self, cookies: Mapping[str, str], name: str = "session") -> Session:
        return self._run(self.store.new(cookies, name))  # type: ignore[no-any-return]

    def get(self, cookies: Mapping[str, str], name: str = "session") -> Session:
        return self._run(self.store.get(cookies, name))  # type: ignore[no-any-return]

    def save(self, session: Session) -> str:
        return self._run(self.store.save(session))  # type: ignore[no-any-return]

    def delete(self, session: Session) -> str:
        return self._run(self.store.delete(session))  # type: ignore[no-any-return]

    def close(self) -> None:
        self._run(self.store.close())


def cookie_jar(header: str) -> dict[str, str]:
    """What a browser sends back after ``Set-Cookie: header``."""
    name, _, rest = header.partition("=")
    return {name: rest.split(";", 1)[0]}


def make_store(kind: str, url: str, **kw: Any) -> SyncAdapter:
    prefix = kw.pop("key_prefix", f"t{next(_prefixes)}_")
    if kind == "sync":
        return SyncAdapter(RedisStore(url, *KEYS, key_prefix=prefix, **kw), None)
    if kind == "rbc-sync":
        return SyncAdapter(RbcRedisStore(url, key_prefix=prefix, **kw), None)
    loop = asyncio.new_event_loop()
    cls: Any = AsyncRedisStore if kind == "async" else AsyncRbcRedisStore
    args = KEYS if kind == "async" else []
    store = cls(url, *args, key_prefix=prefix, **kw)
    return SyncAdapter(store, loop)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make(redis_server: RedisProc, kind: str) -> Iterator[Any]:
    made: list[SyncAdapter] = []

    def _make(**kw: Any) -> SyncAdapter:
        url = kw.pop("url", redis_server.url)
        st = make_store(kind, url, **kw)
        made.append(st)
        return st

    yield _make
    for st in made:
        st.close()
        if st.loop is not None:
            st.loop.close()


@pytest.fixture
def raw(redis_server: RedisProc) -> Iterator[redis.Redis]:
    c = redis_server.client()
    yield c
    c.close()


def test_round_trip_and_merge(make: Any, raw: redis.Redis) -> None:
    st = make()
    s = st.new({})
    assert s.is_new and s.id == "" and s.error is None
    s.values["user"] = "ann"
    s.values[7] = 1.5
    header = st.save(s)
    assert len(s.id) == 52
    assert raw.ttl(st.store.rules.key(s.id)) == 86400 * 30
    again = st.get(cookie_jar(header))
    assert not again.is_new and again.id == s.id and dict(again.values) == {"user": "ann", 7: 1.5}
    # merge: values already in the session stay unless the record has the key
    fresh = st.new(cookie_jar(header))
    assert fresh.values["user"] == "ann"


def test_flashes_survive(make: Any) -> None:
    st = make()
    s = st.new({})
    s.add_flash("hello")
    s.add_flash("world")
    header = st.save(s)
    loaded = st.get(cookie_jar(header))
    assert loaded.flashes() == ["hello", "world"]
    assert isinstance(s.values["_flash"], GoSlice)


def test_negative_max_age_deletes(make: Any, raw: redis.Redis) -> None:
    st = make()
    s = st.new({})
    s.values["a"] = 1
    st.save(s)
    key = st.store.rules.key(s.id)
    assert raw.exists(key)
    s.options.max_age = -1
    header = st.save(s)
    assert not raw.exists(key)
    assert header == "session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"


@pytest.mark.parametrize("compat", ["v1", "v2"])
def test_zero_max_age_by_compat(make: Any, raw: redis.Redis, compat: str) -> None:
    st = make(compat=compat, default_max_age=777)
    s = st.new({})
    s.values["a"] = 1
    st.save(s)
    key = st.store.rules.key(s.id)
    s.options.max_age = 0
    header = st.save(s)
    if compat == "v2":
        assert 770 <= raw.ttl(key) <= 777
        assert "Max-Age" not in header and header.startswith("session=MT")
    else:
        assert not raw.exists(key) and header == "session=; Path=/"


def test_failed_saves_keep_the_old_record(make: Any, raw: redis.Redis) -> None:
    st = make(max_length=200, default_max_age=0)
    s = st.new({})
    s.values["a"] = "small"
    st.save(s)
    key = st.store.rules.key(s.id)
    before = raw.get(key)
    s.values["a"] = "x" * 500
    with pytest.raises(ValueTooBigError):
        st.save(s)
    s.values["a"] = object()  # gob cannot carry it
    with pytest.raises(GorillaError):
        st.save(s)
    s.values["a"] = "fine"
    s.options.max_age = 0  # v2 + default_max_age=0: Go would send SETEX 0
    with pytest.raises(InvalidExpireError):
        st.save(s)
    assert raw.get(key) == before


def test_bad_cookie_gives_fresh_session_with_error(make: Any) -> None:
    st = make()
    s = st.get({"session": "garbage!"})
    assert s.is_new and s.id == "" and isinstance(s.error, DecodeError)
    s2 = st.get({"other": "x"})
    assert s2.error is None and s2.is_new


def test_unknown_id_stays_new_and_keeps_id(make: Any) -> None:
    st = make()
    s = st.new({})
    s.values["a"] = 1
    header = st.save(s)
    s.options.max_age = -1
    st.save(s)
    again = st.get(cookie_jar(header))
    assert again.is_new and again.id == s.id and again.error is None and not again.values


def test_garbage_in_redis_is_a_decode_error(make: Any, raw: redis.Redis) -> None:
    st = make()
    s = st.new({})
    header = st.save(s)
    raw.set(st.store.rules.key(s.id), b"\xff\xfe not gob")
    again = st.get(cookie_jar(header))
    assert again.is_new and isinstance(again.error, DecodeError)
    raw.delete(st.store.rules.key(s.id))
    raw.lpush(st.store.rules.key(s.id), b"x")  # WRONGTYPE
    with pytest.raises(RedisResponseError):
        st.get(cookie_jar(header))


def test_key_rotation(make: Any, redis_server: RedisProc) -> None:
    old = make()
    s = old.new({})
    s.values["a"] = 1
    header = old.save(s)
    new_key = b"n" * 32
    if old.loop is None:
        rotated = SyncAdapter(
            RedisStore(redis_server.url, new_key, None, *KEYS, key_prefix=old.store.rules.key_prefix),
            None,
        )
    else:
        loop = asyncio.new_event_loop()
        rotated = SyncAdapter(
            AsyncRedisStore(redis_server.url, new_key, None, *KEYS, key_prefix=old.store.rules.key_prefix),
            loop,
        )
    try:
        loaded = rotated.get(cookie_jar(header))
        assert loaded.values["a"] == 1
        header2 = rotated.save(loaded)
        assert old.get(cookie_jar(header2)).error is not None  # old store lacks the new key
    finally:
        rotated.close()
        if rotated.loop is not None:
            rotated.loop.close()


def test_json_serializer(make: Any) -> None:
    st = make(serializer=JSONSerializer())
    s = st.new({})
    s.values["n"] = 3
    header = st.save(s)
    assert st.get(cookie_jar(header)).values["n"] == 3.0


def test_delete_method(make: Any, raw: redis.Redis) -> None:
    st = make()
    s = st.new({})
    s.values["a"] = 1
    st.save(s)
    header = st.delete(s)
    assert not raw.exists(st.store.rules.key(s.id)) and not s.values
    assert "Max-Age=0" in header and s.options.max_age == 86400 * 30


def test_invalid_name_and_no_keys(make: Any, redis_server: RedisProc) -> None:
    st = make()
    with pytest.raises(InvalidCookieNameError):
        st.get({}, "bad name")
    with pytest.raises(RedisStoreConfigError):
        RedisStore(redis_server.url)


def test_redis_down_is_a_connection_error(kind: str) -> None:
    st = make_store(kind, "redis://127.0.0.1:1/0", socket_connect_timeout=1)
    try:
        s = st.new({})
        with pytest.raises(RedisConnectionError) as info:
            st.save(s)
        assert info.value.command == "SETEX" and info.value.is_internal()
        assert s.id  # an ID was assigned, nothing stored
    finally:
        st.close()
        if st.loop is not None:
            st.loop.close()


@pytest.mark.parametrize("flavor", ["rbc-sync", "rbc-async"])
def test_rbcervilla_flavour(redis_server: RedisProc, raw: redis.Redis, flavor: str) -> None:
    st = make_store(flavor, redis_server.url, key_prefix="session:")
    try:
        s = st.new({})
        s.values["a"] = 1
        header = st.save(s)
        assert len(s.id) == 103 and header.startswith(f"session={s.id};")
        assert raw.ttl("session:" + s.id) == 86400 * 30
        assert st.get(parse_cookie_header(header.split(";")[0])).values["a"] == 1
        s.options.max_age = 0
        assert st.save(s) == "session=; Path=/"
        assert not raw.exists("session:" + s.id)
    finally:
        st.close()
        if st.loop is not None:
            st.loop.close()


def test_issue_13_keys_go_keeps_apart_survive(make: Any) -> None:
    """1, true, 1.0, int64(1) and "1" are five Go keys in session.Values; the record keeps five."""
    from gorillacompat.values import Int64

    st = make()
    s = st.new({})
    entries = [(1, "int"), (True, "bool"), (1.0, "float64"), (Int64(1), "int64"), ("1", "string")]
    for key, value in entries:
        s.values[key] = value
    again = st.get(cookie_jar(st.save(s)))
    assert list(again.values.items()) == entries
    assert [type(k) for k in again.values] == [int, bool, float, Int64, str]
