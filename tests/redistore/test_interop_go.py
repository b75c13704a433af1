"""Live interop with the REAL Go stores (go-harness redis_* kinds) on a loopback redis-server.

Go writes → Python reads; Python writes → Go reads; Go updates → Python sees; deletes and MaxAge
0/negative on either side; TTLs and error texts equal to Go's. Flavours: boj/redistore v2.0.1
("v2"), v1.4.2 ("v1"), rbcervilla/redisstore v9 ("rbc").
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import redis

from gorillacompat.errors import GorillaError
from gorillacompat.redistore import (
    InvalidExpireError,
    JSONKeyError,
    JSONSerializer,
    RbcRedisStore,
    RedisStore,
    ValueTooBigError,
)
from gorillacompat.sessions.session import Session

from .conftest import KEYS, GoStores, RedisProc

pytestmark = pytest.mark.live
_n = itertools.count()

IFACE_MAP = "map[interface {}]interface {}"


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Typed jsonview of a map[interface{}]interface{} with string keys and str/int/bool values."""
    tname = {str: "string", int: "int", bool: "bool", float: "float64"}
    pairs = [[{"t": "string", "v": k}, {"t": tname[type(v)], "v": v}] for k, v in sorted(values.items())]
    return {"t": IFACE_MAP, "v": pairs}


def plain(view: dict[str, Any]) -> dict[Any, Any]:
    assert view["t"] == IFACE_MAP
    return {k["v"]: v["v"] for k, v in view["v"]}


def cookie_of(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]


def py_store(server: RedisProc, flavor: str, **kw: Any) -> Any:
    if flavor == "rbc":
        return RbcRedisStore(server.url, **kw)
    return RedisStore(server.url, *KEYS, compat=flavor, **kw)


def go_base(server: RedisProc, flavor: str, prefix: str) -> dict[str, Any]:
    return {"addrs": [server.addr], "flavor": flavor, "key_prefix": prefix}


@pytest.fixture
def raw(redis_server: RedisProc) -> Any:
    c = redis_server.client()
    yield c
    c.close()


@pytest.mark.parametrize("flavor", ["v2", "v1", "rbc"])
def test_go_writes_python_reads_python_updates_go_sees(
    go_stores: GoStores, redis_server: RedisProc, raw: redis.Redis, flavor: str
) -> None:
    prefix = f"i{next(_n)}_"
    base = go_base(redis_server, flavor, prefix)
    ans = go_stores.one(kind="redis_save", values=typed({"user": "ann", "n": 7, "ok": True}), **base)
    assert ans["error"] is None
    header = ans["set_cookie"][0]
    sid = ans["saved_id"]
    assert len(sid) == (103 if flavor == "rbc" else 52)
    # Python reads what Go wrote; the TTL is Go's.
    assert raw.ttl(prefix + sid) == 86400 * 30
    st = py_store(redis_server, flavor, key_prefix=prefix)
    s = st.get({"session": cookie_of(header)}, "session")
    assert s.error is None and not s.is_new and s.id == sid
    assert dict(s.values) == {"user": "ann", "n": 7, "ok": True}
    # Python updates; Go sees it and keeps the same ID.
    s.values["n"] = 8
    s.values["py"] = "yes"
    py_header = st.save(s)
    assert raw.ttl(prefix + sid) == 86400 * 30
    seen = go_stores.one(kind="redis_load", cookie=cookie_of(py_header), **base)
    assert seen["load_error"] is None and seen["is_new"] is False and seen["session_id"] == sid
    assert plain(seen["values"]) == {"user": "ann", "n": 8, "ok": True, "py": "yes"}
    # Go updates again; Python sees.
    upd = go_stores.one(kind="redis_save", cookie=cookie_of(py_header), values=typed({"n": 9}), **base)
    assert upd["error"] is None and upd["saved_id"] == sid
    assert st.get({"session": cookie_of(py_header)}, "session").values["n"] == 9
    st.close()


@pytest.mark.parametrize("flavor", ["v2", "v1", "rbc"])
def test_python_writes_go_reads_same_bytes_and_ttl(
    go_stores: GoStores, redis_server: RedisProc, raw: redis.Redis, flavor: str
) -> None:
    prefix = f"i{next(_n)}_"
    st = py_store(redis_server, flavor, key_prefix=prefix)
    s = st.new({}, "session")
    s.options.max_age = 3600
    s.values["user"] = "bob"
    header = st.save(s)
    py_bytes = raw.get(prefix + s.id)
    assert raw.ttl(prefix + s.id) == 3600
    got = go_stores.one(kind="redis_load", cookie=cookie_of(header), **go_base(redis_server, flavor, prefix))
    assert got["load_error"] is None and plain(got["values"]) == {"user": "bob"}
    # Go rewriting the same values stores the same bytes with the same TTL rule.
    again = go_stores.one(
        kind="redis_save", cookie=cookie_of(header), max_age=3600,
        **go_base(redis_server, flavor, prefix),
    )  # fmt: skip
    assert again["error"] is None
    assert raw.get(prefix + s.id) == py_bytes
    assert raw.ttl(prefix + s.id) == 3600
    st.close()


@pytest.mark.parametrize("flavor", ["v2", "v1", "rbc"])
@pytest.mark.parametrize("max_age", [0, -1])
@pytest.mark.parametrize("who_deletes", ["go", "python"])
def test_max_age_zero_and_negative_on_either_side(
    go_stores: GoStores,
    redis_server: RedisProc,
    raw: redis.Redis,
    flavor: str,
    max_age: int,
    who_deletes: str,
) -> None:
    prefix = f"i{next(_n)}_"
    base = go_base(redis_server, flavor, prefix)
    st = py_store(
        redis_server, flavor, key_prefix=prefix, **({} if flavor == "rbc" else {"default_max_age": 900})
    )
    s = st.new({}, "session")
    s.values["a"] = 1
    cookie = cookie_of(st.save(s))
    key = prefix + s.id
    if who_deletes == "go":
        ans = go_stores.one(kind="redis_save", cookie=cookie, max_age=max_age, default_max_age=900, **base)
        assert ans["error"] is None
        header = ans["set_cookie"][0]
    else:
        loaded = st.get({"session": cookie}, "session")
        loaded.options.max_age = max_age
        header = st.save(loaded)
    deletes = max_age < 0 or flavor != "v2"
    if deletes:
        assert not raw.exists(key)
        assert header.startswith("session=;")
    else:
        assert raw.ttl(key) == 900  # v2.0.1: MaxAge 0 → SETEX DefaultMaxAge
        assert "Max-Age" not in header
    # Both sides agree on the resulting header.
    if who_deletes == "python" and (deletes or flavor == "v2"):
        go_view = go_stores.one(kind="redis_load", cookie=cookie, **base)
        assert go_view["is_new"] is deletes
    st.close()


def test_go_delete_method_and_python_delete(
    go_stores: GoStores, redis_server: RedisProc, raw: redis.Redis
) -> None:
    prefix = f"i{next(_n)}_"
    base = go_base(redis_server, "v2", prefix)
    st = RedisStore(redis_server.url, *KEYS, key_prefix=prefix)
    s = st.new({}, "session")
    s.values["a"] = 1
    header = st.save(s)
    ans = go_stores.one(kind="redis_delete", cookie=cookie_of(header), **base)
    assert ans["error"] is None and not raw.exists(prefix + s.id)
    s2 = st.new({}, "session")
    s2.values["b"] = 2
    st.save(s2)
    py_header = st.delete(s2)
    assert py_header == ans["set_cookie"][0].replace(ans["set_cookie"][0], py_header)
    assert py_header.split("; Expires")[0] == "session=; Path=/"
    assert ans["set_cookie"][0].split("; Expires")[0] == "session=; Path=/"
    st.close()


@pytest.mark.parametrize("flavor", ["v2", "v1"])
def test_too_big_text_and_limit_match_go(go_stores: GoStores, redis_server: RedisProc, flavor: str) -> None:
    prefix = f"i{next(_n)}_"
    base = go_base(redis_server, flavor, prefix)
    st = RedisStore(redis_server.url, *KEYS, key_prefix=prefix, compat=flavor, max_length=100)
    # find the boundary: the serialized gob length for a value of n bytes
    s = Session("session", options=st.options.copy())
    s.values["v"] = "x" * 10
    overhead = len(st.rules.serializer.dumps(s.values)) - 10
    fits, too_big = 100 - overhead, 101 - overhead
    for n, ok in ((fits, True), (too_big, False)):
        go = go_stores.one(kind="redis_save", values=typed({"v": "x" * n}), max_length=100, **base)
        s = st.new({}, "session")
        s.values["v"] = "x" * n
        if ok:
            assert go["error"] is None
            st.save(s)
        else:
            with pytest.raises(ValueTooBigError) as info:
                st.save(s)
            assert go["error"] == str(info.value) == "SessionStore: the value to store is too big"
    st.close()


def test_setex_zero_go_gets_redis_error_we_raise_before_sending(
    go_stores: GoStores, redis_server: RedisProc
) -> None:
    prefix = f"i{next(_n)}_"
    go = go_stores.one(
        kind="redis_save", values=typed({"a": 1}), max_age=0, default_max_age=0,
        **go_base(redis_server, "v2", prefix),
    )  # fmt: skip
    st = RedisStore(redis_server.url, *KEYS, key_prefix=prefix, default_max_age=0)
    s = st.new({}, "session")
    s.values["a"] = 1
    s.options.max_age = 0
    with pytest.raises(InvalidExpireError) as info:
        st.save(s)
    assert go["error"] == str(info.value) == "ERR invalid expire time in 'setex' command"
    st.close()


@pytest.mark.parametrize("flavor", ["v2", "v1"])
def test_json_serializer_interop(
    go_stores: GoStores, redis_server: RedisProc, raw: redis.Redis, flavor: str
) -> None:
    prefix = f"i{next(_n)}_"
    base = {**go_base(redis_server, flavor, prefix), "serializer": "json"}
    go = go_stores.one(kind="redis_save", values=typed({"b": "<&>", "a": 1}), **base)
    assert go["error"] is None
    go_bytes = raw.get(prefix + go["saved_id"])
    st = RedisStore(redis_server.url, *KEYS, key_prefix=prefix, compat=flavor, serializer=JSONSerializer())
    s = st.get({"session": cookie_of(go["set_cookie"][0])}, "session")
    assert dict(s.values) == {"a": 1.0, "b": "<&>"}
    header = st.save(s)  # rewrite the same values: same bytes as Go's json.Marshal
    assert raw.get(prefix + s.id) == go_bytes == b'{"a":1,"b":"\\u003c\\u0026\\u003e"}'
    assert go_stores.one(kind="redis_load", cookie=cookie_of(header), **base)["load_error"] is None
    # non-string keys: same error text as Go
    bad = go_stores.one(
        kind="redis_save",
        values={"t": IFACE_MAP, "v": [[{"t": "int", "v": 5}, {"t": "string", "v": "x"}]]},
        **base,
    )
    s.values[5] = "x"
    with pytest.raises(JSONKeyError) as info:
        st.save(s)
    assert bad["error"] == str(info.value)
    # Go also prints it to stdout (we do not): documented discrepancy, text checked here.
    assert bad["stdout"] == "redistore.JSONSerializer.serialize() Error: " + str(info.value)
    st.close()


def test_cookie_header_matches_go(go_stores: GoStores, redis_server: RedisProc) -> None:
    """Same Set-Cookie shape (attributes, Max-Age, Expires format) as Go's."""
    prefix = f"i{next(_n)}_"
    go = go_stores.one(kind="redis_save", values=typed({"a": 1}), **go_base(redis_server, "v2", prefix))
    st = RedisStore(redis_server.url, *KEYS, key_prefix=prefix)
    s = st.new({}, "session")
    s.values["a"] = 1
    py = st.save(s)
    strip = lambda h: h.split(";", 1)[1].rsplit("Expires=", 1)[0]  # noqa: E731
    assert strip(py) == strip(go["set_cookie"][0])
    assert py.endswith("; Max-Age=2592000") and go["set_cookie"][0].endswith("; Max-Age=2592000")
    st.close()


def test_errors_are_gorilla_errors() -> None:
    assert issubclass(InvalidExpireError, GorillaError)
