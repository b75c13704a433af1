"""Faults on a live server: memcached stopped mid-request and restarted; a hung server.

The store raises a typed error (never a bare pymemcache/aiomcache/socket one), never hangs, never
hands one request the answer meant for another, and the same store object works again once the
server is back.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from gorillacompat.memcache import MemcacheConnectionError, MemcacheStoreError, MemcacheTimeoutError

from ._facade import cookie_of, make_store
from .conftest import KEYS, MemcachedProc

pytestmark = pytest.mark.live


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (aiomcache 0.8 alone spins forever on a closed connection)."""

    def boom(signum: int, frame: FrameType | None) -> None:
        raise AssertionError(f"still running after {seconds}s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_server_stopped_mid_request_then_restarted(own_mc: MemcachedProc, flavor: str) -> None:
    st = make_store(flavor, own_mc.address, *KEYS, timeout=2.0)
    try:
        with deadline(30):
            s = st.new({}, "session")
            s.values["n"] = 1
            cookie = cookie_of(st.save(s))  # acknowledged, over a pooled connection
            loaded = st.get({"session": cookie}, "session")
            loaded.values["n"] = 2
            own_mc.stop()  # mid-request: between load and save
            with pytest.raises(MemcacheStoreError) as info:
                st.save(loaded)
            assert isinstance(info.value, MemcacheConnectionError)
            assert info.value.operation == "save" and s.id not in str(info.value)
            with pytest.raises(MemcacheConnectionError) as load_info:
                st.get({"session": cookie}, "session")
            assert load_info.value.operation == "load"
            with pytest.raises(MemcacheConnectionError):
                st.delete(loaded)
            own_mc.start()
            # memcached keeps nothing across a restart: the cookie's session is gone, not broken.
            gone = st.get({"session": cookie}, "session")
            assert gone.is_new and gone.error is None and gone.id == s.id
            gone.values["n"] = 3
            st.save(gone)
            assert st.get({"session": cookie}, "session").values["n"] == 3
    finally:
        st.close()


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_hung_server_times_out_and_no_answer_goes_astray(own_mc: MemcachedProc, flavor: str) -> None:
    st = make_store(flavor, own_mc.address, *KEYS, timeout=0.3, store_method="json")
    try:
        with deadline(30):
            cookies = {}
            for who in ("a", "b"):
                s = st.new({}, "session")
                s.values["who"] = who
                cookies[who] = cookie_of(st.save(s))
            own_mc.pause()
            with pytest.raises(MemcacheTimeoutError) as info:
                st.get({"session": cookies["a"]}, "session")
            assert isinstance(info.value, MemcacheConnectionError) and info.value.operation == "load"
            own_mc.resume()  # memcached now answers the timed-out get on its old connection
            for who in ("b", "b", "a", "b", "a", "b"):  # plain aiomcache: the 2nd gets None
                assert st.get({"session": cookies[who]}, "session").values["who"] == who
    finally:
        own_mc.resume()
        st.close()
