"""Redis Cluster (3 masters) and Sentinel (master + replica + sentinel) through redis-py's
RedisCluster / Sentinel, with the same Go interop as the single-server tests, and a failover."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from typing import Any

import pytest
import redis
import redis.asyncio as aredis

from gorillacompat.redistore import (
    AsyncRedisStore,
    RbcRedisStore,
    RedisStore,
    RedisStoreError,
)

from .conftest import KEYS, Cluster, GoStores, SentinelSetup, wait_until
from .test_interop_go import cookie_of, plain, typed

pytestmark = pytest.mark.live
_n = itertools.count()


def _interop(go_stores: GoStores, store: Any, go_base: dict[str, Any], read_raw: Any) -> None:
    """Go writes → Python reads → Python updates → Go sees → Go deletes → Python sees it gone."""
    flavor = go_base["flavor"]
    ans = go_stores.one(kind="redis_save", values=typed({"who": "go", "n": 1}), **go_base)
    assert ans["error"] is None, ans
    cookie = cookie_of(ans["set_cookie"][0])
    s = store.get({"session": cookie}, "session")
    assert s.error is None and dict(s.values) == {"who": "go", "n": 1}
    s.values["n"] = 2
    py_cookie = cookie_of(store.save(s))
    assert read_raw(store.rules.key(s.id)) is not None
    seen = go_stores.one(kind="redis_load", cookie=py_cookie, **go_base)
    assert seen["load_error"] is None and plain(seen["values"]) == {"who": "go", "n": 2}
    gone = go_stores.one(kind="redis_save", cookie=py_cookie, max_age=-1, **go_base)
    assert gone["error"] is None
    after = store.get({"session": py_cookie}, "session")
    assert after.is_new and not after.values
    # Python writes many keys (spread over slots / nodes); Go reads each.
    cookies = []
    for i in range(6):
        x = store.new({}, "session")
        x.values["i"] = i
        cookies.append(cookie_of(store.save(x)))
    answers = go_stores.run(*({"kind": "redis_load", "cookie": c, **go_base} for c in cookies))
    assert [plain(a["values"])["i"] for a in answers] == list(range(6)), flavor


@pytest.mark.parametrize("flavor", ["v2", "v1", "rbc"])
def test_cluster_interop(go_stores: GoStores, redis_cluster: Cluster, flavor: str) -> None:
    prefix = f"c{next(_n)}_"
    client = redis_cluster.client()
    if flavor == "rbc":
        store: Any = RbcRedisStore(client, key_prefix=prefix)
    else:
        store = RedisStore(client, *KEYS, key_prefix=prefix, compat=flavor)
    base = {"mode": "cluster", "addrs": redis_cluster.addrs, "flavor": flavor, "key_prefix": prefix}
    try:
        _interop(go_stores, store, base, client.get)
    finally:
        client.close()


def test_cluster_async(redis_cluster: Cluster) -> None:
    async def main() -> None:
        client = aredis.RedisCluster(host="127.0.0.1", port=redis_cluster.nodes[0].port)
        store = AsyncRedisStore(client, *KEYS, key_prefix="ca_")
        headers = []
        for i in range(20):
            s = await store.new({}, "session")
            s.values["i"] = i
            headers.append(await store.save(s))
        got = [await store.get({"session": cookie_of(h)}, "session") for h in headers]
        assert [g.values["i"] for g in got] == list(range(20))
        await store.close()

    asyncio.run(main())


@pytest.mark.parametrize("flavor", ["v2", "v1", "rbc"])
def test_sentinel_interop(go_stores: GoStores, redis_sentinel: SentinelSetup, flavor: str) -> None:
    prefix = f"s{next(_n)}_"
    sentinel = redis_sentinel.sentinel_client()
    master = sentinel.master_for(redis_sentinel.name, socket_timeout=5)
    if flavor == "rbc":
        store: Any = RbcRedisStore(master, key_prefix=prefix)
    else:
        store = RedisStore(master, *KEYS, key_prefix=prefix, compat=flavor)
    base = {
        "mode": "sentinel", "addrs": redis_sentinel.sentinel_addrs, "master": redis_sentinel.name,
        "flavor": flavor, "key_prefix": prefix,
    }  # fmt: skip
    try:
        _interop(go_stores, store, base, master.get)
    finally:
        master.close()


def test_sentinel_failover_loses_no_acknowledged_save(own_sentinel: SentinelSetup) -> None:
    """Saves run while Sentinel fails over; every save that returned (WAIT-acknowledged by the
    replica) is readable from the new master, and failed saves raised RedisStoreError."""
    setup = own_sentinel
    sentinel = setup.sentinel_client()
    master = sentinel.master_for(setup.name, socket_timeout=2, retry_on_timeout=False)
    store = RedisStore(master, *KEYS, key_prefix="fo_", wait_replicas=1, wait_timeout_ms=500)
    old_master = setup.master_addr()
    acked: dict[str, int] = {}
    failed = 0
    stop = threading.Event()

    def failover() -> None:
        time.sleep(0.3)
        c = setup.sentinel.client()
        try:
            # Under load Sentinel may still say NOGOODSLAVE/INPROG for a moment: ask again.
            for attempt in range(40):
                try:
                    c.execute_command("SENTINEL", "FAILOVER", setup.name)
                    break
                except redis.ResponseError:
                    if attempt == 39:
                        raise
                    time.sleep(0.25)
        finally:
            c.close()
        wait_until(lambda: setup.master_addr() != old_master, 20, "sentinel to switch masters")
        time.sleep(1.0)  # keep saving on the new master for a while
        stop.set()

    t = threading.Thread(target=failover)
    t.start()
    deadline = time.monotonic() + 30
    i = 0
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            s = store.new({}, "session")
            s.values["i"] = i
            try:
                acked[cookie_of(store.save(s))] = i
            except RedisStoreError:
                failed += 1
                time.sleep(0.05)
            i += 1
    finally:
        t.join(30)
    assert stop.is_set(), "failover did not complete"
    assert setup.master_addr() != old_master
    assert len(acked) > 20
    host, port = setup.master_addr()
    check = redis.Redis(host=host, port=port)
    try:
        for cookie, n in acked.items():
            s = store.get({"session": cookie}, "session")
            assert s.error is None and s.values.get("i") == n, (n, failed)
    finally:
        check.close()
        master.close()
