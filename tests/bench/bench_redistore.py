"""get+save per second: Go's boj/redistore v2.0.1 vs RedisStore vs AsyncRedisStore (not a test).

One op = load an existing session through its cookie (``GET``) + save it (``SETEX``), the same
workload as ``go-harness redis-bench``. Starts its own redis-server on a free loopback port.

    python tests/bench/bench_redistore.py [--time 2] [--json]

Rows: Go 1 goroutine vs sync RedisStore and AsyncRedisStore on one connection (1 task); Go 16
goroutines (pool 16) vs AsyncRedisStore with 16 tasks over a pool of 16 and sync with 16 threads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import redis
import redis.asyncio as aredis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from gorillacompat.redistore import AsyncRedisStore, RedisStore  # noqa: E402
from tests.redistore.conftest import RedisProc, free_port  # noqa: E402

HARNESS = ROOT / "go-harness" / "bin" / "go-harness"
HASH_KEY = None  # filled from the harness seed below (same key as Go's bench)
SESSIONS = 100
VALUES: dict[str, Any] = {
    "user_id": 1234567, "name": "Ann Example", "email": "ann.example@example.com",
    "verified": True, "theme": "dark", "csrf": "5f2b8c1e9a7d4e3f", "login_at": 1700000000,
}  # fmt: skip


def cookie_of(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]


def go_bench(addr: str, workers: int, seconds: float) -> float:
    out = subprocess.run(
        [str(HARNESS), "redis-bench", "-addr", addr, "-workers", str(workers), "-time", f"{seconds}s"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return float(json.loads(out.stdout)["ops_per_sec"])


def seed_sync(store: RedisStore) -> list[str]:
    cookies = []
    for _ in range(SESSIONS):
        s = store.new({}, "session")
        s.values.update(VALUES)
        cookies.append(cookie_of(store.save(s)))
    return cookies


def sync_bench(url: str, threads: int, seconds: float) -> float:
    client = redis.Redis(
        connection_pool=redis.BlockingConnectionPool.from_url(url, max_connections=max(threads, 1))
    )
    store = RedisStore(client, b"h" * 32)
    cookies = seed_sync(store)
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def work(t: int) -> None:
        i = t
        n = 0
        while time.perf_counter() < deadline:
            s = store.get({"session": cookies[i % SESSIONS]}, "session")
            s.values["n"] = i
            store.save(s)
            i += threads
            n += 1
        counts[t] = n

    start = time.perf_counter()
    ths = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    el = time.perf_counter() - start
    store.close()
    return sum(counts) / el


async def _async_bench(url: str, tasks: int, pool: int, seconds: float) -> float:
    # Blocking pool: with 16 tasks on 1 connection the tasks queue for it (the plain pool raises).
    client = aredis.Redis(connection_pool=aredis.BlockingConnectionPool.from_url(url, max_connections=pool))
    store = AsyncRedisStore(client, b"h" * 32)
    cookies = []
    for _ in range(SESSIONS):
        s = await store.new({}, "session")
        s.values.update(VALUES)
        cookies.append(cookie_of(await store.save(s)))
    deadline = time.perf_counter() + seconds
    counts = [0] * tasks

    async def work(t: int) -> None:
        i = t
        n = 0
        while time.perf_counter() < deadline:
            s = await store.get({"session": cookies[i % SESSIONS]}, "session")
            s.values["n"] = i
            await store.save(s)
            i += tasks
            n += 1
        counts[t] = n

    start = time.perf_counter()
    await asyncio.gather(*(work(t) for t in range(tasks)))
    el = time.perf_counter() - start
    await store.close()
    return sum(counts) / el


def async_bench(url: str, tasks: int, pool: int, seconds: float) -> float:
    return asyncio.run(_async_bench(url, tasks, pool, seconds))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=float, default=2.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("redis-server") is None or not HARNESS.exists():
        print("needs redis-server and go-harness/bin/go-harness (make harness)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        srv = RedisProc(Path(tmp), free_port())
        srv.start()
        try:
            t = args.time
            go1 = go_bench(srv.addr, 1, t)
            go16 = go_bench(srv.addr, 16, t)
            rows = {
                "go_1": go1,
                "go_16": go16,
                "sync_1": sync_bench(srv.url, 1, t),
                "async_1conn_1task": async_bench(srv.url, 1, 1, t),
                "async_1conn_16tasks": async_bench(srv.url, 16, 1, t),
                "async_pool16_16tasks": async_bench(srv.url, 16, 16, t),
                "sync_16threads": sync_bench(srv.url, 16, t),
            }
        finally:
            srv.stop()
    ratios = {
        "sync_1 / go_1": rows["sync_1"] / go1,
        "async_1conn_1task / go_1": rows["async_1conn_1task"] / go1,
        "async_1conn_16tasks / go_1": rows["async_1conn_16tasks"] / go1,
        "async_pool16_16tasks / go_16": rows["async_pool16_16tasks"] / go16,
        "sync_16threads / go_16": rows["sync_16threads"] / go16,
    }
    if args.json:
        print(json.dumps({"ops_per_sec": rows, "ratios": ratios}, indent=2))
    else:
        for k, v in rows.items():
            print(f"{k:24s} {v:10.0f} get+save/s")
        for k, v in ratios.items():
            print(f"{k:30s} {v:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
