"""Live interop with the REAL gorilla-sessions-memcache (go-harness mc_* kinds) on a private memcached.

Go saves (strings, ints, flashes, a registered struct, a time) → Python reads the same values;
Python saves → Go reads; either side deletes → the other sees no session; expiry on both sides
(memcached's TTL and securecookie's max age); key rotation; all three store methods; the key
prefix; gin-contrib's constructor; Go's quirks, pinned.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from gorillacompat import jsonview
from gorillacompat.memcache import JSONKeyError, MemcacheStore
from gorillacompat.values import GoTime
from tests._interop import GO_VALUES, IFACE_MAP, canon, s

from ._facade import cookie_of, make_store
from .conftest import KEYS, KEYS_HEX, GoMC

pytestmark = pytest.mark.live

METHODS = ["securecookie", "gob", "json"]
DAY = 86400


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def py(flavor: str, address: str) -> Iterator[Any]:
    st = make_store(flavor, address, *KEYS)
    yield st
    st.close()


@pytest.mark.parametrize("method", METHODS)
def test_go_saves_python_reads_python_updates_go_reads(
    go_mc: GoMC, address: str, flavor: str, method: str
) -> None:
    ans = go_mc.one(address, kind="mc_save", store_method=method, values=GO_VALUES, flashes=["hi", "there"])
    assert ans["error"] is None
    (go_header,) = ans["set_cookie"]
    cookie = cookie_of(go_header)
    go_view = go_mc.one(address, kind="mc_load", store_method=method, cookie=cookie)["values"]
    st = make_store(flavor, address, *KEYS, store_method=method)
    try:
        got = st.get({"session": cookie}, "session")
        assert got.error is None and not got.is_new and got.id == ans["saved_id"]
        # The same values, with the same Go types, as Go's own reader sees them.
        assert canon(jsonview.to_typed(got.values)) == canon(go_view)
        assert got.flashes() == ["hi", "there"]
        if method != "json":  # JSON turns the struct into a map, the ints into float64
            flash = [s("_flash"), {"t": "[]interface {}", "v": [s("hi"), s("there")]}]
            assert canon(go_view) == canon({"t": IFACE_MAP, "v": [*GO_VALUES["v"], flash]})
        got.values["py"] = "yes"
        py_header = st.save(got)
        # Same cookie attributes as Go's (the value differs: new timestamp and IV).
        assert (
            py_header.split(";", 1)[1].split("Expires=")[0] == go_header.split(";", 1)[1].split("Expires=")[0]
        )
        seen = go_mc.one(address, kind="mc_load", store_method=method, cookie=cookie_of(py_header))
        assert seen["load_error"] is None and seen["is_new"] is False and seen["session_id"] == got.id
        assert canon(seen["values"]) == canon(jsonview.to_typed(got.values))
    finally:
        st.close()


@pytest.mark.parametrize("method", METHODS)
def test_python_saves_go_reads(go_mc: GoMC, address: str, flavor: str, method: str, raw: Any) -> None:
    st = make_store(flavor, address, *KEYS, store_method=method)
    try:
        sess = st.new({}, "session")
        sess.values["user"] = "bob"
        sess.values["n"] = 42 if method != "json" else 42.0
        if method != "json":
            sess.values["at"] = GoTime(1_700_000_000, 123456789, 3600)
        sess.add_flash("welcome")
        header = st.save(sess)
        item = raw.get(sess.id.encode())
        assert item is not None and len(sess.id) == 52
        if method == "json":  # json.Marshal's bytes exactly: what Go's store writes for these values
            values = sess.values.copy()  # a map[interface {}]interface {}, as Go's store holds
            del values["_flash"]
            go = go_mc.one(address, kind="mc_save", store_method=method, values=jsonview.to_typed(values),
                           flashes=["welcome"])  # fmt: skip
            assert item == raw.get(go["saved_id"].encode())
        got = go_mc.one(address, kind="mc_load", store_method=method, cookie=cookie_of(header))
        assert got["load_error"] is None and got["is_new"] is False and got["session_id"] == sess.id
        assert canon(got["values"]) == canon(jsonview.to_typed(sess.values))
        # Go updating it keeps the key and Python sees the change.
        upd = go_mc.one(
            address, kind="mc_save", store_method=method, cookie=cookie_of(header),
            values={"t": IFACE_MAP, "v": [[s("user"), s("cy")]]},
        )  # fmt: skip
        assert upd["error"] is None and upd["saved_id"] == sess.id
        assert st.get({"session": cookie_of(header)}, "session").values["user"] == "cy"
    finally:
        st.close()


@pytest.mark.parametrize("who", ["go", "python"])
def test_either_side_deletes(go_mc: GoMC, address: str, py: Any, raw: Any, who: str) -> None:
    ans = go_mc.one(address, kind="mc_save", values=GO_VALUES)
    cookie, sid = cookie_of(ans["set_cookie"][0]), ans["saved_id"]
    assert raw.get(sid.encode()) is not None
    if who == "go":
        gone = go_mc.one(address, kind="mc_save", cookie=cookie, max_age=-1)
        assert gone["error"] is None and "Max-Age=0" in gone["set_cookie"][0]
        fresh = py.get({"session": cookie}, "session")
        assert fresh.is_new and fresh.error is None and not fresh.values and fresh.id == sid
    else:
        header = py.delete(py.get({"session": cookie}, "session"))
        assert header.split("; Expires")[0] == "session=; Path=/" and "Max-Age=0" in header
        seen = go_mc.one(address, kind="mc_load", cookie=cookie)
        assert seen["is_new"] is True and seen["load_error"] == "memcache: cache miss"
    assert raw.get(sid.encode()) is None


def test_memcached_ttl_expiry_on_both_sides(go_mc: GoMC, address: str, py: Any) -> None:
    go_cookie = cookie_of(go_mc.one(address, kind="mc_save", values=GO_VALUES, max_age=1)["set_cookie"][0])
    sess = py.new({}, "session")
    sess.options.max_age = 1
    sess.values["a"] = 1
    py_cookie = cookie_of(py.save(sess))
    assert not py.get({"session": go_cookie}, "session").is_new
    assert go_mc.one(address, kind="mc_load", cookie=py_cookie)["is_new"] is False
    time.sleep(2.1)  # memcached's clock ticks in whole seconds
    assert py.get({"session": go_cookie}, "session").is_new
    assert go_mc.one(address, kind="mc_load", cookie=py_cookie)["load_error"] == "memcache: cache miss"


def test_securecookie_max_age_is_30_days_whatever_the_options(go_mc: GoMC, address: str) -> None:
    """Go's store has no MaxAge method: its codecs keep 30 days even for MaxAge 0 (never expires)."""
    then = int(time.time()) - 31 * DAY
    old = MemcacheStore(address, *KEYS, clock=lambda: then)
    sess = old.new({}, "session")
    sess.options.max_age = 0
    sess.values["a"] = 1
    cookie = cookie_of(old.save(sess))
    go = go_mc.one(address, kind="mc_load", cookie=cookie)
    assert go["is_new"] is True and go["load_error"] == "securecookie: expired timestamp"
    st = MemcacheStore(address, *KEYS, options=old.options)
    assert str(st.get({"session": cookie}, "session").error) == go["load_error"]
    # Go's item from 31 days ago: Python refuses it with Go's text.
    ans = go_mc.one(address, kind="mc_save", values=GO_VALUES, max_age=0, now=then)
    late = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
    assert late.is_new and str(late.error) == go["load_error"]
    old.close()
    st.close()


def test_go_quirk_max_age_over_30_days_loses_the_session_we_keep_it(
    go_mc: GoMC, address: str, py: Any, raw: Any
) -> None:
    # Go sends uint32(MaxAge) as the exptime: memcached reads 2592001 as a time in 1970.
    go = go_mc.one(address, kind="mc_save", values=GO_VALUES, max_age=30 * DAY + 1)
    assert go["error"] is None and "Max-Age=2592001" in go["set_cookie"][0]
    assert raw.get(go["saved_id"].encode()) is None
    assert go_mc.one(address, kind="mc_load", cookie=cookie_of(go["set_cookie"][0]))["is_new"] is True
    # Exactly 30 days is still relative, on both sides.
    go30 = go_mc.one(address, kind="mc_save", values=GO_VALUES, max_age=30 * DAY)
    assert raw.get(go30["saved_id"].encode()) is not None
    # Ours sends now + MaxAge as a Unix time: the item is there, and Go reads it.
    sess = py.new({}, "session")
    sess.options.max_age = 90 * DAY
    sess.values["a"] = 1
    header = py.save(sess)
    assert "Max-Age=7776000" in header and raw.get(sess.id.encode()) is not None
    seen = go_mc.one(address, kind="mc_load", cookie=cookie_of(header))
    assert seen["load_error"] is None and seen["is_new"] is False


def test_go_quirk_cache_miss_is_an_error_in_go_and_keeps_the_id(go_mc: GoMC, address: str, py: Any) -> None:
    sess = py.new({}, "session")
    sess.values["a"] = 1
    cookie = cookie_of(py.save(sess))
    py.delete(py.get({"session": cookie}, "session"))
    # Go: New returns ErrCacheMiss (gin-contrib logs it) and saves under the cookie's old ID.
    go = go_mc.one(address, kind="mc_save", cookie=cookie, values={"t": IFACE_MAP, "v": [[s("b"), s("c")]]})
    assert go["load_error"] == "memcache: cache miss" and go["is_new"] is True
    assert go["saved_id"] == sess.id
    # Ours: a fresh session without error (MemStore's rule), the same ID kept, as in Go.
    py.delete(py.get({"session": cookie}, "session"))
    again = py.get({"session": cookie}, "session")
    assert again.is_new and again.error is None and again.id == sess.id


def test_key_rotation_both_ways(go_mc: GoMC, address: str, flavor: str) -> None:
    new_hash, new_block = b"N" * 32, b"B" * 32
    rotated_hex = [new_hash.hex(), new_block.hex(), *KEYS_HEX]
    ans = go_mc.one(address, kind="mc_save", values=GO_VALUES)  # old pair only
    st = make_store(flavor, address, new_hash, new_block, *KEYS)
    try:
        got = st.get({"session": cookie_of(ans["set_cookie"][0])}, "session")
        assert got.error is None and got.values["user"] == "ann"
        got.values["user"] = "cat"
        header = st.save(got)  # encodes cookie and item with the new pair
        seen = go_mc.one(address, kind="mc_load", cookie=cookie_of(header), keys=rotated_hex)
        assert seen["load_error"] is None and canon(seen["values"]) == canon(jsonview.to_typed(got.values))
        stale = go_mc.one(address, kind="mc_load", cookie=cookie_of(header))
        assert stale["is_new"] is True and stale["load_error"] == "securecookie: the value is not valid"
    finally:
        st.close()


def test_key_prefix_and_gin_contrib_constructor(go_mc: GoMC, address: str, flavor: str, raw: Any) -> None:
    ans = go_mc.one(address, kind="mc_save", via="gin", key_prefix="gin:", values=GO_VALUES)
    sid = ans["saved_id"]
    assert raw.get(f"gin:{sid}".encode()) is not None and raw.get(sid.encode()) is None
    cookie = cookie_of(ans["set_cookie"][0])
    st = make_store(flavor, address, *KEYS, key_prefix="gin:")
    unprefixed = make_store(flavor, address, *KEYS)
    try:
        assert st.get({"session": cookie}, "session").values["user"] == "ann"
        assert unprefixed.get({"session": cookie}, "session").is_new
        sess = st.new({}, "session")
        header = st.save(sess)
        assert raw.get(f"gin:{sess.id}".encode()) is not None
        seen = go_mc.one(address, kind="mc_load", via="gin", key_prefix="gin:", cookie=cookie_of(header))
        assert seen["is_new"] is False
    finally:
        st.close()
        unprefixed.close()


def test_error_texts_match_go(go_mc: GoMC, address: str) -> None:
    go = go_mc.one(
        address, kind="mc_save", store_method="json",
        values={"t": IFACE_MAP, "v": [[{"t": "int", "v": 1}, s("x")]]},
    )  # fmt: skip
    st = MemcacheStore(address, *KEYS, store_method="json")
    sess = st.new({}, "session")
    sess.values[1] = "x"
    with pytest.raises(JSONKeyError) as info:
        st.save(sess)
    assert str(info.value) == go["error"] == "Non-string key value, cannot jsonize: 1"
    long = {"t": IFACE_MAP, "v": [[s("v"), s("x" * 300)]]}
    go = go_mc.one(address, kind="mc_save", values=long, max_length=200)
    st.close()
    st = MemcacheStore(address, *KEYS, max_length=200)
    sess = st.new({}, "session")
    sess.values["v"] = "x" * 300
    with pytest.raises(Exception) as too_long:
        st.save(sess)
    assert str(too_long.value) == go["error"]
    st.close()


def test_store_methods_do_not_read_each_other(go_mc: GoMC, address: str) -> None:
    ans = go_mc.one(
        address, kind="mc_save", store_method="json", values={"t": IFACE_MAP, "v": [[s("a"), s("b")]]}
    )
    cookie = cookie_of(ans["set_cookie"][0])
    go = go_mc.one(address, kind="mc_load", cookie=cookie)  # securecookie reader, JSON item
    st = MemcacheStore(address, *KEYS)
    got = st.get({"session": cookie}, "session")
    assert go["is_new"] is True and got.is_new and not got.values
    assert str(got.error) == go["load_error"]
    st.close()
