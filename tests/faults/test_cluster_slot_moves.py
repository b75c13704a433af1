"""RedisStore / AsyncRedisStore while Redis Cluster slots move between masters (issue 8, faults).

Each test owns a 3-master loopback Cluster (``own_cluster``). Worker threads (sync) or tasks
(async) keep loading and re-saving many sessions, and creating new ones, while the slots that hold
those keys are migrated from master to master:

- by hand (``SETSLOT IMPORTING/MIGRATING``, ``MIGRATE`` in small batches with pauses, ``SETSLOT
  NODE``), so clients see ``ASK`` while a slot is half-moved and ``MOVED`` afterwards; one store
  uses a hash-tagged prefix so all its keys (and every new one) sit in the slot being moved;
- with ``redis-cli --cluster reshard``, the operator's tool.

Asserted: every acknowledged save reads back afterwards with its exact bytes and a TTL; a loaded
value is never torn (each record is self-checking); every failed call raised a ``RedisStoreError``
subclass, never a redis-py exception; the same store object keeps working after the moves (no
restart, no new client); the Cluster actually sent ASK and MOVED (``INFO errorstats``). A
half-done migration (MIGRATING with no IMPORTING side) makes the client bounce until redis-py gives
up: that must be a typed ``RedisResponseError``, and the same store recovers when the slot is
closed.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
import redis.asyncio as aredis
from redis.crc import key_slot

from gorillacompat.redistore import AsyncRedisStore, RedisResponseError, RedisStore, RedisStoreError
from gorillacompat.sessions import parse_cookie_header
from tests.redistore.conftest import KEYS

from .conftest import MovableCluster

pytestmark = pytest.mark.live

#: Sessions written before the moves start, per store.
SESSIONS = 40
WORKERS = 4
#: How long workers keep going after the mover is done (they must still work: no restart).
AFTER = 0.3
#: Hard cap for one test's load phase (the mover normally ends well before).
RUN_CAP = 20.0
PAD = 24


def record(i: int, gen: int) -> dict[str, Any]:
    """A self-checking session value: ``blob`` repeats ``i`` and ``gen`` so a torn or mixed
    record cannot pass ``check_whole``."""
    return {"i": i, "gen": gen, "blob": f"{i}.{gen}|" * PAD}


def check_whole(values: Any, i: int) -> int:
    assert set(values) == {"i", "gen", "blob"}, f"torn record: {dict(values)!r}"
    assert values["i"] == i, f"record of session {values['i']} under session {i}"
    assert values["blob"] == f"{i}.{values['gen']}|" * PAD, f"torn record: {dict(values)!r}"
    return int(values["gen"])


def cookie_of(set_cookie: str) -> dict[str, str]:
    return parse_cookie_header(set_cookie.split(";", 1)[0])


@dataclass
class Entry:
    """One session's history, written by one worker only."""

    cookies: dict[str, str]
    key: str
    acked: int = 0  # last acknowledged generation
    unknown: set[int] = field(default_factory=set)  # failed saves after it (outcome unknown)

    def possible(self) -> set[int]:
        return {self.acked} | self.unknown


@dataclass
class Ledger:
    """What every worker did; checked once the moves are over."""

    entries: dict[tuple[str, int], Entry] = field(default_factory=dict)
    ops: int = 0
    failed: list[RedisStoreError] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)  # anything that is not a RedisStoreError
    broken: list[str] = field(default_factory=list)  # a torn, foreign, lost or stale record
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, exc: BaseException) -> None:
        with self.lock:
            if isinstance(exc, RedisStoreError):
                self.failed.append(exc)
            else:
                self.raw.append("".join(traceback.format_exception(exc)))

    def summary(self) -> str:
        kinds = sorted({f"{type(e).__name__}: {e}"[:160] for e in self.failed})
        return f"{self.ops} ops, {len(self.failed)} typed failures {kinds}, {len(self.raw)} raw"


def errorstats(cluster: MovableCluster) -> dict[str, int]:
    """``ASK``/``MOVED``/``TRYAGAIN`` replies the masters sent, summed (Redis >= 6.2)."""
    out = {"ASK": 0, "MOVED": 0, "TRYAGAIN": 0}
    for n in cluster.nodes:
        stats = cluster.admin(n).info("errorstats")
        for name in out:
            entry = stats.get(f"errorstat_{name}")
            if entry:
                out[name] += int(entry["count"])
    return out


# -- the mover (a thread, for both the sync and the async tests) ---------------------------------


def move_slots_around(cluster: MovableCluster, slots: list[int], rounds: int, tagged: set[int]) -> None:
    """Each round moves every slot to the next master: hash-tagged slots (many keys) slowly, in
    batches of 5 keys with pauses (long ASK windows), the others quickly."""
    masters = cluster.nodes
    for _ in range(rounds):
        for slot in slots:
            src = cluster.owner(slot)
            dst = masters[(masters.index(src) + 1) % len(masters)]
            if slot in tagged:
                cluster.migrate_slot(slot, dst, batch=5, pause=0.01)
            else:
                cluster.migrate_slot(slot, dst, batch=10, pause=0.001)
    cluster.wait_stable()


def run_mover(fn: Callable[[], None], errors: list[str]) -> threading.Thread:
    def body() -> None:
        try:
            fn()
        except BaseException:
            errors.append(traceback.format_exc())

    t = threading.Thread(target=body, name="slot-mover", daemon=True)
    t.start()
    return t


# -- sync ------------------------------------------------------------------------------------------


def seed_sync(store: RedisStore, tag: str, ledger: Ledger, n: int = SESSIONS) -> None:
    for i in range(n):
        s = store.new({}, "session")
        s.values.update(record(i, 0))
        cookies = cookie_of(store.save(s))
        ledger.entries[(tag, i)] = Entry(cookies, store.rules.key(s.id))


def sync_worker(
    stores: dict[str, RedisStore],
    ledger: Ledger,
    mine: list[tuple[str, int]],
    stop: threading.Event,
    wid: int,
) -> None:
    rnd = random.Random(wid)
    new_i = 10_000 * (wid + 1)
    while not stop.is_set():
        tag, i = rnd.choice(mine)
        e = ledger.entries[(tag, i)]
        store = stores[tag]
        with ledger.lock:
            ledger.ops += 1
        try:
            s = store.get(e.cookies, "session")
            assert s.error is None and not s.is_new, (tag, i, s.error, s.is_new)
            gen = check_whole(s.values, i)
            assert gen in e.possible(), (tag, i, gen, e.possible())
            nxt = max(e.possible()) + 1
            s.values.update(record(i, nxt))
            try:
                store.save(s)
            except Exception:
                e.unknown.add(nxt)  # outcome unknown (a raw exception is reported below too)
                raise
            e.acked, e.unknown = nxt, set()
            if rnd.random() < 0.25:  # a brand-new session (ASK for a new key in a migrating slot)
                x = store.new({}, "session")
                x.values.update(record(new_i, 0))
                cookies = cookie_of(store.save(x))
                ledger.entries[(tag, new_i)] = Entry(cookies, store.rules.key(x.id))
                mine.append((tag, new_i))
                new_i += 1
        except AssertionError:
            ledger.broken.append(traceback.format_exc())
            return
        except Exception as exc:
            ledger.fail(exc)
            time.sleep(0.01)


def verify_sync(stores: dict[str, RedisStore], ledger: Ledger, cluster: MovableCluster) -> None:
    """Every session reads back whole with an acknowledged (or in-doubt) value, exact bytes and a
    TTL, through the same store objects; then each is saved and read once more (no restart)."""
    check = cluster.client()
    try:
        for (tag, i), e in ledger.entries.items():
            store = stores[tag]
            s = store.get(e.cookies, "session")
            assert s.error is None and not s.is_new, f"lost session {tag}/{i}: {ledger.summary()}"
            gen = check_whole(s.values, i)
            assert gen in e.possible(), (tag, i, gen, e.possible(), ledger.summary())
            assert check.get(e.key) == store.rules.serializer.dumps(record(i, gen)), (tag, i)
            assert check.pttl(e.key) > 0, f"{e.key} lost its TTL in the move"
            s.values.update(record(i, gen + 1))
            store.save(s)
            assert check_whole(store.get(e.cookies, "session").values, i) == gen + 1
    finally:
        check.close()


def assert_consistent(ledger: Ledger, mover_errors: list[str]) -> None:
    """The moves completed and no worker ever read a torn, foreign, lost or stale record."""
    assert not mover_errors, mover_errors[0]
    assert not ledger.broken, (
        f"{len(ledger.broken)} bad reads ({ledger.summary()}); first:\n{ledger.broken[0]}"
    )


def assert_typed(ledger: Ledger) -> None:
    """Every failed call raised a RedisStoreError subclass naming its command and key."""
    assert not ledger.raw, f"{len(ledger.raw)} untyped failures; first:\n{ledger.raw[0]}"
    for exc in ledger.failed:  # typed, and says what it was doing
        assert isinstance(exc, RedisStoreError) and exc.command and exc.key, repr(exc)


def test_sync_saves_and_loads_survive_manual_slot_migrations(own_cluster: MovableCluster) -> None:
    cluster = own_cluster
    client = cluster.client()
    stores = {
        # keys spread over ~SESSIONS slots, each moved on its own
        "spread": RedisStore(client, *KEYS, key_prefix="mv_"),
        # one hash tag: every key, old and new, in the one slot that moves slowly (ASK window)
        "tagged": RedisStore(client, *KEYS, key_prefix="{mvtag}_"),
    }
    ledger = Ledger()
    for tag, store in stores.items():
        seed_sync(store, tag, ledger)
    slots = sorted({key_slot(e.key.encode()) for e in ledger.entries.values()})
    tagged = {key_slot(b"{mvtag}")}
    before = errorstats(cluster)

    stop = threading.Event()
    mover_errors: list[str] = []
    mover = run_mover(lambda: move_slots_around(cluster, slots, 2, tagged), mover_errors)
    keys = list(ledger.entries)
    workers = [
        threading.Thread(target=sync_worker, args=(stores, ledger, keys[w::WORKERS], stop, w), daemon=True)
        for w in range(WORKERS)
    ]
    for t in workers:
        t.start()
    mover.join(RUN_CAP)
    moved_in_time = not mover.is_alive()
    time.sleep(AFTER)  # the same stores keep working after the moves
    stop.set()
    for t in workers:
        t.join(10)
    assert moved_in_time, "the slot moves did not finish in time"
    assert not any(t.is_alive() for t in workers), "a worker hung"
    assert_consistent(ledger, mover_errors)

    after = errorstats(cluster)
    assert after["ASK"] > before["ASK"] and after["MOVED"] > before["MOVED"], (before, after)
    assert ledger.ops > len(keys), ledger.summary()
    verify_sync(stores, ledger, cluster)
    assert_typed(ledger)
    client.close()


def test_sync_saves_survive_redis_cli_reshard(own_cluster: MovableCluster) -> None:
    """``redis-cli --cluster reshard`` moves 800 slots there and back under load."""
    cluster = own_cluster
    client = cluster.client()
    stores = {"spread": RedisStore(client, *KEYS, key_prefix="rs_")}
    ledger = Ledger()
    seed_sync(stores["spread"], "spread", ledger, 300)
    a, b = cluster.nodes[0], cluster.nodes[1]
    seeded = [key_slot(e.key.encode()) for e in ledger.entries.values()]
    on_a = {slot for slot in seeded if cluster.owner(slot).port == a.port}
    went: list[int] = []

    def reshard() -> None:
        cluster.reshard(a, b, 800)
        went.extend(slot for slot in on_a if cluster.owner(slot).port == b.port)
        cluster.reshard(b, a, 800)
        cluster.wait_stable()

    stop = threading.Event()
    mover_errors: list[str] = []
    before = errorstats(cluster)
    mover = run_mover(reshard, mover_errors)
    keys = list(ledger.entries)
    workers = [
        threading.Thread(target=sync_worker, args=(stores, ledger, keys[w::WORKERS], stop, w), daemon=True)
        for w in range(WORKERS)
    ]
    for t in workers:
        t.start()
    mover.join(RUN_CAP)
    moved_in_time = not mover.is_alive()
    time.sleep(AFTER)
    stop.set()
    for t in workers:
        t.join(10)
    assert moved_in_time, "redis-cli --cluster reshard did not finish in time"
    assert not any(t.is_alive() for t in workers), "a worker hung"
    assert_consistent(ledger, mover_errors)
    assert len(went) >= 5, f"only {len(went)} slots holding sessions were moved"
    assert errorstats(cluster)["MOVED"] > before["MOVED"]
    verify_sync(stores, ledger, cluster)
    assert_typed(ledger)
    client.close()


# -- async -----------------------------------------------------------------------------------------


def test_async_saves_and_loads_survive_manual_slot_migrations(own_cluster: MovableCluster) -> None:
    cluster = own_cluster
    ledger = Ledger()

    async def worker(
        stores: dict[str, AsyncRedisStore], mine: list[tuple[str, int]], stop: asyncio.Event, wid: int
    ) -> None:
        rnd = random.Random(wid)
        new_i = 10_000 * (wid + 1)
        while not stop.is_set():
            tag, i = rnd.choice(mine)
            e = ledger.entries[(tag, i)]
            store = stores[tag]
            ledger.ops += 1
            try:
                s = await store.get(e.cookies, "session")
                assert s.error is None and not s.is_new, (tag, i, s.error, s.is_new)
                gen = check_whole(s.values, i)
                assert gen in e.possible(), (tag, i, gen, e.possible())
                nxt = max(e.possible()) + 1
                s.values.update(record(i, nxt))
                try:
                    await store.save(s)
                except Exception:
                    e.unknown.add(nxt)
                    raise
                e.acked, e.unknown = nxt, set()
                if rnd.random() < 0.25:
                    x = await store.new({}, "session")
                    x.values.update(record(new_i, 0))
                    cookies = cookie_of(await store.save(x))
                    ledger.entries[(tag, new_i)] = Entry(cookies, store.rules.key(x.id))
                    mine.append((tag, new_i))
                    new_i += 1
            except AssertionError:
                ledger.broken.append(traceback.format_exc())
                return
            except Exception as exc:
                ledger.fail(exc)
                await asyncio.sleep(0.01)
            await asyncio.sleep(0)

    async def main() -> None:
        client = aredis.RedisCluster(host="127.0.0.1", port=cluster.nodes[0].port, socket_timeout=5)
        stores = {
            "spread": AsyncRedisStore(client, *KEYS, key_prefix="amv_"),
            "tagged": AsyncRedisStore(client, *KEYS, key_prefix="{amvtag}_"),
        }
        for tag, store in stores.items():
            for i in range(SESSIONS):
                s = await store.new({}, "session")
                s.values.update(record(i, 0))
                cookies = cookie_of(await store.save(s))
                ledger.entries[(tag, i)] = Entry(cookies, store.rules.key(s.id))
        slots = sorted({key_slot(e.key.encode()) for e in ledger.entries.values()})
        tagged = {key_slot(b"{amvtag}")}
        before = errorstats(cluster)
        mover_errors: list[str] = []
        stop = asyncio.Event()
        keys = list(ledger.entries)
        tasks = [asyncio.create_task(worker(stores, keys[w::WORKERS], stop, w)) for w in range(WORKERS)]
        mover = asyncio.create_task(
            asyncio.to_thread(
                lambda: run_mover(lambda: move_slots_around(cluster, slots, 2, tagged), mover_errors).join(
                    RUN_CAP
                )
            )
        )
        await asyncio.wait_for(mover, RUN_CAP + 5)
        await asyncio.sleep(AFTER)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        assert_consistent(ledger, mover_errors)
        after = errorstats(cluster)
        assert after["ASK"] > before["ASK"] and after["MOVED"] > before["MOVED"], (before, after)
        assert ledger.ops > len(keys), ledger.summary()

        # Same store objects, same client: everything acknowledged is there, whole, and writable.
        check = cluster.client()
        try:
            for (tag, i), e in ledger.entries.items():
                store = stores[tag]
                s = await store.get(e.cookies, "session")
                assert s.error is None and not s.is_new, f"lost session {tag}/{i}: {ledger.summary()}"
                gen = check_whole(s.values, i)
                assert gen in e.possible(), (tag, i, gen, e.possible(), ledger.summary())
                assert check.get(e.key) == store.rules.serializer.dumps(record(i, gen)), (tag, i)
                assert check.pttl(e.key) > 0, f"{e.key} lost its TTL in the move"
                s.values.update(record(i, gen + 1))
                await store.save(s)
                assert check_whole((await store.get(e.cookies, "session")).values, i) == gen + 1
        finally:
            check.close()
            await client.aclose()
        assert_typed(ledger)

    asyncio.run(main())


def test_async_concurrent_moved_redirects_raise_only_typed_errors(own_cluster: MovableCluster) -> None:
    """Many concurrent loads of sessions whose slot has just moved: every one gets ``MOVED``.

    redis.asyncio's RedisCluster answers every ``reinitialize_steps``-th MOVED with ``aclose()`` of
    all node connections, under the feet of the other tasks' commands; those then fail inside
    redis-py (seen: ``AttributeError: 'NoneType' object has no attribute 'writelines'``). Whatever
    the client does, the store must raise only ``RedisStoreError`` subclasses, and a retry with
    the same store must succeed.
    """
    cluster = own_cluster
    slot = key_slot(b"{burst}")

    async def main() -> None:
        client = aredis.RedisCluster(host="127.0.0.1", port=cluster.nodes[0].port, socket_timeout=5)
        store = AsyncRedisStore(client, *KEYS, key_prefix="{burst}_")
        raw: list[str] = []
        typed: list[RedisStoreError] = []
        try:
            cookies = []
            for i in range(40):
                s = await store.new({}, "session")
                s.values.update(record(i, 0))
                cookies.append(cookie_of(await store.save(s)))

            stop = asyncio.Event()
            loads = 0

            async def loader(w: int) -> None:
                nonlocal loads
                while not stop.is_set():
                    i = (w * 7 + loads) % 40
                    loads += 1
                    try:
                        got = await store.get(cookies[i], "session")
                    except RedisStoreError as exc:
                        typed.append(exc)
                        continue
                    except Exception:
                        raw.append(traceback.format_exc())
                        continue
                    assert got.error is None and check_whole(got.values, i) == 0

            def move_on(times: int) -> None:  # the slot goes round the masters
                for _ in range(times):
                    src = cluster.owner(slot)
                    dst = cluster.nodes[(cluster.nodes.index(src) + 1) % len(cluster.nodes)]
                    cluster.migrate_slot(slot, dst, batch=10, pause=0.02)

            tasks = [asyncio.create_task(loader(w)) for w in range(20)]
            await asyncio.wait_for(asyncio.to_thread(move_on, 6), 30)
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 10)
            for i in range(40):  # and afterwards the same store reads everything
                assert check_whole((await store.get(cookies[i], "session")).values, i) == 0
        finally:
            await client.aclose()
        kinds = sorted({r.strip().splitlines()[-1] for r in raw})
        assert not raw, (
            f"{len(raw)} of {loads} loads raised a raw exception {kinds} "
            f"(typed: {sorted(type(e).__name__ for e in typed)}); "
            f"first:\n{raw[0]}"
        )

    asyncio.run(main())


# -- a migration left half-done --------------------------------------------------------------------


def half_open(cluster: MovableCluster, slot: int) -> tuple[Any, Any]:
    """MIGRATING on the owner towards a master that is not IMPORTING: the owner sends ASK for
    missing keys, the other answers MOVED back, and redis-py bounces until it gives up."""
    src = cluster.owner(slot)
    dst = cluster.nodes[(cluster.nodes.index(src) + 1) % len(cluster.nodes)]
    cluster.admin(src).execute_command("CLUSTER", "SETSLOT", slot, "MIGRATING", cluster.ids[dst.port])
    return src, dst


def close_slot(cluster: MovableCluster, slot: int, src: Any) -> None:
    cluster.admin(src).execute_command("CLUSTER", "SETSLOT", slot, "STABLE")
    cluster.wait_stable()


def test_half_done_migration_is_a_typed_error_and_the_store_recovers(own_cluster: MovableCluster) -> None:
    cluster = own_cluster
    client = cluster.client()
    store = RedisStore(client, *KEYS, key_prefix="{half}_")
    slot = key_slot(b"{half}")
    kept = store.new({}, "session")
    kept.values.update(record(1, 0))
    kept_cookies = cookie_of(store.save(kept))
    src, _ = half_open(cluster, slot)
    try:
        # An existing key is still served by its owner.
        assert check_whole(store.get(kept_cookies, "session").values, 1) == 0
        fresh = store.new({}, "session")
        fresh.values.update(record(2, 0))
        t0 = time.monotonic()
        with pytest.raises(RedisStoreError) as info:
            store.save(fresh)  # a new key: ASK → MOVED → ASK → ... → redis-py gives up
        assert time.monotonic() - t0 < 3, "redis-py's redirect budget should end this quickly"
        assert isinstance(info.value, RedisResponseError), repr(info.value)
        assert info.value.command == "SETEX" and info.value.key == store.rules.key(fresh.id)
        assert isinstance(info.value.__cause__, redis.RedisError)
    finally:
        close_slot(cluster, slot, src)
    # The same store object works again, and the record it held before is unchanged.
    assert check_whole(store.get(kept_cookies, "session").values, 1) == 0
    fresh_cookies = cookie_of(store.save(fresh))
    assert check_whole(store.get(fresh_cookies, "session").values, 2) == 0
    client.close()


def test_half_done_migration_is_a_typed_error_and_the_store_recovers_async(
    own_cluster: MovableCluster,
) -> None:
    cluster = own_cluster
    slot = key_slot(b"{ahalf}")

    async def main() -> None:
        client = aredis.RedisCluster(host="127.0.0.1", port=cluster.nodes[0].port, socket_timeout=5)
        store = AsyncRedisStore(client, *KEYS, key_prefix="{ahalf}_")
        try:
            kept = await store.new({}, "session")
            kept.values.update(record(1, 0))
            kept_cookies = cookie_of(await store.save(kept))
            src, _ = await asyncio.to_thread(half_open, cluster, slot)
            try:
                assert check_whole((await store.get(kept_cookies, "session")).values, 1) == 0
                fresh = await store.new({}, "session")
                fresh.values.update(record(2, 0))
                with pytest.raises(RedisStoreError) as info:
                    await asyncio.wait_for(store.save(fresh), 10)
                assert isinstance(info.value, RedisResponseError), repr(info.value)
                assert info.value.command == "SETEX" and info.value.key == store.rules.key(fresh.id)
            finally:
                await asyncio.to_thread(close_slot, cluster, slot, src)
            assert check_whole((await store.get(kept_cookies, "session")).values, 1) == 0
            fresh_cookies = cookie_of(await store.save(fresh))
            assert check_whole((await store.get(fresh_cookies, "session")).values, 2) == 0
        finally:
            await client.aclose()

    asyncio.run(main())
