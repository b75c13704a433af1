"""MemcacheStore and AsyncMemcacheStore on a live memcached: one contract, run against both."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import aiomcache
import pytest
from pymemcache.client.base import PooledClient

from gorillacompat.memcache import (
    AsyncMemcacheStore,
    ItemTooLargeError,
    JSONKeyError,
    MemcacheResponseError,
    MemcacheStore,
    MemcacheStoreConfigError,
)
from gorillacompat.sessions.session import InvalidCookieNameError

from ._facade import SyncOverAsync, cookie_of, make_store
from .conftest import KEYS

pytestmark = pytest.mark.live


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["securecookie", "gob", "json"])
def store(request: pytest.FixtureRequest, flavor: str, address: str) -> Iterator[Any]:
    st = make_store(flavor, address, *KEYS, store_method=str(request.param))
    yield st
    st.close()


def test_new_save_get_flashes(store: Any, raw: Any) -> None:
    sess = store.new({}, "session")
    assert sess.is_new and sess.id == "" and sess.error is None
    sess.values["user"] = "ann"
    sess.add_flash("hello")
    header = store.save(sess)
    assert raw.get(sess.id.encode()) is not None
    got = store.get({"session": cookie_of(header)}, "session")
    assert not got.is_new and got.id == sess.id and got.values["user"] == "ann"
    assert got.flashes() == ["hello"] and got.flashes() == []
    store.save(got)
    assert store.get({"session": cookie_of(header)}, "session").flashes() == []


def test_max_age_below_zero_deletes(store: Any, raw: Any) -> None:
    sess = store.new({}, "session")
    sess.values["a"] = "b"
    cookie = cookie_of(store.save(sess))
    loaded = store.get({"session": cookie}, "session")
    loaded.options.max_age = -1
    header = store.save(loaded)
    assert header.startswith("session=; Path=/; Expires=Thu, 01 Jan 1970") and "Max-Age=0" in header
    assert raw.get(sess.id.encode()) is None and not loaded.values
    assert store.get({"session": cookie}, "session").is_new


def test_ttl_sent_as_go_sends_it(flavor: str, address: str, raw: Any) -> None:
    st = make_store(flavor, address, *KEYS)
    try:
        forever = st.new({}, "session")
        forever.options.max_age = 0
        header = st.save(forever)
        assert "Max-Age" not in header and "Expires" not in header  # a browser-session cookie
        # memcached's "mg … t" meta command shows the TTL left: -1 for never.
        assert raw.raw_command(f"mg {forever.id} t", b"\r\n") == b"HD t-1"
        month = st.new({}, "session")
        st.save(month)
        ttl = int(raw.raw_command(f"mg {month.id} t", b"\r\n").split(b"t")[-1])
        assert 2592000 - 5 <= ttl <= 2592000
        long = st.new({}, "session")
        long.options.max_age = 90 * 86400
        st.save(long)
        ttl = int(raw.raw_command(f"mg {long.id} t", b"\r\n").split(b"t")[-1])
        # An absolute expiry: memcached's own clock ticks once a second and may lag ours by one.
        assert 90 * 86400 - 5 <= ttl <= 90 * 86400 + 1
    finally:
        st.close()


def test_a_failed_save_keeps_the_stored_value(flavor: str, address: str, raw: Any) -> None:
    st = make_store(flavor, address, *KEYS, store_method="gob")
    try:
        sess = st.new({}, "session")
        sess.values["v"] = "old"
        cookie = cookie_of(st.save(sess))
        before = raw.get(sess.id.encode())
        sess.values["v"] = "x" * (1024 * 1024)
        with pytest.raises(ItemTooLargeError):
            st.save(sess)
        assert raw.get(sess.id.encode()) == before
        assert st.get({"session": cookie}, "session").values["v"] == "old"
    finally:
        st.close()


def test_why_we_check_the_size_memcached_drops_the_old_value(flavor: str, address: str, raw: Any) -> None:
    """With the check off, memcached refuses the item and deletes the old one (Go's fate)."""
    st = make_store(flavor, address, *KEYS, store_method="gob", max_item_size=0)
    try:
        sess = st.new({}, "session")
        sess.values["v"] = "old"
        st.save(sess)
        sess.values["v"] = "x" * (1024 * 1024)
        with pytest.raises(MemcacheResponseError) as info:
            st.save(sess)
        assert "object too large" in str(info.value) and info.value.operation == "save"
        assert raw.get(sess.id.encode()) is None
    finally:
        st.close()


def test_the_size_check_lets_the_largest_item_through(flavor: str, address: str, raw: Any) -> None:
    st = make_store(flavor, address, *KEYS, store_method="json")
    try:
        sess = st.new({}, "session")
        sess.values["v"] = ""
        plan, _ = st.rules.plan_save(sess)
        fill = 1024 * 1024 - 64 - len(plan.key) - len(plan.value)
        sess.values["v"] = "x" * fill
        st.save(sess)  # exactly at our limit: memcached takes it
        assert raw.get(sess.id.encode()) is not None
    finally:
        st.close()


def test_json_key_error_sends_nothing(flavor: str, address: str, raw: Any) -> None:
    st = make_store(flavor, address, *KEYS, store_method="json")
    try:
        sess = st.new({}, "session")
        sess.values["a"] = "b"
        st.save(sess)
        sess.values[1] = 2
        with pytest.raises(JSONKeyError):
            st.save(sess)
        assert raw.get(sess.id.encode()) == b'{"a":"b"}'
    finally:
        st.close()


def test_bad_cookie_corrupt_item_and_bad_name(store: Any, raw: Any) -> None:
    bad = store.get({"session": "garbage"}, "session")
    assert bad.is_new and bad.error is not None and bad.error.is_decode()
    sess = store.new({}, "session")
    cookie = cookie_of(store.save(sess))
    raw.set(sess.id.encode(), b"\xff\x00 not a session")
    got = store.get({"session": cookie}, "session")
    assert got.is_new and got.error is not None and got.error.is_decode() and got.id == sess.id
    with pytest.raises(InvalidCookieNameError):
        store.get({}, "bad name")


def test_cookie_of_another_name_does_not_load(store: Any) -> None:
    sess = store.new({}, "a")
    cookie = cookie_of(store.save(sess))
    other = store.get({"b": cookie}, "b")
    assert other.is_new and other.error is not None


def test_clients_passed_in(address: str, raw: Any) -> None:
    host, port = address.split(":")
    client = PooledClient((host, int(port)), default_noreply=True)  # we ask for replies anyway
    st = MemcacheStore(client, *KEYS)
    sess = st.new({}, "session")
    cookie = cookie_of(st.save(sess))
    assert raw.get(sess.id.encode()) is not None
    st.close()
    assert not st.get({"session": cookie}, "session").is_new  # close() left the client open
    client.close()

    async def run() -> None:
        aclient = aiomcache.Client(host, int(port))
        ast = AsyncMemcacheStore(aclient, *KEYS)
        assert not (await ast.get({"session": cookie}, "session")).is_new
        await ast.close()
        await aclient.close()

    asyncio.run(run())


def test_bad_arguments() -> None:
    with pytest.raises(MemcacheStoreConfigError):
        MemcacheStore(42, *KEYS)  # type: ignore[arg-type]
    with pytest.raises(MemcacheStoreConfigError):
        AsyncMemcacheStore(42, *KEYS)  # type: ignore[arg-type]
    with pytest.raises(MemcacheStoreConfigError, match="Unknown StoreMethod"):
        MemcacheStore("127.0.0.1:1", *KEYS, store_method="yaml")
    with pytest.raises(MemcacheStoreConfigError):
        MemcacheStore("127.0.0.1:1")


def test_properties(flavor: str, address: str) -> None:
    st = make_store(flavor, address, *KEYS, key_prefix="p:", store_method="gob", max_length=100)
    try:
        assert (st.key_prefix, st.store_method, st.max_length, st.options.max_age) == (
            "p:",
            "gob",
            100,
            2592000,
        )
        real = st.store if isinstance(st, SyncOverAsync) else st
        real.max_length = 0
        assert real.rules.codecs[0].max_length == 0
        if isinstance(st, SyncOverAsync):
            assert st.store.timeout == 0.5
    finally:
        st.close()
