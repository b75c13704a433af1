"""get+save per second: Go's boj/redistore v2.0.1 vs RedisStore vs AsyncRedisStore (not a test).

One op = load an existing session through its cookie (``GET``) + save it (``SETEX``), the same
workload as ``go-harness redis-bench``. Starts its own redis-server on a free loopback port.

    python tests/bench/bench_redistore.py [--time 2] [--json]

Rows: Go 1 goroutine vs sync RedisStore and AsyncRedisStore on one connection (1 task); Go 16
goroutines (pool 16) vs AsyncRedisStore with 16 tasks over a pool of 16 and sync with 16 threads.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import redis
import redis.asyncio as aredis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from gorillacompat.redistore import AsyncRedisStore, RedisStore  # noqa: E402
from tests.bench._workload import async_ops, sync_ops  # noqa: E402
from tests.redistore.conftest import RedisProc, free_port  # noqa: E402

HARNESS = ROOT / "go-harness" / "bin" / "go-harness"


def go_bench(addr: str, workers: int, seconds: float) -> float:
    out = subprocess.run(
        [str(HARNESS), "redis-bench", "-addr", addr, "-workers", str(workers), "-time", f"{seconds}s"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return float(json.loads(out.stdout)["ops_per_sec"])


def sync_bench(url: str, threads: int, seconds: float) -> float:
    client = redis.Redis(
        connection_pool=redis.BlockingConnectionPool.from_url(url, max_connections=max(threads, 1))
    )
    store = RedisStore(client, b"h" * 32)
    try:
        return sync_ops(store, threads, seconds, warmup=0).ops_per_sec  # Go's redis-bench has none
    finally:
        store.close()


def async_bench(url: str, tasks: int, pool: int, seconds: float) -> float:
    def make() -> AsyncRedisStore:
        # Blocking pool: with 16 tasks on 1 connection the tasks queue for it (the plain pool raises).
        pool_ = aredis.BlockingConnectionPool.from_url(url, max_connections=pool)
        return AsyncRedisStore(aredis.Redis(connection_pool=pool_), b"h" * 32)

    return async_ops(make, tasks, seconds, warmup=0).ops_per_sec


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
