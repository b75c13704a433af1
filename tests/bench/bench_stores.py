"""get+save per second of each gin-contrib/sessions backend: the Gin app's Go store vs ours (not a test).

    python tests/bench/bench_stores.py [--time 2] [--warmup 0.5] [--concurrency 16] [--repeat 3]
                                       [--backend B]... [--json]

One op = one request of a Gin handler: ``get`` (decode the cookie, load the session) + set a value
+ ``save``; the same workload as ``go-harness store-bench`` (go-harness/bench_stores.go), whose Go
store comes from gin-contrib/sessions' own constructor. Both sides work on the same private server
(started here, with the test suites' server code), in one run. Rows per backend (N = --concurrency):

    go_1      Go, 1 goroutine                        sync_1 / go_1    target >= 0.8
    sync_1    our sync store, 1 thread
    async_1   our asyncio store, 1 task              (for scale)
    go_N      Go, N goroutines, N pooled connections
    async_N   our asyncio store, N tasks, pool of N  async_N / go_N   target >= 1.0
    sync_N    our sync store, N threads, pool of N   (for scale)
    async_N_Pproc  N tasks over P event loops in P processes, P = the CPU count (how an ASGI server
              with one worker per core runs; Go's N goroutines use every core too)   (for scale)

Each row runs untimed for --warmup seconds first (pools open their connections), then --time
seconds are timed. The whole plan of a backend runs --repeat times, Go and Python rows taking
turns, and each row reports its median run (on a shared machine one run of a row can be 20%
off). A row also reports the client's CPU time per op (user + system, all threads): one asyncio
loop cannot go faster than 1e6 / that, whatever the server does. A row that fails shows its
error and the exit status is 1; a backend whose Python store, client or server is missing is listed
as skipped, with the reason. Backends: postgres, memcached, gorm-sqlite, gorm-postgres, gorm-mysql.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import multiprocessing
import multiprocessing.queues
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench._workload import SESSIONS, AsyncStore, Rate, SyncStore, async_ops, sync_ops  # noqa: E402
from tests.conftest import HARNESS_BIN, Harness, running  # noqa: E402
from tests.redistore.conftest import free_port  # noqa: E402

#: Processes of the ``async_N_Pproc`` row: one event loop per core.
PROCS = os.cpu_count() or 1

#: Hash and block key (AES-256), the same on both sides.
KEYS = (bytes(range(32)), bytes(range(32, 64)))


@dataclass(frozen=True)
class Target:
    """Where a backend's stores connect: ours (``python``) and Go's (``go``), on one server."""

    python: str
    go: str


@dataclass(frozen=True)
class Backend:
    """One row group: a gin-contrib/sessions backend (``name`` is also Go's ``-backend``)."""

    name: str
    #: The gorillacompat package (and clients) the Python stores need; missing → skipped.
    modules: tuple[str, ...]
    #: Which private server it runs on (a key of SERVERS).
    server: str
    #: The started server → a fresh database/namespace on it.
    target: Callable[[Any, Path], Target]
    #: (python target, pool size) → a store.
    sync_store: Callable[[str, int], SyncStore]
    async_store: Callable[[str, int], AsyncStore]


class UnavailableError(Exception):
    """A backend cannot run here (the reason is printed, the run goes on)."""


# ---- servers: started once per run, shared by the backends that need them --------------------------


@contextmanager
def _postgres(tmp: Path) -> Iterator[Any]:
    from tests.pgstore.conftest import PGProc, _bindir

    if _bindir() is None:
        raise UnavailableError("PostgreSQL (initdb/postgres) is not installed")
    with running(PGProc(free_port())) as srv:
        yield srv


@contextmanager
def _memcached(tmp: Path) -> Iterator[Any]:
    from tests.memcache.conftest import MemcachedProc

    if shutil.which("memcached") is None:
        raise UnavailableError("memcached is not installed")
    with running(MemcachedProc(free_port())) as srv:
        yield srv


@contextmanager
def _mariadb(tmp: Path) -> Iterator[Any]:
    from tests.gormstore.conftest import MariaDBProc

    if shutil.which("mariadbd", path="/usr/sbin:/usr/bin") is None:
        raise UnavailableError("MariaDB (mariadbd) is not installed")
    with running(MariaDBProc(free_port())) as srv:
        yield srv


@contextmanager
def _sqlite(tmp: Path) -> Iterator[Any]:
    yield tmp


#: Server kind → a context manager that starts it (its value goes to ``Backend.target``).
SERVERS: dict[str, Callable[[Path], Any]] = {
    "postgres": _postgres, "memcached": _memcached, "mariadb": _mariadb, "sqlite": _sqlite,
}  # fmt: skip


# ---- the backends -------------------------------------------------------------------------------


def _pg_target(srv: Any, tmp: Path) -> Target:
    dsn: str = srv.new_database()
    return Target(dsn, dsn)


def _pg_sync(dsn: str, pool: int) -> SyncStore:
    from gorillacompat.pgstore import PGStore

    return PGStore(dsn, *KEYS, pool_size=pool)


def _pg_async(dsn: str, pool: int) -> AsyncStore:
    from gorillacompat.pgstore import AsyncPGStore

    return AsyncPGStore(dsn, *KEYS, pool_size=pool)


def _mc_target(srv: Any, tmp: Path) -> Target:
    return Target(srv.address, srv.address)  # IDs are random: rows need no namespace of their own


def _mc_sync(address: str, pool: int) -> SyncStore:
    from gorillacompat.memcache import MemcacheStore

    return MemcacheStore(address, *KEYS)  # its pool grows to the threads that use it


def _mc_async(address: str, pool: int) -> AsyncStore:
    from gorillacompat.memcache import AsyncMemcacheStore

    return AsyncMemcacheStore(address, *KEYS, pool_size=pool)


_sqlite_files = itertools.count()


def _sqlite_target(srv: Any, tmp: Path) -> Target:
    path = tmp / f"sessions{next(_sqlite_files)}.db"
    return Target(f"sqlite:///{path}", str(path))


def _maria_target(srv: Any, tmp: Path) -> Target:
    db = srv.new_database()
    return Target(srv.url(db), srv.go_dsn(db))


def _gorm_sync(url: str, pool: int) -> SyncStore:
    from gorillacompat.gormstore import GormStore

    return GormStore(url, *KEYS, pool_size=pool)


def _gorm_async(url: str, pool: int) -> AsyncStore:
    from gorillacompat.gormstore import AsyncGormStore

    return AsyncGormStore(url, *KEYS, pool_size=pool)


_GORM = ("gorillacompat.gormstore",)
#: The table: one entry per gin-contrib/sessions backend.
TABLE = (
    Backend("postgres", ("gorillacompat.pgstore", "psycopg", "psycopg_pool"), "postgres",
            _pg_target, _pg_sync, _pg_async),
    Backend("memcached", ("gorillacompat.memcache", "pymemcache", "aiomcache"), "memcached",
            _mc_target, _mc_sync, _mc_async),
    Backend("gorm-sqlite", _GORM, "sqlite", _sqlite_target, _gorm_sync, _gorm_async),
    Backend("gorm-postgres", (*_GORM, "psycopg", "psycopg_pool"), "postgres",
            _pg_target, _gorm_sync, _gorm_async),
    Backend("gorm-mysql", (*_GORM, "pymysql", "aiomysql"), "mariadb",
            _maria_target, _gorm_sync, _gorm_async),
)  # fmt: skip
BACKENDS: dict[str, Backend] = {b.name: b for b in TABLE}


# ---- the rows -----------------------------------------------------------------------------------


def go_ops(backend: str, dsn: str, workers: int, seconds: float, warmup: float) -> Rate:
    """``go-harness store-bench``: the Gin app's Go store on the same server."""
    out = Harness(HARNESS_BIN).run(
        "store-bench", "-backend", backend, "-dsn", dsn, "-keys", ",".join(k.hex() for k in KEYS),
        "-workers", str(workers), "-time", f"{seconds}s", "-warmup", f"{warmup}s",
        "-sessions", str(SESSIONS), timeout=120 + 2 * (seconds + warmup),
    )  # fmt: skip
    return Rate(float(out["ops_per_sec"]), float(out["cpu_us_per_op"]))


Row = Rate | str  # a result, or the error that stopped the row
Ratios = dict[str, tuple[float | None, float | None]]  # "py / go" → (ratio or None, target or None)


def run_backend(
    b: Backend, server: Any, tmp: Path, n: int, seconds: float, warmup: float, repeat: int = 1
) -> dict[str, Row]:
    """Every row of one backend, each on a fresh database of the shared server, the plan run
    ``repeat`` times; a row gives its median run, or the error text of a run that failed (the
    other rows still run)."""

    def fresh() -> Target:
        return b.target(server, tmp)

    def go(workers: int) -> Rate:
        return go_ops(b.name, fresh().go, workers, seconds, warmup)

    def sync(threads: int) -> Rate:
        store = b.sync_store(fresh().python, threads)
        try:
            return sync_ops(store, threads, seconds, warmup)
        finally:
            store.close()

    def asynch(tasks: int) -> Rate:
        where = fresh().python
        return async_ops(lambda: b.async_store(where, tasks), tasks, seconds, warmup)

    def asynch_procs(tasks: int) -> Rate:
        """``tasks`` tasks shared by PROCS processes, each with its own loop and pool (forked, so
        the store is made in the child); their rates add up."""
        where = fresh().python
        ctx = multiprocessing.get_context("fork")
        results: multiprocessing.queues.Queue[Rate | str] = ctx.Queue()

        def child(k: int) -> None:
            try:
                results.put(async_ops(lambda: b.async_store(where, k), k, seconds, warmup))
            except Exception as exc:
                results.put(f"{type(exc).__name__}: {exc}")

        shares = [tasks // PROCS + (i < tasks % PROCS) for i in range(PROCS)]
        procs = [ctx.Process(target=child, args=(k,)) for k in shares if k]
        for p in procs:
            p.start()
        got = [results.get(timeout=120 + 4 * (seconds + warmup)) for _ in procs]
        for p in procs:
            p.join()
        failed = [r for r in got if isinstance(r, str)]
        if failed:
            raise RuntimeError(failed[0])
        rates = [r for r in got if isinstance(r, Rate)]
        ops = sum(r.ops_per_sec for r in rates)
        return Rate(ops, sum(r.cpu_us_per_op * r.ops_per_sec for r in rates) / ops)

    plan: list[tuple[str, Callable[[int], Rate], int]] = [
        ("go_1", go, 1), ("sync_1", sync, 1), ("async_1", asynch, 1),
        (f"go_{n}", go, n), (f"async_{n}", asynch, n), (f"sync_{n}", sync, n),
        (f"async_{n}_{PROCS}proc", asynch_procs, n),
    ]  # fmt: skip
    runs: dict[str, list[Row]] = {label: [] for label, _, _ in plan}
    for _ in range(repeat):
        for label, run, k in plan:
            try:
                runs[label].append(run(k))
            except Exception as exc:  # reported in the table; the run goes on
                runs[label].append(f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
    return {label: _median(got) for label, got in runs.items()}


def _median(runs: list[Row]) -> Row:
    """The run with the median rate (the lower middle of an even count); a failed run wins."""
    failed = [r for r in runs if isinstance(r, str)]
    if failed:
        return failed[0]
    rates = sorted((r for r in runs if isinstance(r, Rate)), key=lambda r: r.ops_per_sec)
    return rates[(len(rates) - 1) // 2]


def ratios(rows: dict[str, Row], n: int) -> Ratios:
    """``py / go`` per Python row (None when either row failed), with its target (None: for scale)."""

    def ratio(py: str, go: str) -> float | None:
        a, b = rows[py], rows[go]
        return a.ops_per_sec / b.ops_per_sec if isinstance(a, Rate) and isinstance(b, Rate) else None

    return {
        "sync_1 / go_1": (ratio("sync_1", "go_1"), 0.8),
        "async_1 / go_1": (ratio("async_1", "go_1"), None),
        f"async_{n} / go_{n}": (ratio(f"async_{n}", f"go_{n}"), 1.0),
        f"sync_{n} / go_{n}": (ratio(f"sync_{n}", f"go_{n}"), None),
        f"async_{n}_{PROCS}proc / go_{n}": (ratio(f"async_{n}_{PROCS}proc", f"go_{n}"), None),
    }


def _missing(b: Backend) -> str | None:
    for m in b.modules:
        try:
            if importlib.util.find_spec(m) is None:
                return f"{m} is not importable"
        except ModuleNotFoundError:
            return f"{m} is not importable"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--time", type=float, default=2.0, help="timed seconds per row (default 2)")
    ap.add_argument("--warmup", type=float, default=0.5, help="untimed seconds before each row (0.5)")
    ap.add_argument("--concurrency", type=int, default=16, help="goroutines/tasks/threads (default 16)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each row; the median counts (3)")
    ap.add_argument("--backend", action="append", choices=list(BACKENDS), help="repeatable; default all")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if not HARNESS_BIN.exists():
        print("needs go-harness/bin/go-harness (make harness)", file=sys.stderr)
        return 2
    n: int = args.concurrency
    results: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    if not args.json:
        print(f"each row: the median of {args.repeat} runs of {args.time:g} s\n")
    with tempfile.TemporaryDirectory(prefix="gorillacompat-bench-") as tmpdir, ExitStack() as stack:
        tmp = Path(tmpdir)
        servers: dict[str, Any] = {}
        for name in args.backend or list(BACKENDS):
            b = BACKENDS[name]
            try:
                reason = _missing(b)
                if reason is not None:
                    raise UnavailableError(reason)
                if b.server not in servers:
                    servers[b.server] = stack.enter_context(SERVERS[b.server](tmp))
                rows = run_backend(b, servers[b.server], tmp, n, args.time, args.warmup, args.repeat)
            except UnavailableError as exc:
                skipped[name] = str(exc)
                if not args.json:
                    print(f"{name}: skipped ({exc})\n")
                continue
            got = ratios(rows, n)
            done = {k: v for k, v in rows.items() if isinstance(v, Rate)}
            results[name] = {
                "ops_per_sec": {k: v.ops_per_sec for k, v in done.items()},
                "cpu_us_per_op": {k: v.cpu_us_per_op for k, v in done.items()},
                "errors": {k: v for k, v in rows.items() if isinstance(v, str)},
                "ratios": {k: r for k, (r, _) in got.items()},
                "targets": {k: t for k, (_, t) in got.items() if t is not None},
            }
            if not args.json:
                _print_backend(name, rows, got)
    if args.json:
        print(json.dumps({"time_per_row": args.time, "concurrency": n, "repeat": args.repeat,
                          "backends": results, "skipped": skipped}, indent=2))  # fmt: skip
    return 1 if any(r["errors"] for r in results.values()) else 0


def _print_backend(name: str, rows: dict[str, Row], got: Ratios) -> None:
    print(f"{name:18s} {'get+save/s':>10s} {'client CPU us/op':>17s}")
    for k, v in rows.items():
        if isinstance(v, Rate):
            print(f"  {k:16s} {v.ops_per_sec:10.0f} {v.cpu_us_per_op:17.0f}")
        else:
            print(f"  {k:16s} FAILED: {v}")
    for k, (r, target) in got.items():
        shown = "      -" if r is None else f"{r:6.3f}x"
        met = "met" if r is not None and target is not None and r >= target else "MISSED"
        verdict = "" if target is None else f"  target >= {target:.1f}: {met}"
        print(f"  {k:26s} {shown}{verdict}")
    print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
