"""The get+save workload of ``make bench``'s store benchmarks, written once for every store.

One op = what a handler does per request: ``get`` (decode the cookie, load the session) + set one
value + ``save``, over ``SESSIONS`` sessions seeded first with ``VALUES`` (the values of Go's
``benchRedisValues`` in go-harness/redis.go). Used by bench_stores.py (every gin-contrib/sessions
backend) and bench_redistore.py; not a test.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

from gorillacompat.sessions.session import Session
from gorillacompat.sessions.store import Store

NAME = "session"
SESSIONS = 100
VALUES: dict[str, Any] = {
    "user_id": 1234567, "name": "Ann Example", "email": "ann.example@example.com",
    "verified": True, "theme": "dark", "csrf": "5f2b8c1e9a7d4e3f", "login_at": 1700000000,
}  # fmt: skip


def cookie_of(header: str) -> str:
    """The cookie value of a ``Set-Cookie`` header value."""
    return header.split(";", 1)[0].split("=", 1)[1]


class SyncStore(Store, Protocol):
    def close(self) -> None: ...


class AsyncStore(Protocol):
    async def get(self, cookies: Mapping[str, str], name: str) -> Session: ...
    async def new(self, cookies: Mapping[str, str], name: str) -> Session: ...
    async def save(self, session: Session) -> str: ...
    async def close(self) -> None: ...


class Rate(NamedTuple):
    """One row's result: get+save per second, and the client's CPU time per op (every thread of
    the process, user + system, over the timed loop): what bounds one asyncio loop, or one core."""

    ops_per_sec: float
    cpu_us_per_op: float


def _rate(ops: int, wall0: float, cpu0: float) -> Rate:
    if ops == 0:
        raise AssertionError("no op completed in time")
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return Rate(ops / wall, cpu / ops * 1e6)


def _op_session(session: Session, i: int) -> Session:
    if session.is_new:
        raise AssertionError(f"session {i % SESSIONS} was not found: {session.error!r}")
    session.values["n"] = i
    return session


def sync_ops(store: SyncStore, threads: int, seconds: float, warmup: float) -> Rate:
    """get+save with ``threads`` threads over ``SESSIONS`` seeded sessions, after an untimed
    ``warmup`` run (the pool opens its connections)."""
    cookies = []
    for _ in range(SESSIONS):
        s = store.new({}, NAME)
        s.values.update(VALUES)
        cookies.append(cookie_of(store.save(s)))

    def phase(length: float) -> int:
        counts = [0] * threads
        errors: list[BaseException] = []
        deadline = time.perf_counter() + length

        def work(t: int) -> None:
            i, n = t, 0
            try:
                while not errors and time.perf_counter() < deadline:
                    store.save(_op_session(store.get({NAME: cookies[i % SESSIONS]}, NAME), i))
                    i += threads
                    n += 1
            except Exception as exc:  # re-raised in the main thread; the others stop
                errors.append(exc)
            counts[t] = n

        ths = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        if errors:
            raise errors[0]
        return sum(counts)

    phase(warmup)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    return _rate(phase(seconds), wall0, cpu0)


async def async_ops_in_loop(store: AsyncStore, tasks: int, seconds: float, warmup: float) -> Rate:
    try:
        cookies = []
        for _ in range(SESSIONS):
            s = await store.new({}, NAME)
            s.values.update(VALUES)
            cookies.append(cookie_of(await store.save(s)))

        async def phase(length: float) -> int:
            errors: list[BaseException] = []
            deadline = time.perf_counter() + length

            async def work(t: int) -> int:
                i, n = t, 0
                try:
                    while not errors and time.perf_counter() < deadline:
                        session = await store.get({NAME: cookies[i % SESSIONS]}, NAME)
                        await store.save(_op_session(session, i))
                        i += tasks
                        n += 1
                except Exception as exc:  # the others stop at their next op: nothing is cancelled
                    errors.append(exc)
                return n

            counts = await asyncio.gather(*(work(t) for t in range(tasks)))
            if errors:
                raise errors[0]
            return sum(counts)

        await phase(warmup)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        return _rate(await phase(seconds), wall0, cpu0)
    finally:
        await store.close()


def async_ops(make: Callable[[], AsyncStore], tasks: int, seconds: float, warmup: float) -> Rate:
    """get+save with ``tasks`` tasks on one event loop (the store is made inside it); ``sync_ops``."""

    async def run() -> Rate:
        return await async_ops_in_loop(make(), tasks, seconds, warmup)

    return asyncio.run(run())
