"""Load: 10,000 sessions saved and read back concurrently by 50 asyncio tasks and 8 threads, and a
redis-server killed and restarted mid-run (failed calls raise RedisStoreError, the rest succeed)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from gorillacompat.redistore import AsyncRedisStore, RedisStore, RedisStoreError

from .conftest import KEYS, RedisProc
from .test_interop_go import cookie_of

TOTAL = 10_000
TASKS = 50
THREADS = 8


def _sync_worker(store: RedisStore, ids: range, out: dict[int, str], errors: list[BaseException]) -> None:
    try:
        for i in ids:
            s = store.new({}, "session")
            s.values["i"] = i
            s.values["token"] = f"t{i}"
            out[i] = cookie_of(store.save(s))
        for i in ids:
            got = store.get({"session": out[i]}, "session")
            assert got.error is None and got.values["i"] == i and got.values["token"] == f"t{i}"
    except BaseException as exc:
        errors.append(exc)


async def _async_worker(store: AsyncRedisStore, ids: range, out: dict[int, str]) -> None:
    for i in ids:
        s = await store.new({}, "session")
        s.values["i"] = i
        s.values["token"] = f"t{i}"
        out[i] = cookie_of(await store.save(s))
    for i in ids:
        got = await store.get({"session": out[i]}, "session")
        assert got.error is None and got.values["i"] == i and got.values["token"] == f"t{i}"


def test_10000_sessions_50_tasks_and_8_threads(redis_server: RedisProc) -> None:
    half = TOTAL // 2
    sync_store = RedisStore(redis_server.url, *KEYS, key_prefix="load_")
    sync_out: dict[int, str] = {}
    errors: list[BaseException] = []
    per_thread = half // THREADS
    threads = [
        threading.Thread(
            target=_sync_worker,
            args=(sync_store, range(t * per_thread, (t + 1) * per_thread), sync_out, errors),
        )
        for t in range(THREADS)
    ]

    async def run_async() -> dict[int, str]:
        store = AsyncRedisStore(redis_server.url, *KEYS, key_prefix="load_")
        out: dict[int, str] = {}
        per = half // TASKS
        base = THREADS * per_thread
        await asyncio.gather(
            *(_async_worker(store, range(base + k * per, base + (k + 1) * per), out) for k in range(TASKS))
        )
        await store.close()
        return out

    for t in threads:
        t.start()
    async_out = asyncio.run(run_async())
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    assert len(sync_out) + len(async_out) == TOTAL
    ids = {cookie for cookie in [*sync_out.values(), *async_out.values()]}
    assert len(ids) == TOTAL  # no two sessions share an ID or cookie
    c = redis_server.client()
    try:
        assert len(list(c.scan_iter("load_*", count=1000))) == TOTAL
    finally:
        c.close()
    sync_store.close()


def _run_through_restart(
    server: RedisProc,
    op: Callable[[int], Any],
    n_workers: int,
    is_async: bool,
    finish: Callable[[], Any] | None = None,
) -> tuple[int, int, list[BaseException]]:
    """Run ``op`` in a loop while the server is SIGKILLed and restarted; count outcomes."""
    ok_after: list[int] = []
    failures: list[BaseException] = []
    others: list[BaseException] = []
    phase = {"restarted": False}
    stop = threading.Event()

    def chaos() -> None:
        time.sleep(0.3)
        server.kill()
        time.sleep(0.5)
        server.start()
        phase["restarted"] = True
        time.sleep(0.7)
        stop.set()

    t = threading.Thread(target=chaos)
    t.start()
    deadline = time.monotonic() + 20

    def record(exc: BaseException) -> None:
        (failures if isinstance(exc, RedisStoreError) else others).append(exc)

    if is_async:

        async def worker(k: int) -> None:
            i = k
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    await op(i)
                    if phase["restarted"]:
                        ok_after.append(i)
                except Exception as exc:
                    record(exc)
                    await asyncio.sleep(0.02)
                i += n_workers

        async def main() -> None:
            await asyncio.gather(*(worker(k) for k in range(n_workers)))
            if finish is not None:
                await finish()

        asyncio.run(main())
    else:

        def tworker(k: int) -> None:
            i = k
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    op(i)
                    if phase["restarted"]:
                        ok_after.append(i)
                except Exception as exc:
                    record(exc)
                    time.sleep(0.02)
                i += n_workers

        ths = [threading.Thread(target=tworker, args=(k,)) for k in range(n_workers)]
        for th in ths:
            th.start()
        for th in ths:
            th.join(30)
    t.join(30)
    return len(ok_after), len(failures), others


@pytest.mark.parametrize("mode", ["threads", "asyncio"])
def test_kill_and_restart_mid_run(own_redis: RedisProc, mode: str) -> None:
    if mode == "threads":
        store: Any = RedisStore(own_redis.url, *KEYS, socket_timeout=1, socket_connect_timeout=1)

        def op(i: int) -> None:
            s = store.new({}, "session")
            s.values["i"] = i
            cookie = cookie_of(store.save(s))
            assert store.get({"session": cookie}, "session").values["i"] == i

        ok, failed, others = _run_through_restart(own_redis, op, THREADS, is_async=False)
        store.close()
    else:
        holder: dict[str, Any] = {}

        async def aop(i: int) -> None:
            if "s" not in holder:
                holder["s"] = AsyncRedisStore(
                    own_redis.url, *KEYS, socket_timeout=1, socket_connect_timeout=1
                )
            st = holder["s"]
            s = await st.new({}, "session")
            s.values["i"] = i
            cookie = cookie_of(await st.save(s))
            assert (await st.get({"session": cookie}, "session")).values["i"] == i

        async def finish() -> None:
            if "s" in holder:
                await holder["s"].close()

        ok, failed, others = _run_through_restart(own_redis, aop, TASKS, is_async=True, finish=finish)
    assert not others, others[:3]  # nothing but RedisStoreError escaped
    assert failed > 0  # the calls made while the server was down failed...
    assert ok > 0  # ...and calls after the restart succeeded again
